"""The contact history on a customer's card: notes, partner rewards paid and the mailings
the customer received, newest first (a read model: mailings are the mailing's messages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.customers import contacts
from wordofmouth.mailing.models import Mailing, Message, MessageStatus


@dataclass(frozen=True)
class Contact:
    at: datetime
    kind: str  # note | reward_paid | mailing
    text: str
    actor: str


def history(session: Session, customer_id: int, *, limit: int = 100) -> list[Contact]:
    found = [Contact(c.at, c.kind, c.text, c.actor)
             for c in contacts.of(session, customer_id, limit=limit)]
    found += [Contact(at, "mailing", f"{name} · {channel}: {subject}".rstrip(": "), "")
              for at, name, channel, subject in session.execute(
                  select(Message.sent_at, Mailing.name, Message.channel, Message.subject)
                  .join(Mailing, Mailing.id == Message.mailing_id)
                  .where(Message.customer_id == customer_id,
                         Message.status == MessageStatus.SENT, Message.sent_at.is_not(None))
                  .order_by(Message.sent_at.desc()).limit(limit)) if at is not None]
    return sorted(found, key=lambda c: c.at, reverse=True)[:limit]
