"""The partner program's further shapes in the API: offers, commission under review,
maturing, the partner's own card, employees' changes and a customer's link history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import EmailStr, Field

from wordofmouth.schemas import Out, PercentIn, Strict


class OfferIn(Strict):
    name: str = Field(min_length=1, max_length=120)
    discount_percent: PercentIn
    employee_id: int | None = None
    group_id: int | None = Field(default=None, description="Only goods of this group")
    valid_from: date | None = None
    valid_to: date | None = None


class OfferSwitch(Strict):
    active: bool


class OfferOut(Out):
    id: int
    partner_id: int
    employee_id: int | None
    name: str
    discount_percent: Decimal
    group_id: int | None
    valid_from: date | None
    valid_to: date | None
    active: bool


class ReviewOut(Out):
    sale_id: int
    partner_id: int
    reason: str = Field(description="Why it is held: the buyer shares a phone or an e-mail "
                                    "with the partner or an employee")
    status: str
    flagged_at: datetime


class ReviewDecisionIn(Strict):
    decision: Literal["approve", "reject"]


class MatureIn(Strict):
    day: date | None = Field(default=None, description="As of the end of this store day, "
                                                       "for a backfill (default now)")


class MatureOut(Out):
    matured: int = Field(description="Sales whose commission became payable")


class OwnCardIn(Strict):
    card_number: str = Field(max_length=32, description="'' : no own card")


class EmployeePatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=160)
    phone: str | None = Field(default=None, max_length=40)
    email: EmailStr | Literal[""] | None = None
    active: bool | None = Field(default=None, description="false: gone (kept on the records)")


class LinkChangeOut(Out):
    at: datetime
    partner_id: int
    partner: str
    employee_id: int | None
    previous_partner_id: int | None
    previous_partner: str
    source: str
    actor: str
    reason: str
