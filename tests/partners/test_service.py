"""Partners: linking with history, promo codes at the till, commission, maturing, payouts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.factories import CardFactory, GroupFactory, ProductFactory
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.partners import codes, commission, errors, payouts
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import SaleAttribution
from wordofmouth.sales import returns, service

D = Decimal


def test_a_customer_is_linked_once_and_relinked_only_by_a_manager_with_a_reason(
        db: Session) -> None:
    anna, gym = partner(db), partner(db, "Gym Olymp")
    trainer = partners.add_employee(db, gym.id, name="Taras")
    customer = CardFactory.create().customer_id
    assert partners.link(db, customer, anna.id, actor="cashier")
    with pytest.raises(errors.AlreadyLinked):
        partners.link(db, customer, gym.id, actor="cashier")
    with pytest.raises(errors.RelinkNeedsReason):
        partners.link(db, customer, gym.id, actor="manager", may_relink=True)
    with pytest.raises(errors.EmployeeOfAnotherPartner):
        partners.link(db, customer, anna.id, employee_id=trainer.id, actor="m", may_relink=True,
                      reason="x")
    assert partners.link(db, customer, gym.id, employee_id=trainer.id, actor="manager",
                         may_relink=True, reason="came through the gym, entered wrongly")
    history = partners.link_history(db, customer)
    assert [(h.partner_id, h.previous_partner_id, h.reason) for h in history] == [
        (gym.id, anna.id, "came through the gym, entered wrongly"), (anna.id, None, "")]


def test_partner_codes_are_unique_whatever_the_case_and_well_formed(db: Session) -> None:
    anna = partner(db)
    codes.create_code(db, partner_id=anna.id, code="anna10", discount_percent=D("5"))
    with pytest.raises(errors.DuplicatePartnerCode):
        codes.create_code(db, partner_id=anna.id, code="ANNA10")
    with pytest.raises(errors.MalformedPartnerCode):
        codes.create_code(db, partner_id=anna.id, code="anna 10")
    with pytest.raises(InvalidInput):
        codes.create_code(db, partner_id=anna.id, code="OVER", discount_percent=D("101"))


def test_rates_outside_0_to_100_are_refused(db: Session) -> None:
    anna = partner(db)
    group = GroupFactory.create()
    with pytest.raises(InvalidInput):
        commission.set_terms(db, anna.id, default_rate=D("-1"), months=None, rates={},
                             actor="o")
    with pytest.raises(InvalidInput):
        commission.set_terms(db, anna.id, default_rate=D("5"), months=None,
                             rates={group.id: D("100.01")}, actor="o")


def test_a_partner_code_links_an_unlinked_customer_and_gives_its_discount(db: Session) -> None:
    anna = partner(db, rate="10")
    codes.create_code(db, partner_id=anna.id, code="ANNA10", discount_percent=D("5"))
    card = CardFactory.create()
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product("200.00").id)], card_number=card.number),
        actor="t", channel="pos")
    assert "Stylist Anna" in service.scan(db, sale, "anna10")  # typed in lower case
    assert (sale.lines[0].discount_source, sale.net_total) == ("partner_code", D("190.00"))
    from wordofmouth.sales import payments
    from wordofmouth.sales.models import PaymentMethod

    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.net_total)])
    attribution = db.get(SaleAttribution, sale.id)
    assert attribution is not None
    assert (attribution.reason, attribution.partner_id, attribution.commission) == (
        "partner_code", anna.id, D("19.00"))
    link = partners.link_of(db, card.customer_id)
    assert link is not None and (link.partner_id, link.source) == (anna.id, "partner_code")
    assert commission.balance(db, anna.id).pending == D("19.00")


def test_a_walk_in_sale_with_a_code_is_credited_to_the_partner_alone(db: Session) -> None:
    anna = partner(db, rate="10")
    codes.create_code(db, partner_id=anna.id, code="ANNA10")
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product("50.00").id)]), actor="t", channel="pos")
    service.scan(db, sale, "ANNA10")
    from wordofmouth.sales import payments
    from wordofmouth.sales.models import PaymentMethod

    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.net_total)])
    assert db.get(SaleAttribution, sale.id).reason == "partner_code"  # type: ignore[union-attr]
    assert commission.balance(db, anna.id).pending == D("5.00")


def test_a_customer_linked_to_another_partner_stays_with_that_partner(db: Session) -> None:
    anna, blogger = partner(db, rate="10"), partner(db, "Blogger Max", rate="20")
    codes.create_code(db, partner_id=blogger.id, code="MAX20")
    card = CardFactory.create()
    partners.link(db, card.customer_id, anna.id, actor="cashier")
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product("100.00").id)], card_number=card.number),
        actor="t", channel="pos")
    service.scan(db, sale, "MAX20")
    from wordofmouth.sales import payments
    from wordofmouth.sales.models import PaymentMethod

    payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH, sale.net_total)])
    row = db.get(SaleAttribution, sale.id)
    assert row is not None and (row.reason, row.partner_id) == ("linked_customer", anna.id)
    assert partners.link_of(db, card.customer_id).partner_id == anna.id  # type: ignore[union-attr]
    assert commission.balance(db, blogger.id).pending == D("0.00")


def test_group_rates_and_the_term_apply_to_linked_customers_purchases(db: Session) -> None:
    hair = GroupFactory.create(name="Hair")
    pro = GroupFactory.create(name="Pro", parent_id=hair.id)
    makeup = GroupFactory.create(name="Make-up")
    anna = partner(db, rate="3", months=6, rates={hair.id: D("10"), makeup.id: D("0")})
    card = CardFactory.create()
    partners.link(db, card.customer_id, anna.id, actor="cashier")
    sell(db, [(ProductFactory.create(price=D("100.00"), group_id=pro.id), "1"),
              (ProductFactory.create(price=D("300.00"), group_id=makeup.id), "1"),
              (product("50.00"), "1")], card_number=card.number)
    assert commission.balance(db, anna.id).pending == D("11.50")  # 10 + 0 + 1.50
    link = partners.link_of(db, card.customer_id)
    assert link is not None
    link.linked_at = utcnow() - timedelta(days=200)  # the 6-month term is over
    sell(db, [(product("100.00"), "1")], card_number=card.number)
    assert commission.balance(db, anna.id).pending == D("11.50")


def test_returns_inside_the_hold_reduce_pending_and_after_a_payout_make_due_negative(
        db: Session) -> None:
    anna = partner(db, rate="10")
    card = CardFactory.create()
    partners.link(db, card.customer_id, anna.id, actor="cashier")
    first = sell(db, [(product("100.00"), "2")], card_number=card.number)
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="t")
    assert commission.balance(db, anna.id).pending == D("10.00")
    assert commission.mature(db, now=utcnow() + timedelta(days=15)) == 1
    assert commission.mature(db, now=utcnow() + timedelta(days=16)) == 0  # once per sale
    b = commission.balance(db, anna.id)
    assert (b.pending, b.payable) == (D("0.00"), D("10.00"))
    payouts.pay_out(db, anna.id, amount=D("10.00"), method="cash", actor="o")
    returns.return_items(db, first.id, [returns.ReturnItem(first.lines[0].id, D("1"))],
                         actor="t")
    b = commission.balance(db, anna.id)
    assert (b.payable, b.paid, b.reversed) == (D("-10.00"), D("10.00"), D("20.00"))
    sell(db, [(product("300.00"), "1")], card_number=card.number)
    commission.mature(db, now=utcnow() + timedelta(days=15))
    assert commission.balance(db, anna.id).due == D("20.00")  # 30 earned − the 10 owed back


def test_a_payout_above_payable_needs_the_owner_and_a_reason(db: Session) -> None:
    anna = partner(db)
    with pytest.raises(errors.PayoutAbovePayable):
        payouts.pay_out(db, anna.id, amount=D("5.00"), method="cash", actor="m")
    with pytest.raises(errors.PayoutOverrideForbidden):
        payouts.pay_out(db, anna.id, amount=D("5.00"), method="cash", actor="m",
                        override_reason="advance")
    payouts.pay_out(db, anna.id, amount=D("5.00"), method="bank_transfer", actor="o",
                       may_override=True, override_reason="advance agreed by phone")
    b = commission.balance(db, anna.id)
    assert (b.payable, b.paid) == (D("-5.00"), D("5.00"))


def test_an_invoice_through_an_intermediary_pays_that_partner(db: Session) -> None:
    from wordofmouth.sales import payments
    from wordofmouth.sales.models import PaymentMethod, SaleKind

    anna, foreman = partner(db, rate="10"), partner(db, "Foreman Petro", rate="4")
    card = CardFactory.create()
    partners.link(db, card.customer_id, anna.id, actor="cashier")
    invoice = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product("1000.00").id)],
        customer_id=card.customer_id, kind=SaleKind.INVOICE), actor="m", channel="office")
    partners.set_intermediary(db, invoice.id, foreman.id)
    payments.pay_invoice(db, invoice.id, [payments.PaymentDraft(PaymentMethod.BANK,
                                                                D("1000.00"))])
    row = db.get(SaleAttribution, invoice.id)
    assert row is not None and (row.reason, row.partner_id, row.commission) == (
        "invoice_intermediary", foreman.id, D("40.00"))
    assert commission.balance(db, anna.id).pending == D("0.00")
