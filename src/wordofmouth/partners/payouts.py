"""Money handed to partners: commission payouts up to payable, one-time payments linked to an
invoice as an expense, and bonuses cashed out. Each is a payout row and ledger entries."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.errors import InsufficientBonus
from wordofmouth.ledger.models import AccountKind
from wordofmouth.partners import reward_contacts
from wordofmouth.partners.commission import PAYABLE
from wordofmouth.partners.errors import (
    NoOwnCard,
    NotAnInvoice,
    PayoutAbovePayable,
    PayoutOverrideForbidden,
)
from wordofmouth.partners.models import Partner, Payout
from wordofmouth.partners.service import get_partner
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import SaleKind, SaleStatus
from wordofmouth.webhooks import service as webhooks

METHODS = {"cash": "cash", "bank_transfer": "bank transfer"}
SET_OFF = "setoff"  # commission set off against an invoice the partner pays


def _payout(session: Session, partner_id: int, *, amount: Decimal, method: str, kind: str,
            actor: str, invoice_id: int | None = None, note: str = "",
            override_reason: str = "") -> Payout:
    get_partner(session, partner_id)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(gettext("A payout is a positive amount with at most two decimals."))
    if method not in METHODS and not (method == SET_OFF and invoice_id is not None):
        raise InvalidInput(gettext("Pay out in cash or by bank transfer."))
    payout = Payout(partner_id=partner_id, amount=amount, method=method, kind=kind,
                    actor=actor, invoice_id=invoice_id, note=note.strip()[:300],
                    override_reason=override_reason.strip()[:300])
    session.add(payout)
    session.flush()
    return payout


def _paid(session: Session, payout: Payout) -> None:
    operations.record_paid(session, partner_id=payout.partner_id, payout_id=payout.id,
                           amount=payout.amount, kind=payout.kind)
    audit.record(session, actor=payout.actor, action="partner.payout", kind=payout.kind,
                 target_type="partner", target_id=payout.partner_id, amount=str(payout.amount),
                 method=payout.method, invoice_id=payout.invoice_id,
                 override=payout.override_reason)
    webhooks.emit(session, "payout.recorded", {
        "payout_id": payout.id, "partner_id": payout.partner_id, "kind": payout.kind,
        "amount": str(payout.amount), "method": payout.method,
        "invoice_id": payout.invoice_id, "note": payout.note})


def _commission(session: Session, partner_id: int, *, amount: Decimal, method: str,
                actor: str, refused: str, override_reason: str = "",
                invoice_id: int | None = None, note: str = "") -> Payout:
    """A commission payout: out of payable in one conditional update (so two at once cannot
    both take the same money) unless overridden; `refused` says how much is payable."""
    override = bool(override_reason.strip())
    try:
        with session.begin_nested():  # a refused payout leaves no row behind
            payout = _payout(session, partner_id, amount=amount, method=method,
                             kind="commission", actor=actor, override_reason=override_reason,
                             invoice_id=invoice_id, note=note)
            operations.pay_out_commission(session, partner_id=partner_id, payout_id=payout.id,
                                          amount=amount, override=override)
    except InsufficientBonus as exc:
        raise PayoutAbovePayable(refused.format(
            ledger.balance(session, PAYABLE, partner_id))) from exc
    _paid(session, payout)
    reward_contacts.leave_contacts(session, payout)
    return payout


def pay_out(session: Session, partner_id: int, *, amount: Decimal, method: str, actor: str,
            may_override: bool = False, override_reason: str = "") -> Payout:
    """Pay commission. It cannot exceed what is payable unless an owner overrides it with a
    reason (`may_override`: the partners:override permission, decided by the caller)."""
    if override_reason.strip() and not may_override:
        raise PayoutOverrideForbidden()
    return _commission(session, partner_id, amount=amount, method=method, actor=actor,
                       override_reason=override_reason, refused=gettext(
                           "Only {0} is payable; an owner can pay more with a reason."))


def set_off(session: Session, partner_id: int, *, invoice_id: int, invoice_number: str,
            amount: Decimal, actor: str) -> Payout:
    """Pay part of an invoice the partner owes with their payable commission: a commission
    payout by set-off, linked to the invoice. Never more than is payable, and no override:
    an owner who wants to give more credit pays it out first."""
    return _commission(session, partner_id, amount=amount, method=SET_OFF, actor=actor,
                       invoice_id=invoice_id, note=invoice_number, refused=gettext(
                           "Only {0} of the partner's commission is payable: set off at "
                           "most that."))


def pay_one_time(session: Session, partner_id: int, *, invoice_id: int, amount: Decimal,
                 method: str, actor: str, note: str = "") -> Payout:
    """A one-time reward to the partner, linked to an invoice as an expense: it counts as
    paid to the partner and lowers the invoice's profit; it does not touch payable."""
    invoice = sales.find_sale(session, invoice_id)
    if invoice is None or invoice.kind != SaleKind.INVOICE or invoice.status == SaleStatus.VOIDED:
        raise NotAnInvoice(f"INV-{invoice_id:06d} is not an invoice that can carry expenses.")
    payout = _payout(session, partner_id, amount=amount, method=method, kind="one_time",
                     actor=actor, invoice_id=invoice_id, note=note)
    _paid(session, payout)
    return payout


def set_own_card(session: Session, partner_id: int, card_number: str, *, actor: str) -> Partner:
    """The partner's own customer card (empty: none): bonuses earned on it, for instance by
    Refer a Friend, can be cashed out as a payout."""
    partner = get_partner(session, partner_id)
    customer_id = (customers.card_by_number(session, card_number).customer_id
                   if card_number.strip() else None)
    if customer_id != partner.customer_id:
        audit.record(session, actor=actor, action="partner.own_card", target_type="partner",
                     target_id=partner_id, before=partner.customer_id, after=customer_id)
    partner.customer_id = customer_id
    session.flush()
    return partner


def bonuses(session: Session, partner: Partner) -> Decimal | None:
    """The bonus balance of the partner's own card, or None without one."""
    if partner.customer_id is None:
        return None
    return ledger.balance(session, AccountKind.CUSTOMER_BONUS, partner.customer_id)


def cash_out_bonuses(session: Session, partner_id: int, *, amount: Decimal, method: str,
                     actor: str) -> Payout:
    """Turn the partner's bonuses into money: the bonuses leave the card (never more than
    it holds, one conditional update) and the amount counts as paid to the partner."""
    partner = get_partner(session, partner_id)
    if partner.customer_id is None:
        raise NoOwnCard(gettext("{0} has no customer card of their own to hold bonuses.")
                        .format(partner.name))
    try:
        with session.begin_nested():
            payout = _payout(session, partner_id, amount=amount, method=method,
                             kind="bonus_cash_out", actor=actor)
            operations.cash_out_bonus(session, customer_id=partner.customer_id,
                                      payout_id=payout.id, amount=amount)
    except InsufficientBonus as exc:
        raise InsufficientBonus(
            gettext("The card holds {0} in bonuses.").format(bonuses(session, partner))) from exc
    _paid(session, payout)
    return payout


def record(session: Session, partner_id: int, *, kind: str, amount: Decimal, method: str,
           actor: str, may_override: bool = False, override_reason: str = "",
           invoice_id: int | None = None, note: str = "") -> Payout:
    """Money handed to the partner, of any kind: commission (pay_out), a one-time payment
    against an invoice (pay_one_time) or their bonuses cashed out (cash_out_bonuses)."""
    if kind == "commission":
        return pay_out(session, partner_id, amount=amount, method=method, actor=actor,
                       may_override=may_override, override_reason=override_reason)
    if kind == "one_time":
        if invoice_id is None:
            raise NotAnInvoice(gettext("A one-time payment names its invoice."))
        return pay_one_time(session, partner_id, invoice_id=invoice_id, amount=amount,
                            method=method, actor=actor, note=note)
    return cash_out_bonuses(session, partner_id, amount=amount, method=method, actor=actor)


def payouts_of(session: Session, partner_id: int, *, limit: int = 100) -> list[Payout]:
    return list(session.scalars(select(Payout).where(Payout.partner_id == partner_id)
                                .order_by(Payout.id.desc()).limit(limit)))


def expenses_of(session: Session, invoice_id: int) -> list[Payout]:
    return list(session.scalars(select(Payout).where(Payout.invoice_id == invoice_id,
                                                     Payout.kind == "one_time")
                                .order_by(Payout.id)))
