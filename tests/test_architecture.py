"""The shape STYLE.md asks for, checked: pure rules, no import cycles, services that know
nothing of the web."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src"
PACKAGE = SRC / "wordofmouth"
RULES = sorted(PACKAGE.glob("*/rules.py"))


def module_of(path: Path) -> str:
    parts = path.with_suffix("").relative_to(SRC).parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def top_level_imports(path: Path) -> set[str]:
    """The wordofmouth modules a module imports when it is loaded (not inside functions,
    not under TYPE_CHECKING)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wordofmouth"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                is_module = (SRC / f"{full.replace('.', '/')}.py").exists()
                found.add(full if is_module else str(node.module))
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("wordofmouth")}
    return found


@pytest.mark.parametrize("rules", RULES, ids=lambda p: p.parent.name)
def test_a_rules_module_loads_no_database_code(rules: Path) -> None:
    check = (f"import sys, {module_of(rules)}; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in "
             "('sqlalchemy', 'fastapi', 'jinja2', 'typer')))")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_imports_itself_through_others() -> None:
    graph = {module_of(p): top_level_imports(p) for p in PACKAGE.rglob("*.py")}
    cycles = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append([*path[path.index(nxt):], nxt])
            elif nxt not in done and nxt in graph:
                visit(nxt, [*path, nxt], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []


@pytest.mark.parametrize("service", sorted(PACKAGE.glob("*/service.py")),
                         ids=lambda p: p.parent.name)
def test_a_service_knows_nothing_of_the_web(service: Path) -> None:
    text = service.read_text()
    for adapter in ("fastapi", "starlette", "typer", "jinja2"):
        assert f"import {adapter}" not in text and f"from {adapter}" not in text


# Modules that read other capabilities' tables on purpose: reports and lists that join
# across capabilities in one query (docs/architecture.md → Read models). Everywhere else a
# capability asks another through its service.
READ_MODELS = {
    "analysis/activity.py", "analysis/bonus.py", "analysis/discounts.py", "club/lists.py",
    "club/review.py", "club/walk.py",
    "mailing/audience.py", "partners/invoices.py", "partners/own.py", "partners/report.py",
    "partners/settlement.py", "partners/reward_contacts.py", "storefront/clicks.py",
    "storefront/cache_signal.py",
    "storefront/statement.py", "customers/contact_history.py", "customers/directory.py",
    "audit/sentences.py",
}
ADAPTERS = ("api.py", "pages.py", "portal.py", "cli.py", "activity_pages.py")


def _tables_read_across(path: Path, capability: str) -> set[str]:
    """Other capabilities' ORM classes this module queries (names it uses as a table or a
    column), as opposed to naming them in type hints."""
    from sqlalchemy.orm import DeclarativeBase

    tree = ast.parse(path.read_text())
    foreign: dict[str, str] = {}
    for node in tree.body:
        if (isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".models")
                and (node.module or "").startswith("wordofmouth.")):
            other = str(node.module).split(".")[1]
            if other == capability:
                continue
            module = __import__(str(node.module), fromlist=["_"])
            for alias in node.names:
                obj = getattr(module, alias.name)
                if isinstance(obj, type) and issubclass(obj, DeclarativeBase):
                    foreign[alias.asname or alias.name] = other
    used = set()
    for seen in ast.walk(tree):
        if (isinstance(seen, ast.Attribute) and isinstance(seen.value, ast.Name)
                and seen.value.id in foreign):
            used.add(f"{foreign[seen.value.id]}.{seen.value.id}")
        if isinstance(seen, ast.Call):
            used |= {f"{foreign[a.id]}.{a.id}" for a in seen.args
                     if isinstance(a, ast.Name) and a.id in foreign}
    return used


def _capability_modules() -> list[tuple[Path, str, str]]:
    """(path, path inside the package, capability) of each module that is neither an
    adapter, a models module, a read model, a migration nor the demo."""
    out = []
    for path in sorted(PACKAGE.glob("*/*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        capability = rel.split("/")[0]
        if not (capability in ("migrations", "demo") or path.name in ADAPTERS
                or path.name == "models.py" or rel in READ_MODELS):
            out.append((path, rel, capability))
    return out


def test_capabilities_read_each_others_tables_only_in_read_models() -> None:
    found = {}
    for path, rel, capability in _capability_modules():
        used = _tables_read_across(path, capability)
        if used:
            found[rel] = sorted(used)
    assert found == {}


def test_other_capabilities_models_are_named_only_for_their_enums_or_in_type_hints() -> None:
    from enum import Enum

    found = {}
    for path, rel, capability in _capability_modules():
        for node in ast.parse(path.read_text()).body:  # under TYPE_CHECKING is not here
            module_name = getattr(node, "module", None) or ""
            if (isinstance(node, ast.ImportFrom) and module_name.endswith(".models")
                    and module_name.startswith("wordofmouth.")
                    and module_name.split(".")[1] != capability):
                module = __import__(module_name, fromlist=["_"])
                tables = [a.name for a in node.names
                          if not (isinstance(obj := getattr(module, a.name), type)
                                  and issubclass(obj, Enum))]
                if tables:
                    found[rel] = tables
    assert found == {}
