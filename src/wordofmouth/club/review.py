"""The daily club review, set-wise: each step is one INSERT … SELECT or UPDATE over all
customers it concerns, never a loop over customers in Python.

Per pass, for regular customers: start a period at the first purchase after the (re)start,
measure the period, make candidates to join of those who reached the amount, reset the
periods that ended short (the next purchase starts a new one). Passes repeat while periods
move (a customer may have several periods behind them after a long pause). Then members whose
confirmation period ended become candidates to extend or to exclude. Every change is logged
in club_decisions by an INSERT … SELECT over the same rows, before they change."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from wordofmouth.club.models import ClubDecision, ClubMembership, ClubStatus
from wordofmouth.club.rules import ClubSettings
from wordofmouth.db import utcnow
from wordofmouth.money import ZERO
from wordofmouth.sales.models import Sale, SaleReturn

M = ClubMembership
S = ClubStatus
MAX_PASSES = 1000


def _subtract_returns(session: Session, scope: ColumnElement[bool], day: int) -> None:
    """Take the returns made inside each period in `scope` off its reached amount."""
    returned = (select(M.customer_id.label("cid"),
                       func.sum(SaleReturn.net_amount).label("total"))
                .join(Sale, Sale.customer_id == M.customer_id)
                .join(SaleReturn, and_(SaleReturn.sale_id == Sale.id, _counted(),
                                       SaleReturn.day >= M.period_start_day,
                                       SaleReturn.day <= _until_today(day)))
                .where(scope).group_by(M.customer_id).subquery())
    session.execute(update(M).where(M.customer_id == returned.c.cid)
                    .values(reached_amount=M.reached_amount - returned.c.total)
                    .execution_options(synchronize_session=False))


def _measure(session: Session, scope: ColumnElement[bool], day: int,
             stamp: datetime) -> None:
    """reached_amount = purchases minus returns inside each running period in `scope`, up to
    `day`: joined aggregates (UPDATE … FROM), not a sub-select per customer."""
    bought = (select(M.customer_id.label("cid"), func.sum(Sale.net_total).label("total"))
              .join(Sale, and_(Sale.customer_id == M.customer_id,
                               Sale.paid_day >= M.period_start_day,
                               Sale.paid_day <= _until_today(day), _counted()))
              .where(scope).group_by(M.customer_id).subquery())
    session.execute(update(M).where(M.customer_id == bought.c.cid)
                    .values(reached_amount=bought.c.total, updated_at=stamp)
                    .execution_options(synchronize_session=False))
    _subtract_returns(session, scope, day)


def _start_periods(session: Session, *, day: int, s: ClubSettings, stamp: datetime) -> int:
    """Start an accumulation period at each waiting customer's first purchase since their
    (re)start, and measure it, in one UPDATE … FROM."""
    waiting = and_(M.status == S.REGULAR, M.period_start_day.is_(None))
    first = (select(M.customer_id.label("cid"), func.min(Sale.paid_day).label("day"))
             .join(Sale, and_(Sale.customer_id == M.customer_id,
                              Sale.paid_day >= M.cycle_start_day, Sale.paid_day <= day))
             .where(waiting).group_by(M.customer_id).subquery())
    last = first.c.day + (s.accumulation_days - 1)
    measured = (select(first.c.cid, first.c.day, func.sum(Sale.net_total).label("total"))
                .join(Sale, and_(Sale.customer_id == first.c.cid, Sale.paid_day >= first.c.day,
                                 Sale.paid_day <= case((last < day, last), else_=literal(day))))
                .group_by(first.c.cid, first.c.day).subquery())
    started = _change(session, M.customer_id == measured.c.cid, {
        "period_start_day": measured.c.day,
        "period_end_day": measured.c.day + (s.accumulation_days - 1),
        "required_amount": s.accumulation_amount,
        "reached_amount": measured.c.total,
    }, stamp)
    if started:
        _subtract_returns(session, and_(M.status == S.REGULAR, M.updated_at == stamp), day)
    return started


def _counted() -> ColumnElement[bool]:
    """A member's confirmation counts the sales paid from the decision on (counts_from);
    a regular's accumulation, every sale of the period."""
    return or_(M.counts_from.is_(None), Sale.paid_at >= M.counts_from)


def _until_today(day: int) -> ColumnElement[Any]:
    return case((M.period_end_day < day, M.period_end_day), else_=literal(day))


def log_decisions(session: Session, where: ColumnElement[bool], *, day: int, actor: str,
                  action: str, to_status: ColumnElement[Any] | str) -> None:
    """Log the change about to happen to the rows matching `where` (one INSERT … SELECT)."""
    target = literal(to_status) if isinstance(to_status, str) else to_status
    session.execute(insert(ClubDecision).from_select(
        ["customer_id", "at", "day", "actor", "action", "from_status", "to_status",
         "reached_amount", "required_amount", "period_start_day", "period_end_day"],
        select(M.customer_id, literal(utcnow(), ClubDecision.at.type), literal(day),
               literal(actor), literal(action), M.status, target, M.reached_amount,
               M.required_amount, M.period_start_day, M.period_end_day).where(where)))


def _change(session: Session, where: ColumnElement[bool], values: dict[str, Any],
            stamp: datetime | None = None) -> int:
    result = session.execute(update(M).where(where).values(updated_at=stamp or utcnow(),
                                                           **values)
                             .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


def enrol(session: Session, *, day: int, since_day: int, s: ClubSettings) -> int:
    """A membership row for every customer who bought since `since_day` and has none."""
    first_day = max(since_day, s.started_day)
    buyers = (select(Sale.customer_id).where(
        Sale.customer_id.is_not(None), Sale.paid_day >= first_day, Sale.paid_day <= day,
        ~exists().where(M.customer_id == Sale.customer_id)).distinct())
    before = session.scalar(select(func.count()).select_from(M)) or 0
    session.execute(insert(M).from_select(
        ["customer_id", "status", "cycle_start_day", "reached_amount", "discount_percent",
         "updated_at"],
        select(buyers.subquery().c.customer_id, literal(S.REGULAR.value), literal(s.started_day),
               literal(ZERO, M.reached_amount.type), literal(ZERO, M.discount_percent.type),
               literal(utcnow(), M.updated_at.type))))
    # (INSERT … SELECT reports no row count through SQLAlchemy: count the table instead.)
    return int(session.scalar(select(func.count()).select_from(M)) or 0) - before


def run(session: Session, *, day: int, since_day: int, s: ClubSettings,
        actor: str) -> dict[str, int]:
    """Review every membership on `day`; returns how many customers each event concerned."""
    counts = {"enrolled": enrol(session, day=day, since_day=since_day, s=s),
              "period_start": 0, "candidate_join": 0, "period_reset": 0,
              "candidate_extend": 0, "candidate_exclude": 0}
    regular = M.status == S.REGULAR
    with_period = and_(regular, M.period_start_day.is_not(None))
    began = utcnow()
    _measure(session, with_period, day, began)  # the periods already running
    scope = with_period
    for n in range(1, MAX_PASSES):
        reached = and_(scope, M.reached_amount >= M.required_amount)
        log_decisions(session, reached, day=day, actor=actor, action="candidate_join",
             to_status=S.CANDIDATE_JOIN)
        counts["candidate_join"] += _change(session, reached, {"status": S.CANDIDATE_JOIN})
        ended_short = and_(scope, M.period_end_day < day)
        log_decisions(session, ended_short, day=day, actor=actor, action="period_reset",
             to_status=S.REGULAR)
        counts["period_reset"] += _change(session, ended_short, {
            "cycle_start_day": M.period_end_day + 1, "period_start_day": None,
            "period_end_day": None, "required_amount": None, "reached_amount": ZERO})
        # The next pass looks only at the periods this pass starts (they carry its stamp).
        stamp = began + timedelta(microseconds=n)
        started = _start_periods(session, day=day, s=s, stamp=stamp)
        counts["period_start"] += started
        if not started:
            break
        scope = and_(with_period, M.updated_at == stamp)
    members = M.status == S.MEMBER
    _measure(session, and_(members, M.period_start_day.is_not(None)), day, utcnow())
    ended = and_(members, M.period_end_day < day)
    outcome = case((M.reached_amount >= M.required_amount, literal(S.CANDIDATE_EXTEND.value)),
                   else_=literal(S.CANDIDATE_EXCLUDE.value))
    log_decisions(session, ended, day=day, actor=actor, action="confirmation_end",
                  to_status=outcome)
    for status in (S.CANDIDATE_EXTEND, S.CANDIDATE_EXCLUDE):
        counts[status.value] = _change(session, and_(ended, outcome == status.value),
                                       {"status": status})
    return counts
