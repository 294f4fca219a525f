from decimal import Decimal

import pytest

from wordofmouth.friends.rules import (
    BonusRule,
    CampaignTerms,
    below_minimum,
    is_expired,
    last_valid_day,
    referrer_bonus,
)

D = Decimal


def terms(**kw: object) -> CampaignTerms:
    base: dict[str, object] = {"start_day": 100, "validity_days": 30,
                               "friend_discount_percent": D("10"),
                               "bonus_rule": BonusRule.FIXED, "bonus_amount": D("50")}
    base.update(kw)
    return CampaignTerms(**base)  # type: ignore[arg-type]


def test_the_last_valid_day_is_start_plus_validity() -> None:
    t = terms()
    assert last_valid_day(t) == 130
    assert not is_expired(t, 130)  # the last valid day
    assert is_expired(t, 131)  # the first invalid day
    assert not is_expired(t, 100)


@pytest.mark.parametrize(("minimum", "gross", "short"), [
    (None, "0.01", False), ("500", "499.99", True), ("500", "500.00", False),
])
def test_the_minimum_is_checked_on_gross_qualifying_amounts(minimum: str | None, gross: str,
                                                           short: bool) -> None:
    t = terms(min_purchase=D(minimum) if minimum else None)
    assert below_minimum(t, D(gross)) is short


@pytest.mark.parametrize(("rule", "amount", "percent", "cap", "net", "bonus"), [
    (BonusRule.FIXED, "50", "0", None, "1234.56", "50"),
    (BonusRule.PERCENT, "0", "5", None, "1234.56", "61.73"),   # 61.728 half-up
    (BonusRule.PERCENT, "0", "5", None, "0.10", "0.01"),       # 0.005 half-up
    (BonusRule.PERCENT_MAX, "0", "10", "100", "999.99", "100.00"),  # capped
    (BonusRule.PERCENT_MAX, "0", "10", "100", "500.00", "50.00"),   # under the cap
])
def test_each_bonus_rule(rule: BonusRule, amount: str, percent: str, cap: str | None,
                         net: str, bonus: str) -> None:
    t = terms(bonus_rule=rule, bonus_amount=D(amount), bonus_percent=D(percent),
              bonus_max=D(cap) if cap else None)
    assert referrer_bonus(t, D(net)) == D(bonus)
