"""The partner program's further actions through the API: offers, commission held for
review, maturing for a backfill day, the partner's own card, an employee's changes, a
customer's link history and the reward statement (data, PDF, e-mail)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, CustomerFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.calendar import today_date
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

D = Decimal
ALL = ("partners:read", "partners:write", "partners:override", "customers:read")


def test_offers_own_card_and_an_employee_s_changes(client: TestClient, db: Session) -> None:
    anna = partner(db)
    iryna = partners.add_employee(db, anna.id, name="Iryna", phone="+380501112233")
    h = make_token(db, *ALL)
    r = client.post(f"/api/partners/{anna.id}/offers", headers=h, json={
        "name": "Spring skin care", "discount_percent": "15", "employee_id": iryna.id,
        "valid_to": "2027-03-31"})
    assert r.status_code == 201, r.text
    offer = r.json()
    assert offer["active"] and offer["valid_to"] == "2027-03-31"
    r = client.patch(f"/api/partners/{anna.id}/offers/{offer['id']}", headers=h,
                     json={"active": False})
    assert r.json()["active"] is False
    listed = client.get(f"/api/partners/{anna.id}/offers", headers=h).json()
    assert [(o["name"], o["active"]) for o in listed] == [("Spring skin care", False)]
    card = CardFactory.create()
    r = client.put(f"/api/partners/{anna.id}/own-card", headers=h,
                   json={"card_number": card.number})
    assert r.json()["customer_id"] == card.customer_id
    r = client.put(f"/api/partners/{anna.id}/own-card", headers=h,
                   json={"card_number": "0000000000000"})
    assert r.status_code == 404 and r.json()["error"] == "card_not_found"
    r = client.patch(f"/api/partners/{anna.id}/employees/{iryna.id}", headers=h,
                     json={"active": False})
    assert r.json()["active"] is False and r.json()["phone"] == "+380501112233"  # kept
    r = client.patch(f"/api/partners/{anna.id}/employees/999999", headers=h,
                     json={"active": False})
    assert r.json()["error"] == "employee_not_found"


def test_held_commission_is_decided_and_a_past_day_matures(client: TestClient,
                                                            db: Session) -> None:
    gym = partner(db, "Gym Olymp")
    gym.phone = "067 975 76 31"
    same = CustomerFactory.create(phone="+380679757631")
    honest = CustomerFactory.create(phone="+380501112233")
    for c in (same, honest):
        partners.link(db, c.id, gym.id, actor="cashier")
        sell(db, [(product("1000.00"), "1")],
             card_number=CardFactory.create(customer_id=c.id).number)
    h = make_token(db, *ALL)
    (held,) = client.get(f"/api/partners/{gym.id}/reviews", headers=h).json()
    assert held["reason"] == "partner_phone"
    manager = make_token(db, "partners:read", "partners:write")
    assert client.post(f"/api/partners/{gym.id}/reviews/{held['sale_id']}", headers=manager,
                       json={"decision": "reject"}).status_code == 403
    r = client.post(f"/api/partners/{gym.id}/reviews/{held['sale_id']}", headers=h,
                    json={"decision": "reject"})
    assert r.json()["status"] == "rejected"
    assert commission.balance(db, gym.id).pending == D("100.00")
    today = today_date(store_settings.zone(db))
    r = client.post("/api/commission/mature", headers=h, json={"day": today.isoformat()})
    assert r.json() == {"matured": 0}  # paid today: on hold for 14 days
    later = today + timedelta(days=15)
    r = client.post("/api/commission/mature", headers=h, json={"day": later.isoformat()})
    assert r.status_code == 422 and "after today" in r.json()["detail"]
    assert commission.balance(db, gym.id).payable == D("0.00")


def test_the_statement_as_data_and_as_a_pdf_and_sent_by_e_mail(client: TestClient,
                                                               db: Session) -> None:
    anna = partner(db, rate="10")
    anna.email = "anna@example.com"
    c = CardFactory.create()
    partners.link(db, c.customer_id, anna.id, actor="cashier")
    sell(db, [(product("400.00"), "1")], card_number=c.number)
    h = make_token(db, *ALL)
    today = today_date(store_settings.zone(db)).isoformat()
    r = client.get(f"/api/partners/{anna.id}/statement?date_from={today}&date_to={today}",
                   headers=h)
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["partner"] == "Stylist Anna" and st["earned"]["linked_customer"] == "40.00"
    assert st["closing_pending"] == "40.00" and st["opening"] == "0.00"
    (move,) = st["movements"]
    assert move["source"] == "linked_customer" and move["base"] == "400.00"
    pdf = client.get(f"/api/partners/{anna.id}/statement?date_from={today}&date_to={today}"
                     "&format=pdf", headers=h)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    r = client.post(f"/api/partners/{anna.id}/statement/email", headers=h,
                    json={"date_from": today, "date_to": today})
    assert r.status_code == 201 and "Stylist Anna" in r.json()["name"]
    backwards = client.get(f"/api/partners/{anna.id}/statement?date_from={today}"
                           "&date_to=2020-01-01", headers=h)
    assert backwards.status_code == 422


def test_a_customer_s_link_history_names_the_partners(client: TestClient,
                                                      db: Session) -> None:
    anna, gym = partner(db), partner(db, "Gym Olymp")
    c = CustomerFactory.create()
    partners.link(db, c.id, anna.id, actor="cashier")
    partners.link(db, c.id, gym.id, actor="owner", may_relink=True, reason="moved to the gym")
    rows = client.get(f"/api/customers/{c.id}/partner/history",
                      headers=make_token(db, "customers:read")).json()
    assert [(r["partner"], r["previous_partner"], r["reason"]) for r in rows] == [
        ("Gym Olymp", "Stylist Anna", "moved to the gym"), ("Stylist Anna", "", "")]
