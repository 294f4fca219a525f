from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from wordofmouth.sales.schemas import LineIn
from wordofmouth.schemas import MoneyIn, Out, PercentIn, Strict


class CampaignOut(Out):
    id: int
    name: str
    start_day: int
    start_date: date
    validity_days: int
    friend_discount_percent: Decimal
    bonus_rule: str
    bonus_amount: Decimal
    bonus_percent: Decimal
    bonus_max: Decimal | None
    min_purchase: Decimal | None
    group_id: int | None
    active: bool


class ValidateIn(Strict):
    code: str = Field(min_length=1, max_length=32)
    customer_id: int | None = None
    card_number: str | None = Field(default=None, max_length=32)
    lines: list[LineIn] = Field(min_length=1, max_length=500)


class ValidateOut(Out):
    code: str
    campaign_id: int
    discount_percent: Decimal
    qualifying_lines: list[int]
    qualifying_amount: Decimal
    valid_until: str


class CodeIn(Strict):
    code: str = Field(min_length=1, max_length=32)


class IssueIn(Strict):
    campaign_id: int
    count: int = Field(ge=1, le=100)


class FriendCodeOut(Out):
    code: str
    campaign_id: int
    referrer_id: int
    status: str
    issued_at: datetime
    friend_id: int | None
    used_at: datetime | None
    purchase_amount: Decimal | None


class CampaignIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    start_date: date | None = Field(default=None, description="When codes are issued from "
                                                              "(default today)")
    validity_days: int = Field(ge=1, le=3660)
    friend_discount_percent: PercentIn
    bonus_rule: Literal["fixed", "percent", "percent_max"]
    bonus_amount: MoneyIn = Field(default=Decimal("0"), description="For a fixed bonus")
    bonus_percent: PercentIn = Field(default=Decimal("0"), description="For a percent bonus")
    bonus_max: MoneyIn | None = None
    min_purchase: MoneyIn | None = None
    group_id: int | None = Field(default=None, description="Only goods of this group count")
    active: bool = True


class CampaignPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    start_date: date | None = None
    validity_days: int | None = Field(default=None, ge=1, le=3660)
    friend_discount_percent: PercentIn | None = None
    bonus_rule: Literal["fixed", "percent", "percent_max"] | None = None
    bonus_amount: MoneyIn | None = None
    bonus_percent: PercentIn | None = None
    bonus_max: MoneyIn | None = None
    min_purchase: MoneyIn | None = None
    group_id: int | None = None
    active: bool | None = None
