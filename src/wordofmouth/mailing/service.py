"""Mailings: create one (and its whole outbox) in one transaction, follow it, retry the
failed messages, preview and test-send a template, and the unsubscribe link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from wordofmouth import i18n, rows
from wordofmouth.audit import service as audit
from wordofmouth.config import get_settings
from wordofmouth.customers import service as customers
from wordofmouth.customers.errors import CustomerNotFound
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.mailing import audience, rules, senders
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.errors import (
    BadUnsubscribeLink,
    EmptyAudience,
    InvalidAddress,
    MailingNotFound,
    UnknownPlaceholder,
)
from wordofmouth.mailing.models import Channel, Mailing, Message, MessageStatus, OptOut
from wordofmouth.settings import service as store_settings

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.customers.models import Customer

BATCH = 1000
CHANNEL_NAMES = {"email": "e-mail", "sms": "SMS", "viber": "Viber",
                 "viber_sms": "Viber, else SMS"}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="wordofmouth.unsubscribe")


def unsubscribe_token(customer_id: int, channel: str, mailing_id: int) -> str:
    return str(_serializer().dumps([customer_id, channel, mailing_id]))


def unsubscribe_url(public_url: str, customer_id: int, channel: str, mailing_id: int) -> str:
    return f"{public_url}/unsubscribe/{unsubscribe_token(customer_id, channel, mailing_id)}"


def _check_template(channel: str, subject: str, body: str) -> None:
    if channel not in {c.value for c in Channel}:
        raise InvalidInput(gettext("Channel is one of {0}.")
                           .format(', '.join(c.value for c in Channel)))
    if not body.strip():
        raise InvalidInput(gettext("The message is empty."))
    if channel == Channel.EMAIL and not subject.strip():
        raise InvalidInput(gettext("An e-mail needs a subject."))
    try:
        rules.placeholders_in(subject)
        rules.placeholders_in(body)
    except rules.TemplateError as exc:
        raise UnknownPlaceholder(str(exc)) from exc


def _email_body(session: Session, body: str, url: str) -> str:
    """The e-mail with its footer, in the language the store's customers receive."""
    with i18n.use(store_settings.get(session).language):
        footer = gettext("To stop receiving these e-mails: {0}").format(url)
    return f"{body.rstrip()}\n\n--\n{footer}\n"


def create(session: Session, *, channel: str, subject: str, body: str,
           customer_ids: Iterable[int], actor: str, name: str = "", audience_note: str = "",
           client_key: str | None = None) -> Mailing:
    """The mailing and one message per distinct customer — queued, or skipped with the
    reason (no consent, no valid address) — written in the caller's transaction. The worker
    sends after the commit."""
    if client_key:
        earlier = session.scalar(select(Mailing).where(Mailing.client_key == client_key))
        if earlier is not None:
            return earlier
    _check_template(channel, subject, body)
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        raise EmptyAudience()
    settings = mail_settings.get(session)
    mailing = Mailing(name=(name.strip() or f"{CHANNEL_NAMES[channel]} to {len(ids)} customers")
                      [:160], channel=channel, subject=subject.strip(), body=body,
                      audience=audience_note[:500], created_by=actor, client_key=client_key)
    session.add(mailing)
    session.flush()
    now = utcnow()
    for start in range(0, len(ids), BATCH):
        rows = []
        for person in audience.people(session, ids[start:start + BATCH]):
            c = person.customer
            to = rules.recipient(channel, email=c.email, phone=c.phone,
                                 consent_email=c.consent_email, consent_sms=c.consent_sms,
                                 consent_viber=c.consent_viber, region=settings.phone_region)
            text = rules.render(body, person.values)
            if to.channel == Channel.EMAIL and not to.skipped:
                url = unsubscribe_url(settings.public_url, c.id, "email", mailing.id)
                text = _email_body(session, text, url)
            rows.append({
                "mailing_id": mailing.id, "customer_id": c.id, "channel": to.channel,
                "address": to.address, "fallback_address": to.fallback_address,
                "subject": rules.render(subject, person.values)[:200], "body": text,
                "status": MessageStatus.SKIPPED if to.skipped else MessageStatus.QUEUED,
                "answer": to.skipped, "attempts": 0, "next_attempt_at": now,
                "provider_id": ""})
        if rows:
            session.execute(insert(Message), rows)
    audit.record(session, actor=actor, action="mailing.create", target_type="mailing",
                 target_id=mailing.id, channel=channel, customers=len(ids))
    return mailing


@dataclass(frozen=True)
class Letter:
    """An e-mail to a partner (not a customer: no consent, no unsubscribe link — the partner
    setting that asked for it stops it), maybe with a file attached."""

    partner_id: int
    address: str
    subject: str
    body: str
    attachment_name: str = ""
    attachment: bytes | None = None


def letters_mailing(session: Session, *, name: str, subject: str, audience_note: str,
                    actor: str, client_key: str) -> Mailing:
    """The e-mail mailing known by `client_key`, created if there is none yet, and locked
    (FOR UPDATE) so that letters are added to it by one transaction at a time."""
    found = session.scalar(select(Mailing).where(Mailing.client_key == client_key)
                           .with_for_update())
    if found is not None:
        return found
    mailing = Mailing(name=name[:160], channel=Channel.EMAIL, subject=subject[:200], body="",
                      audience=audience_note[:500], created_by=actor, client_key=client_key)
    session.add(mailing)
    session.flush()
    audit.record(session, actor=actor, action="mailing.create", target_type="mailing",
                 target_id=mailing.id, channel=Channel.EMAIL, partners=True)
    return mailing


def partners_in(session: Session, mailing_id: int) -> set[int]:
    return {p for p in session.scalars(select(Message.partner_id).where(
        Message.mailing_id == mailing_id)) if p is not None}


def add_letters(session: Session, mailing: Mailing, letters: Iterable[Letter]) -> int:
    """Queue one message per letter whose partner the mailing has no message for yet (or
    skip it with the reason: no valid e-mail address). Returns how many were added."""
    have = partners_in(session, mailing.id)
    added = 0
    for letter in letters:
        if letter.partner_id in have:
            continue
        address = rules.email_address(letter.address)
        session.add(Message(
            mailing_id=mailing.id, partner_id=letter.partner_id, channel=Channel.EMAIL,
            address=address or letter.address[:254], subject=letter.subject[:200],
            body=letter.body, attachment_name=letter.attachment_name[:160],
            attachment=letter.attachment,
            status=MessageStatus.QUEUED if address else MessageStatus.SKIPPED,
            answer="" if address else "no valid e-mail address", attempts=0,
            next_attempt_at=utcnow()))
        have.add(letter.partner_id)
        added += 1
    session.flush()
    return added


def get(session: Session, mailing_id: int) -> Mailing:
    return rows.one(session, Mailing, mailing_id, MailingNotFound)


def mailings(session: Session, limit: int = 100) -> list[Mailing]:
    return list(session.scalars(select(Mailing).order_by(Mailing.id.desc()).limit(limit)))


def counts(session: Session, mailing_id: int) -> dict[str, int]:
    found = dict(session.execute(select(Message.status, func.count())
                                 .where(Message.mailing_id == mailing_id)
                                 .group_by(Message.status)).all())
    return {s.value: int(found.get(s.value, 0)) for s in MessageStatus}


def retry_failed(session: Session, mailing_id: int, *, actor: str) -> int:
    get(session, mailing_id)
    n = session.execute(update(Message).where(Message.mailing_id == mailing_id,
                                              Message.status == MessageStatus.FAILED)
                        .values(status=MessageStatus.QUEUED, attempts=0,
                                next_attempt_at=utcnow(), answer="retry requested")
                        .execution_options(synchronize_session=False)
                        ).rowcount  # type: ignore[attr-defined]
    audit.record(session, actor=actor, action="mailing.retry", target_type="mailing",
                 target_id=mailing_id, messages=n)
    return int(n or 0)


def preview(session: Session, *, channel: str, subject: str, body: str,
            customer_id: int) -> tuple[str, str]:
    """The template filled in with a real customer's data."""
    _check_template(channel, subject, body)
    found = audience.people(session, [customer_id])
    if not found:
        raise CustomerNotFound(gettext("Customer {0} does not exist.").format(customer_id))
    values = found[0].values
    text = rules.render(body, values)
    if channel == Channel.EMAIL:
        text = _email_body(session, text, unsubscribe_url(mail_settings.get(session).public_url,
                                                 customer_id, "email", 0))
    return rules.render(subject, values), text


def test_send(session: Session, *, channel: str, subject: str, body: str, customer_id: int,
              address: str, log_path: str) -> senders.Result:
    """Send the previewed message now to a given address or number (not to the customer)."""
    settings = mail_settings.get(session)
    target = "email" if channel == Channel.EMAIL else (
        "sms" if channel == Channel.SMS else "viber")
    to = (rules.email_address(address) if target == "email"
          else rules.phone_e164(address, settings.phone_region))
    if to is None:
        raise InvalidAddress(gettext("'{0}' is not a valid {1}.")
                             .format(address,
                                     'e-mail address' if target == 'email' else 'phone number'))
    subj, text = preview(session, channel=channel, subject=subject, body=body,
                         customer_id=customer_id)
    from pathlib import Path

    sender = senders.for_channel(target, settings, Path(log_path))
    try:
        return sender.send(senders.Outgoing(0, target, to, f"[test] {subj}", text))
    finally:
        sender.close()


def read_token(token: str) -> tuple[int, str, int]:
    try:
        customer_id, channel, mailing_id = _serializer().loads(token)
        return int(customer_id), str(channel), int(mailing_id)
    except (BadSignature, ValueError, TypeError) as exc:
        raise BadUnsubscribeLink() from exc


def opt_out(session: Session, token: str) -> Customer:
    """Record the opt-out: no more consent for the channel; that customer's queued messages
    by the channel are skipped."""
    customer_id, channel, mailing_id = read_token(token)
    if channel not in ("email", "sms", "viber"):
        raise BadUnsubscribeLink()
    customer = customers.find_customer(session, customer_id)
    if customer is None:
        raise BadUnsubscribeLink()
    if customers.withdraw_consent(session, customer_id, channel):
        session.add(OptOut(customer_id=customer_id, channel=channel,
                           mailing_id=mailing_id or None, at=datetime.now(UTC)))
        audit.record(session, actor=f"customer:{customer_id}", action="mailing.opt_out",
                     target_type="customer", target_id=customer_id, channel=channel,
                     mailing_id=mailing_id)
    session.execute(update(Message).where(Message.customer_id == customer_id,
                                          Message.channel == channel,
                                          Message.status == MessageStatus.QUEUED)
                    .values(status=MessageStatus.SKIPPED, answer="opted out")
                    .execution_options(synchronize_session=False))
    session.flush()
    return customer
