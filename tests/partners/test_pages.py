"""Partner pages: the directory, terms, codes, linking in the customer card, payouts."""

from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, GroupFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.web.pages import login
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import Partner

D = Decimal


def test_the_owner_sets_up_a_partner_with_employees_rates_and_a_code(
        client: TestClient, db: Session) -> None:
    hair = GroupFactory.create(name="Hair")
    csrf = login(client, "owner")
    r = client.post("/partners", data={"csrf_token": csrf, "name": "Salon Lily",
                                       "kind": "company", "active": "on"})
    assert r.status_code == 200 and "Partner Salon Lily added" in r.text
    pid = db.query(Partner).filter_by(name="Salon Lily").one().id
    for name in ("Anna", "Iryna"):
        client.post(f"/partners/{pid}/employees", data={"csrf_token": csrf, "name": name})
    r = client.post(f"/partners/{pid}/terms", data={"csrf_token": csrf, "default_rate": "3",
                                                    "months": "12", f"rate_{hair.id}": "10"})
    assert "Commission terms saved" in r.text
    terms, rates = commission.terms_of(db, pid)
    assert terms is not None and (terms.default_rate, terms.months, rates) == (
        D("3"), 12, {hair.id: D("10")})
    r = client.post(f"/partners/{pid}/codes", data={"csrf_token": csrf, "code": "lily5",
                                                    "discount_percent": "5"})
    assert "Promo code LILY5 added" in r.text
    r = client.post(f"/partners/{pid}/codes", data={"csrf_token": csrf, "code": "LILY5",
                                                    "discount_percent": "5"})
    assert r.status_code == 409 and "exists already" in r.text
    r = client.post(f"/partners/{pid}/terms", data={"csrf_token": csrf, "default_rate": "120"})
    assert r.status_code == 422


def test_a_cashier_links_a_customer_but_only_a_manager_relinks(
        client: TestClient, db: Session) -> None:
    anna, gym = partner(db), partner(db, "Gym")
    customer = CardFactory.create().customer_id
    csrf = login(client, "cashier")
    r = client.post(f"/customers/{customer}/partner", data={"csrf_token": csrf,
                                                           "partner_id": str(anna.id)})
    assert "Linked to the partner" in r.text and "Stylist Anna" in r.text
    r = client.post(f"/customers/{customer}/partner", data={"csrf_token": csrf,
                                                           "partner_id": str(gym.id)})
    assert r.status_code == 409
    client.cookies.clear()
    csrf = login(client, "manager")
    r = client.post(f"/customers/{customer}/partner", data={
        "csrf_token": csrf, "partner_id": str(gym.id), "reason": "the gym sent her"})
    assert r.status_code == 200 and "the gym sent her" in r.text
    assert partners.link_of(db, customer).partner_id == gym.id  # type: ignore[union-attr]


def test_the_balance_page_pays_out_up_to_payable(client: TestClient, db: Session) -> None:
    anna = partner(db, rate="10")
    card = CardFactory.create()
    partners.link(db, card.customer_id, anna.id, actor="cashier")
    sell(db, [(product("500.00"), "1")], card_number=card.number)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    csrf = login(client, "manager")
    page = client.get("/partners-balance")
    assert page.status_code == 200 and "50.00" in page.text
    r = client.post(f"/partners/{anna.id}/payouts", data={"csrf_token": csrf,
                                                          "amount": "60", "method": "cash"})
    assert r.status_code == 409 and "Only 50.00 is payable" in r.text
    r = client.post(f"/partners/{anna.id}/payouts", data={"csrf_token": csrf,
                                                          "amount": "50", "method": "cash"})
    assert "Paid 50.00" in r.text
    assert commission.balance(db, anna.id).paid == D("50.00")


def test_the_referrer_report_counts_per_partner_and_employee_and_exports(
        client: TestClient, db: Session) -> None:
    import io

    from openpyxl import load_workbook

    anna = partner(db, rate="10")
    stylist = partners.add_employee(db, anna.id, name="Iryna")
    for employee in (stylist.id, None):
        card = CardFactory.create()
        partners.link(db, card.customer_id, anna.id, employee_id=employee, actor="c")
        sell(db, [(product("200.00"), "1")], card_number=card.number)
    CardFactory.create()  # a customer nobody brought
    login(client, "manager")
    page = client.get("/partners/report")
    assert page.status_code == 200
    assert "Stylist Anna" in page.text and "Iryna" in page.text and "40.00" in page.text
    sheet = load_workbook(io.BytesIO(client.get("/partners/report?fmt=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Stylist Anna" and not r[1])
    assert total[2:8] == (2, 2, 2, D("400.00"), D("0.00"), D("40.00"))
    employee = next(r for r in rows if r[1] == "Iryna")  # rewards, paid, due: the partner's
    assert employee[2] == 1 and all(v in (None, "") for v in employee[8:])
    drill = client.get(f"/partners/{anna.id}/customers?employee={stylist.id}")
    assert drill.status_code == 200 and drill.text.count("/customers/") >= 1


def test_the_owner_sets_a_milestone_records_an_invoice_expense_and_cashes_out_bonuses(
        client: TestClient, db: Session) -> None:
    from tests.sales.helpers import give_bonus
    from wordofmouth.sales import service
    from wordofmouth.sales.models import SaleKind

    anna = partner(db)
    csrf = login(client, "owner")
    r = client.post(f"/partners/{anna.id}/milestone", data={
        "csrf_token": csrf, "every": "5", "minimum": "100", "amount": "250"})
    assert "Milestone reward saved" in r.text and "0 new customer(s) counted" in r.text
    assert client.post(f"/partners/{anna.id}/milestone", data={
        "csrf_token": csrf, "every": "0", "amount": "1"}).status_code == 422

    item = product("100.00", cost_price=D("40.00"))
    buyer = CardFactory.create()
    inv = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id)], customer_id=buyer.customer_id,
        kind=SaleKind.INVOICE), actor="m", channel="office")
    r = client.post(f"/invoices/{inv.id}/expenses", data={
        "csrf_token": csrf, "partner_id": str(anna.id), "amount": "25", "method": "cash",
        "note": "reward for the customer"})
    assert "as an expense of this invoice" in r.text
    assert "reward for the customer" in r.text and ">35.00<" in r.text  # 100 − 40 − 25
    assert "35.00" in client.get("/invoices").text

    own = CardFactory.create()
    give_bonus(db, own.customer_id, "40.00")
    r = client.post(f"/partners/{anna.id}/own-card", data={"csrf_token": csrf,
                                                            "card": own.number})
    assert "Own card saved" in r.text and "40.00" in r.text
    r = client.post(f"/partners/{anna.id}/cash-out", data={"csrf_token": csrf,
                                                            "amount": "50", "method": "cash"})
    assert r.status_code == 409 and "holds 40.00" in r.text
    r = client.post(f"/partners/{anna.id}/cash-out", data={"csrf_token": csrf,
                                                            "amount": "40", "method": "cash"})
    assert "Cashed out 40.00 in bonuses" in r.text
    page = client.get(f"/partners/{anna.id}").text
    assert "<title>Stylist Anna · wordofmouth</title>" in page
    assert "bonuses cashed out" in page and "one-time payment, expense of" in page
    assert commission.balance(db, anna.id).paid == D("65.00")


def test_the_receipt_page_says_whom_the_sale_is_credited_to(client: TestClient,
                                                            db: Session) -> None:
    from tests.factories import CardFactory
    from tests.partners.helpers import partner
    from tests.sales.helpers import product, sell
    from wordofmouth.partners import service as partners

    salon = partner(db, "Salon Lily")
    iryna = partners.add_employee(db, salon.id, name="Iryna")
    card = CardFactory.create()
    partners.link(db, card.customer_id, salon.id, employee_id=iryna.id, actor="cashier")
    sale = sell(db, [(product("100.00"), "1")], card_number=card.number)
    login(client, "manager")
    page = client.get(f"/sales/{sale.id}").text
    credited = page.split('id="receipt-attribution">')[1].split("</div>")[0]
    assert "Salon Lily" in credited and "(Iryna)" in credited
    assert "the partner&#39;s customer" in credited or "the partner's customer" in credited
