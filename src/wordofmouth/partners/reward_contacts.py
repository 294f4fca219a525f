"""After a commission payout, each customer whose reward it paid gets a contact on their
record ("Partner reward paid: 350.00 to Salon Lily, payout #12") — seed 000. Which rewards
a payout paid: payable is paid first in, first out — the payouts so far cover the oldest
payable commission of each sale (net of its reversals) in the order it became payable."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.customers import contacts
from wordofmouth.ledger.models import LedgerAccount, LedgerEntry
from wordofmouth.ledger.operations import SET_OFF_REFUND
from wordofmouth.money import ZERO
from wordofmouth.partners.commission import PAYABLE
from wordofmouth.partners.models import Partner, Payout
from wordofmouth.sales.models import Sale
from wordofmouth.settings import service as store_settings


def paid_per_customer(session: Session, payout: Payout) -> dict[int, Decimal]:
    """How much of each customer's reward the commission payout paid (customers only: a
    walk-in's sale credited by promo code has nobody to tell)."""
    account = session.scalar(select(LedgerAccount.id).where(
        LedgerAccount.kind == PAYABLE, LedgerAccount.owner_id == payout.partner_id))
    if account is None:
        return {}
    paid_before = -(session.scalar(
        select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.account_id == account, LedgerEntry.kind == "payout",
            LedgerEntry.source_type == "payout", LedgerEntry.source_id < payout.id)) or ZERO)
    # a set-off given back (its invoice returned or voided) is paid again by a later payout
    paid_before -= session.scalar(
        select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.account_id == account, LedgerEntry.kind == SET_OFF_REFUND,
            LedgerEntry.created_at <= payout.at)) or ZERO
    credits = session.execute(
        select(LedgerEntry.sale_id, Sale.customer_id, func.sum(LedgerEntry.amount),
               func.min(LedgerEntry.id).label("first"))
        .join(Sale, Sale.id == LedgerEntry.sale_id)
        .where(LedgerEntry.account_id == account, LedgerEntry.sale_id.is_not(None),
               LedgerEntry.kind != SET_OFF_REFUND)
        .group_by(LedgerEntry.sale_id, Sale.customer_id)
        .order_by("first"))
    lo, hi = paid_before, paid_before + payout.amount
    out: dict[int, Decimal] = {}
    covered = ZERO
    for _sale, customer_id, net, _first in credits:
        if net <= 0:
            continue
        start, covered = covered, covered + net
        part = min(covered, hi) - max(start, lo)
        if part > 0 and customer_id is not None:
            out[customer_id] = out.get(customer_id, ZERO) + part
        if covered >= hi:
            break
    return out


def leave_contacts(session: Session, payout: Payout) -> int:
    """A contact for each customer whose reward the payout paid, written in the language
    the store speaks to its customers. Returns how many customers got one."""
    partner = session.get(Partner, payout.partner_id)
    assert partner is not None
    paid = paid_per_customer(session, payout)
    with i18n.use(store_settings.get(session).language):
        texts = {cid: i18n.gettext("Partner reward paid: {0} to {1}, payout #{2}")
                 .format(i18n.money(amount), partner.name, payout.id)
                 for cid, amount in paid.items()}
    return contacts.record(session, texts, kind=contacts.REWARD_PAID,
                           source_key=f"payout:{payout.id}", actor=payout.actor, at=payout.at)
