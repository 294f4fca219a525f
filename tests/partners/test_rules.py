from datetime import date
from decimal import Decimal

import pytest

from wordofmouth.partners.rules import (
    add_months,
    commission,
    is_valid_code,
    line_reversal,
    may_link,
    milestones,
    normal_code,
    rate_for,
    within_term,
)

D = Decimal
# tree: 1 Hair > 2 Shampoos > 3 Professional ; 4 Make-up
RATES = {1: D("5"), 3: D("8"), 4: D("0")}


@pytest.mark.parametrize(("path", "rate"), [
    ([1], D("5")),          # the group's own rate
    ([1, 2], D("5")),       # a sub-group without a rate inherits its parent's
    ([1, 2, 3], D("8")),    # the most specific group wins
    ([4], D("0")),          # 0 % excludes a group
    ([4, 5], D("0")),       # … and its sub-groups without their own rate
    ([6], D("2.5")),        # no rate on the path: the partner's default
    ([], D("2.5")),
])
def test_the_most_specific_group_rate_wins(path: list[int], rate: Decimal) -> None:
    assert rate_for(path, RATES, D("2.5")) == rate


def test_commission_is_computed_on_net_lines_and_rounded_once() -> None:
    lines = [([1, 2, 3], D("33.33")), ([1, 2, 3], D("33.33")), ([4], D("500.00")),
             ([6], D("10.01"))]
    # 8 % of 66.66 = 5.3328; 0 % of 500; 2.5 % of 10.01 = 0.25025 → 5.58305 → 5.58
    assert commission(lines, RATES, D("2.5")) == D("5.58")


def test_a_return_takes_back_what_the_returned_line_earned() -> None:
    # WHEY 1 000.00 at 5 % + TEE 500.00 at 2 % earned 60.00 (50 + 10)
    whey, tee = (D("1000.00"), D("5")), (D("500.00"), D("2"))
    assert line_reversal(D("60.00"), [(*whey, D(0), D(0)), (*tee, D(0), D("500.00"))]) == D(
        "10.00")
    assert line_reversal(D("60.00"), [(*whey, D(0), D("1000.00")), (*tee, D(0), D(0))]) == D(
        "50.00")
    # a third of the TEE, then the rest and the WHEY: 3.33 + 56.67 = all 60.00
    first = line_reversal(D("60.00"), [(*whey, D(0), D(0)), (*tee, D(0), D("166.67"))])
    rest = line_reversal(D("60.00"), [(*whey, D(0), D("1000.00")),
                                      (*tee, D("166.67"), D("333.33"))])
    assert (first, first + rest) == (D("3.33"), D("60.00"))
    assert line_reversal(D("0.00"), [(*tee, D(0), D("500.00"))]) == D("0.00")


@pytest.mark.parametrize(("linked", "sale", "months", "inside"), [
    (date(2026, 1, 31), date(2030, 1, 1), None, True),        # lifetime
    (date(2026, 1, 15), date(2026, 7, 14), 6, True),
    (date(2026, 1, 15), date(2026, 7, 15), 6, False),          # the same day 6 months on
    (date(2026, 8, 31), date(2026, 9, 29), 1, True),           # month ends are clamped
    (date(2026, 8, 31), date(2026, 9, 30), 1, False),
    (date(2026, 3, 10), date(2026, 3, 9), 3, False),           # bought before the link
    (date(2026, 3, 10), date(2026, 3, 10), 3, True),           # … from the day of the link
    (date(2026, 3, 10), date(2025, 12, 1), None, False),       # a lifetime term too
])
def test_the_commission_term(linked: date, sale: date, months: int | None,
                             inside: bool) -> None:
    assert within_term(linked, sale, months) is inside


def test_adding_months_clamps_the_day() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(("current", "source", "allowed"), [
    (None, "partner_code", True), (None, "manual", True), (7, "partner_code", False),
    (7, "storefront", False), (7, "invoice", False), (7, "manual", True),
])
def test_the_first_link_wins_on_every_automatic_path(current: int | None, source: str,
                                                     allowed: bool) -> None:
    assert may_link(current, source) is allowed


@pytest.mark.parametrize(("before", "after", "every", "rewards"), [
    (0, 1, 1, 1), (4, 5, 5, 1), (5, 6, 5, 0), (3, 11, 5, 2), (7, 7, 5, 0), (2, 3, 0, 0),
])
def test_milestones(before: int, after: int, every: int, rewards: int) -> None:
    assert milestones(before, after, every) == rewards


@pytest.mark.parametrize(("raw", "ok"), [
    ("ANNA10", True), ("anna-10", True), ("AB", False), ("A" * 33, False), ("ANNA_10", False),
    ("АННА", False), (" anna10 ", True),
])
def test_partner_code_format(raw: str, ok: bool) -> None:
    assert is_valid_code(raw) is ok
    assert normal_code(" anna-10 ") == "ANNA-10"
