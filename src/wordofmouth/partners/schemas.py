"""Partner API bodies and answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import EmailStr, Field, model_validator

from wordofmouth.i18n import gettext
from wordofmouth.partners.models import PartnerKind
from wordofmouth.schemas import MoneyIn, Out, PercentIn, PositiveMoney, Strict

Kind = Literal["blogger", "specialist", "media", "company", "store", "other"]
assert set(Kind.__args__) == {k.value for k in PartnerKind}  # type: ignore[attr-defined]
STATEMENT_BY_EMAIL = ("E-mail the partner each month's reward statement (PDF) early in the "
                      "next month; needs an e-mail address")


class PartnerIn(Strict):
    name: str = Field(min_length=1, max_length=160)
    kind: Kind = "other"
    phone: str = Field(default="", max_length=40)
    email: EmailStr | Literal[""] = ""
    contacts: str = Field(default="", max_length=2000)
    payment_details: str = Field(default="", max_length=2000)
    active: bool = True
    statement_by_email: bool = Field(default=False, description=STATEMENT_BY_EMAIL)


class PartnerPatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=160)
    kind: Kind | None = None
    phone: str | None = Field(default=None, max_length=40)
    email: EmailStr | Literal[""] | None = None
    contacts: str | None = Field(default=None, max_length=2000)
    payment_details: str | None = Field(default=None, max_length=2000)
    active: bool | None = None
    statement_by_email: bool | None = Field(default=None, description=STATEMENT_BY_EMAIL)


class PartnerOut(Out):
    id: int
    name: str
    kind: str
    phone: str
    email: str
    contacts: str
    payment_details: str
    active: bool
    statement_by_email: bool
    customer_id: int | None = Field(description="The partner's own customer card holder")


class EmployeeIn(Strict):
    name: str = Field(min_length=1, max_length=160)
    phone: str = Field(default="", max_length=40)
    email: EmailStr | Literal[""] = ""


class EmployeeOut(Out):
    id: int
    partner_id: int
    name: str
    phone: str
    email: str
    active: bool


class GroupRate(Strict):
    group_id: int
    rate: PercentIn


class MilestoneIn(Strict):
    every: int = Field(ge=1, le=100_000, description="Every N new customers (1: a bounty)")
    minimum: MoneyIn = Field(description="The smallest first purchase that counts")
    amount: PositiveMoney


class TermsIn(Strict):
    default_rate: PercentIn
    months: int | None = Field(default=None, ge=1, le=600,
                               description="Months from linking; empty: lifetime")
    rates: list[GroupRate] = Field(default_factory=list, max_length=1000)
    milestone: MilestoneIn | None = None

    @model_validator(mode="after")
    def _one_rate_per_group(self) -> TermsIn:
        if len({r.group_id for r in self.rates}) != len(self.rates):
            raise ValueError(gettext("one rate per product group"))
        return self


class TermsOut(Out):
    partner_id: int
    default_rate: Decimal
    months: int | None
    rates: list[GroupRate]
    milestone: MilestoneIn | None
    milestone_count: int


class CodeIn(Strict):
    # the rule (3–32 of A–Z, 0–9, '-') is the service's, answered malformed_partner_code
    # whatever is wrong; the bound here only keeps absurd bodies out
    code: str = Field(max_length=200, description="3–32 letters A–Z, digits and '-'")
    employee_id: int | None = None
    discount_percent: PercentIn = Decimal("0")
    group_id: int | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True


class CodeOut(Out):
    id: int
    code: str
    partner_id: int
    employee_id: int | None
    discount_percent: Decimal
    group_id: int | None
    active: bool


class LinkIn(Strict):
    partner_id: int
    employee_id: int | None = None
    reason: str = Field(default="", max_length=300,
                        description="Needed to re-link a linked customer (owner, manager)")
    linked_at: datetime | None = Field(
        default=None, description="Only tokens with history:import: when it was linked")


class LinkOut(Out):
    customer_id: int
    partner_id: int
    employee_id: int | None
    linked_at: datetime
    source: str
    changed: bool = False


class BalanceOut(Out):
    partner_id: int
    pending: Decimal
    payable: Decimal
    reversed: Decimal
    paid: Decimal
    due: Decimal
    bonuses: Decimal | None = Field(description="On the partner's own card, if any")


class PayoutIn(Strict):
    kind: Literal["commission", "one_time", "bonus_cash_out"] = "commission"
    amount: PositiveMoney
    method: Literal["cash", "bank_transfer"]
    invoice_id: int | None = Field(default=None, description="For a one-time payment")
    note: str = Field(default="", max_length=300)
    override_reason: str = Field(default="", max_length=300,
                                 description="Owner only: pay commission above payable")

    @model_validator(mode="after")
    def _invoice_for_one_time(self) -> PayoutIn:
        if (self.kind == "one_time") != (self.invoice_id is not None):
            raise ValueError(gettext("a one-time payment, and only it, names its invoice_id"))
        return self


class PayoutOut(Out):
    id: int
    partner_id: int
    kind: str
    amount: Decimal
    method: str
    invoice_id: int | None
    note: str
    override_reason: str
    actor: str
    at: datetime


class ProfitOut(Out):
    invoice_id: int
    revenue: Decimal
    cost_of_goods: Decimal
    expenses: Decimal
    profit: Decimal
