"""Sales (receipts and invoices), their lines, payments and returns."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wordofmouth.customers.models import DiscountCard
from wordofmouth.db import Base, Money, Percent, Quantity, UTCDateTime, utcnow


class SaleStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"
    VOIDED = "voided"


# A sale that was paid, whatever was returned of it since.
PAID_STATUSES = (SaleStatus.PAID, SaleStatus.PARTIALLY_RETURNED, SaleStatus.RETURNED)


class SaleKind(StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK = "bank"
    BONUS = "bonus"
    SETOFF = "setoff"  # an invoice the intermediary pays, against their due commission


def sale_number(kind: str, sale_id: int) -> str:
    """What people call a sale: R-000123 for a receipt, INV-000045 for an invoice."""
    return f"{'INV' if kind == SaleKind.INVOICE else 'R'}-{sale_id:06d}"


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        Index("ix_sales_customer_paid", "customer_id", "paid_at"),
        Index("ix_sales_customer_paid_day", "customer_id", "paid_day"),
        Index("ix_sales_paid_day", "paid_day"),
        Index("ix_sales_recorded_day", "recorded_day", "customer_id"),
        Index("ix_sales_status_created", "status", "created_at"),
        # a history import finds the sale it made of an old receipt by its note
        Index("ix_sales_channel_note", "channel", "note"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default=SaleKind.RECEIPT)
    status: Mapped[str] = mapped_column(String(20), default=SaleStatus.OPEN)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    card_id: Mapped[int | None] = mapped_column(ForeignKey("discount_cards.id"))
    created_by: Mapped[str] = mapped_column(String(120), default="")
    channel: Mapped[str] = mapped_column(String(20), default="pos")  # pos | api | import
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    paid_day: Mapped[int | None] = mapped_column(Integer)  # calendar.day_of(paid_at)
    # The store day the payment was recorded on: the day it was paid, or later for a receipt
    # brought in from another program (which counts for its own past day).
    recorded_day: Mapped[int | None] = mapped_column(Integer)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_date: Mapped[date | None] = mapped_column(Date)
    gross_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    discount_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    net_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    paid_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    returned_net: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    note: Mapped[str] = mapped_column(String(300), default="")
    # Promo codes presented at the till for this sale (friend and partner codes); the
    # capabilities that own the codes look here before they look anything up.
    presented_codes: Mapped[list[str]] = mapped_column(JSON, default=list)

    card: Mapped[DiscountCard | None] = relationship(lazy="select")
    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.line_no", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="sale", order_by="Payment.id", cascade="all, delete-orphan"
    )
    returns: Mapped[list[SaleReturn]] = relationship(
        back_populates="sale", order_by="SaleReturn.id"
    )

    @property
    def number(self) -> str:
        return sale_number(self.kind, self.id)

    @property
    def due(self) -> Decimal:
        return self.net_total - self.paid_total

    def paid_with(self, method: PaymentMethod) -> Decimal:
        return sum((p.amount for p in self.payments if p.method == method), Decimal("0.00"))


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    group_id: Mapped[int] = mapped_column(Integer)  # the product's group at the time of sale
    name: Mapped[str] = mapped_column(String(200))
    qty: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    unit_cost: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    gross: Mapped[Decimal] = mapped_column(Money)
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    discount_source: Mapped[str] = mapped_column(String(30), default="")
    # what names the discount to a person: the friend code's referrer, the promo code, the
    # offer's name (empty for a card or the club)
    discount_reference: Mapped[str] = mapped_column(String(120), default="")
    discount_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    net: Mapped[Decimal] = mapped_column(Money)
    returned_qty: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))

    sale: Mapped[Sale] = relationship(back_populates="lines")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Money)
    tendered: Mapped[Decimal] = mapped_column(Money)  # cash handed over; change = tendered - amount
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sale: Mapped[Sale] = relationship(back_populates="payments")


class SaleReturn(Base):
    __tablename__ = "sale_returns"
    __table_args__ = (Index("ix_sale_returns_recorded_day", "recorded_day", "sale_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    day: Mapped[int] = mapped_column(Integer, default=0)  # calendar.day_of(created_at)
    recorded_day: Mapped[int | None] = mapped_column(Integer)  # as Sale.recorded_day
    created_by: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")
    net_amount: Mapped[Decimal] = mapped_column(Money)
    refund_cash: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    refund_card: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    refund_bank: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    refund_bonus: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    refund_setoff: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))

    sale: Mapped[Sale] = relationship(back_populates="returns")
    lines: Mapped[list[ReturnLine]] = relationship(cascade="all, delete-orphan")

    @property
    def number(self) -> str:
        return f"RET-{self.id:06d}"


class ReturnLine(Base):
    __tablename__ = "return_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("sale_returns.id"), index=True)
    sale_line_id: Mapped[int] = mapped_column(ForeignKey("sale_lines.id"))
    qty: Mapped[Decimal] = mapped_column(Quantity)
    net: Mapped[Decimal] = mapped_column(Money)
