"""Customer activity in the API: the fields are the export's column names."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from wordofmouth.schemas import Out, PercentIn, Strict


class ActivityRowOut(Out):
    customer_id: int
    customer: str
    card: str
    partner: str
    employee: str
    purchases: int
    revenue: Decimal
    average_check: Decimal
    discount_percent: Decimal
    bonus_balance: Decimal
    last_purchase: datetime | None
    club_status: str


class ActivityOut(Out):
    date_from: date
    date_to: date
    customers: int = Field(description="Customers matching the filter")
    purchases: int
    revenue: Decimal
    average_check: Decimal
    rows: list[ActivityRowOut]


class ChosenIn(Strict):
    customer_ids: list[int] = Field(min_length=1, max_length=10_000)


class DiscountIn(ChosenIn):
    discount_percent: PercentIn


class DiscountOut(Out):
    cards_changed: int
    without_card: int


class InviteOut(Out):
    invited: int
    members_already: int
