"""The tracking link /r/KEY: the click is recorded, the visitor redirected only to the
storefront, the signed cookie set for an active partner's key."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.storefront.helpers import keyed
from wordofmouth.partners import service as partners
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront import tokens
from wordofmouth.storefront.models import Click

HOME = "https://shop.example/"


def follow(client: TestClient, url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(where it redirects, the wom_ref token it sets)."""
    client.cookies.clear()
    headers = {"cookie": f"{tokens.COOKIE}={cookie}"} if cookie else {}
    r = client.get(url, headers=headers, follow_redirects=False)
    assert r.status_code == 302, r.text
    set_cookie = r.headers.get("set-cookie", "")
    token = set_cookie.split(";")[0].split("=", 1)[1] if set_cookie else None
    if token:
        assert "HttpOnly" in set_cookie and "Max-Age=2592000" in set_cookie
        assert "SameSite=Lax" in set_cookie
    return r.headers["location"], token


def partner_of(token: str | None) -> int | None:
    found = tokens.read(token) if token else None
    return found[0] if found else None


def test_keys_are_case_sensitive_and_unknown_keys_set_nothing(client: TestClient,
                                                              db: Session, app: FastAPI) -> None:
    carter = keyed(db, "Carter", "carter81")
    other = keyed(db, "Other Carter", "Carter81")
    assert partner_of(follow(client, "/r/carter81")[1]) == carter.id
    assert partner_of(follow(client, "/r/Carter81")[1]) == other.id
    assert follow(client, "/r/CARTER81") == (HOME, None)
    assert follow(client, "/r/no%20such%20key") == (HOME, None)
    assert partner_of(follow(client, "/r?ref=carter81")[1]) == carter.id
    assert partner_of(follow(client, "/r?manager_key=Carter81")[1]) == other.id
    rows = db.scalars(select(Click).order_by(Click.id)).all()  # written before the answer
    assert [(c.key, c.partner_id, c.cookie_set) for c in rows] == [
        ("carter81", carter.id, True), ("Carter81", other.id, True),
        ("carter81", carter.id, True), ("Carter81", other.id, True)]
    assert app.state.clicks.counts["unknown_keys"] == 2  # counted, never stored
    assert all(len(c.ip_hash) == 32 and c.user_agent for c in rows)


def test_an_inactive_partner_gets_the_visit_but_no_cookie(client: TestClient,
                                                          db: Session) -> None:
    gone = keyed(db, "Gone", "gone1")
    partners.update_partner(db, gone.id, actor="owner", active=False)
    assert follow(client, "/r/gone1") == (HOME, None)


def test_only_the_storefront_is_a_target(client: TestClient, db: Session) -> None:
    keyed(db, "Carter", "carter81")
    ok, _ = follow(client, "/r/carter81?to=https://shop.example/catalog/boots")
    assert ok == "https://shop.example/catalog/boots"
    for evil in ("//evil.example", "https://evil.example", "javascript:alert(1)",
                 "https://shop.example@evil.example/"):
        assert follow(client, f"/r/carter81?to={evil}")[0] == HOME


def test_the_last_click_wins_unless_the_store_chose_the_first(client: TestClient,
                                                              db: Session, app: FastAPI) -> None:
    a, b = keyed(db, "A", "alpha"), keyed(db, "B", "beta")
    _, first = follow(client, "/r/alpha")
    assert partner_of(follow(client, "/r/beta", cookie=first)[1]) == b.id
    storefront_settings.update(db, actor="owner", attribution="first")
    app.state.clicks.forget()
    assert partner_of(follow(client, "/r/beta", cookie=first)[1]) == a.id
    forged = first[:-3] + "abc" if first else "x"
    assert partner_of(follow(client, "/r/beta", cookie=forged)[1]) == b.id


def test_storefronts_that_read_ref_themselves_get_the_token(client: TestClient,
                                                            db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    r = client.get("/r/carter81?format=json", headers={"origin": "https://shop.example"})
    assert r.status_code == 200 and partner_of(r.json()["token"]) == carter.id
    assert r.headers["access-control-allow-origin"] == "https://shop.example"
    r = client.get("/r/carter81?format=json", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert client.get("/r/nobody?format=json").json() == {"token": None, "days": 30}


def test_made_up_keys_never_reach_the_database(client: TestClient, db: Session,
                                               app: FastAPI) -> None:
    keyed(db, "Carter", "carter81")
    loads = []
    original = app.state.clicks.load_keys
    def counted() -> dict[str, tuple[int, bool]]:
        loads.append(1)
        return original()

    app.state.clicks.load_keys = counted
    for n in range(100):
        assert follow(client, f"/r/made-up-{n}") == (HOME, None)
    assert partner_of(follow(client, "/r/carter81")[1]) is not None
    assert len(loads) == 1  # one load of all keys, then memory only


class BrokenWriter:
    """A database that cannot be written (disk full, read-only, gone)."""

    calls = 0

    async def write(self, rows: list[dict[str, object]]) -> None:
        self.calls += 1
        raise OSError("no space left on device")


def test_clicks_the_database_cannot_take_are_shed_not_kept(client: TestClient, db: Session,
                                                           app: FastAPI) -> None:
    keyed(db, "Carter", "carter81")
    buffer = app.state.clicks
    buffer.writer = BrokenWriter()
    for _ in range(5):
        r = client.get("/r/carter81", follow_redirects=False)
        assert r.status_code == 302 and r.headers["x-click"] == "not-recorded"
        assert r.headers["location"] == HOME  # the visitor still reaches the storefront
    assert buffer.counts["shed"] == 5 and buffer.counts["recorded"] == 0
    assert buffer.waiting == []  # nothing held in memory for a later retry
    assert db.scalars(select(Click)).all() == []


def test_a_full_queue_sheds_at_once_and_long_headers_are_cut(client: TestClient, db: Session,
                                                             app: FastAPI) -> None:
    keyed(db, "Carter", "carter81")
    buffer = app.state.clicks
    buffer.MAX_WAITING = 0  # the queue is full
    r = client.get("/r/carter81", follow_redirects=False)
    assert r.status_code == 302 and r.headers["x-click"] == "not-recorded"
    assert buffer.counts["shed"] == 1
    del buffer.MAX_WAITING
    r = client.get("/r/carter81", headers={"user-agent": "A" * 5000, "referer": "R" * 5000},
                   follow_redirects=False)
    assert r.headers["x-click"] == "recorded"
    click = db.scalars(select(Click)).one()
    assert len(click.user_agent) == 200 and len(click.referrer) == 300
