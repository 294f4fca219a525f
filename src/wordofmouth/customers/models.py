"""Customers and their discount cards."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wordofmouth.customers import rules
from wordofmouth.db import Base, Percent, UTCDateTime, utcnow


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (Index("ix_customers_last_first", "last_name", "first_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80), default="")
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    consent_email: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_viber: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept from the fields above on every write (see _keep_search_columns): folded names,
    # e-mail and phone digits for search in any script; the Ukrainian alphabetical order.
    search_text: Mapped[str] = mapped_column(Text, default="")
    sort_key: Mapped[str] = mapped_column(String(rules.SORT_KEY_LENGTH), default="", index=True)

    cards: Mapped[list[DiscountCard]] = relationship(
        back_populates="customer", order_by="DiscountCard.id"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def main_card(self) -> DiscountCard | None:
        return next((c for c in self.cards if c.is_main and c.active), None)


@event.listens_for(Customer, "before_insert")
@event.listens_for(Customer, "before_update")
def _keep_search_columns(_mapper: Any, _connection: Any, customer: Customer) -> None:
    customer.search_text = rules.search_text(customer.first_name, customer.last_name or "",
                                             customer.email, customer.phone)
    customer.sort_key = rules.sort_key(customer.last_name or "", customer.first_name)


class DiscountCard(Base):
    __tablename__ = "discount_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    bonus_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    is_main: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="cards")


class CustomerContact(Base):
    """A contact with the customer on their record: a note a person wrote, or what the store
    did for them (a partner's reward for them paid). Mailings received are read from the
    mailing's own messages (customers.contact_history)."""

    __tablename__ = "customer_contacts"
    __table_args__ = (Index("ix_customer_contacts_customer", "customer_id", "at"),
                      UniqueConstraint("customer_id", "source_key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  # note | reward_paid
    text: Mapped[str] = mapped_column(String(1000))
    actor: Mapped[str] = mapped_column(String(120), default="")
    # What the contact records, for one contact per customer and source (payout:12).
    source_key: Mapped[str | None] = mapped_column(String(80))
