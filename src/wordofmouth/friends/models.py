"""Refer a Friend: campaigns, one-time friend codes, and who referred whom."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, Money, Percent, UTCDateTime, utcnow


class CodeStatus(StrEnum):
    ISSUED = "issued"
    HELD = "held"  # attached to an open sale: no other till can use it
    USED = "used"


class FriendCampaign(Base):
    __tablename__ = "friend_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    start_day: Mapped[int] = mapped_column(Integer)  # the issue date (calendar day number)
    validity_days: Mapped[int] = mapped_column(Integer)
    friend_discount_percent: Mapped[Decimal] = mapped_column(Percent)
    bonus_rule: Mapped[str] = mapped_column(String(12))
    bonus_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    bonus_percent: Mapped[Decimal] = mapped_column(Percent, default=Decimal("0"))
    bonus_max: Mapped[Decimal | None] = mapped_column(Money)
    min_purchase: Mapped[Decimal | None] = mapped_column(Money)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("product_groups.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FriendCode(Base):
    __tablename__ = "friend_codes"
    __table_args__ = (
        Index("ix_friend_codes_referrer", "referrer_id", "campaign_id"),
        Index("ix_friend_codes_campaign_status", "campaign_id", "status"),
        # Only held codes are looked up by sale: a partial index keeps bulk issuing cheap.
        Index("ix_friend_codes_held_sale", "held_sale_id",
              postgresql_where=text("held_sale_id IS NOT NULL"),
              sqlite_where=text("held_sale_id IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(13), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("friend_campaigns.id"))
    referrer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    batch: Mapped[str] = mapped_column(String(32))  # the codes issued together (one label sheet)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(8), default=CodeStatus.ISSUED)
    held_sale_id: Mapped[int | None] = mapped_column(Integer)
    used_sale_id: Mapped[int | None] = mapped_column(Integer)
    friend_id: Mapped[int | None] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purchase_amount: Mapped[Decimal | None] = mapped_column(Money)  # friend's qualifying net


class FriendReferral(Base):
    """A friend is referred once: by the owner of the first friend code they paid with."""

    __tablename__ = "friend_referrals"

    friend_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("friend_codes.id"))
    sale_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
