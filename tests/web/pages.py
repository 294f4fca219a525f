"""Logging in through the real login form, and reading the CSRF token off a page."""

import re

from fastapi.testclient import TestClient

from tests.factories import UserFactory


def login(client: TestClient, role: str = "owner", password: str = "correct-horse-1",
          **user: object) -> str:
    """Log in as a new user of `role` (with `user`'s fields, such as partner_id); returns the
    session's CSRF token."""
    made = UserFactory.create(role=role, password=password, **user)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post("/login", data={"login": made.login, "password": password,
                                    "csrf_token": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/").text)


def partner_login(client: TestClient, partner_id: int) -> str:
    """Log in (a new browser) as a portal user of the partner."""
    client.cookies.clear()
    return login(client, "partner", partner_id=partner_id)


def csrf_of(html: str) -> str:
    found = re.search(r'data-csrf="([^"]+)"', html)
    assert found is not None
    return found.group(1)
