"""The reward statement in the API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from wordofmouth.schemas import Out, Strict


class MovementOut(Out):
    at: datetime
    source: str = Field(description="linked_customer, partner_code, invoice, storefront, "
                                    "milestone, reversal, rejected, set_off_refund, adjustment")
    document: str = Field(description="The receipt, invoice or return number")
    customer: str
    employee: str
    base: Decimal = Field(description="The sale's net amount (for an accrual)")
    amount: Decimal
    under_review: bool


class PaidOut(Out):
    at: datetime
    kind: str = Field(description="commission, set_off, one_time or bonus_cash_out")
    number: str
    method: str
    amount: Decimal
    note: str


class FunnelOut(Out):
    clicks: int
    accounts_brought: int
    paying_accounts: int
    orders: int
    activations: int
    revenue: Decimal
    commission: Decimal


class StatementOut(Out):
    partner_id: int
    partner: str
    date_from: date
    date_to: date
    opening: Decimal = Field(description="Pending + payable at the start")
    closing: Decimal
    closing_pending: Decimal
    closing_payable: Decimal
    earned: dict[str, Decimal] = Field(description="Earned in the period, by source")
    movements: list[MovementOut]
    payouts: list[PaidOut]
    storefront: FunnelOut


class StatementMailIn(Strict):
    date_from: date
    date_to: date


class StatementMailOut(Out):
    mailing_id: int
    name: str
