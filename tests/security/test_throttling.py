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
    UserFactory.create(login="olena", password="right-password-1")
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


def test_a_stranger_slows_only_their_own_address(db: Session) -> None:
    import pytest

    from wordofmouth.auth import service as auth
    from wordofmouth.errors import DomainError

    UserFactory.create(login="owner1", role="owner", password="right-password-1")
    for _ in range(5):
        with pytest.raises(DomainError) as refused:
            auth.login(db, login="owner1", password="guess", ip="203.0.113.9")
        assert refused.value.code == "bad_credentials"
    with pytest.raises(DomainError) as held:
        auth.login(db, login="owner1", password="right-password-1", ip="203.0.113.9")
    assert held.value.code == "too_many_attempts" and "60 seconds" in held.value.detail
    user, _token = auth.login(db, login="owner1", password="right-password-1",
                              ip="198.51.100.7")  # the owner, elsewhere: not locked out
    assert user.login == "owner1"


def test_many_addresses_guessing_hold_back_only_unknown_addresses(db: Session) -> None:
    import pytest

    from wordofmouth.auth import service as auth
    from wordofmouth.errors import DomainError

    UserFactory.create(login="owner2", role="owner", password="right-password-1")
    auth.login(db, login="owner2", password="right-password-1", ip="198.51.100.7")
    for n in range(50):
        with pytest.raises(DomainError):
            auth.login(db, login="owner2", password="guess", ip=f"203.0.113.{n}")
    with pytest.raises(DomainError) as held:
        auth.login(db, login="owner2", password="right-password-1", ip="192.0.2.1")
    assert held.value.code == "too_many_attempts"
    auth.login(db, login="owner2", password="right-password-1", ip="198.51.100.7")


def test_the_owner_unlocks_a_login(client: TestClient, db: Session) -> None:
    from wordofmouth.audit.models import AuditEvent

    UserFactory.create(login="taras", role="cashier", password="right-password-1")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    for _ in range(6):
        client.post("/login", data={"login": "taras", "password": "wrong",
                                    "csrf_token": token.group(1)})
    csrf = login(client, "owner")
    users = client.get("/users").text
    assert 'id="unlock-taras"' in users and "5 failed logins" in users
    user_id = re.search(r'action="/users/(\d+)/unlock"', users)
    assert user_id is not None
    r = client.post(f"/users/{user_id.group(1)}/unlock", data={"csrf_token": csrf},
                    follow_redirects=False)
    assert r.status_code == 303
    assert 'id="unlock-taras"' not in client.get("/users").text
    assert db.query(AuditEvent).filter_by(action="user.unlock").count() == 1
    client.cookies.clear()
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    r = client.post("/login", data={"login": "taras", "password": "right-password-1",
                                    "csrf_token": token.group(1)}, follow_redirects=False)
    assert r.status_code == 303


def test_the_wait_doubles_with_each_failure_up_to_the_window() -> None:
    from datetime import UTC, datetime, timedelta

    from wordofmouth.auth.rules import Failures, wait

    now = datetime(2026, 12, 2, tzinfo=UTC)
    window = timedelta(minutes=15)

    def left(here: int) -> timedelta:
        return wait(Failures(here, now, here, False), allowed=5, window=window, now=now)

    assert [left(n) for n in (4, 5, 6, 7, 9)] == [
        timedelta(0), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
        window]
