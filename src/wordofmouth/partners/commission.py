"""Commission: terms and rates, accrual on paid sales (pending), maturing after the hold
period (payable), reversal on returns, the partner's balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.calendar import date_of, day_of, end_of, today_date
from wordofmouth.catalog import service as catalog
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.money import ZERO
from wordofmouth.partners import rules
from wordofmouth.partners.models import (
    CommissionLine,
    CommissionRate,
    CommissionReview,
    CommissionTerms,
)
from wordofmouth.partners.service import get_partner
from wordofmouth.settings import service as store_settings
from wordofmouth.webhooks import service as webhooks

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

STEP = "partner_commission"
PENDING, PAYABLE, PAID = (AccountKind.PARTNER_COMMISSION_PENDING,
                          AccountKind.PARTNER_COMMISSION_PAYABLE,
                          AccountKind.PARTNER_COMMISSION_PAID)


def _percent(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100) or value != value.quantize(Decimal("0.01")):
        raise InvalidInput(gettext("A rate is 0–100 % with at most two decimals, not {0}.")
                           .format(value))
    return value


def set_terms(session: Session, partner_id: int, *, default_rate: Decimal,
              months: int | None, rates: dict[int, Decimal], actor: str) -> CommissionTerms:
    """The partner's default rate, rates per product group, lifetime or N months."""
    get_partner(session, partner_id)
    if months is not None and not 1 <= months <= 600:
        raise InvalidInput(gettext("The commission term is 1–600 months (or lifetime)."))
    _percent(default_rate)
    for group_id, rate in rates.items():
        catalog.get_group(session, group_id)
        _percent(rate)
    terms = session.get(CommissionTerms, partner_id) or CommissionTerms(partner_id=partner_id)
    before = {"default": str(terms.default_rate), "months": terms.months}
    terms.default_rate, terms.months = default_rate, months
    session.add(terms)
    session.execute(delete(CommissionRate).where(CommissionRate.partner_id == partner_id))
    for group_id, rate in rates.items():
        session.add(CommissionRate(partner_id=partner_id, group_id=group_id, rate=rate))
    audit.record(session, actor=actor, action="partner.rates", target_type="partner",
                 target_id=partner_id, before=before,
                 after={"default": str(default_rate), "months": months,
                        "groups": {str(g): str(r) for g, r in rates.items()}})
    session.flush()
    return terms


def terms_of(session: Session, partner_id: int) -> tuple[CommissionTerms | None,
                                                          dict[int, Decimal]]:
    terms = session.get(CommissionTerms, partner_id)
    rates = dict(session.execute(select(CommissionRate.group_id, CommissionRate.rate)
                                 .where(CommissionRate.partner_id == partner_id)).all())
    return terms, rates


def line_rates(session: Session, sale: Sale, partner_id: int) -> dict[int, Decimal]:
    """The partner's rate for each line of the sale (by its group), by line id."""
    terms, rates = terms_of(session, partner_id)
    if terms is None:
        return {}
    paths = catalog.group_paths(session, {ln.group_id for ln in sale.lines})
    return {ln.id: rules.rate_for(paths.get(ln.group_id, []), rates, terms.default_rate)
            for ln in sale.lines}


def accrue(session: Session, sale: Sale, partner_id: int) -> Decimal:
    """Accrue the partner's commission on a paid sale (pending) and keep each line's rate,
    which its return reverses at. Returns the amount."""
    by_line = line_rates(session, sale, partner_id)
    amount = rules.commission_of((ln.net, by_line[ln.id]) for ln in sale.lines
                                 if ln.id in by_line)
    session.add_all(CommissionLine(sale_line_id=line_id, sale_id=sale.id, rate=rate)
                    for line_id, rate in by_line.items())
    ledger.accrue_for_sale(session, step=STEP, account_kind=PENDING, owner_id=partner_id,
                           sale_id=sale.id, amount=amount, at=sale.paid_at,
                           memo=f"commission on {sale.number}")
    return amount


def reversal(session: Session, sale: Sale, partner_id: int, accrued: Decimal,
             sale_return_id: int, returned: list[tuple[int, int, Decimal]]) -> Decimal:
    """What the return `sale_return_id` takes back of the commission `accrued` on the sale:
    each returned line at the rate it earned (kept at accrual; the terms' rate for sales
    accrued before the rates were kept). `returned` is returns.returned_lines()."""
    kept = dict(session.execute(select(CommissionLine.sale_line_id, CommissionLine.rate)
                                .where(CommissionLine.sale_id == sale.id)).all())
    by_line = kept or line_rates(session, sale, partner_id)
    before: dict[int, Decimal] = {}
    now: dict[int, Decimal] = {}
    for return_id, line_id, net in returned:
        into = now if return_id == sale_return_id else before
        into[line_id] = into.get(line_id, ZERO) + net
    return rules.line_reversal(accrued, [
        (ln.net, by_line.get(ln.id, ZERO), before.get(ln.id, ZERO), now.get(ln.id, ZERO))
        for ln in sale.lines])


def matured(session: Session, sale_id: int) -> bool:
    return operations.is_matured(session, sale_id)


def as_of_day(session: Session, day: date) -> datetime:
    """The moment a backfill matures as of: the last moment of that store day (now, for
    today). A day after today is refused."""
    tz = store_settings.zone(session)
    now = utcnow()
    if day > today_date(tz):
        raise InvalidInput(gettext("{0} is after today: mature as of today or an earlier "
                                   "day.").format(day.isoformat()))
    return min(now, end_of(day, tz) - timedelta(microseconds=1))


def mature(session: Session, *, now: datetime | None = None) -> int:
    """Move the commission of sales paid before the hold period into payable (net of the
    returns made meanwhile). Each sale matures once: the movements' source keys name it.
    The hold counts the store's days: paid on day D with 14 days' hold, payable from the
    start of day D + 14 (local midnight, whatever the clock change)."""
    now = now or utcnow()
    tz = store_settings.zone(session)
    held = date_of(day_of(now, tz) - store_settings.get(session).hold_days)
    cutoff = end_of(held, tz)
    due = operations.due_to_mature(session, cutoff)
    on_hold = held_sales(session, [sale_id for _p, sale_id, _net in due])
    rows = [r for r in due if r[1] not in on_hold]
    for partner_id, sale_id, net in rows:
        operations.mature_commission(session, partner_id=partner_id, sale_id=sale_id,
                                     amount=net, at=now)
        webhooks.emit(session, "commission.payable", {
            "partner_id": partner_id, "sale_id": sale_id, "amount": str(net),
            "at": now.isoformat()})
    session.flush()
    return len(rows)


def held_sales(session: Session, sale_ids: list[int]) -> set[int]:
    """Which of the sales must not mature: held for review, or rejected on it
    (partners.self_referral)."""
    if not sale_ids:
        return set()
    return set(session.scalars(select(CommissionReview.sale_id).where(
        CommissionReview.sale_id.in_(sale_ids),
        CommissionReview.status.in_(["under_review", "rejected"]))))


@dataclass(frozen=True)
class Balance:
    pending: Decimal
    payable: Decimal
    reversed: Decimal
    paid: Decimal

    @property
    def due(self) -> Decimal:
        return self.payable


def balance(session: Session, partner_id: int) -> Balance:
    return Balance(pending=ledger.balance(session, PENDING, partner_id),
                   payable=ledger.balance(session, PAYABLE, partner_id),
                   reversed=operations.reversed_commission(session, partner_id, STEP),
                   paid=ledger.balance(session, PAID, partner_id))
