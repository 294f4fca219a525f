"""Partner API: a storefront or an accounting system manages partners, links customers,
reads balances, records payouts and reads the referrer report."""

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import CardFactory, GroupFactory
from tests.sales.helpers import product, sell
from wordofmouth.calendar import today_date
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners.models import Payout
from wordofmouth.settings import service as store_settings

D = Decimal


def partner_token(db: Session) -> dict[str, str]:
    return make_token(db, "partners:read", "partners:write", "customers:read",
                      "customers:write")


def test_set_up_a_partner_link_a_customer_and_pay_the_commission(
        client: TestClient, db: Session) -> None:
    h = partner_token(db)
    hair = GroupFactory.create(name="Hair")
    r = client.post("/api/partners", json={"name": "Salon Lily", "kind": "company",
                                           "email": "lily@example.com"}, headers=h)
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    r = client.post(f"/api/partners/{pid}/employees", json={"name": "Iryna"}, headers=h)
    iryna = r.json()["id"]
    r = client.put(f"/api/partners/{pid}/terms", headers=h, json={
        "default_rate": "5", "months": 12, "rates": [{"group_id": hair.id, "rate": "10"}],
        "milestone": {"every": 2, "minimum": "50.00", "amount": "30.00"}})
    assert r.status_code == 200, r.text
    assert r.json()["rates"] == [{"group_id": hair.id, "rate": "10.00"}]
    assert r.json()["milestone"]["amount"] == "30.00"
    r = client.post(f"/api/partners/{pid}/codes", json={"code": "lily5",
                                                        "discount_percent": "5"}, headers=h)
    assert (r.status_code, r.json()["code"]) == (201, "LILY5")

    card = CardFactory.create()
    r = client.post(f"/api/customers/{card.customer_id}/partner",
                    json={"partner_id": pid, "employee_id": iryna}, headers=h)
    assert (r.status_code, r.json()["changed"], r.json()["employee_id"]) == (200, True, iryna)
    sell(db, [(product("200.00", group_id=hair.id), "1")], card_number=card.number)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    r = client.get(f"/api/partners/{pid}/balance", headers=h)
    assert (r.json()["payable"], r.json()["paid"], r.json()["bonuses"]) == (
        "20.00", "0.00", None)

    key = {"Idempotency-Key": "payout-1"}
    body = {"amount": "15.00", "method": "bank_transfer"}
    first = client.post(f"/api/partners/{pid}/payouts", json=body, headers=h | key)
    again = client.post(f"/api/partners/{pid}/payouts", json=body, headers=h | key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert db.query(Payout).filter_by(partner_id=pid).count() == 1
    r = client.post(f"/api/partners/{pid}/payouts", json=body, headers=h)
    assert (r.status_code, r.json()["error"]) == (409, "payout_above_payable")
    r = client.post(f"/api/partners/{pid}/payouts", headers=h,
                    json=body | {"override_reason": "advance"})
    assert (r.status_code, r.json()["error"]) == (403, "payout_override_forbidden")

    today = today_date(store_settings.zone(db)).isoformat()
    rows = client.get(f"/api/partners-report?date_from={today}&date_to={today}",
                      headers=h).json()
    assert [(r["partner"], r["employee"], r["customers_attracted"], r["revenue"])
            for r in rows] == [("Salon Lily", "", 1, "200.00"), ("Salon Lily", "Iryna", 1,
                                                                  "200.00")]
    assert (rows[0]["commission_accrued"], rows[0]["paid"], rows[0]["due"]) == (
        "20.00", "15.00", "5.00")


def test_bad_partner_requests_get_a_clear_error_and_change_nothing(
        client: TestClient, db: Session) -> None:
    h = partner_token(db)
    pid = client.post("/api/partners", json={"name": "Anna"}, headers=h).json()["id"]
    other = client.post("/api/partners", json={"name": "Max"}, headers=h).json()["id"]
    stranger = client.post(f"/api/partners/{other}/employees", json={"name": "Oleh"},
                           headers=h).json()["id"]
    customer = CardFactory.create().customer_id
    cases = [
        ("post", "/api/partners", {"name": "X", "kind": "influencer"}, 422, "invalid_input"),
        ("post", "/api/partners", {"name": "X", "email": "not-an-address"}, 422,
         "invalid_input"),
        ("get", "/api/partners/999999", None, 404, "partner_not_found"),
        ("put", f"/api/partners/{pid}/terms", {"default_rate": "100.5"}, 422,
         "invalid_input"),
        ("put", f"/api/partners/{pid}/terms", {"default_rate": "-1"}, 422, "invalid_input"),
        ("post", f"/api/partners/{pid}/codes", {"code": "no spaces"}, 422,
         "malformed_partner_code"),
        # a bad length breaks the same rule as bad characters: the same answer
        ("post", f"/api/partners/{pid}/codes", {"code": "AB"}, 422, "malformed_partner_code"),
        ("post", f"/api/partners/{pid}/codes", {"code": "A" * 33}, 422,
         "malformed_partner_code"),
        ("post", f"/api/customers/{customer}/partner", {"partner_id": 999999}, 404,
         "partner_not_found"),
        ("post", f"/api/customers/{customer}/partner",
         {"partner_id": pid, "employee_id": stranger}, 422, "employee_of_another_partner"),
        ("post", f"/api/partners/{pid}/payouts",
         {"kind": "one_time", "amount": "5", "method": "cash"}, 422, "invalid_input"),
        ("post", f"/api/partners/{pid}/payouts",
         {"kind": "bonus_cash_out", "amount": "5", "method": "cash"}, 422,
         "partner_has_no_card"),
        ("post", f"/api/partners/{pid}/payouts", {"amount": "0.001", "method": "cash"}, 422,
         "invalid_input"),
        ("get", "/api/partners-report?date_from=2026-02-01&date_to=2026-01-01", None, 422,
         "invalid_input"),
    ]
    for method, url, body, status, code in cases:
        r = getattr(client, method)(url, headers=h, **({"json": body} if body else {}))
        assert (r.status_code, r.json()["error"]) == (status, code), (url, body, r.text)
    assert client.get(f"/api/customers/{customer}/partner", headers=h).status_code == 404
    assert db.query(Payout).count() == 0
    r = client.post("/api/partners", json={"name": "x"}, headers=make_token(db, "partners:read"))
    assert r.status_code == 403


def test_a_one_time_payment_shows_in_the_invoice_profit(client: TestClient,
                                                        db: Session) -> None:
    from wordofmouth.sales import service
    from wordofmouth.sales.models import SaleKind

    h = partner_token(db)
    pid = client.post("/api/partners", json={"name": "Gym"}, headers=h).json()["id"]
    item = product("80.00", cost_price=D("50.00"))
    inv = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id)], customer_id=CardFactory.create().customer_id,
        kind=SaleKind.INVOICE), actor="m", channel="office")
    r = client.post(f"/api/partners/{pid}/payouts", headers=h, json={
        "kind": "one_time", "invoice_id": inv.id, "amount": "10.00", "method": "cash"})
    assert r.status_code == 201 and r.json()["kind"] == "one_time"
    assert client.get(f"/api/invoices/{inv.id}/profit", headers=h).json() == {
        "invoice_id": inv.id, "revenue": "80.00", "cost_of_goods": "50.00",
        "expenses": "10.00", "profit": "20.00"}


def test_a_partners_promo_code_applies_through_the_one_codes_endpoint(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    from tests.partners.helpers import partner
    from tests.sales.helpers import product
    from wordofmouth.partners import codes
    from wordofmouth.partners.models import SaleAttribution

    salon = partner(db, "Salon Lily", rate="10")
    codes.create_code(db, partner_id=salon.id, code="GLOW10", discount_percent=D("10"))
    p = product("200.00")
    sale = client.post("/api/sales", headers=writer, json={
        "lines": [{"product_id": p.id}]}).json()
    applied = client.post(f"/api/sales/{sale['id']}/codes", headers=writer,
                          json={"code": "glow10"})
    assert applied.status_code == 200, applied.text
    line = applied.json()["lines"][0]
    assert (line["discount_source"], line["discount_reference"], applied.json()["net_total"]
            ) == ("partner_code", "GLOW10", "180.00")
    paid = client.post(f"/api/sales/{sale['id']}/payments", headers=writer,
                       json={"payments": [{"method": "cash", "amount": "180.00"}]})
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    # why the sale is credited, in the answer and when it is read again
    assert paid.json()["attribution"] == {"reason": "partner_code", "partner_id": salon.id,
                                          "partner": "Salon Lily", "employee": ""}
    assert applied.json()["attribution"] is None  # an open sale is not decided yet
    again = client.get(f"/api/sales/{sale['id']}", headers=writer).json()
    assert again["attribution"]["partner"] == "Salon Lily"
    row = db.get(SaleAttribution, sale["id"])
    assert row is not None and (row.reason, row.partner_id) == ("partner_code", salon.id)
    other = client.post("/api/sales", headers=writer, json={
        "lines": [{"product_id": p.id}]}).json()
    unknown = client.post(f"/api/sales/{other['id']}/codes", headers=writer,
                          json={"code": "NOPE99"})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "friend_code_unknown")
