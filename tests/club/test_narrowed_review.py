"""The daily review looks only at the customers who may have moved since the last review (a
sale or a return recorded since, or a period that ended): it must leave the club exactly as
a review of everyone would — with receipts brought in late for past days, returns, members
confirming, and a sale paid while a review runs."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.club.helpers import BASE, buy, give_back, member_card, switch_on
from wordofmouth.calendar import date_of
from wordofmouth.club import service as club
from wordofmouth.club import walk
from wordofmouth.club.models import ClubDecision, ClubMembership, ClubReview
from wordofmouth.club.rules import ClubStatus as S
from wordofmouth.sales.models import Sale, SaleReturn

D = Decimal


def recorded(db: Session, sale: Sale, day: int) -> Sale:
    """As if the receipt had been recorded on `day` (the tests' days are in the past)."""
    db.execute(update(Sale).where(Sale.id == sale.id).values(recorded_day=day))
    return sale


def review(db: Session, day: int) -> club.ReviewResult:
    """The morning review of `day`, started that morning."""
    result = club.run_review(db, day=day)
    db.execute(update(ClubReview).where(ClubReview.day == day).values(
        started_at=datetime.combine(date_of(day), time(7), tzinfo=UTC)))
    return result


def club_state(db: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    db.expire_all()
    members = db.execute(select(
        ClubMembership.customer_id, ClubMembership.status, ClubMembership.cycle_start_day,
        ClubMembership.period_start_day, ClubMembership.period_end_day,
        ClubMembership.required_amount, ClubMembership.reached_amount)
        .order_by(ClubMembership.customer_id)).all()
    decisions = db.execute(select(
        ClubDecision.customer_id, ClubDecision.day, ClubDecision.action,
        ClubDecision.to_status, ClubDecision.reached_amount, ClubDecision.period_start_day)
        .order_by(ClubDecision.customer_id, ClubDecision.id)).all()
    return [tuple(r) for r in members], [tuple(r) for r in decisions]


def review_both_ways(db: Session, day: int) -> None:
    """Review `day` of everyone (then undone), then of those who may have moved: the same
    memberships, the same decisions logged."""
    everyone = db.begin_nested()
    with mock.patch.object(walk, "NARROWED", False):
        full = review(db, day).counts
    expected = club_state(db)
    everyone.rollback()
    narrowed = review(db, day).counts
    got = club_state(db)
    assert set(got[0]) ^ set(expected[0]) == set(), (day, got[0], expected[0])
    assert got == expected
    assert {k: v for k, v in narrowed.items() if k != "enrolled"} == {
        k: v for k, v in full.items() if k != "enrolled"}


# per day: (customer, amount, days late) — a receipt of that day, recorded that day or later
events = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["900", "1600", "2500"]),
                            st.sampled_from([0, 0, 0, 2, 9])), max_size=3)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(days=st.lists(events, min_size=10, max_size=70),
       review_every=st.sampled_from([1, 1, 2, 5]), give_backs=st.sets(st.integers(0, 69)))
def test_reviewing_only_who_moved_leaves_the_club_as_reviewing_everyone(
        db: Session, days: list[list[tuple[int, str, int]]], review_every: int,
        give_backs: set[int]) -> None:
    nested = db.begin_nested()
    try:
        _simulate(db, days, review_every, give_backs)
    finally:
        nested.rollback()


def _simulate(db: Session, days: list[list[tuple[int, str, int]]], review_every: int,
              give_backs: set[int]) -> None:
    switch_on(db, accumulation_amount=D("4000"), accumulation_days=10,
              confirmation_amount=D("2000"), confirmation_days=14)
    cards = [member_card() for _ in range(4)]
    late: dict[int, list[tuple[int, int, str]]] = {}  # recorded day → (customer, paid, amount)
    sales: list[Sale] = []
    for offset, todays in enumerate(days):
        day = BASE + offset
        if offset % review_every == 0:
            review_both_ways(db, day)
            waiting = list(db.scalars(select(ClubMembership.customer_id).where(
                ClubMembership.status.in_([S.CANDIDATE_JOIN, S.CANDIDATE_EXTEND]))))
            for cid in waiting:  # the owner says yes during the day
                action = ("grant" if db.get_one(ClubMembership, cid).status == S.CANDIDATE_JOIN
                          else "extend")
                club.decide(db, customer_ids=[cid], action=action, actor="o", day=day)
        for who, paid, amount in late.pop(day, []):  # brought in today for a past day
            sales.append(recorded(db, buy(db, cards[who], amount, paid), day))
        for who, amount, delay in todays:
            if delay:
                late.setdefault(day + delay, []).append((who, day, amount))
            else:
                sales.append(recorded(db, buy(db, cards[who], amount, day), day))
        if offset in give_backs and sales:
            sale = sales.pop(offset % len(sales))
            give_back(db, sale, day)
            db.execute(update(SaleReturn).where(SaleReturn.sale_id == sale.id)
                       .values(recorded_day=day))


def test_a_receipt_brought_in_late_for_a_reviewed_day_counts_at_the_next_review(
        db: Session) -> None:
    switch_on(db, accumulation_amount=D("5000"), accumulation_days=30)
    card = member_card()
    recorded(db, buy(db, card, "3000.00", BASE + 1), BASE + 1)
    review(db, BASE + 2)
    review(db, BASE + 3)
    # on BASE + 4 the old program's receipt of BASE + 2 is imported
    recorded(db, buy(db, card, "2500.00", BASE + 2), BASE + 4)
    assert review(db, BASE + 5).counts["candidate_join"] == 1
    assert db.get_one(ClubMembership, card.customer_id).status == S.CANDIDATE_JOIN


def test_only_who_moved_is_looked_at(db: Session) -> None:
    """A store of quiet regulars: the next day's review walks one buyer, not everyone."""
    switch_on(db, accumulation_amount=D("5000"), accumulation_days=30)
    cards = [member_card() for _ in range(5)]
    for card in cards:
        recorded(db, buy(db, card, "1000.00", BASE + 1), BASE + 1)
    assert review(db, BASE + 2).counts["enrolled"] == 5
    review(db, BASE + 6)
    recorded(db, buy(db, cards[0], "1000.00", BASE + 6), BASE + 6)
    calls: list[tuple[object, walk.Walked]] = []
    real = walk.walk

    def spy(session: Session, **kw: Any) -> walk.Walked:
        calls.append((kw["moved_from"], real(session, **kw)))
        return calls[-1][1]

    with mock.patch.object(walk, "walk", spy):
        review(db, BASE + 7)
    [(moved_from, walked)] = calls
    assert moved_from == BASE + 5  # the day before the last review ran: a payment's margin
    assert walked.looked_at == 1
    assert db.get_one(ClubMembership, cards[0].customer_id).reached_amount == D("2000.00")
    assert db.get_one(ClubMembership, cards[1].customer_id).reached_amount == D("1000.00")


def test_a_payment_begun_before_midnight_and_committed_after_the_review_counts_next_day(
        db: Session) -> None:
    """The review of day 5 runs at 07:00 and does not see a payment recorded on day 4 that
    commits just after it read: the next review still looks at that customer."""
    switch_on(db, accumulation_amount=D("5000"), accumulation_days=30)
    card = member_card()
    recorded(db, buy(db, card, "3000.00", BASE + 1), BASE + 1)
    review(db, BASE + 2)
    review(db, BASE + 5)
    recorded(db, buy(db, card, "2000.00", BASE + 4), BASE + 4)  # committed after it read
    assert review(db, BASE + 6).counts["candidate_join"] == 1
