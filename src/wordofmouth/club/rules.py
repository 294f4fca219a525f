"""The club's pure rules: settings, the decisions and the membership state machine.

The daily review runs set-wise in SQL (club/review.py); `review_customer` here is the same
state machine for one customer, kept as the reference the SQL review is tested against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from wordofmouth.club.errors import NotACandidate, UnknownClubDecision
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext


class ClubStatus(StrEnum):
    REGULAR = "regular"
    CANDIDATE_JOIN = "candidate_join"
    MEMBER = "member"
    CANDIDATE_EXTEND = "candidate_extend"
    CANDIDATE_EXCLUDE = "candidate_exclude"


# Members keep the club discount until the owner decides, so candidates to extend or to
# exclude still have it.
DISCOUNTED = (ClubStatus.MEMBER, ClubStatus.CANDIDATE_EXTEND, ClubStatus.CANDIDATE_EXCLUDE)

S = ClubStatus


@dataclass(frozen=True)
class ClubSettings:
    enabled: bool = False
    discount_percent: Decimal = Decimal("5")
    accumulation_amount: Decimal = Decimal("5000")
    accumulation_days: int = 30
    confirmation_amount: Decimal = Decimal("5000")
    confirmation_days: int = 90
    automatic: bool = False
    started_day: int = 0  # the day the club was first enabled: purchases before it do not count


def check_settings(s: ClubSettings) -> None:
    if not Decimal(0) < s.discount_percent <= Decimal(100):
        raise InvalidInput(gettext("The club discount must be more than 0 and at most 100 %."))
    for label, amount in (("accumulation", s.accumulation_amount),
                          ("confirmation", s.confirmation_amount)):
        if amount <= 0:
            raise InvalidInput(gettext("The {0} amount must be more than zero.").format(label))
        if amount != amount.quantize(Decimal("0.01")):
            raise InvalidInput(gettext("The {0} amount has at most two decimals.").format(label))
    for label, days in (("accumulation", s.accumulation_days),
                        ("confirmation", s.confirmation_days)):
        if not 1 <= days <= 3660:
            raise InvalidInput(gettext("The {0} period must be 1–3660 days.").format(label))


# action -> (the status it decides on, the status it leads to)
ACTIONS: dict[str, tuple[ClubStatus, ClubStatus]] = {
    "grant": (S.CANDIDATE_JOIN, S.MEMBER),
    "decline": (S.CANDIDATE_JOIN, S.REGULAR),
    "extend": (S.CANDIDATE_EXTEND, S.MEMBER),
    "exclude": (S.CANDIDATE_EXCLUDE, S.REGULAR),
}


@dataclass(frozen=True)
class Membership:
    status: ClubStatus
    cycle_start_day: int
    period_start_day: int | None = None
    period_end_day: int | None = None
    required_amount: Decimal | None = None
    reached_amount: Decimal = Decimal("0")
    discount_percent: Decimal = Decimal("0")
    member_since_day: int | None = None
    # A member's confirmation counts purchases from this day on: never the purchases that
    # counted toward joining (the service counts from the moment of the decision).
    counts_from_day: int | None = None


def decide(m: Membership, action: str, day: int, s: ClubSettings) -> Membership:
    """The owner's decision on a candidate, made on `day`."""
    if action not in ACTIONS:
        raise UnknownClubDecision(gettext("Unknown club decision '{0}'.").format(action))
    before, after = ACTIONS[action]
    if m.status != before:
        raise NotACandidate(
            gettext("Only a {0} can be decided with '{1}'.")
            .format(before.replace('_', ' '), action))
    if after == S.MEMBER:  # grant or extend: a new confirmation period starts today and
        # counts what is bought after the decision (a decision dated a past day: from the
        # next day; what counted toward joining never counts again)
        return replace(m, status=S.MEMBER, period_start_day=day, counts_from_day=day + 1,
                       period_end_day=day + s.confirmation_days - 1,
                       required_amount=s.confirmation_amount, reached_amount=Decimal("0"),
                       discount_percent=s.discount_percent,  # a new period: today's terms
                       member_since_day=day if action == "grant" else m.member_since_day)
    # decline or exclude: no discount, accumulation starts again with tomorrow's purchases
    return Membership(status=S.REGULAR, cycle_start_day=day + 1)


Purchases = Callable[[int, int], Decimal]  # net purchases minus returns in [first, last] days
FirstPurchase = Callable[[int, int], int | None]  # first purchase day in [from, to], if any


def review_customer(m: Membership, day: int, s: ClubSettings, purchases: Purchases,
                    first_purchase: FirstPurchase) -> tuple[Membership, list[str]]:
    """What the daily review on `day` does to one membership, and the events it records."""
    events: list[str] = []
    for _ in range(1000):  # each pass moves a regular customer on by at least one period
        if m.status == S.REGULAR:
            if m.period_start_day is None:
                start = first_purchase(m.cycle_start_day, day)
                if start is None:
                    break
                m = replace(m, period_start_day=start,
                            period_end_day=start + s.accumulation_days - 1,
                            required_amount=s.accumulation_amount)
                events.append("period_start")
            first, last = m.period_start_day, m.period_end_day
            assert first is not None and last is not None and m.required_amount is not None
            reached = purchases(first, min(last, day))
            if reached >= m.required_amount:
                m = replace(m, status=S.CANDIDATE_JOIN, reached_amount=reached)
                events.append("candidate_join")
                break
            if last < day:  # ended short: the next purchase starts a new period
                m = Membership(status=S.REGULAR, cycle_start_day=last + 1)
                events.append("period_reset")
                continue
            m = replace(m, reached_amount=reached)
            break
        if m.status == S.MEMBER and m.period_start_day is not None:
            last, required = m.period_end_day, m.required_amount
            assert last is not None and required is not None
            reached = purchases(max(m.period_start_day, m.counts_from_day or 0),
                                min(last, day))
            m = replace(m, reached_amount=reached)
            if last < day:  # the confirmation period is over
                status = S.CANDIDATE_EXTEND if reached >= required else S.CANDIDATE_EXCLUDE
                m = replace(m, status=status)
                events.append(status.value)
        break
    return m, events
