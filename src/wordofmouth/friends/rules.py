"""Refer a Friend rules: validity, qualifying goods, the minimum, the referrer's bonus."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from wordofmouth.money import ZERO, percent_of


class BonusRule(StrEnum):
    FIXED = "fixed"  # a fixed amount per friend's purchase
    PERCENT = "percent"  # % of the friend's qualifying purchase
    PERCENT_MAX = "percent_max"  # % with a maximum


@dataclass(frozen=True)
class CampaignTerms:
    start_day: int
    validity_days: int
    friend_discount_percent: Decimal
    bonus_rule: BonusRule
    bonus_amount: Decimal = ZERO
    bonus_percent: Decimal = ZERO
    bonus_max: Decimal | None = None
    min_purchase: Decimal | None = None


def last_valid_day(t: CampaignTerms) -> int:
    """A code is valid while the sale date ≤ campaign start + validity days."""
    return t.start_day + t.validity_days


def is_expired(t: CampaignTerms, sale_day: int) -> bool:
    return sale_day > last_valid_day(t)


def below_minimum(t: CampaignTerms, qualifying_gross: Decimal) -> bool:
    """The minimum is checked on the qualifying lines before the discount."""
    return t.min_purchase is not None and qualifying_gross < t.min_purchase


def referrer_bonus(t: CampaignTerms, qualifying_net: Decimal) -> Decimal:
    """The referrer's bonus on the friend's net qualifying amount (after the discount)."""
    if t.bonus_rule == BonusRule.FIXED:
        return t.bonus_amount
    bonus = percent_of(qualifying_net, t.bonus_percent)
    if t.bonus_rule == BonusRule.PERCENT_MAX and t.bonus_max is not None:
        return min(bonus, t.bonus_max)
    return bonus
