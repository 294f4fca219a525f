import pytest

from wordofmouth.scancodes.rules import ean13_check_digit, is_valid_ean13, random_instore_ean13


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
