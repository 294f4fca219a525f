"""Club use cases: settings, the daily review, the owner's decisions, lists and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.calendar import date_of, day_of, day_of_date, end_of
from wordofmouth.club import review, rules
from wordofmouth.club.errors import ClubDisabled, NotACandidate, UnknownClubDecision
from wordofmouth.club.models import ClubDecision, ClubMembership, ClubReview
from wordofmouth.club.rules import DISCOUNTED, ClubSettings, ClubStatus
from wordofmouth.customers import service as customers
from wordofmouth.db import is_postgres, utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.i18n.words import word
from wordofmouth.settings import service as store_settings
from wordofmouth.webhooks import service as webhooks

PREFIX = "club_"
MAX_BATCH = 5000


def settings(session: Session) -> ClubSettings:
    return store_settings.load(session, ClubSettings, PREFIX)


def save_settings(session: Session, *, actor: str, **changes: Any) -> ClubSettings:
    """Change the club settings; they apply to periods that start after the change."""
    current = settings(session)
    start = changes.get("started_day")
    if start is not None and start != current.started_day:
        # A store that switches the club on may count the purchases it already has; once a
        # review has run, the members and periods stand on the start they were counted from.
        if reviewed_any(session):
            raise InvalidInput(gettext("The club has been reviewed already: its start date "
                                       "can no longer change."))
        if start > store_settings.today(session):
            raise InvalidInput(gettext("The club's start date cannot be in the future."))
    elif start is None:
        changes.pop("started_day", None)
    if changes.get("enabled") and not current.started_day:
        # earlier purchases do not count (unless the owner chose an earlier start)
        changes.setdefault("started_day", store_settings.today(session))
    return store_settings.save(session, ClubSettings, PREFIX, actor=actor,
                               check=rules.check_settings, **changes)


@dataclass(frozen=True)
class ReviewResult:
    day: int
    ran: bool  # False when that day had been reviewed already
    counts: dict[str, int]


def backfill_day(session: Session, value: date) -> int:
    """The day a person or an integration asks to review (a backfill): today or before."""
    day = day_of_date(value)
    if day > store_settings.today(session):
        raise InvalidInput(gettext("{0} is after today: review today or an earlier day.")
                           .format(value.isoformat()))
    return day


def run_review(session: Session, *, day: int | None = None,
               actor: str = "scheduler") -> ReviewResult:
    """Review the club once for `day` (default today). A second run for the same day —
    from another process too — changes nothing: the day's row is claimed first, and a
    concurrent claim waits for this transaction and then finds it taken."""
    day = store_settings.today(session) if day is None else day
    s = settings(session)
    if not s.enabled:
        raise ClubDisabled()
    claim = (pg_insert if is_postgres(session) else sqlite_insert)(ClubReview).values(
        day=day, started_at=utcnow(), actor=actor, counts={}
    ).on_conflict_do_nothing(index_elements=["day"]).returning(ClubReview.day)
    if session.execute(claim).scalar_one_or_none() is None:
        done = session.get(ClubReview, day)
        return ReviewResult(day, False, dict(done.counts) if done else {})
    since = session.scalar(select(func.max(ClubReview.day)).where(ClubReview.day < day))
    counts = review.run(session, day=day, since_day=since if since is not None else 0, s=s,
                        actor=actor, moved_from=_moved_from(session, day))
    if s.automatic:
        for action, (status, _after) in rules.ACTIONS.items():
            if action in ("grant", "extend", "exclude"):
                ids = candidates_ids(session, status)
                if ids:
                    counts[f"auto_{action}"] = decide(session, customer_ids=ids, action=action,
                                                      actor="automatic", day=day)
    session.execute(update(ClubReview).where(ClubReview.day == day).values(counts=counts))
    return ReviewResult(day, True, counts)


def _moved_from(session: Session, day: int) -> int | None:
    """The recorded day from which a sale or a return may be one the last review run did not
    read: paid after the day it reviewed, or committed after it read (a payment that began
    the day before at the latest). None — review everyone — for a club's first review, or a
    day before the one last reviewed."""
    last = session.execute(select(ClubReview.day, ClubReview.started_at)
                           .where(ClubReview.day != day)
                           .order_by(ClubReview.started_at.desc()).limit(1)).one_or_none()
    if last is None or last.day > day:
        return None
    return min(last.day + 1, day_of(last.started_at, store_settings.zone(session)) - 1)


def reviewed_any(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(ClubReview)))


def reviewed(session: Session, day: int) -> bool:
    return session.get(ClubReview, day) is not None


def candidates_ids(session: Session, status: ClubStatus) -> list[int]:
    return list(session.scalars(select(ClubMembership.customer_id)
                                .where(ClubMembership.status == status)))


def decide(session: Session, *, customer_ids: list[int], action: str, actor: str,
           day: int | None = None) -> int:
    """Grant / decline a candidate to join, extend / exclude a member. All or nothing: if one
    of the customers is no longer a candidate for it, nothing is decided."""
    if action not in rules.ACTIONS:
        raise UnknownClubDecision(gettext("Unknown club decision '{0}'.").format(action))
    ids = sorted(set(customer_ids))
    if not ids:
        raise InvalidInput(gettext("Choose at least one customer."))
    if len(ids) > MAX_BATCH:
        raise InvalidInput(gettext("Decide on at most {0} customers at once.").format(MAX_BATCH))
    before, after = rules.ACTIONS[action]
    day = store_settings.today(session) if day is None else day
    s = settings(session)
    chosen = ClubMembership.customer_id.in_(ids)
    # Lock the rows, then check: a decision made meanwhile from another browser is seen here.
    lock = select(ClubMembership.customer_id, ClubMembership.status).where(chosen)
    if is_postgres(session):
        lock = lock.with_for_update()
    current = dict(session.execute(lock).all())
    stale = [cid for cid in ids if current.get(cid) != before]
    if stale:
        names = customers.names(session, stale[:10])
        raise NotACandidate(gettext("Not a {0} any more: {1}{2}. Reload the list.")
                            .format(word(before), ', '.join(names.get(c, "?") for c in
                                                             stale[:10]),
                                    '…' if len(stale) > 10 else ''))
    review.log_decisions(session, chosen, day=day, actor=actor, action=action,
                         to_status=after.value)
    template = rules.decide(rules.Membership(status=before, cycle_start_day=0), action, day, s)
    values: dict[str, Any] = {"status": after, "updated_at": utcnow(),
                              "period_start_day": template.period_start_day,
                              "period_end_day": template.period_end_day,
                              "required_amount": template.required_amount,
                              "reached_amount": template.reached_amount}
    # a decision now counts what is bought from now; one dated a past day, from the next day
    counts_from = min(utcnow(), end_of(date_of(day), store_settings.zone(session)))
    if action == "grant":
        values.update(discount_percent=template.discount_percent, member_since_day=day,
                      counts_from=counts_from)
    elif action == "extend":
        values.update(discount_percent=template.discount_percent, counts_from=counts_from)
    elif action in ("decline", "exclude"):
        values.update(discount_percent=template.discount_percent, member_since_day=None,
                      cycle_start_day=template.cycle_start_day, counts_from=None)
    session.execute(update(ClubMembership).where(chosen, ClubMembership.status == before)
                    .values(**values).execution_options(synchronize_session=False))
    audit.record(session, actor=actor, action="club.decision", target_type="customers",
                 target_id=len(ids), decision=action, customers=ids[:1000])
    webhooks.emit(session, "club.decision", {
        "decision": action, "from_status": str(before.value), "to_status": str(after.value),
        "day": date_of(day).isoformat(), "customer_ids": ids,
        "discount_percent": str(template.discount_percent)})
    session.expire_all()
    return len(ids)


def invite(session: Session, *, customer_ids: list[int], actor: str, day: int | None = None,
           action: str = "invite") -> tuple[int, int]:
    """Invite customers into the club at once (from the activity analysis): each becomes a
    member with the current discount and a confirmation period from today, as if granted;
    members already (and candidates to extend or exclude) stay as they are. Logged in the
    club history as "invite". Returns (invited, already members).

    With a past `day` (members brought from an old program, action "carried_over"), they are
    members since that day and their confirmation counts what they bought after it."""
    if not settings(session).enabled:
        raise ClubDisabled()
    ids = sorted(set(customers.names(session, customer_ids)))  # existing customers only
    if not ids:
        raise InvalidInput(gettext("Choose at least one customer."))
    if len(ids) > MAX_BATCH:
        raise InvalidInput(gettext("Decide on at most {0} customers at once.").format(MAX_BATCH))
    today, s, now = store_settings.today(session), settings(session), utcnow()
    day = today if day is None else day
    if day > today:
        raise InvalidInput(gettext("A member cannot join after today."))
    counts_from = min(now, end_of(date_of(day), store_settings.zone(session)))
    insert = (pg_insert if is_postgres(session) else sqlite_insert)(ClubMembership)
    session.execute(insert.values([
        {"customer_id": cid, "status": ClubStatus.REGULAR, "cycle_start_day": day,
         "reached_amount": Decimal("0"), "discount_percent": Decimal("0"), "updated_at": now}
        for cid in ids]).on_conflict_do_nothing(index_elements=["customer_id"]))
    chosen = ClubMembership.customer_id.in_(ids)
    lock = select(ClubMembership.customer_id, ClubMembership.status).where(chosen)
    if is_postgres(session):
        lock = lock.with_for_update()
    current: dict[int, str] = {cid: status for cid, status in session.execute(lock)}
    fresh = ClubMembership.status.in_([ClubStatus.REGULAR, ClubStatus.CANDIDATE_JOIN])
    review.log_decisions(session, and_(chosen, fresh), day=day, actor=actor, action=action,
                         to_status=ClubStatus.MEMBER.value)
    member = rules.decide(rules.Membership(status=ClubStatus.CANDIDATE_JOIN, cycle_start_day=0),
                          "grant", day, s)
    session.execute(update(ClubMembership).where(chosen, fresh).values(
        status=ClubStatus.MEMBER, updated_at=now, period_start_day=member.period_start_day,
        period_end_day=member.period_end_day, required_amount=member.required_amount,
        reached_amount=member.reached_amount, discount_percent=member.discount_percent,
        member_since_day=day, counts_from=counts_from)
        .execution_options(synchronize_session=False))
    session.expire_all()
    invited = sum(1 for status in current.values()
                  if status in (ClubStatus.REGULAR, ClubStatus.CANDIDATE_JOIN))
    return invited, len(ids) - invited


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(ClubMembership.status, func.count())
                           .group_by(ClubMembership.status)).all()
    return {status: n for status, n in rows}


def membership(session: Session, customer_id: int) -> ClubMembership | None:
    return session.get(ClubMembership, customer_id)


def history(session: Session, customer_id: int, limit: int = 50) -> list[ClubDecision]:
    return list(session.scalars(select(ClubDecision)
                                .where(ClubDecision.customer_id == customer_id)
                                .order_by(ClubDecision.id.desc()).limit(limit)))


def discount_for(session: Session, customer_id: int) -> Decimal | None:
    """The club discount a customer has at the till, if any."""
    if not settings(session).enabled:
        return None
    m = session.get(ClubMembership, customer_id)
    if m is None or m.status not in DISCOUNTED:
        return None
    return m.discount_percent
