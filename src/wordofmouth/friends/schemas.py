from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from wordofmouth.sales.schemas import LineIn
from wordofmouth.schemas import Out, Strict


class CampaignOut(Out):
    id: int
    name: str
    start_day: int
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
