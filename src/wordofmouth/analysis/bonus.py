"""Analysis → Bonus movement: every bonus movement, and the Refer a Friend view (read-only,
set-wise queries over the ledger and the friend codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from wordofmouth.calendar import end_of, start_of
from wordofmouth.customers.models import Customer
from wordofmouth.friends.models import FriendCampaign, FriendCode
from wordofmouth.ledger.models import AccountKind, LedgerAccount, LedgerEntry
from wordofmouth.money import ZERO
from wordofmouth.settings import service as store_settings


def _moment(d: date | None, tz: ZoneInfo, *, end: bool = False) -> datetime | None:
    if d is None:
        return None
    return end_of(d, tz) if end else start_of(d, tz)


@dataclass(frozen=True)
class Movement:
    id: int
    at: datetime
    customer_id: int
    customer: str
    kind: str
    source_type: str
    source_id: int
    sale_id: int | None
    amount: Decimal
    memo: str


def movements(session: Session, *, customer_id: int | None = None,
              date_from: date | None = None, date_to: date | None = None,
              kind: str | None = None, source: str | None = None, limit: int = 100,
              offset: int = 0) -> list[Movement]:
    tz = store_settings.zone(session)
    stmt = (select(LedgerEntry, LedgerAccount.owner_id, Customer.first_name, Customer.last_name)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .join(Customer, Customer.id == LedgerAccount.owner_id)
            .where(LedgerAccount.kind == AccountKind.CUSTOMER_BONUS)
            .order_by(LedgerEntry.id.desc()).limit(limit).offset(offset))
    if customer_id is not None:
        stmt = stmt.where(LedgerAccount.owner_id == customer_id)
    if date_from is not None:
        stmt = stmt.where(LedgerEntry.created_at >= _moment(date_from, tz))
    if date_to is not None:
        stmt = stmt.where(LedgerEntry.created_at < _moment(date_to, tz, end=True))
    if kind:
        stmt = stmt.where(LedgerEntry.kind == kind)
    if source:
        stmt = stmt.where(LedgerEntry.source_type == source)
    return [Movement(e.id, e.created_at, owner, f"{first} {last}".strip(), e.kind,
                     e.source_type, e.source_id, e.sale_id, e.amount, e.memo)
            for e, owner, first, last in session.execute(stmt)]


def kinds(session: Session) -> list[str]:
    return list(session.scalars(select(LedgerEntry.kind).distinct().order_by(LedgerEntry.kind)))


def _bonus_by_sale(kind: str) -> Select[int | None, Decimal]:
    return (select(LedgerEntry.sale_id, func.sum(LedgerEntry.amount).label("total"))
            .where(LedgerEntry.kind == kind).group_by(LedgerEntry.sale_id))


@dataclass(frozen=True)
class CampaignResult:
    campaign_id: int
    name: str
    issued: int
    used: int
    new_buyers: int
    purchases: Decimal
    bonus_accrued: Decimal
    bonus_reversed: Decimal


def _used_between(date_from: date | None, date_to: date | None,
                  tz: ZoneInfo) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if date_from is not None:
        conditions.append(FriendCode.used_at >= _moment(date_from, tz))
    if date_to is not None:
        conditions.append(FriendCode.used_at < _moment(date_to, tz, end=True))
    return conditions


def campaign_results(session: Session, *, date_from: date | None = None,
                     date_to: date | None = None) -> list[CampaignResult]:
    accrued = _bonus_by_sale("friend_bonus").subquery()
    reversed_ = _bonus_by_sale("friend_bonus_reversal").subquery()
    in_period = and_(FriendCode.status == "used", *_used_between(date_from, date_to,
                                                           store_settings.zone(session)))
    rows = session.execute(
        select(FriendCampaign.id, FriendCampaign.name, func.count(FriendCode.id),
               func.count(case((in_period, FriendCode.id))),
               func.count(func.distinct(case((in_period, FriendCode.friend_id)))),
               func.coalesce(func.sum(case((in_period, FriendCode.purchase_amount))), ZERO),
               func.coalesce(func.sum(case((in_period, accrued.c.total))), ZERO),
               func.coalesce(func.sum(case((in_period, reversed_.c.total))), ZERO))
        .outerjoin(FriendCode, FriendCode.campaign_id == FriendCampaign.id)
        .outerjoin(accrued, accrued.c.sale_id == FriendCode.used_sale_id)
        .outerjoin(reversed_, reversed_.c.sale_id == FriendCode.used_sale_id)
        .group_by(FriendCampaign.id, FriendCampaign.name).order_by(FriendCampaign.id.desc()))
    return [CampaignResult(cid, name, issued, used, buyers, _money(purchases), _money(acc),
                           -_money(rev))
            for cid, name, issued, used, buyers, purchases, acc, rev in rows]


def _money(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


@dataclass(frozen=True)
class CodeResult:
    code: str
    campaign: str
    referrer_id: int
    referrer: str
    issued_at: datetime
    status: str
    friend_id: int | None
    used_at: datetime | None
    purchase: Decimal | None
    bonus_accrued: Decimal
    bonus_reversed: Decimal


def code_results(session: Session, *, campaign_id: int | None = None, limit: int = 500,
                 offset: int = 0) -> list[CodeResult]:
    accrued = _bonus_by_sale("friend_bonus").subquery()
    reversed_ = _bonus_by_sale("friend_bonus_reversal").subquery()
    stmt = (select(FriendCode, FriendCampaign.name, Customer.first_name, Customer.last_name,
                   accrued.c.total, reversed_.c.total)
            .join(FriendCampaign, FriendCampaign.id == FriendCode.campaign_id)
            .join(Customer, Customer.id == FriendCode.referrer_id)
            .outerjoin(accrued, accrued.c.sale_id == FriendCode.used_sale_id)
            .outerjoin(reversed_, reversed_.c.sale_id == FriendCode.used_sale_id)
            .order_by(FriendCode.used_at.desc().nulls_last(), FriendCode.id.desc())
            .limit(limit).offset(offset))
    if campaign_id is not None:
        stmt = stmt.where(FriendCode.campaign_id == campaign_id)
    return [CodeResult(fc.code, name, fc.referrer_id, f"{first} {last}".strip(), fc.issued_at,
                       fc.status, fc.friend_id, fc.used_at, fc.purchase_amount,
                       _money(acc), -_money(rev))
            for fc, name, first, last, acc, rev in session.execute(stmt)]


def new_buyers_per_week(session: Session, *, weeks: int = 12) -> dict[str, list[int]]:
    """New buyers per week per campaign, the last `weeks` weeks, oldest first."""
    start = datetime.now(UTC) - timedelta(weeks=weeks)
    rows = session.execute(select(FriendCampaign.name, FriendCode.used_at)
                           .join(FriendCampaign, FriendCampaign.id == FriendCode.campaign_id)
                           .where(FriendCode.used_at >= start)).all()
    series: dict[str, list[int]] = {}
    for name, used_at in rows:
        if used_at is None:
            continue
        week = min(weeks - 1, max(0, (used_at - start).days // 7))
        series.setdefault(name, [0] * weeks)[week] += 1
    return series
