"""Which DomainErrors a function can raise, read from its source and from the source of
every wordofmouth function it calls, transitively: `raise X(...)` where X resolves to a
DomainError subclass (or X handed to a call, as `rows.one` takes the NotFound to
raise), less what a surrounding `try` catches. It reads more than can happen
(every branch counts) and misses what it cannot resolve (a method of an unknown object)."""

from __future__ import annotations

import ast
import builtins
import inspect
import textwrap
import types
from typing import Any

from wordofmouth.errors import DomainError

Found = set[type[DomainError]]


def _is_error(x: Any) -> bool:
    return isinstance(x, type) and issubclass(x, DomainError)


def _ours(x: Any) -> bool:
    return str(getattr(x, "__module__", "")).startswith("wordofmouth")


class ErrorReader:
    def __init__(self) -> None:
        self.memo: dict[Any, frozenset[type[DomainError]]] = {}

    def of(self, fn: Any) -> frozenset[type[DomainError]]:
        fn = inspect.unwrap(getattr(fn, "__func__", fn))
        if isinstance(fn, type):  # constructing one of ours runs its methods (validators)
            if _is_error(fn) or not _ours(fn):
                return frozenset()
            found: Found = set()
            for value in vars(fn).values():
                value = getattr(value, "__func__", value)
                if isinstance(value, types.FunctionType):
                    found |= self.of(value)
            return frozenset(found)
        if not isinstance(fn, types.FunctionType) or not _ours(fn):
            return frozenset()
        if fn in self.memo:
            return self.memo[fn]
        self.memo[fn] = frozenset()  # a recursive call adds nothing new
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except OSError:  # made at run time (a dataclass's __init__): nothing of ours
            return frozenset()
        scope = {**vars(builtins), **fn.__globals__, **inspect.getclosurevars(fn).nonlocals}
        self.memo[fn] = frozenset(self._block(tree.body, scope))
        return self.memo[fn]

    def _resolve(self, node: ast.AST, scope: dict[str, Any]) -> Any:
        if isinstance(node, ast.Name):
            return scope.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value, scope)
            return None if base is None else getattr(base, node.attr, None)
        return None

    def _block(self, nodes: list[ast.stmt], scope: dict[str, Any]) -> Found:
        found: Found = set()
        for node in nodes:
            found |= self._node(node, scope)
        return found

    def _try(self, node: ast.Try, scope: dict[str, Any]) -> Found:
        handled: list[type] = []
        for handler in node.handlers:
            kinds = (handler.type.elts if isinstance(handler.type, ast.Tuple)
                     else [handler.type] if handler.type is not None else [])
            handled += [k for k in (self._resolve(k, scope) for k in kinds)
                        if isinstance(k, type)]
            if handler.type is None:
                handled.append(BaseException)
        body = self._block(node.body, scope)
        kept = {e for e in body if not issubclass(e, tuple(handled))}
        found = set(kept)
        for handler in node.handlers:
            found |= self._block(handler.body, scope)
            if any(isinstance(n, ast.Raise) and n.exc is None for n in ast.walk(handler)):
                found |= body - kept  # re-raised
        return found | self._block(node.orelse, scope) | self._block(node.finalbody, scope)

    def _node(self, node: ast.AST, scope: dict[str, Any]) -> Found:
        if isinstance(node, ast.Try):
            return self._try(node, scope)
        found: Found = set()
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = self._resolve(
                node.exc.func if isinstance(node.exc, ast.Call) else node.exc, scope)
            if _is_error(raised):
                found.add(raised)
        if isinstance(node, ast.Call):
            called = self._resolve(node.func, scope)
            if called is not None and not _is_error(called):
                found |= self.of(called)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                passed = self._resolve(arg, scope)  # a function handed on is called later
                if isinstance(passed, types.FunctionType):
                    found |= self.of(passed)
                elif _is_error(passed):  # an error handed on is raised by the callee
                    found.add(passed)
        for child in ast.iter_child_nodes(node):
            found |= self._node(child, scope)
        return found
