from decimal import Decimal

import pytest

from wordofmouth.ledger.rules import reversal_for_return, spendable

D = Decimal


@pytest.mark.parametrize(("accrued", "net", "before", "now", "expected"), [
    ("10.00", "200.00", "0", "100.00", "5.00"),
    ("10.00", "200.00", "100.00", "100.00", "5.00"),
    ("10.00", "300.00", "0", "100.00", "3.33"),
    ("10.00", "300.00", "200.00", "100.00", "3.33"),
    ("0.00", "300.00", "0", "300.00", "0.00"),
    ("7.77", "100.00", "0", "100.00", "7.77"),
])
def test_a_return_reverses_accruals_in_proportion(accrued: str, net: str, before: str,
                                                  now: str, expected: str) -> None:
    assert reversal_for_return(D(accrued), D(net), D(before), D(now)) == D(expected)


def test_a_debt_cannot_be_spent() -> None:
    assert spendable(D("-5.00")) == D("0.00")
    assert spendable(D("12.00")) == D("12.00")
