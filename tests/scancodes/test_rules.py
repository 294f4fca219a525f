import pytest

from wordofmouth.scancodes.rules import (
    ean13_check_digit,
    is_valid_ean13,
    random_instore_ean13,
    random_instore_ean13s,
)


@pytest.mark.parametrize(("first12", "check"), [
    ("400638133393", "1"), ("590123412345", "7"), ("482000000001", "7"), ("200000000000", "8"),
])
def test_ean13_check_digit(first12: str, check: str) -> None:
    assert ean13_check_digit(first12) == check


def test_random_in_store_codes_are_valid_ean13_with_the_prefix() -> None:
    codes = {random_instore_ean13("21") for _ in range(500)}
    assert all(is_valid_ean13(c) and c.startswith("21") for c in codes)
    assert len(codes) > 490


@pytest.mark.parametrize("bad", ["4820000000018", "12345", "48200000000a7"])
def test_invalid_ean13_is_detected(bad: str) -> None:
    assert not is_valid_ean13(bad)


def test_in_store_prefix_must_start_with_2() -> None:
    with pytest.raises(ValueError):
        random_instore_ean13("48")


@pytest.mark.parametrize("prefix", ["2", "29", "210", "2345", "23456", "234567"])
def test_in_store_codes_made_in_bulk_carry_the_check_digit_of_the_rule(prefix: str) -> None:
    codes = random_instore_ean13s(prefix, 3000)
    assert len(codes) == 3000
    assert all(len(c) == 13 and c.startswith(prefix) and c[12] == ean13_check_digit(c[:12])
               for c in codes)
    random_part = {c[len(prefix):12] for c in codes}
    assert len(random_part) > 2900 if len(prefix) < 6 else len(random_part) > 2500


def test_bulk_in_store_codes_spread_over_every_digit() -> None:
    codes = random_instore_ean13s("29", 20_000)
    for position in range(2, 12):  # each random digit takes all ten values, none favoured
        seen = [sum(c[position] == str(d) for c in codes) for d in range(10)]
        assert min(seen) > 1700 and max(seen) < 2300, (position, seen)
    with pytest.raises(ValueError):
        random_instore_ean13s("48", 1)
