"""The settlement statement: every source of a partner's money in one place, paid and due,
opening and closing balance — reconciling with the balance with intermediaries to the cent."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import CardFactory, ProductFactory, UserFactory
from tests.partners.helpers import partner
from tests.sales.helpers import sell
from tests.web.pages import login
from wordofmouth.calendar import today_date
from wordofmouth.db import utcnow
from wordofmouth.demo import service as demo
from wordofmouth.partners import codes, commission, milestones, payouts, settlement
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, SaleKind
from wordofmouth.settings import service as store_settings

D = Decimal


def _salon_day(db: Session) -> int:
    """Salon Lily (10 %) with employee Iryna: a linked customer's purchase, a walk-in with
    the salon's promo code, an invoice through the salon, a milestone reward, a return, a
    payout and a one-time payment."""
    salon = partner(db, "Salon Lily", rate="10")
    salon.payment_details = "UA21 3223 1300 0002 6007 2335 6600 1"
    iryna = partners.add_employee(db, salon.id, name="Iryna")
    milestones.set_milestone(db, salon.id, every=1, minimum=D("0"), amount=D("25.00"),
                             actor="owner")
    codes.create_code(db, partner_id=salon.id, code="LILY5", employee_id=iryna.id)
    item = ProductFactory.create(name="Shampoo", price=D("500.00"))
    olena = CardFactory.create()
    partners.link(db, olena.customer_id, salon.id, actor="cashier")
    first = sell(db, [(item, "2")], card_number=olena.number)  # 100.00 + milestone 25.00
    walk_in = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id)]), actor="cashier", channel="pos")
    service.scan(db, walk_in, "LILY5")
    payments.pay(db, walk_in.id, [payments.PaymentDraft(PaymentMethod.CASH, D("500.00"))])
    invoice = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id, qty=D("4"))],
        kind=SaleKind.INVOICE), actor="manager", channel="office")
    partners.set_intermediary(db, invoice.id, salon.id)
    payments.pay_invoice(db, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("2000.00"))])
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="cashier")
    commission.mature(db, now=utcnow() + timedelta(days=15))
    payouts.pay_out(db, salon.id, amount=D("120.00"), method="bank_transfer", actor="owner")
    payouts.pay_one_time(db, salon.id, invoice_id=invoice.id, amount=D("30.00"), method="cash",
                         actor="owner", note="window display")
    return salon.id


def test_every_source_of_the_partners_money_in_one_statement(db: Session) -> None:
    salon = _salon_day(db)
    today = today_date(store_settings.zone(db))
    s = settlement.statement(db, salon, today, today)
    assert dict(s.by_source) == {
        "linked_customer": D("100.00"), "partner_code": D("50.00"), "invoice": D("200.00"),
        "storefront": D("0.00"), "milestone": D("25.00"), "reversal": D("-50.00"),
        "adjustment": D("0.00")}
    assert (s.opening, s.earned(), s.paid_from_balance, s.closing) == (
        D("0.00"), D("325.00"), D("120.00"), D("205.00"))
    assert s.reconciles
    b = commission.balance(db, salon)
    # the test matured the commission 15 days ahead: a statement to then splits it the same
    ahead = settlement.statement(db, salon, today, today + timedelta(days=20))
    assert (ahead.closing_payable, ahead.closing_pending) == (b.payable, b.pending) == (
        D("205.00"), D("0.00"))
    assert [(p.kind, p.amount) for p in s.payouts] == [("commission", D("120.00")),
                                                       ("one_time", D("30.00"))]
    # the promo code was the employee's: her subtotal stands apart from the partner's own
    assert s.employees == [("", D("275.00"), 4), ("Iryna", D("50.00"), 1)]
    # the next period opens with what this one closed with
    later = settlement.statement(db, salon, today + timedelta(days=21),
                                 today + timedelta(days=30))
    assert (later.opening, later.closing, later.movements) == (D("205.00"), D("205.00"), [])


def test_the_statement_of_every_demo_partner_reconciles_with_the_balance(db: Session) -> None:
    demo.seed_store(db, customers_count=40, sales_count=160, days=120)
    today = today_date(store_settings.zone(db))
    for p in partners.partners(db):
        s = settlement.statement(db, p.id, today - timedelta(days=400), today)
        b = commission.balance(db, p.id)
        assert s.opening == D("0.00")
        assert s.reconciles, p.name
        assert s.closing == b.pending + b.payable, p.name
        assert s.earned() - s.earned("reversal") > 0, p.name  # in-store sales count too
        assert s.paid("commission") == sum(
            (x.amount for x in payouts.payouts_of(db, p.id) if x.kind == "commission"), D(0))


def test_the_same_figures_on_the_page_in_the_portal_and_in_the_export(
        client: TestClient, db: Session) -> None:
    salon = _salon_day(db)
    login(client, "owner")
    page = client.get(f"/partners/{salon}/statement")
    assert page.status_code == 200
    assert 'id="st-closing">205.00<' in page.text and 'id="st-payable">' in page.text
    assert "UA21 3223 1300 0002 6007 2335 6600 1" in page.text
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/partners/{salon}/statement?fmt=csv").text)))
    movements = [r for r in rows if r["document"].startswith(("R-", "INV-", "RET-"))]
    assert sum(D(r["amount"]) for r in movements) == D("325.00")
    assert [r["amount"] for r in rows if r["source"] == "Commission paid out"] == ["-120.00"]
    pdf = client.get(f"/partners/{salon}/statement?fmt=pdf")
    assert pdf.content[:5] == b"%PDF-"

    client.cookies.clear()
    UserFactory.create(login="lily", role="partner", password="partner-pass-1",
                       partner_id=salon)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    client.post("/login", data={"login": "lily", "password": "partner-pass-1",
                                "csrf_token": token.group(1)})
    mine = client.get("/portal/statement")
    assert mine.status_code == 200 and 'id="st-closing">205.00<' in mine.text
