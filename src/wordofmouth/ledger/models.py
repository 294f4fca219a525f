"""The one bonus/commission ledger: accounts and append-only entries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, Money, UTCDateTime, utcnow


class AccountKind(StrEnum):
    CUSTOMER_BONUS = "customer_bonus"
    PARTNER_COMMISSION_PENDING = "partner_commission_pending"
    PARTNER_COMMISSION_PAYABLE = "partner_commission_payable"
    PARTNER_COMMISSION_PAID = "partner_commission_paid"
    PARTNER_BONUS = "partner_bonus"
    STORE = "store"


class LedgerAccount(Base):
    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("kind", "owner_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)  # customer id, partner id; 0 for the store
    # Running total of the entries, kept in the same transaction as each entry so the till
    # reads one row instead of summing a history; a check (`wom ledger verify`, tests)
    # proves it equals the sum of the entries.
    balance: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_account_at", "account_id", "created_at"),
        Index("ix_ledger_entries_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[str] = mapped_column(String(40))  # bonus_accrual, bonus_spend, …
    source_type: Mapped[str] = mapped_column(String(30))  # sale, return, payment, payout, …
    source_id: Mapped[int] = mapped_column(Integer)
    # Names the source document and the movement: posting the same source twice is impossible.
    source_key: Mapped[str] = mapped_column(String(120), unique=True)
    sale_id: Mapped[int | None] = mapped_column(Integer, index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"))
    memo: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
