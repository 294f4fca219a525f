"""The daily club review, set-wise: each step is one INSERT … SELECT or UPDATE over all
customers it concerns, never a loop over customers in Python.

Regular customers — and buyers new to the club — are walked through their accumulation
periods up to today (club/walk.py): a period starts at the first purchase after the
(re)start; one that reached the amount makes a candidate to join; one that ended short is
reset and the next purchase starts a new one. Then members whose confirmation period ended
become candidates to extend or to exclude. Every change is logged in club_decisions by an
INSERT … SELECT over the same rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from wordofmouth.club import walk
from wordofmouth.club.models import ClubDecision, ClubMembership, ClubStatus
from wordofmouth.club.rules import ClubSettings
from wordofmouth.db import utcnow
from wordofmouth.sales.models import Sale, SaleReturn

M = ClubMembership
S = ClubStatus


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


def run(session: Session, *, day: int, since_day: int, s: ClubSettings, actor: str,
        moved_from: int | None = None) -> dict[str, int]:
    """Review every membership on `day` — with `moved_from` (a recorded day), every one that
    may have moved since; returns how many customers each event concerned."""
    began = utcnow()
    walked = walk.walk(session, day=day, since_day=since_day, s=s, actor=actor, stamp=began,
                       moved_from=moved_from)
    counts = {"enrolled": walked.enrolled, "period_start": walked.period_start,
              "candidate_join": walked.candidate_join, "period_reset": walked.period_reset,
              "candidate_extend": 0, "candidate_exclude": 0}
    members = M.status == S.MEMBER
    measured = and_(members, M.period_start_day.is_not(None))
    if moved_from is not None and walk.NARROWED:
        measured = and_(measured, or_(M.period_end_day < day,
                                      M.customer_id.in_(walk.moved_since(moved_from))))
    _measure(session, measured, day, utcnow())
    ended = and_(members, M.period_end_day < day)
    outcome = case((M.reached_amount >= M.required_amount, literal(S.CANDIDATE_EXTEND.value)),
                   else_=literal(S.CANDIDATE_EXCLUDE.value))
    log_decisions(session, ended, day=day, actor=actor, action="confirmation_end",
                  to_status=outcome)
    for status in (S.CANDIDATE_EXTEND, S.CANDIDATE_EXCLUDE):
        counts[status.value] = _change(session, and_(ended, outcome == status.value),
                                       {"status": status})
    return counts
