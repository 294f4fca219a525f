from decimal import Decimal

import pytest

from wordofmouth.club.errors import NotACandidate, UnknownClubDecision
from wordofmouth.club.rules import (
    ClubSettings,
    Membership,
    check_settings,
    decide,
    review_customer,
)
from wordofmouth.club.rules import ClubStatus as S
from wordofmouth.errors import InvalidInput

D = Decimal
SEED = ClubSettings(enabled=True, discount_percent=D("7"), accumulation_amount=D("5000"),
                    accumulation_days=30, confirmation_amount=D("3000"), confirmation_days=60)


def history(buys: dict[int, str]):  # type: ignore[no-untyped-def]
    """Purchase callbacks over {day: amount}."""
    def purchases(first: int, last: int) -> Decimal:
        return sum((D(a) for d, a in buys.items() if first <= d <= last), D("0"))

    def first_purchase(start: int, until: int) -> int | None:
        days = [d for d in buys if start <= d <= until]
        return min(days) if days else None

    return purchases, first_purchase


def review(m: Membership, day: int, buys: dict[int, str]) -> tuple[Membership, list[str]]:
    return review_customer(m, day, SEED, *history(buys))


def test_the_seed_example_reaching_the_amount_in_time() -> None:
    # 5,000 within 30 days: 3,000 on day 1 and 2,500 on day 20 -> a candidate on day 20
    m, events = review(Membership(S.REGULAR, cycle_start_day=1), 20, {1: "3000", 20: "2500"})
    assert (m.status, m.reached_amount, events) == (S.CANDIDATE_JOIN, D("5500"),
                                                    ["period_start", "candidate_join"])


def test_the_seed_example_too_late_starts_a_new_period_on_day_31() -> None:
    m, events = review(Membership(S.REGULAR, cycle_start_day=1), 31, {1: "3000", 31: "2500"})
    assert m.status == S.REGULAR
    assert (m.period_start_day, m.period_end_day, m.reached_amount) == (31, 60, D("2500"))
    assert events == ["period_start", "period_reset", "period_start"]


@pytest.mark.parametrize(("buys", "day", "status", "period"), [
    ({}, 10, S.REGULAR, (None, None)),                         # nothing bought: no period
    ({5: "100"}, 10, S.REGULAR, (5, 34)),                      # the first purchase starts it
    ({5: "5000"}, 5, S.CANDIDATE_JOIN, (5, 34)),               # reached on the first day
    ({5: "4999.99"}, 34, S.REGULAR, (5, 34)),                  # last day, still short
    ({5: "4999.99"}, 35, S.REGULAR, (None, None)),             # ended short, reset
    ({5: "4000", 34: "1000"}, 40, S.CANDIDATE_JOIN, (5, 34)),  # reached on the last day
    ({5: "4000", 35: "1000"}, 40, S.REGULAR, (35, 64)),        # one day late
    ({5: "100", 50: "100", 90: "5000"}, 95, S.CANDIDATE_JOIN, (90, 119)),  # periods behind
])
def test_accumulation(buys: dict[int, str], day: int, status: S,
                      period: tuple[int | None, int | None]) -> None:
    m, _ = review(Membership(S.REGULAR, cycle_start_day=1), day, buys)
    assert (m.status, (m.period_start_day, m.period_end_day)) == (status, period)


def test_returns_inside_the_period_count_against_it() -> None:
    m, _ = review_customer(Membership(S.REGULAR, cycle_start_day=1), 20, SEED,
                           lambda a, b: D("5200") - D("300"), lambda a, b: 1)
    assert m.status == S.REGULAR and m.reached_amount == D("4900")


def test_purchases_before_the_restart_do_not_count() -> None:
    m, _ = review(Membership(S.REGULAR, cycle_start_day=10), 15, {5: "5000", 12: "100"})
    assert (m.status, m.period_start_day) == (S.REGULAR, 12)


@pytest.mark.parametrize(("buys", "day", "status"), [
    ({102: "3000"}, 160, S.MEMBER),              # the confirmation period has not ended
    ({102: "3000"}, 161, S.CANDIDATE_EXTEND),    # ended, reached
    ({102: "2999.99"}, 161, S.CANDIDATE_EXCLUDE),  # ended, short
    ({101: "5000", 130: "1900"}, 161, S.CANDIDATE_EXCLUDE),  # what joined does not confirm
    ({161: "3000"}, 161, S.CANDIDATE_EXCLUDE),   # bought the day after it ended
])
def test_a_member_at_the_end_of_the_confirmation_period(buys: dict[int, str], day: int,
                                                        status: S) -> None:
    member = decide(Membership(S.CANDIDATE_JOIN, cycle_start_day=1), "grant", 101, SEED)
    assert (member.period_start_day, member.period_end_day) == (101, 160)
    m, _ = review(member, day, buys)
    assert m.status == status
    assert m.discount_percent == D("7")  # the discount stays until the owner decides


@pytest.mark.parametrize(("start", "action", "status", "discount", "period"), [
    (S.CANDIDATE_JOIN, "grant", S.MEMBER, D("7"), (200, 259)),
    (S.CANDIDATE_JOIN, "decline", S.REGULAR, D("0"), (None, None)),
    (S.CANDIDATE_EXTEND, "extend", S.MEMBER, D("7"), (200, 259)),
    (S.CANDIDATE_EXCLUDE, "exclude", S.REGULAR, D("0"), (None, None)),
])
def test_decisions(start: S, action: str, status: S, discount: Decimal,
                   period: tuple[int | None, int | None]) -> None:
    m = decide(Membership(start, cycle_start_day=1, discount_percent=D("5")), action, 200, SEED)
    assert (m.status, m.discount_percent, (m.period_start_day, m.period_end_day)) == (
        status, discount, period)
    if status == S.REGULAR:
        assert m.cycle_start_day == 201  # accumulation restarts from zero, from tomorrow


@pytest.mark.parametrize(("start", "action"), [
    (S.REGULAR, "grant"), (S.MEMBER, "extend"), (S.CANDIDATE_EXTEND, "grant"),
    (S.CANDIDATE_JOIN, "exclude"),
])
def test_a_decision_on_someone_who_is_not_its_candidate_is_refused(start: S,
                                                                   action: str) -> None:
    with pytest.raises(NotACandidate):
        decide(Membership(start, cycle_start_day=1), action, 200, SEED)


def test_an_unknown_decision_is_refused() -> None:
    with pytest.raises(UnknownClubDecision):
        decide(Membership(S.CANDIDATE_JOIN, cycle_start_day=1), "promote", 200, SEED)


@pytest.mark.parametrize("bad", [
    {"discount_percent": D("0")}, {"discount_percent": D("100.01")},
    {"accumulation_amount": D("0")}, {"accumulation_amount": D("-5")},
    {"confirmation_amount": D("1.001")}, {"accumulation_days": 0},
    {"confirmation_days": -3},
])
def test_bad_club_settings_are_refused(bad: dict[str, object]) -> None:
    from dataclasses import replace

    with pytest.raises(InvalidInput):
        check_settings(replace(SEED, **bad))  # type: ignore[arg-type]
