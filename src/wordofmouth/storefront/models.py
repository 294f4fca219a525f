"""Storefront referral links: partner keys, recorded clicks, storefront accounts and the
orders they report (each with its attribution decision)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, UTCDateTime, utcnow


class PartnerKey(Base):
    """A partner's key for referral links: case-sensitive (carter81 ≠ Carter81), unique."""

    __tablename__ = "partner_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CacheVersion(Base):
    """How many times what a cache holds has changed (cache_signal: bumped in the
    transaction of the change, read by processes that cannot be told through NOTIFY)."""

    __tablename__ = "cache_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class Click(Base):
    """One followed referral link (written in batches by the click buffer)."""

    __tablename__ = "referral_clicks"
    __table_args__ = (Index("ix_referral_clicks_partner_at", "partner_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    key: Mapped[str] = mapped_column(String(64))
    partner_id: Mapped[int | None] = mapped_column(Integer)  # None: an unknown key
    ip_hash: Mapped[str] = mapped_column(String(32))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    referrer: Mapped[str] = mapped_column(String(500), default="")
    target: Mapped[str] = mapped_column(String(500), default="")
    cookie_set: Mapped[bool] = mapped_column(Boolean, default=False)


class StorefrontAccount(Base):
    """A storefront's customer account, kept as a customer of the store (so partner links,
    commission and reports work as for the shop's own customers)."""

    __tablename__ = "storefront_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StorefrontOrder(Base):
    """An order reported by the storefront, with why it was (not) attributed to a partner."""

    __tablename__ = "storefront_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("storefront_accounts.id"), index=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("sales.id"), unique=True)
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # attributed | no_token | bad_signature | window_passed | partner_inactive |
    # already_linked (to another partner) | linked_before (to this partner: no new link)
    decision: Mapped[str] = mapped_column(String(20))
    token_partner_id: Mapped[int | None] = mapped_column(Integer)
    clicked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activations: Mapped[int] = mapped_column(Integer, default=0)
    renewals: Mapped[int] = mapped_column(Integer, default=0)
