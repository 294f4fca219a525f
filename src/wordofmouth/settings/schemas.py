"""The store settings in the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from wordofmouth.schemas import Out, PercentIn, Strict


class StoreSettingsIn(Strict):
    store_name: str | None = Field(default=None, min_length=1, max_length=200)
    store_address: str | None = Field(default=None, max_length=200,
                                      description="Printed on receipts")
    currency: str | None = Field(default=None, max_length=3)
    bonus_share_percent: PercentIn | None = Field(
        default=None, description="How much of a receipt bonuses may pay")
    default_bonus_percent: PercentIn | None = None
    hold_days: int | None = Field(default=None, description="Commission hold period, 0–365")
    time_zone: str | None = Field(default=None, max_length=60, description="e.g. Europe/Kyiv")
    country: str | None = Field(default=None, max_length=2,
                                description="Phones without a country code are this one's")
    language: str | None = Field(default=None, max_length=5,
                                 description="What customers receive: uk or en")
    csv_separator: Literal["auto", ";", ","] | None = None


class StoreSettingsOut(Out):
    store_name: str
    store_address: str
    currency: str
    bonus_share_percent: Decimal
    default_bonus_percent: Decimal
    hold_days: int
    time_zone: str
    country: str
    language: str
    csv_separator: str
