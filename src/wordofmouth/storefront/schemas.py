"""Storefront API bodies and answers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import EmailStr, Field, model_validator

from wordofmouth.i18n import gettext
from wordofmouth.schemas import Out, PositiveMoney, Strict


class AccountIn(Strict):
    external_id: str = Field(min_length=1, max_length=120)
    email: EmailStr | None = None


class OrderLineIn(Strict):
    product_id: int | None = None
    group_id: int | None = None
    amount: PositiveMoney
    kind: Literal["one_time", "subscription_activation", "subscription_renewal"] = "one_time"

    @model_validator(mode="after")
    def _product_or_group(self) -> OrderLineIn:
        if (self.product_id is None) == (self.group_id is None):
            raise ValueError(gettext("give exactly one of product_id or group_id"))
        return self


class OrderIn(Strict):
    external_id: str = Field(min_length=1, max_length=120)
    account: AccountIn
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)
    referral_token: str | None = Field(default=None, max_length=500,
                                       description="The wom_ref cookie's value, if any")
    ordered_at: datetime | None = Field(default=None, description="Defaults to now")

    @model_validator(mode="after")
    def _aware(self) -> OrderIn:
        if self.ordered_at is not None and self.ordered_at.tzinfo is None:
            raise ValueError(gettext("ordered_at needs a time zone (e.g. "
                                     "2026-11-23T10:00:00Z)"))
        if self.ordered_at is not None and not 2000 <= self.ordered_at.year <= 2100:
            raise ValueError(gettext("ordered_at is out of range"))
        return self


class RefundIn(Strict):
    lines: list[int] = Field(min_length=1, max_length=200,
                             description="Line numbers of the order, from 1")


class OrderOut(Out):
    external_id: str
    sale_id: int
    decision: str = Field(description="attributed | no_token | bad_signature | window_passed "
                                      "| partner_inactive | already_linked | linked_before")
    partner_id: int | None = Field(description="The partner the account is linked to")
    net_total: Decimal
    refunded: Decimal
    commission: Decimal


class KeyIn(Strict):
    key: str = Field(min_length=1, max_length=200)


class KeySwitch(Strict):
    active: bool = Field(description="false: the key's links still lead to the storefront "
                                     "but credit nobody")


class StorefrontSettingsIn(Strict):
    home_url: str | None = Field(default=None, max_length=300)
    allowed_hosts: str | None = Field(default=None, max_length=1000,
                                      description="Hosts clicks may be sent to, comma-separated")
    cookie_days: int | None = Field(default=None, description="Days a click counts, 1–365")
    attribution: Literal["last", "first"] | None = None
    tracking_url: str | None = Field(default=None, max_length=300,
                                     description="Where /r/KEY is served")


class StorefrontSettingsOut(Out):
    home_url: str
    allowed_hosts: str
    cookie_days: int
    attribution: str
    tracking_url: str


class KeyOut(Out):
    id: int
    key: str
    partner_id: int
    active: bool
    storefront_link: str
    short_link: str
