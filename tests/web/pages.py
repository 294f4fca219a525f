"""Logging in through the real login form, and reading the CSRF token off a page."""

import re

from fastapi.testclient import TestClient

from tests.factories import UserFactory


def login(client: TestClient, role: str = "owner", password: str = "correct-horse-1") -> str:
    """Log in as a new user of `role`; returns the session's CSRF token."""
    user = UserFactory.create(role=role, password=password)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post("/login", data={"login": user.login, "password": password,
                                    "csrf_token": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return csrf_of(client.get("/customers").text)


def csrf_of(html: str) -> str:
    found = re.search(r'data-csrf="([^"]+)"', html)
    assert found is not None
    return found.group(1)
