"""Every route × who asks, against the matrix in docs/access.md; CSRF; partner isolation;
security headers on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import UserFactory
from tests.partners.helpers import partner
from tests.security.access import WHO, documented, observe, routes, table
from tests.web.pages import csrf_of, login
from wordofmouth.auth.permissions import SCOPES


def signed_in(app: Any, role: str, db: Session) -> tuple[TestClient, str | None, str | None]:
    client = TestClient(app, raise_server_exceptions=False)
    if role == "anonymous":
        return client, None, None
    if role == "token":
        bearer = make_token(db, *SCOPES)["Authorization"].split()[1]
        return client, None, bearer
    if role == "partner":
        p = partner(db, "Matrix partner")
        UserFactory.create(login="matrixp", role="partner", password="partner-pass-1",
                    partner_id=p.id)
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        client.post("/login", data={"login": "matrixp", "password": "partner-pass-1",
                                    "csrf_token": token.group(1)})
        return client, csrf_of(client.get("/portal").text), None
    return client, login(client, role), None


def test_every_route_is_in_the_documented_matrix_and_keeps_to_it(app: Any,
                                                                  db: Session) -> None:
    clients = {who: signed_in(app, who, db) for who in WHO}
    seen = list(observe(clients, app))
    doc = documented()
    missing = [f"{m} {p}" for m, p, _ in seen if (m, p) not in doc]
    assert not missing, "routes missing from docs/access.md:\n" + table(
        [row for row in seen if f"{row[0]} {row[1]}" in missing])
    stale = sorted(set(doc) - {(m, p) for m, p, _ in seen})
    assert not stale, f"docs/access.md lists routes that do not exist: {stale}"
    wrong = [(m, p, who, doc[(m, p)][who], allowed) for m, p, got in seen
             for who, allowed in got.items() if doc[(m, p)][who] != allowed]
    assert not wrong, "\n".join(f"{m} {p}: {who} documented {'✓' if d else '·'}, "
                                f"server {'lets through' if a else 'refuses'}"
                                for m, p, who, d, a in wrong)


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    login(client, "owner")
    r = client.post("/settings", data={"store_name": "Hijacked"})
    assert r.status_code == 403
    assert "Hijacked" not in client.get("/settings").text


@pytest.mark.parametrize("path", ["/", "/login", "/pos", "/customers", "/partners",
                                  "/analysis/activity", "/docs", "/portal", "/mailings"])
def test_security_headers_on_every_page(client: TestClient, db: Session, path: str) -> None:
    login(client, "owner")
    r = client.get(path, follow_redirects=False)
    csp = r.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"]


def test_the_route_list_is_not_empty(app: Any) -> None:
    assert len(routes(app)) > 100
