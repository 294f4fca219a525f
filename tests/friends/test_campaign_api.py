"""A Refer a Friend campaign set up through the API (the owner's settings), then its codes
issued and used as the till would."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, GroupFactory


def test_the_owner_creates_a_campaign_and_switches_it_off(client: TestClient,
                                                          db: Session) -> None:
    owner = make_token(db, "settings:write", "sales:write", "customers:write")
    hair = GroupFactory.create(name="Hair")
    r = client.post("/api/friend-campaigns", headers=owner, json={
        "name": "Spring friends", "validity_days": 30, "friend_discount_percent": "10",
        "bonus_rule": "percent_max", "bonus_percent": "5", "bonus_max": "100.00",
        "min_purchase": "300.00", "group_id": hair.id, "start_date": "2026-11-01"})
    assert r.status_code == 201, r.text
    c = r.json()
    assert (c["start_date"], c["bonus_rule"], c["group_id"]) == ("2026-11-01", "percent_max",
                                                                 hair.id)
    referrer = CardFactory.create()
    r = client.post(f"/api/customers/{referrer.customer_id}/friend-codes", headers=owner,
                    json={"campaign_id": c["id"], "count": 2})
    assert r.status_code == 201 and len(r.json()) == 2
    r = client.patch(f"/api/friend-campaigns/{c['id']}", headers=owner, json={"active": False})
    assert r.json()["active"] is False and r.json()["min_purchase"] == "300.00"  # the rest kept
    listed = client.get("/api/friend-campaigns", headers=owner).json()
    assert [(x["name"], x["active"]) for x in listed] == [("Spring friends", False)]
    bad = client.post("/api/friend-campaigns", headers=owner, json={
        "name": "Bad", "validity_days": 30, "friend_discount_percent": "10",
        "bonus_rule": "fixed"})  # a fixed bonus of nothing
    assert bad.status_code == 422 and "amount above zero" in bad.json()["detail"]
    manager = make_token(db, "sales:write", "partners:write")
    assert client.post("/api/friend-campaigns", headers=manager, json={
        "name": "X", "validity_days": 1, "friend_discount_percent": "1", "bonus_rule": "fixed",
        "bonus_amount": "1.00"}).status_code == 403
