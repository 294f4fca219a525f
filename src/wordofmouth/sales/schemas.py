from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from wordofmouth.i18n import gettext
from wordofmouth.money import ZERO
from wordofmouth.sales.models import Sale, SaleReturn
from wordofmouth.schemas import MoneyIn, Out, PositiveMoney, QtyIn, Strict


class LineIn(Strict):
    product_id: int | None = None
    barcode: str | None = Field(default=None, max_length=40, description="Barcode or SKU")
    qty: QtyIn = Decimal("1")
    unit_price: MoneyIn | None = Field(default=None,
                                       description="Defaults to the catalog price")

    @model_validator(mode="after")
    def _one_product(self) -> LineIn:
        if (self.product_id is None) == (self.barcode is None):
            raise ValueError(gettext("give exactly one of product_id or barcode"))
        return self


class PaymentIn(Strict):
    method: Literal["cash", "card", "bank", "bonus", "setoff"] = Field(
        description="setoff: an invoice its intermediary pays, against their payable "
                    "commission")
    amount: PositiveMoney


class SaleIn(Strict):
    lines: list[LineIn] = Field(min_length=1, max_length=500)
    customer_id: int | None = None
    card_number: str | None = Field(default=None, max_length=32)
    payments: list[PaymentIn] = Field(default_factory=list, max_length=10,
                                      description="Empty leaves the sale open")
    document_date: datetime | None = Field(
        default=None, description="Only tokens with history:import; the till uses the clock")
    note: str = Field(default="", max_length=300)


class InvoiceIn(Strict):
    customer_id: int
    lines: list[LineIn] = Field(min_length=1, max_length=500)
    due_date: date | None = None
    note: str = Field(default="", max_length=300)
    document_date: datetime | None = None
    intermediary_id: int | None = Field(
        default=None, description="To the customer through this partner, who earns its "
                                  "commission")
    intermediary_employee_id: int | None = None
    paid_by: Literal["customer", "intermediary"] = Field(
        default="customer", description="intermediary: the partner pays for the goods and "
                                        "may pay by setting off their commission")


class PaymentsIn(Strict):
    payments: list[PaymentIn] = Field(min_length=1, max_length=10)


class ReturnLineIn(Strict):
    line_id: int
    qty: QtyIn


class ReturnIn(Strict):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    reason: str = Field(default="", max_length=300)
    document_date: datetime | None = Field(
        default=None, description="Only tokens with history:import; the till uses the clock")


class LineOut(Out):
    id: int
    line_no: int
    product_id: int
    name: str
    qty: Decimal
    unit_price: Decimal
    gross: Decimal
    discount_percent: Decimal
    discount_source: str
    discount_reference: str = Field(description="What names the discount: the friend code's "
                                                "owner, the partner code, the offer")
    discount_amount: Decimal
    net: Decimal
    returned_qty: Decimal


class PaymentOut(Out):
    method: str
    amount: Decimal
    tendered: Decimal


class AttributionOut(Out):
    reason: str = Field(description="linked_customer, partner_code, invoice_intermediary, "
                                    "storefront or none")
    partner_id: int | None
    partner: str = Field(description="The partner's name, '' when none")
    employee: str = Field(description="The partner's employee who brought it, '' when none")


class SaleOut(Out):
    id: int
    number: str
    kind: str
    status: str
    customer_id: int | None
    card_id: int | None
    channel: str
    created_at: datetime
    paid_at: datetime | None
    due_date: date | None
    gross_total: Decimal
    discount_total: Decimal
    net_total: Decimal
    paid_total: Decimal
    due: Decimal
    change: Decimal
    returned_net: Decimal
    lines: list[LineOut]
    payments: list[PaymentOut]
    attribution: AttributionOut | None = Field(
        default=None, description="Why a paid sale is credited to a partner, and to whom "
                                  "(in the answers of reading and paying a sale)")

    @classmethod
    def of(cls, sale: Sale, attribution: AttributionOut | None = None) -> SaleOut:
        change = sum((p.tendered - p.amount for p in sale.payments), ZERO)
        return cls.model_validate({**{k: getattr(sale, k) for k in cls.model_fields
                                      if k not in ("change", "attribution")},
                                   "change": change, "attribution": attribution})


class ReturnLineOut(Out):
    sale_line_id: int
    qty: Decimal
    net: Decimal


class ReturnOut(Out):
    id: int
    number: str
    sale_id: int
    created_at: datetime
    net_amount: Decimal
    refund_cash: Decimal
    refund_card: Decimal
    refund_bank: Decimal
    refund_bonus: Decimal
    refund_setoff: Decimal
    lines: list[ReturnLineOut]

    @classmethod
    def of(cls, ret: SaleReturn) -> ReturnOut:
        return cls.model_validate(ret)
