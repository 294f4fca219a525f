from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wordofmouth.money import (
    cumulative_part,
    from_minor,
    parse_money,
    percent_of,
    round_money,
    to_minor,
)

D = Decimal


@pytest.mark.parametrize(("value", "expected"), [
    ("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"),
    ("1.115", "1.12"), ("10", "10.00"),
])
def test_rounding_is_half_up_to_a_cent(value: str, expected: str) -> None:
    assert round_money(D(value)) == D(expected)


@pytest.mark.parametrize(("amount", "percent", "expected"), [
    ("100.00", "5", "5.00"), ("33.33", "10", "3.33"), ("0.05", "10", "0.01"),
    ("199.99", "12.5", "25.00"), ("0.00", "50", "0.00"),
])
def test_percent_of_rounds_once(amount: str, percent: str, expected: str) -> None:
    assert percent_of(D(amount), D(percent)) == D(expected)


@pytest.mark.parametrize("text", ["12.345", "abc", "", "1e400", "NaN"])
def test_typed_amounts_with_sub_cent_precision_or_garbage_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_typed_amounts_accept_a_comma() -> None:
    assert parse_money("12,5") == D("12.50")


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_minor_units_round_trip(minor: int) -> None:
    assert to_minor(from_minor(minor)) == minor


@given(total=st.decimals(min_value=0, max_value=10**6, places=2),
       parts=st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=20))
def test_cumulative_parts_add_up_to_the_whole_exactly(total: Decimal, parts: list[int]) -> None:
    whole = D(sum(parts))
    done = D(0)
    given_back = D("0.00")
    for part in parts:
        given_back += cumulative_part(total, done, D(part), whole)
        done += part
    assert given_back == round_money(total)
