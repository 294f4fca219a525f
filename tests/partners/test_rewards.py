"""Milestone rewards, one-time payments linked to an invoice (and its profit), bonus
cash-outs."""

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.factories import CardFactory
from tests.partners.helpers import partner
from tests.sales.helpers import give_bonus, product, sell
from wordofmouth.errors import InvalidInput
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.errors import InsufficientBonus
from wordofmouth.partners import commission, errors, invoices, milestones, payouts
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CommissionTerms
from wordofmouth.sales import returns, service
from wordofmouth.sales.models import SaleKind

D = Decimal


def linked_card(db: Session, partner_id: int) -> str:
    card = CardFactory.create()
    partners.link(db, card.customer_id, partner_id, actor="cashier")
    return card.number


def test_every_third_new_customer_with_a_big_enough_first_purchase_pays_the_reward(
        db: Session) -> None:
    anna = partner(db, rate="0")
    milestones.set_milestone(db, anna.id, every=3, minimum=D("100.00"), amount=D("50.00"),
                             actor="owner")
    cards = [linked_card(db, anna.id) for _ in range(5)]
    sell(db, [(product("99.99"), "1")], card_number=cards[0])  # first purchase below minimum
    sell(db, [(product("150.00"), "1")], card_number=cards[0])  # not a first purchase any more
    assert commission.balance(db, anna.id).payable == D("0")
    for number in cards[1:4]:
        sell(db, [(product("100.00"), "1")], card_number=number)
    assert commission.balance(db, anna.id).payable == D("50.00")
    first = sell(db, [(product("300.00"), "1")], card_number=cards[4])
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="m")
    sell(db, [(product("300.00"), "1")], card_number=cards[4])  # re-purchase: counted once
    terms = db.get(CommissionTerms, anna.id)
    assert terms is not None and terms.milestone_count == 4
    assert commission.balance(db, anna.id).payable == D("50.00")  # the return keeps it
    assert ledger.verify(db) == []


def test_a_bounty_per_customer_and_walk_ins_do_not_count(db: Session) -> None:
    gym = partner(db, "Gym Olymp", rate="0")
    milestones.set_milestone(db, gym.id, every=1, minimum=D("0"), amount=D("20.00"),
                             actor="owner")
    sell(db, [(product("10.00"), "1")])  # a walk-in sale has no new customer to count
    for _ in range(2):
        sell(db, [(product("10.00"), "1")], card_number=linked_card(db, gym.id))
    assert commission.balance(db, gym.id).payable == D("40.00")


def test_milestone_settings_are_checked(db: Session) -> None:
    anna = partner(db)
    for every, minimum, amount in ((0, "0", "10"), (5, "-1", "10"), (5, "0", "0"),
                                   (5, "0", "1.005")):
        with pytest.raises(InvalidInput):
            milestones.set_milestone(db, anna.id, every=every, minimum=D(minimum),
                                     amount=D(amount), actor="owner")
    off = milestones.set_milestone(db, anna.id, every=None, minimum=D("0"), amount=D("0"),
                                   actor="owner")
    assert off.milestone_every is None


def invoice(db: Session, price: str, cost: str, qty: str = "2") -> int:
    item = product(price, cost_price=D(cost))
    card = CardFactory.create()
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=item.id, qty=D(qty))], customer_id=card.customer_id,
        kind=SaleKind.INVOICE), actor="m", channel="office")
    return sale.id


def test_a_one_time_payment_is_an_expense_of_the_invoice_and_paid_to_the_partner(
        db: Session) -> None:
    anna = partner(db, rate="0")
    invoice_id = invoice(db, "100.00", "60.00")
    payouts.pay_one_time(db, anna.id, invoice_id=invoice_id, amount=D("15.00"), method="cash",
                         actor="owner", note="reward for the customer")
    profit = invoices.profit(db, invoice_id)
    assert (profit.revenue, profit.cost, profit.expenses, profit.profit) == (
        D("200.00"), D("120.00"), D("15.00"), D("65.00"))
    balance = commission.balance(db, anna.id)
    assert (balance.paid, balance.payable) == (D("15.00"), D("0"))
    with pytest.raises(errors.NotAnInvoice):
        receipt = sell(db, [(product("10.00"), "1")])
        payouts.pay_one_time(db, anna.id, invoice_id=receipt.id, amount=D("1.00"),
                             method="cash", actor="owner")


def test_invoice_profit_counts_only_the_goods_kept(db: Session) -> None:
    from wordofmouth.sales import payments
    from wordofmouth.sales.models import PaymentMethod

    invoice_id = invoice(db, "10.00", "3.33", qty="3")
    payments.pay_invoice(db, invoice_id, [payments.PaymentDraft(PaymentMethod.BANK, D("30.00"))])
    sale = service.get_sale(db, invoice_id)
    returns.return_items(db, invoice_id, [returns.ReturnItem(sale.lines[0].id, D("1"))],
                         actor="m")
    profit = invoices.profit(db, invoice_id)
    assert (profit.revenue, profit.cost, profit.profit) == (D("20.00"), D("6.66"), D("13.34"))


def test_a_partner_rewarded_in_bonuses_cashes_them_out(db: Session) -> None:
    anna = partner(db)
    with pytest.raises(errors.NoOwnCard):
        payouts.cash_out_bonuses(db, anna.id, amount=D("1.00"), method="cash", actor="owner")
    card = CardFactory.create()
    payouts.set_own_card(db, anna.id, card.number, actor="owner")
    give_bonus(db, card.customer_id, "30.00")
    with pytest.raises(InsufficientBonus):
        payouts.cash_out_bonuses(db, anna.id, amount=D("30.01"), method="cash", actor="owner")
    payouts.cash_out_bonuses(db, anna.id, amount=D("25.00"), method="bank_transfer",
                             actor="owner")
    assert payouts.bonuses(db, anna) == D("5.00")
    assert commission.balance(db, anna.id).paid == D("25.00")
    assert [p.kind for p in payouts.payouts_of(db, anna.id)] == ["bonus_cash_out"]
    assert ledger.verify(db) == []
