"""The club through the API: the owner's settings, the review lists a CRM reads, the
decisions it sends, and a review run for a past day (never a day after today)."""

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.club.helpers import buy, member_card, switch_on
from tests.conftest import make_token
from wordofmouth.calendar import date_of
from wordofmouth.club import service as club
from wordofmouth.settings import service as store_settings

D = Decimal


def test_settings_are_read_and_changed_by_the_owner_s_token(client: TestClient,
                                                           db: Session) -> None:
    h = make_token(db, "settings:read", "settings:write")
    r = client.patch("/api/club/settings", headers=h, json={
        "enabled": True, "discount_percent": "7.5", "accumulation_amount": "4000.00"})
    assert r.status_code == 200, r.text
    assert r.json()["discount_percent"] == "7.5" and r.json()["enabled"] is True
    assert r.json()["started_on"] == date_of(store_settings.today(db)).isoformat()
    assert client.get("/api/club/settings", headers=h).json()["accumulation_amount"] == "4000.00"
    assert club.settings(db).discount_percent == D("7.5")
    r = client.patch("/api/club/settings", headers=h, json={"discount_percent": "0"})
    assert r.status_code == 422 and club.settings(db).discount_percent == D("7.5")
    reader = make_token(db, "club:read", "club:write")
    assert client.patch("/api/club/settings", headers=reader,
                        json={"enabled": False}).status_code == 403


def test_a_crm_reads_the_candidates_and_grants_them(client: TestClient, db: Session) -> None:
    today = store_settings.today(db)
    switch_on(db, started_day=today - 10)
    card = member_card()
    buy(db, card, "5000.00", today - 2)
    h = make_token(db, "club:read", "club:write")
    r = client.post("/api/club/review", headers=h, json={"day": date_of(today - 2).isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["ran"] is True and r.json()["members"] == {"candidate_join": 1}
    again = client.post("/api/club/review", headers=h,
                        json={"day": date_of(today - 2).isoformat()})
    assert again.json()["ran"] is False  # a day is reviewed once
    (row,) = client.get("/api/club/candidates?status=candidate_join", headers=h).json()
    assert row["customer_id"] == card.customer_id and row["reached"] == "5000.00"
    assert row["customer"]  # the name, not only the id
    r = client.post("/api/club/decisions", headers=h,
                    json={"action": "grant", "customer_ids": [card.customer_id]})
    assert r.json() == {"action": "grant", "decided": 1}
    assert getattr(club.membership(db, card.customer_id), "status", None) == "member"
    r = client.post("/api/club/decisions", headers=h,
                    json={"action": "grant", "customer_ids": [card.customer_id]})
    assert r.status_code == 409 and r.json()["error"] == "not_a_candidate"


def test_no_review_for_a_day_after_today(client: TestClient, db: Session) -> None:
    switch_on(db)
    h = make_token(db, "club:write")
    tomorrow = date_of(store_settings.today(db)) + timedelta(days=1)
    r = client.post("/api/club/review", headers=h, json={"day": tomorrow.isoformat()})
    assert r.status_code == 422 and "after today" in r.json()["detail"]
    assert client.get("/api/club/candidates?status=member",
                      headers=make_token(db, "club:read")).status_code == 422
