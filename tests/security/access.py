"""The access matrix: every route × who asks (owner, manager, cashier, partner, an
integration token with every scope, anonymous), observed by making the request.

A request is *let through* unless it is turned away for who is asking: 401, 403, or a
redirect to the login page. What happens after (404 for the dummy ids used here, 422 for an
empty body) does not matter: the guard was passed. docs/access.md holds the matrix; the test
compares what the server does with it. `python -m tests.security.access` prints the table
for the docs from the running code (review it before pasting)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

WHO = ("owner", "manager", "cashier", "partner", "token", "anonymous")
DOC = Path(__file__).resolve().parents[2] / "docs" / "access.md"
SKIP = {("POST", "/logout"), ("POST", "/login")}  # they change who is asking; tested apart


def routes(app: Any) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(items: Any, prefix: str = "") -> None:
        for r in items:
            if hasattr(r, "original_router"):
                ctx = getattr(r, "include_context", None)
                walk(r.original_router.routes, prefix + (getattr(ctx, "prefix", "") or ""))
            elif getattr(r, "methods", None):
                for m in sorted(r.methods - {"HEAD"}):
                    found.append((m, prefix + r.path))

    walk(app.routes)
    return sorted(set(found) - SKIP, key=lambda mp: (mp[1], mp[0]))


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "x" if any(
        w in m.group(0) for w in ("token", "external_id", "which", "fmt")) else "999999", path)


def let_through(client: TestClient, method: str, path: str, csrf: str | None,
                bearer: str | None) -> bool:
    headers = {"accept": "application/json"} if path.startswith("/api") else {}
    if bearer:
        headers["authorization"] = f"Bearer {bearer}"
    if csrf:
        headers["x-csrf-token"] = csrf
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if path.startswith("/api"):
            kwargs["json"] = {}
        else:
            kwargs["data"] = {"csrf_token": csrf or ""}
    r = client.request(method, concrete(path), **kwargs)
    if r.status_code in (401, 403):
        return False
    return not (r.status_code in (302, 303) and "/login" in r.headers.get("location", ""))


def observe(clients: dict[str, tuple[TestClient, str | None, str | None]],
            app: Any) -> Iterator[tuple[str, str, dict[str, bool]]]:
    for method, path in routes(app):
        yield method, path, {who: let_through(c, method, path, csrf, bearer)
                             for who, (c, csrf, bearer) in clients.items()}


def documented() -> dict[tuple[str, str], dict[str, bool]]:
    """The matrix in docs/access.md: `| METHOD | /path | ✓ | · | … |` rows."""
    out = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 + len(WHO) and cells[0] in ("GET", "POST", "PUT", "PATCH",
                                                        "DELETE"):
            out[(cells[0], cells[1].strip("`"))] = {
                who: cell == "✓" for who, cell in zip(WHO, cells[2:], strict=True)}
    return out


def table(rows: list[tuple[str, str, dict[str, bool]]]) -> str:
    head = "| Method | Route | " + " | ".join(WHO) + " |"
    rule = "|---|---|" + "---|" * len(WHO)
    body = [f"| {m} | `{p}` | " + " | ".join("✓" if seen[w] else "·" for w in WHO) + " |"
            for m, p, seen in rows]
    return "\n".join([head, rule, *body])
