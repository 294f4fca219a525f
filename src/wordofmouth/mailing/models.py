"""Mailings and their outbox: one message per customer per mailing, sent by a worker after
the mailing is committed; opt-outs recorded by the unsubscribe link."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, UTCDateTime, utcnow


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    VIBER = "viber"
    VIBER_SMS = "viber_sms"  # Viber, falling back to SMS


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Mailing(Base):
    __tablename__ = "mailings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    channel: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(500), default="")  # how it was chosen
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The form's one-time key: submitting the same form twice creates one mailing.
    client_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # when its last message was sent or failed (announced to webhooks once, then)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(Base):
    """One letter of a mailing: to a customer (with the unsubscribe link), or to a partner
    (their monthly statement, with its PDF attached)."""

    __tablename__ = "mailing_messages"
    __table_args__ = (
        UniqueConstraint("mailing_id", "customer_id"),
        UniqueConstraint("mailing_id", "partner_id"),
        Index("ix_mailing_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    channel: Mapped[str] = mapped_column(String(12))  # the channel it goes (or went) by
    address: Mapped[str] = mapped_column(String(254), default="")  # e-mail or E.164 phone
    fallback_address: Mapped[str] = mapped_column(String(32), default="")  # SMS after Viber
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))  # whose claim holds it
    answer: Mapped[str] = mapped_column(String(500), default="")  # the provider's, or why
    provider_id: Mapped[str] = mapped_column(String(120), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attachment_name: Mapped[str] = mapped_column(String(160), default="")
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # a PDF


class OptOut(Base):
    __tablename__ = "mailing_opt_outs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(12))
    mailing_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
