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

from sqlalchemy import ColumnElement, and_, case, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session

from wordofmouth.club.models import ClubDecision, ClubMembership, ClubStatus
from wordofmouth.club.rules import ClubSettings
from wordofmouth.db import utcnow
from wordofmouth.money import ZERO
from wordofmouth.sales.models import Sale, SaleReturn

M = ClubMembership
S = ClubStatus
MAX_PASSES = 1000


def _purchases(first: Any, last: Any) -> ColumnElement[Any]:
    """Net purchases minus returns of the membership's customer in [first, last] days."""
    bought = (select(func.coalesce(func.sum(Sale.net_total), ZERO))
              .where(Sale.customer_id == M.customer_id, Sale.paid_day >= first,
                     Sale.paid_day <= last)
              .scalar_subquery())
    returned = (select(func.coalesce(func.sum(SaleReturn.net_amount), ZERO))
                .join(Sale, Sale.id == SaleReturn.sale_id)
                .where(Sale.customer_id == M.customer_id, SaleReturn.day >= first,
                       SaleReturn.day <= last)
                .scalar_subquery())
    return bought - returned


def _until_today(day: int) -> ColumnElement[Any]:
    return case((M.period_end_day < day, M.period_end_day), else_=literal(day))


def _log(session: Session, where: ColumnElement[bool], *, day: int, actor: str, action: str,
         to_status: ColumnElement[Any] | str) -> None:
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
    first_purchase = (select(func.min(Sale.paid_day))
                      .where(Sale.customer_id == M.customer_id,
                             Sale.paid_day >= M.cycle_start_day, Sale.paid_day <= day)
                      .scalar_subquery())
    began = utcnow()
    for n in range(MAX_PASSES):
        # Rows touched in this pass carry this pass's stamp: after the first pass (which looks
        # at every open period) only the periods that have just started need measuring.
        stamp = began + timedelta(microseconds=n)
        started = _change(session, and_(regular, M.period_start_day.is_(None),
                                        first_purchase.is_not(None)), {
            "period_start_day": first_purchase,
            "period_end_day": first_purchase + (s.accumulation_days - 1),
            "required_amount": s.accumulation_amount,
        }, stamp)
        scope = with_period if n == 0 else and_(with_period, M.updated_at == stamp)
        _change(session, scope, {
            "reached_amount": _purchases(M.period_start_day, _until_today(day))}, stamp)
        reached = and_(scope, M.reached_amount >= M.required_amount)
        _log(session, reached, day=day, actor=actor, action="candidate_join",
             to_status=S.CANDIDATE_JOIN)
        joined = _change(session, reached, {"status": S.CANDIDATE_JOIN})
        ended_short = and_(scope, M.period_end_day < day)
        _log(session, ended_short, day=day, actor=actor, action="period_reset",
             to_status=S.REGULAR)
        reset = _change(session, ended_short, {
            "cycle_start_day": M.period_end_day + 1, "period_start_day": None,
            "period_end_day": None, "required_amount": None, "reached_amount": ZERO})
        counts["period_start"] += started
        counts["candidate_join"] += joined
        counts["period_reset"] += reset
        if not started and not reset:
            break
    members = M.status == S.MEMBER
    _change(session, and_(members, M.period_start_day.is_not(None)), {
        "reached_amount": _purchases(M.period_start_day, _until_today(day))})
    ended = and_(members, M.period_end_day < day)
    outcome = case((M.reached_amount >= M.required_amount, literal(S.CANDIDATE_EXTEND.value)),
                   else_=literal(S.CANDIDATE_EXCLUDE.value))
    _log(session, ended, day=day, actor=actor, action="confirmation_end", to_status=outcome)
    for status in (S.CANDIDATE_EXTEND, S.CANDIDATE_EXCLUDE):
        counts[status.value] = _change(session, and_(ended, outcome == status.value),
                                       {"status": status})
    return counts
