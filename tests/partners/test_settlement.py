"""The settlement statement: every source of a partner's money in one place, paid and due,
opening and closing balance — reconciling with the balance with intermediaries to the cent."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.partners.helpers import salon_day
from tests.web.pages import login, partner_login
from wordofmouth.calendar import today_date
from wordofmouth.demo import service as demo
from wordofmouth.partners import commission, payouts, settlement
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings

D = Decimal


def test_every_source_of_the_partners_money_in_one_statement(db: Session) -> None:
    salon = salon_day(db)
    today = today_date(store_settings.zone(db))
    s = settlement.statement(db, salon, today, today)
    assert dict(s.by_source) == {
        "linked_customer": D("100.00"), "partner_code": D("50.00"), "invoice": D("200.00"),
        "storefront": D("0.00"), "milestone": D("25.00"), "reversal": D("-50.00"),
        "rejected": D("0.00"), "set_off_refund": D("0.00"), "adjustment": D("0.00")}
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
    salon = salon_day(db)
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

    partner_login(client, salon)
    mine = client.get("/portal/statement")
    assert mine.status_code == 200 and 'id="st-closing">205.00<' in mine.text
