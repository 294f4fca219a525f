"""Contacts on a customer's record: notes people write, and what the store did for the
customer (seed 000: "create a contact with the customer that the reward has been paid")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.customers.models import CustomerContact
from wordofmouth.customers.service import get_customer
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext

NOTE, REWARD_PAID = "note", "reward_paid"
MAX_TEXT = 1000


def add_note(session: Session, customer_id: int, text: str, *, actor: str) -> CustomerContact:
    """A person's note on the customer's record (a call, a wish, a complaint)."""
    get_customer(session, customer_id)
    text = text.strip()
    if not text:
        raise InvalidInput(gettext("Write the note first."))
    if len(text) > MAX_TEXT:
        raise InvalidInput(gettext("A note is at most {0} characters.").format(MAX_TEXT))
    contact = CustomerContact(customer_id=customer_id, kind=NOTE, text=text, actor=actor,
                              at=utcnow())
    session.add(contact)
    audit.record(session, actor=actor, action="customer.note", target_type="customer",
                 target_id=customer_id)
    session.flush()
    return contact


def record(session: Session, customer_ids: dict[int, str], *, kind: str, source_key: str,
           actor: str, at: datetime | None = None) -> int:
    """One contact of `kind` per customer (customer id → its text) for the source named by
    `source_key`; a customer who has it already is skipped. Returns how many were added."""
    if not customer_ids:
        return 0
    have = set(session.scalars(select(CustomerContact.customer_id).where(
        CustomerContact.source_key == source_key,
        CustomerContact.customer_id.in_(customer_ids))))
    at = at or utcnow()
    fresh = [CustomerContact(customer_id=cid, kind=kind, text=text[:MAX_TEXT], actor=actor,
                             source_key=source_key, at=at)
             for cid, text in customer_ids.items() if cid not in have]
    session.add_all(fresh)
    session.flush()
    return len(fresh)


def of(session: Session, customer_id: int, *, limit: int = 100) -> list[CustomerContact]:
    return list(session.scalars(select(CustomerContact)
                                .where(CustomerContact.customer_id == customer_id)
                                .order_by(CustomerContact.at.desc(), CustomerContact.id.desc())
                                .limit(limit)))
