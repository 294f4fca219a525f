from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.sales.helpers import bonus, card, give_bonus, product, sell
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.errors import InsufficientBonus
from wordofmouth.ledger.models import LedgerEntry
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.errors import (
    BonusNeedsCustomer,
    BonusShareExceeded,
    EmptySale,
    InvalidQuantity,
    PaidSaleCannotBeVoided,
    PaymentExceedsDue,
    ReturnExceedsSold,
    SaleAlreadyPaid,
    SaleNotReturnable,
    UnknownCode,
)
from wordofmouth.sales.models import PaymentMethod, SaleKind, SaleStatus
from wordofmouth.settings import service as store_settings

D = Decimal


def test_the_card_discount_applies_to_every_line(db: Session) -> None:
    c = card(discount="10")
    sale = sell(db, [(product("100.00"), "2"), (product("55.55"), "1")], card_number=c.number,
                pay=[])
    assert [ln.discount_amount for ln in sale.lines] == [D("20.00"), D("5.56")]
    assert (sale.gross_total, sale.discount_total, sale.net_total) == (
        D("255.55"), D("25.56"), D("229.99"))
    assert sale.customer_id == c.customer_id


def test_cash_over_the_total_gives_change_and_pays_the_sale(db: Session) -> None:
    sale = sell(db, [(product("87.40"), "1")], pay=[("cash", "100.00")])
    assert sale.status == SaleStatus.PAID
    assert sale.paid_total == D("87.40")
    assert sale.payments[0].tendered - sale.payments[0].amount == D("12.60")


def test_a_card_payment_over_the_due_is_refused(db: Session) -> None:
    sale = sell(db, [(product("50.00"), "1")], pay=[])
    with pytest.raises(PaymentExceedsDue):
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CARD, D("50.01"))])


def test_a_partial_payment_leaves_the_sale_open_until_the_rest_comes(db: Session) -> None:
    sale = sell(db, [(product("80.00"), "1")], pay=[("card", "30.00")])
    assert (sale.status, sale.due) == (SaleStatus.OPEN, D("50.00"))
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, D("50.00"))])
    assert sale.status == SaleStatus.PAID


def test_paying_a_paid_sale_again_is_refused(db: Session) -> None:
    sale = sell(db, [(product("10.00"), "1")])
    with pytest.raises(SaleAlreadyPaid):
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, D("10.00"))])


def test_a_paid_sale_credits_the_card_bonus_on_the_net_amount(db: Session) -> None:
    c = card(discount="10", bonus="5")
    sell(db, [(product("200.00"), "1")], card_number=c.number)
    assert bonus(db, c.customer_id) == D("9.00")  # 5 % of 180.00


def test_the_store_default_bonus_applies_when_the_card_has_none(db: Session) -> None:
    store_settings.update(db, actor="test", default_bonus_percent=D("2"))
    c = card()
    sell(db, [(product("150.00"), "1")], card_number=c.number)
    assert bonus(db, c.customer_id) == D("3.00")


def test_bonuses_pay_up_to_the_share_of_the_receipt(db: Session) -> None:
    c = card()
    give_bonus(db, c.customer_id, "500.00")
    sale = sell(db, [(product("300.00"), "1")], card_number=c.number, pay=[])
    with pytest.raises(BonusShareExceeded):
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, D("150.01"))])
    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, D("150.00")),
                               payments.PaymentDraft(PaymentMethod.CASH, D("150.00"))])
    assert sale.status == SaleStatus.PAID
    assert bonus(db, c.customer_id) == D("350.00")


def test_bonuses_cannot_pay_more_than_the_balance(db: Session) -> None:
    c = card()
    give_bonus(db, c.customer_id, "20.00")
    sale = sell(db, [(product("300.00"), "1")], card_number=c.number, pay=[])
    with pytest.raises(BonusShareExceeded, match=r"at most 20\.00"):
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, D("20.01"))])


def test_bonus_payment_needs_a_customer(db: Session) -> None:
    sale = sell(db, [(product("30.00"), "1")], pay=[])
    with pytest.raises(BonusNeedsCustomer):
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.BONUS, D("1.00"))])


def test_the_ledger_refuses_to_overdraw_even_if_the_caller_checked_a_stale_balance(
        db: Session) -> None:
    c = card()
    give_bonus(db, c.customer_id, "10.00")
    with pytest.raises(InsufficientBonus):
        ledger.post(db, ledger.Posting(
            account_kind=ledger.AccountKind.CUSTOMER_BONUS, owner_id=c.customer_id,
            amount=D("-10.01"), kind="bonus_spend", source_type="test", source_id=1,
            source_key="test:overdraw"), require_funds=True)
    assert bonus(db, c.customer_id) == D("10.00")


def test_a_partial_return_refunds_and_reverses_in_proportion(db: Session) -> None:
    c = card(bonus="10")
    give_bonus(db, c.customer_id, "100.00")
    shampoo, mask = product("100.00"), product("300.00")
    sale = sell(db, [(shampoo, "2"), (mask, "1")], card_number=c.number,
                pay=[("bonus", "100.00"), ("card", "200.00"), ("cash", "200.00")])
    assert bonus(db, c.customer_id) == D("50.00")  # 100 - 100 spent + 50 accrued
    ret = returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))],
                               actor="test")
    assert ret.net_amount == D("100.00")
    assert (ret.refund_bonus, ret.refund_card, ret.refund_cash) == (
        D("20.00"), D("40.00"), D("40.00"))
    # 20 bonuses come back, 10 % of the returned 100 is taken back: 50 + 20 - 10
    assert bonus(db, c.customer_id) == D("60.00")
    assert sale.status == SaleStatus.PARTIALLY_RETURNED


def test_returning_everything_in_parts_reverses_exactly_what_was_accrued(db: Session) -> None:
    c = card(bonus="7")
    sale = sell(db, [(product("33.33"), "3")], card_number=c.number)
    accrued = bonus(db, c.customer_id)
    assert accrued == D("7.00")
    line = sale.lines[0]
    for _ in range(3):
        returns.return_items(db, sale.id, [returns.ReturnItem(line.id, D("1"))], actor="t")
    assert bonus(db, c.customer_id) == D("0.00")
    assert sale.status == SaleStatus.RETURNED
    assert sale.returned_net == sale.net_total


def test_a_spent_bonus_makes_the_balance_negative_and_later_accruals_repay_it(
        db: Session) -> None:
    c = card(bonus="10")
    first = sell(db, [(product("500.00"), "1")], card_number=c.number)
    assert bonus(db, c.customer_id) == D("50.00")
    sell(db, [(product("100.00"), "1")], card_number=c.number,
         pay=[("bonus", "50.00"), ("cash", "50.00")])
    assert bonus(db, c.customer_id) == D("10.00")
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="t")
    assert bonus(db, c.customer_id) == D("-40.00")
    sell(db, [(product("600.00"), "1")], card_number=c.number)
    assert bonus(db, c.customer_id) == D("20.00")


def test_a_return_of_more_than_was_sold_is_refused_and_changes_nothing(db: Session) -> None:
    sale = sell(db, [(product("10.00"), "2")])
    line = sale.lines[0]
    returns.return_items(db, sale.id, [returns.ReturnItem(line.id, D("1"))], actor="t")
    with pytest.raises(ReturnExceedsSold):
        returns.return_items(db, sale.id, [returns.ReturnItem(line.id, D("1.001"))], actor="t")


def test_an_open_sale_cannot_be_returned(db: Session) -> None:
    sale = sell(db, [(product("10.00"), "1")], pay=[])
    with pytest.raises(SaleNotReturnable):
        returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))],
                             actor="t")


def test_a_paid_sale_cannot_be_voided(db: Session) -> None:
    sale = sell(db, [(product("10.00"), "1")])
    with pytest.raises(PaidSaleCannotBeVoided):
        payments.void_sale(db, sale.id, actor="t")


def test_voiding_an_open_sale_gives_back_the_bonuses_spent_on_it(db: Session) -> None:
    c = card()
    give_bonus(db, c.customer_id, "40.00")
    sale = sell(db, [(product("100.00"), "1")], card_number=c.number, pay=[("bonus", "40.00")])
    assert bonus(db, c.customer_id) == D("0.00")
    payments.void_sale(db, sale.id, actor="t")
    assert bonus(db, c.customer_id) == D("40.00")
    assert sale.status == SaleStatus.VOIDED


@pytest.mark.parametrize("qty", ["0", "-1", "0.0001", "100001"])
def test_bad_quantities_are_refused(db: Session, qty: str) -> None:
    with pytest.raises(InvalidQuantity):
        sell(db, [(product("10.00"), qty)], pay=[])


def test_an_empty_sale_is_refused(db: Session) -> None:
    with pytest.raises(EmptySale):
        service.create_sale(db, service.SaleDraft(lines=[]), actor="t", channel="api")


def test_scanning_adds_products_and_attaches_the_card(db: Session) -> None:
    c = card(discount="5")
    p = product("40.00")
    sale = service.open_sale(db, actor="t")
    service.scan(db, sale, p.barcode or "")
    service.scan(db, sale, p.barcode or "")
    message = service.scan(db, sale, c.number)
    assert c.number in message
    assert [(ln.qty, ln.net) for ln in sale.lines] == [(D("2"), D("76.00"))]
    service.scan(db, sale, f"3*{p.sku}")
    assert sale.lines[0].qty == D("5")


def test_scanning_an_unknown_code_says_so(db: Session) -> None:
    sale = service.open_sale(db, actor="t")
    with pytest.raises(UnknownCode):
        service.scan(db, sale, "0000000000000")


def test_an_invoice_is_issued_now_and_accrues_when_paid_later(db: Session) -> None:
    c = card(bonus="10")
    p = product("1000.00")
    invoice = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=p.id)], customer_id=c.customer_id,
        kind=SaleKind.INVOICE), actor="t", channel="office")
    assert (invoice.status, invoice.number[:4]) == (SaleStatus.OPEN, "INV-")
    assert bonus(db, c.customer_id) == D("0.00")
    payments.pay_invoice(db, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("400.00"))])
    assert bonus(db, c.customer_id) == D("0.00")
    payments.pay_invoice(db, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("600.00"))])
    assert invoice.status == SaleStatus.PAID
    assert bonus(db, c.customer_id) == D("100.00")


def test_every_movement_names_its_source_once(db: Session) -> None:
    c = card(bonus="5")
    sale = sell(db, [(product("100.00"), "1")], card_number=c.number)
    returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))], actor="t")
    keys = list(db.scalars(select(LedgerEntry.source_key).where(LedgerEntry.sale_id == sale.id)))
    assert sorted(keys) == sorted([f"sale:{sale.id}:card_bonus",
                                   f"return:{sale.returns[0].id}:card_bonus:customer_bonus"])
    assert ledger.verify(db) == []
    assert db.scalar(select(func.count()).select_from(LedgerEntry)
                     .where(LedgerEntry.sale_id == sale.id)) == 2


def test_voids_and_returns_are_in_the_audit_log(db: Session) -> None:
    from wordofmouth.audit import service as audit

    open_sale = sell(db, [(product("10.00"), "1")], pay=[])
    payments.void_sale(db, open_sale.id, actor="cashier-1")
    paid = sell(db, [(product("20.00"), "1")])
    returns.return_items(db, paid.id, [returns.ReturnItem(paid.lines[0].id, D("1"))],
                         actor="manager-1", reason="broken cap")
    db.flush()
    events = {(e.action, e.actor, e.target_id) for e in audit.recent(db)}
    assert ("sale.void", "cashier-1", str(open_sale.id)) in events
    assert ("sale.return", "manager-1", str(paid.id)) in events
