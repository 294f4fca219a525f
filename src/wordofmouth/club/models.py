"""Club discount: one membership row per customer, the decisions log, the daily reviews."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.club.rules import ClubStatus
from wordofmouth.db import Base, Money, Percent, UTCDateTime, utcnow


class ClubMembership(Base):
    __tablename__ = "club_memberships"
    # Half-empty pages let the review's many updates stay on the same page (HOT updates,
    # no index writes) on PostgreSQL.
    __table_args__ = (Index("ix_club_memberships_status", "status"),
                      {"postgresql_with": {"fillfactor": 50}})

    # No foreign key on purpose: the review rewrites a row several times in one transaction,
    # and PostgreSQL re-checks a foreign key on every update of a row the same transaction
    # inserted (half the review's time at 1 M customers). Rows are only ever created from
    # the customer ids of paid sales, which do have the foreign key; customers are never
    # deleted.
    customer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default=ClubStatus.REGULAR)
    # Purchases on or after this day may start an accumulation period (a (re)start).
    cycle_start_day: Mapped[int] = mapped_column(Integer)
    # The running period (accumulation for regulars, confirmation for members), inclusive.
    period_start_day: Mapped[int | None] = mapped_column(Integer)
    period_end_day: Mapped[int | None] = mapped_column(Integer)
    # The amount the period asks for, fixed when the period starts: a settings change
    # applies to periods that start after it.
    required_amount: Mapped[Decimal | None] = mapped_column(Money)
    reached_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    discount_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    member_since_day: Mapped[int | None] = mapped_column(Integer)
    # A member's confirmation counts the purchases paid from this moment (the grant or the
    # extension): what counted toward joining never counts toward confirming. None otherwise.
    counts_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubDecision(Base):
    """Every change of club status: who, when, what, with the amounts."""

    __tablename__ = "club_decisions"
    __table_args__ = (Index("ix_club_decisions_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(Integer)  # see ClubMembership.customer_id
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    day: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reached_amount: Mapped[Decimal | None] = mapped_column(Money)
    required_amount: Mapped[Decimal | None] = mapped_column(Money)
    period_start_day: Mapped[int | None] = mapped_column(Integer)
    period_end_day: Mapped[int | None] = mapped_column(Integer)


class ClubReview(Base):
    """One row per reviewed day: a second review of the same day finds it and does nothing."""

    __tablename__ = "club_reviews"

    day: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
