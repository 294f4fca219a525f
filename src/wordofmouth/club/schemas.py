"""The club's API shapes: settings, the review lists, decisions and the review's result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field

from wordofmouth.schemas import MoneyIn, Out, PercentIn, Strict


class ClubSettingsIn(Strict):
    enabled: bool | None = None
    automatic: bool | None = Field(default=None, description="Decide without the owner")
    discount_percent: PercentIn | None = None
    accumulation_amount: MoneyIn | None = None
    accumulation_days: int | None = Field(default=None, ge=1, le=3660)
    confirmation_amount: MoneyIn | None = None
    confirmation_days: int | None = Field(default=None, ge=1, le=3660)
    started_on: date | None = Field(default=None, description="Purchases from this day count "
                                                              "(until the first review)")


class ClubSettingsOut(Out):
    enabled: bool
    automatic: bool
    discount_percent: Decimal
    accumulation_amount: Decimal
    accumulation_days: int
    confirmation_amount: Decimal
    confirmation_days: int
    started_on: date | None


class CandidateOut(Out):
    customer_id: int
    customer: str = Field(description="The customer's name")
    card: str | None
    status: str
    reached: Decimal = Field(description="Bought in the period")
    required: Decimal | None = Field(description="What the period asks for")
    period_start: date | None
    period_end: date | None
    discount_percent: Decimal


class DecisionIn(Strict):
    action: Literal["grant", "decline", "extend", "exclude"]
    customer_ids: list[int] = Field(min_length=1, max_length=10000)


class DecisionOut(Out):
    action: str
    decided: int


class ReviewIn(Strict):
    day: date | None = Field(default=None, description="A past day, for a backfill "
                                                       "(default today)")


class ReviewOut(Out):
    day: date
    ran: bool = Field(description="False when that day had been reviewed already")
    counts: dict[str, int]
    members: dict[str, int] = Field(description="Customers in each club status now")
