"""The outbox worker: claims due messages, sends them after the claim is committed, and
records each answer at once.

- A claim is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) that marks the
  messages `sending` with a lease; two workers never claim the same message.
- Every claim has its own token (a fence). Just before a message is sent, the worker renews
  its lease on that one message by a conditional UPDATE that names the token; if another
  worker has claimed it since (the lease ran out while a slow server held this one back),
  nothing is renewed and the message is left to the other worker. Answers are recorded only
  under the token too. So while workers live, each message is sent once, however slow the
  provider, as long as one send takes less than the lease (the senders time out first).
- Each provider's answer is committed before the next message is sent, so a killed worker
  never re-sends a message already acknowledged and recorded. A message whose answer was
  not recorded (the worker died between the provider's acknowledgement and the commit — one
  message per worker at most) is claimed again when its lease runs out and sent again.
- Retries back off exponentially (or as the provider's Retry-After says); after
  MAX_ATTEMPTS a message fails. Each channel is held to its rate limit."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, or_, select, text, update
from sqlalchemy.orm import Session, undefer

from wordofmouth import db as database
from wordofmouth.config import get_settings
from wordofmouth.db import utcnow
from wordofmouth.mailing import rules, senders
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.models import Mailing, Message, MessageStatus
from wordofmouth.mailing.service import unsubscribe_url
from wordofmouth.webhooks import service as webhooks

log = logging.getLogger("wordofmouth.mailing")


def lease() -> timedelta:
    return timedelta(seconds=get_settings().mail_lease_seconds)

MakeSession = Callable[[], Session] | None


class RateLimit:
    """At most `per_second` sends per channel, spaced evenly."""

    def __init__(self) -> None:
        self.next_at: dict[str, float] = {}

    def wait(self, channel: str, per_second: int) -> None:
        now = time.monotonic()
        at = max(self.next_at.get(channel, now), now)
        if at > now:
            time.sleep(at - now)
        self.next_at[channel] = at + 1.0 / per_second


def claim(session: Session, *, batch: int, now: datetime) -> list[Message]:
    """Mark up to `batch` due messages as being sent by this worker (one statement), under
    a token of this claim's own."""
    due = (select(Message.id)
           .where(or_((Message.status == MessageStatus.QUEUED) & (Message.next_attempt_at <= now),
                      (Message.status == MessageStatus.SENDING) & (Message.claimed_until < now)))
           .order_by(Message.id).limit(batch).with_for_update(skip_locked=True))
    ids = [row[0] for row in session.execute(
        update(Message).where(Message.id.in_(due.scalar_subquery()))
        .values(status=MessageStatus.SENDING, claimed_until=now + lease(),
                claim_token=uuid.uuid4().hex, attempts=Message.attempts + 1)
        .returning(Message.id).execution_options(synchronize_session=False))]
    if not ids:
        return []
    return list(session.scalars(select(Message).where(Message.id.in_(ids))
                                .options(undefer(Message.attachment)).order_by(Message.id)))


def _renew(make: MakeSession, message: Message) -> bool:
    """Renew this claim's lease on one message just before it is sent; False if the message
    is no longer this claim's (another worker took it after the lease ran out)."""
    with database.transaction(make) as session:
        renewed = session.execute(
            update(Message).where(Message.id == message.id,
                                  Message.status == MessageStatus.SENDING,
                                  Message.claim_token == message.claim_token)
            .values(claimed_until=utcnow() + lease())
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    return bool(renewed)


def _record(make: MakeSession, message: Message, values: dict[str, Any]) -> None:
    """Record one answer in a transaction of its own, before the next message is sent. On
    PostgreSQL the commit does not wait for the disk (synchronous_commit off): a killed
    worker loses nothing, only a crash of the database server itself could forget the last
    fraction of a second of answers (those messages would be sent again)."""
    with database.transaction(make) as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        session.execute(update(Message).where(Message.id == message.id,
                                              Message.status == MessageStatus.SENDING,
                                              Message.claim_token == message.claim_token)
                        .values(claimed_until=None, claim_token=None, **values)
                        .execution_options(synchronize_session=False))


def announce_finished(session: Session) -> int:
    """Mark the mailings whose every message is sent or has failed as finished, each once
    (a conditional update), and tell the webhooks with the counts."""
    open_messages = exists().where(Message.mailing_id == Mailing.id,
                                   Message.status.in_([MessageStatus.QUEUED,
                                                       MessageStatus.SENDING]))
    done = list(session.scalars(select(Mailing.id).where(Mailing.finished_at.is_(None),
                                                         ~open_messages)))
    now = utcnow()
    for mailing_id in done:
        if not session.execute(update(Mailing).where(Mailing.id == mailing_id,
                                                     Mailing.finished_at.is_(None))
                               .values(finished_at=now)
                               .execution_options(synchronize_session=False)).rowcount:  # type: ignore[attr-defined]
            continue
        counted = dict(session.execute(select(Message.status, func.count()).where(
            Message.mailing_id == mailing_id).group_by(Message.status)).all())
        mailing = session.get(Mailing, mailing_id)
        assert mailing is not None
        webhooks.emit(session, "mailing.finished", {
            "mailing_id": mailing_id, "name": mailing.name, "channel": mailing.channel,
            "finished_at": now.isoformat(),
            **{status.value: int(counted.get(status.value, 0)) for status in (
                MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.SKIPPED)}})
    return len(done)


class Worker:
    """`make` builds the sessions (default: the process-wide factory); each claim and each
    recorded answer is a transaction of its own."""

    def __init__(self, *, batch: int = 10, log_path: str | None = None,
                 make: MakeSession = None) -> None:
        self.batch = batch
        self.make = make
        self.log_path = Path(log_path or get_settings().outbox_log)
        self.limits = RateLimit()
        self.settings: mail_settings.MailSettings | None = None
        self.senders: dict[str, senders.Sender] = {}

    def _sender(self, channel: str) -> senders.Sender:
        assert self.settings is not None
        if channel not in self.senders:
            self.senders[channel] = senders.for_channel(channel, self.settings, self.log_path)
        return self.senders[channel]

    def close(self) -> None:
        for sender in self.senders.values():
            sender.close()
        self.senders.clear()

    def run_once(self) -> int:
        """Claim one batch and send it; how many messages were handled."""
        with database.transaction(self.make) as session:
            fresh = mail_settings.get(session)
            claimed = claim(session, batch=self.batch, now=utcnow())
            if not claimed:
                announce_finished(session)
            session.expunge_all()
        if fresh != self.settings:
            self.close()
            self.settings = fresh
        for message in claimed:
            self.deliver(message)
        return len(claimed)

    def _send(self, message: Message, channel: str, address: str) -> senders.Result:
        assert self.settings is not None
        self.limits.wait(channel, getattr(self.settings, f"{channel}_per_second"))
        headers = {}
        if channel == "email" and message.customer_id is not None:  # a partner's letter
            url = unsubscribe_url(self.settings.public_url, message.customer_id, "email",
                                  message.mailing_id)  # is stopped by the partner setting
            headers = {"List-Unsubscribe": f"<{url}>",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        attachments = ((senders.Attachment(message.attachment_name, message.attachment),)
                       if message.attachment and channel == "email" else ())
        return self._sender(channel).send(senders.Outgoing(
            message.id, channel, address, message.subject, message.body, headers,
            attachments))

    def deliver(self, message: Message) -> None:
        if not _renew(self.make, message):
            log.info("message %s was claimed by another worker meanwhile", message.id)
            return
        channel = message.channel
        try:
            result = self._send(message, channel, message.address)
            if result.status == "failed" and channel == "viber" and message.fallback_address:
                sms = self._send(message, "sms", message.fallback_address)
                channel = "sms"
                result = senders.Result(sms.status, f"Viber: {result.answer} → SMS: "
                                        f"{sms.answer}"[:500], sms.provider_id, sms.retry_after)
        except Exception as exc:  # a sender bug must not stop the outbox
            log.exception("sending message %s failed", message.id)
            result = senders.Result.retry(f"internal error: {type(exc).__name__}")
        now = utcnow()
        if result.status == "sent":
            values: dict[str, Any] = {"status": MessageStatus.SENT, "sent_at": now,
                                      "provider_id": result.provider_id, "channel": channel}
        elif result.status == "retry" and message.attempts < rules.MAX_ATTEMPTS:
            values = {"status": MessageStatus.QUEUED, "next_attempt_at": now + rules.backoff(
                message.attempts, result.retry_after)}
        else:
            values = {"status": MessageStatus.FAILED, "channel": channel}
            if result.status == "retry":
                result = senders.Result.failed(
                    f"gave up after {message.attempts} attempts: {result.answer}")
        _record(self.make, message, values | {"answer": result.answer})

    def run(self, stop: threading.Event, *, until_empty: bool = False,
            idle_seconds: float = 2.0, on_idle: Callable[[], None] | None = None) -> None:
        try:
            while not stop.is_set():
                try:
                    handled = self.run_once()
                except Exception:  # the database went away: try again shortly
                    log.exception("mailing worker: claim failed")
                    handled = 0
                if handled:
                    continue
                if until_empty and not pending(self.make):
                    return
                if on_idle:
                    on_idle()
                stop.wait(idle_seconds)
        finally:
            self.close()


def pending(make: MakeSession = None) -> int:
    """Messages not finished yet (queued or being sent)."""
    with database.transaction(make) as session:
        return int(session.scalar(select(func.count()).select_from(Message).where(
            Message.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]))) or 0)

