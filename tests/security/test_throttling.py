"""Guessing is throttled: logins (per login name) and promo codes (per user or token)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import UserFactory
from tests.friends.helpers import campaign, codes
from tests.sales.helpers import product
from tests.web.pages import login
from wordofmouth.throttle import GUESS_LIMIT


def validate(client: TestClient, headers: dict[str, str], code: str, barcode: str) -> int:
    r = client.post("/api/friend-codes/validate", headers=headers, json={
        "code": code, "lines": [{"barcode": barcode, "qty": "1"}]})
    return r.status_code


def test_guessing_friend_codes_is_throttled_per_token(client: TestClient, db: Session) -> None:
    item = product("100.00")
    _referrer, (real,) = codes(db, campaign(db))
    guesser, honest = make_token(db, "sales:write"), make_token(db, "sales:write")
    for n in range(GUESS_LIMIT):
        assert validate(client, guesser, f"2{n:011d}9", item.barcode or "") == 404
    r = client.post("/api/friend-codes/validate", headers=guesser, json={
        "code": real.code, "lines": [{"barcode": item.barcode, "qty": "1"}]})
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts"
    assert validate(client, honest, real.code, item.barcode or "") == 200  # others unaffected


def test_guessing_at_the_till_is_throttled_in_place(client: TestClient, db: Session) -> None:
    csrf = login(client, "cashier")
    for n in range(GUESS_LIMIT):
        r = client.post("/pos/scan", data={"csrf_token": csrf, "code": f"NOPE{n}"},
                        headers={"hx-request": "true"})
        assert "Nothing matches" in r.text
    r = client.post("/pos/scan", data={"csrf_token": csrf, "code": "NOPE-MORE"},
                    headers={"hx-request": "true"})
    assert "Too many unknown codes tried" in r.text


def test_logins_are_throttled(client: TestClient, db: Session) -> None:
    UserFactory(login="olena", password="right-password-1")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    statuses = []
    for _ in range(6):
        r = client.post("/login", data={"login": "olena", "password": "wrong-password",
                                        "csrf_token": token.group(1)}, follow_redirects=False)
        statuses.append(r.status_code)
    r = client.post("/login", data={"login": "olena", "password": "right-password-1",
                                    "csrf_token": token.group(1)}, follow_redirects=False)
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    assert r.status_code == 429  # even the right password waits
