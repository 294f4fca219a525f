"""The ledger's named operations: each movement the other capabilities ask for, with its
account, its sign and its source key decided here and nowhere else. A source key names
the one event a movement comes from, so posting the same event twice is a no-op."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from wordofmouth.ledger.models import AccountKind, LedgerAccount, LedgerEntry
from wordofmouth.ledger.service import Posting, post
from wordofmouth.money import ZERO

BONUS = AccountKind.CUSTOMER_BONUS
PENDING = AccountKind.PARTNER_COMMISSION_PENDING
PAYABLE = AccountKind.PARTNER_COMMISSION_PAYABLE
PAID = AccountKind.PARTNER_COMMISSION_PAID


# Customers' bonuses
def spend_bonus(session: Session, *, customer_id: int, payment_id: int, sale_id: int,
                amount: Decimal, at: datetime | None = None) -> LedgerEntry | None:
    """Bonuses paying part of a receipt. One conditional update: two tills cannot spend the
    same bonus (InsufficientBonus)."""
    return post(session, Posting(
        account_kind=BONUS, owner_id=customer_id, amount=-amount, kind="bonus_spend",
        source_type="payment", source_id=payment_id,
        source_key=f"payment:{payment_id}:bonus_spend", sale_id=sale_id,
    ), require_funds=True, at=at)


def open_bonus_balance(session: Session, *, customer_id: int, amount: Decimal,
                       at: datetime | None = None) -> LedgerEntry | None:
    """The bonus balance a customer had in the store's previous program: an entry of its
    own kind (not a purchase), once per customer — a second one posts nothing."""
    key = f"customer:{customer_id}:bonus_opening"
    if session.scalar(select(exists().where(LedgerEntry.source_key == key))):
        return None
    return post(session, Posting(
        account_kind=BONUS, owner_id=customer_id, amount=amount, kind="bonus_opening",
        source_type="opening", source_id=customer_id, source_key=key,
        memo="opening balance from the previous program"), at=at)


def refund_bonus_of_return(session: Session, *, customer_id: int, return_id: int,
                           sale_id: int, amount: Decimal,
                           at: datetime | None = None) -> LedgerEntry | None:
    """Bonuses a return gives back (the part of the refund that was paid in bonuses)."""
    return post(session, Posting(
        account_kind=BONUS, owner_id=customer_id, amount=amount, kind="bonus_refund",
        source_type="return", source_id=return_id,
        source_key=f"return:{return_id}:bonus_refund", sale_id=sale_id,
    ), at=at)


def refund_bonus_of_void(session: Session, *, customer_id: int, sale_id: int, payment_id: int,
                         amount: Decimal) -> LedgerEntry | None:
    """Bonuses spent on a sale that is then voided."""
    return post(session, Posting(
        account_kind=BONUS, owner_id=customer_id, amount=amount, kind="bonus_refund",
        source_type="void", source_id=sale_id,
        source_key=f"void:{sale_id}:payment:{payment_id}", sale_id=sale_id,
    ))


def cash_out_bonus(session: Session, *, customer_id: int, payout_id: int,
                   amount: Decimal) -> LedgerEntry | None:
    """A referrer's bonuses paid out in money (InsufficientBonus beyond the balance)."""
    return post(session, Posting(
        account_kind=BONUS, owner_id=customer_id, amount=-amount, kind="bonus_cash_out",
        source_type="payout", source_id=payout_id, source_key=f"payout:{payout_id}:bonus",
    ), require_funds=True)


# Partners' commission
def mature_commission(session: Session, *, partner_id: int, sale_id: int, amount: Decimal,
                      at: datetime | None = None) -> None:
    """A sale's pending commission, its hold period over, becomes payable."""
    for kind, signed in ((PENDING, -amount), (PAYABLE, amount)):
        post(session, Posting(
            account_kind=kind, owner_id=partner_id, amount=signed, kind="commission_matured",
            source_type="maturity", source_id=sale_id, source_key=f"mature:{sale_id}:{kind}",
            sale_id=sale_id), at=at)


def reject_commission(session: Session, *, partner_id: int, sale_id: int, amount: Decimal,
                      at: datetime | None = None) -> LedgerEntry | None:
    """A sale's pending commission the owner rejected on review (a self-referral): taken
    back out of pending by a reversing entry, once per sale."""
    return post(session, Posting(
        account_kind=PENDING, owner_id=partner_id, amount=-amount, kind="commission_rejected",
        source_type="review", source_id=sale_id, source_key=f"reject:{sale_id}",
        sale_id=sale_id, memo="rejected on review"), at=at)


def reward_milestone(session: Session, *, partner_id: int, sale_id: int, number: int,
                     amount: Decimal, kind: str, at: datetime | None = None
                     ) -> LedgerEntry | None:
    """A partner's reward for their `number`-th new customer, payable at once."""
    return post(session, Posting(
        account_kind=PAYABLE, owner_id=partner_id, amount=amount, kind=kind,
        source_type="sale", source_id=sale_id, source_key=f"milestone:{partner_id}:{number}",
        sale_id=sale_id, memo=f"milestone: new customer no. {number}"), at=at)


def pay_out_commission(session: Session, *, partner_id: int, payout_id: int, amount: Decimal,
                       override: bool) -> LedgerEntry | None:
    """Commission handed to the partner leaves payable; only an override may take it below
    zero (InsufficientBonus otherwise, one conditional update)."""
    return post(session, Posting(
        account_kind=PAYABLE, owner_id=partner_id, amount=-amount, kind="payout",
        source_type="payout", source_id=payout_id, source_key=f"payout:{payout_id}:out",
    ), require_funds=not override)


SET_OFF_REFUND = "setoff_refund"


def give_back_set_off(session: Session, *, partner_id: int, sale_id: int, source_type: str,
                      source_id: int, amount: Decimal,
                      at: datetime | None = None) -> LedgerEntry | None:
    """Commission set off against an invoice comes back to payable when the invoice is
    returned (source "return") or voided unpaid (source "payment", the set-off payment): the
    partner paid for goods they no longer take, so it no longer counts as paid to them."""
    key = f"{source_type}:{source_id}:{SET_OFF_REFUND}"
    post(session, Posting(
        account_kind=PAID, owner_id=partner_id, amount=-amount, kind=SET_OFF_REFUND,
        source_type=source_type, source_id=source_id, source_key=f"{key}:paid",
        sale_id=sale_id), at=at)
    return post(session, Posting(
        account_kind=PAYABLE, owner_id=partner_id, amount=amount, kind=SET_OFF_REFUND,
        source_type=source_type, source_id=source_id, source_key=key, sale_id=sale_id), at=at)


def record_paid(session: Session, *, partner_id: int, payout_id: int, amount: Decimal,
                kind: str) -> LedgerEntry | None:
    """Money handed to a partner, whatever it paid (commission, a one-time payment, cashed
    out bonuses), counted in the partner's paid total."""
    return post(session, Posting(
        account_kind=PAID, owner_id=partner_id, amount=amount, kind=kind,
        source_type="payout", source_id=payout_id, source_key=f"payout:{payout_id}:paid"))


def is_matured(session: Session, sale_id: int) -> bool:
    """Whether a sale's commission has moved from pending to payable."""
    return session.scalar(select(exists().where(
        LedgerEntry.source_key == f"mature:{sale_id}:{PAYABLE}"))) is True


def due_to_mature(session: Session, cutoff: datetime) -> list[tuple[int, int, Decimal]]:
    """(partner, sale, pending net of returns) of each sale whose commission was accrued
    before the instant `cutoff` and has not matured yet."""
    pending = (select(LedgerAccount.owner_id, LedgerEntry.sale_id,
                      func.sum(LedgerEntry.amount).label("net"))
               .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
               .where(LedgerAccount.kind == PENDING, LedgerEntry.sale_id.is_not(None))
               .group_by(LedgerAccount.owner_id, LedgerEntry.sale_id)
               .having(func.min(LedgerEntry.created_at) < cutoff)
               .subquery())
    done = select(LedgerEntry.sale_id).where(LedgerEntry.kind == "commission_matured")
    return [(p, s, net) for p, s, net in
            session.execute(select(pending).where(pending.c.sale_id.not_in(done))).all()]


def reversed_commission(session: Session, partner_id: int, step: str) -> Decimal:
    """How much of a partner's commission returns have taken back (a positive amount)."""
    total = session.scalar(
        select(func.sum(LedgerEntry.amount))
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.owner_id == partner_id,
               LedgerAccount.kind.in_([PENDING, PAYABLE]),
               LedgerEntry.kind == f"{step}_reversal")) or ZERO
    return -total
