"""An invoice the intermediary pays (seed 000: "who pays for the goods — the intermediary or
the customer"), paid by setting off the partner's payable commission: payable goes down,
paid goes up, the statement reconciles, and a return or a void gives the set-off back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.factories import CardFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.calendar import today_date
from wordofmouth.customers import contacts
from wordofmouth.db import utcnow
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import commission, errors, payouts, settlement
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, Sale, SaleKind
from wordofmouth.settings import service as store_settings

D = Decimal


def _salon_with_payable(db: Session) -> tuple[int, int]:
    """Salon Lily (10 %) whose linked customer Olena bought for 3000.00: 300.00 payable."""
    salon = partner(db, "Salon Lily", rate="10")
    olena = CardFactory.create()
    partners.link(db, olena.customer_id, salon.id, actor="cashier")
    sell(db, [(product("3000.00"), "1")], card_number=olena.number)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    assert commission.balance(db, salon.id).payable == D("300.00")
    return salon.id, olena.customer_id


def _invoice(db: Session, salon: int, price: str, *, partner_pays: bool = True) -> Sale:
    invoice = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product(price).id, qty=D("2"))],
        kind=SaleKind.INVOICE), actor="manager", channel="office")
    partners.set_intermediary(db, invoice.id, salon, partner_pays=partner_pays)
    return invoice


def _set_off(amount: str) -> payments.PaymentDraft:
    return payments.PaymentDraft(PaymentMethod.SETOFF, D(amount))


def test_the_salon_pays_its_invoice_with_its_commission_and_the_rest_by_bank(
        db: Session) -> None:
    salon, olena = _salon_with_payable(db)
    invoice = _invoice(db, salon, "400.00")  # 800.00; the salon earns 80.00 on it
    paid = payments.pay_invoice(db, invoice.id, [_set_off("300.00"),
                                                 payments.PaymentDraft(PaymentMethod.BANK,
                                                                       D("500.00"))])
    assert paid.status == "paid"
    b = commission.balance(db, salon)
    assert (b.payable, b.pending, b.paid) == (D("0.00"), D("80.00"), D("300.00"))
    [payout] = payouts.payouts_of(db, salon)
    assert (payout.method, payout.kind, payout.amount, payout.invoice_id, payout.note) == (
        "setoff", "commission", D("300.00"), invoice.id, invoice.number)
    # a set-off is not an expense of the invoice (that is a one-time payment)
    assert payouts.expenses_of(db, invoice.id) == []
    # Olena's reward was paid by the set-off: she hears of it as of any payout
    assert [c.text for c in contacts.of(db, olena)] == [
        f"Виплачено винагороду партнеру Salon Lily: 300,00, виплата №{payout.id}"]
    today = today_date(store_settings.zone(db))
    s = settlement.statement(db, salon, today, today)
    assert [(p.kind, p.amount) for p in s.payouts] == [("set_off", D("300.00"))]
    assert (s.earned(), s.paid_from_balance, s.closing) == (D("380.00"), D("300.00"),
                                                            D("80.00"))
    assert s.reconciles
    assert ledger.verify(db) == []


def test_no_more_than_is_payable_is_set_off_and_a_refused_set_off_changes_nothing(
        db: Session) -> None:
    salon, _ = _salon_with_payable(db)
    invoice = _invoice(db, salon, "400.00")
    with pytest.raises(errors.PayoutAbovePayable,
                       match=r"Only 300\.00 of the partner's commission is payable"), \
            db.begin_nested():  # rolled back, as the request's transaction is
        payments.pay_invoice(db, invoice.id, [_set_off("300.01")])
    assert commission.balance(db, salon).payable == D("300.00")
    assert service.get_sale(db, invoice.id).paid_total == D("0.00")
    assert payouts.payouts_of(db, salon) == []


def test_an_invoice_the_customer_pays_and_a_receipt_refuse_a_set_off(db: Session) -> None:
    salon, _ = _salon_with_payable(db)
    customer_pays = _invoice(db, salon, "400.00", partner_pays=False)
    with pytest.raises(errors.SetOffNotAllowed), db.begin_nested():
        payments.pay_invoice(db, customer_pays.id, [_set_off("100.00")])
    receipt = sell(db, [(product("100.00"), "1")], pay=[])
    with pytest.raises(errors.SetOffNotAllowed), db.begin_nested():
        payments.pay(db, receipt.id, [_set_off("100.00")])
    assert commission.balance(db, salon).payable == D("300.00")


def test_a_return_gives_the_set_off_part_back_to_payable(db: Session) -> None:
    salon, _ = _salon_with_payable(db)
    invoice = _invoice(db, salon, "400.00")
    payments.pay_invoice(db, invoice.id, [_set_off("200.00"),
                                          payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("600.00"))])
    # one of the two items comes back: half of each way it was paid
    ret = returns.return_items(db, invoice.id, [returns.ReturnItem(invoice.lines[0].id, D("1"))],
                               actor="manager")
    assert (ret.refund_setoff, ret.refund_bank) == (D("100.00"), D("300.00"))
    b = commission.balance(db, salon)
    # 300 - 200 set off + 100 given back; the invoice's commission 80.00 less its half 40.00;
    # what the salon was paid is what it kept: 100.00 of goods
    assert (b.payable, b.pending, b.paid) == (D("200.00"), D("40.00"), D("100.00"))
    today = today_date(store_settings.zone(db))
    s = settlement.statement(db, salon, today, today)
    assert dict(s.by_source)["set_off_refund"] == D("100.00")
    assert s.reconciles and s.closing == b.payable + b.pending
    assert ledger.verify(db) == []


def test_voiding_a_part_paid_invoice_gives_the_set_off_back(db: Session) -> None:
    salon, _ = _salon_with_payable(db)
    invoice = _invoice(db, salon, "400.00")
    payments.pay_invoice(db, invoice.id, [_set_off("250.00")])
    assert commission.balance(db, salon).payable == D("50.00")
    payments.void_sale(db, invoice.id, actor="manager")
    b = commission.balance(db, salon)
    assert (b.payable, b.pending, b.paid) == (D("300.00"), D("0.00"), D("0.00"))
    today = today_date(store_settings.zone(db))
    assert settlement.statement(db, salon, today, today).reconciles
    assert ledger.verify(db) == []
