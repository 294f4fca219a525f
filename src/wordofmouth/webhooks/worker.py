"""The webhook worker: claims due deliveries, POSTs each after its claim is committed, and
records each answer at once — the mailing outbox's shape (mailing/worker.py):

- a claim is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) under a token of
  its own, with a lease; just before a POST the lease on that one delivery is renewed by a
  conditional UPDATE naming the token, and the answer is recorded only under it. The POST
  times out (WOM_WEBHOOK_TIMEOUT_SECONDS) well before the lease runs out
  (WOM_WEBHOOK_LEASE_SECONDS), so a slow receiver makes a retry, never a second worker
  sending the same delivery at once;
- each answer is committed before the next POST: a killed worker re-sends at most the one
  delivery it was sending (same webhook-id: the receiver drops the repeat);
- a 2xx is delivered; anything else — another status, a timeout, a refused connection — is
  tried again on rules.SCHEDULE, and after the last attempt the delivery has failed."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from wordofmouth import db as database
from wordofmouth.config import get_settings
from wordofmouth.db import utcnow
from wordofmouth.webhooks import rules
from wordofmouth.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from wordofmouth.webhooks.service import signing_secrets

log = logging.getLogger("wordofmouth.webhooks")
MakeSession = Callable[[], Session] | None


def lease() -> timedelta:
    return timedelta(seconds=get_settings().webhook_lease_seconds)


def claim(session: Session, *, batch: int, now: datetime) -> list[tuple[WebhookDelivery,
                                                                         WebhookEndpoint]]:
    due = (select(WebhookDelivery.id)
           .where(or_((WebhookDelivery.status == DeliveryStatus.PENDING)
                      & (WebhookDelivery.next_attempt_at <= now),
                      (WebhookDelivery.status == DeliveryStatus.SENDING)
                      & (WebhookDelivery.claimed_until < now)))
           .order_by(WebhookDelivery.id).limit(batch).with_for_update(skip_locked=True))
    ids = [row[0] for row in session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id.in_(due.scalar_subquery()))
        .values(status=DeliveryStatus.SENDING, claimed_until=now + lease(),
                claim_token=uuid.uuid4().hex, attempts=WebhookDelivery.attempts + 1)
        .returning(WebhookDelivery.id).execution_options(synchronize_session=False))]
    if not ids:
        return []
    return [(d, e) for d, e in session.execute(
        select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id.in_(ids)).order_by(WebhookDelivery.id))]


def _mine(delivery: WebhookDelivery) -> Any:
    return ((WebhookDelivery.id == delivery.id)
            & (WebhookDelivery.status == DeliveryStatus.SENDING)
            & (WebhookDelivery.claim_token == delivery.claim_token))


def _renew(make: MakeSession, delivery: WebhookDelivery) -> bool:
    with database.transaction(make) as session:
        return bool(session.execute(
            update(WebhookDelivery).where(_mine(delivery))
            .values(claimed_until=utcnow() + lease())
            .execution_options(synchronize_session=False)).rowcount)  # type: ignore[attr-defined]


def _record(make: MakeSession, delivery: WebhookDelivery, values: dict[str, Any],
            attempt: WebhookAttempt) -> None:
    with database.transaction(make) as session:
        done = session.execute(
            update(WebhookDelivery).where(_mine(delivery))
            .values(claimed_until=None, claim_token=None, **values)
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        if done:
            session.add(attempt)


class Worker:
    def __init__(self, *, batch: int = 20, make: MakeSession = None) -> None:
        self.batch = batch
        self.make = make
        settings = get_settings()
        assert settings.webhook_timeout_seconds * 2 < settings.webhook_lease_seconds, (
            "a POST must time out well inside the lease")
        self.client = httpx.Client(timeout=settings.webhook_timeout_seconds,
                                   follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def run_once(self, now: datetime | None = None) -> int:
        """Claim one batch (due at `now`) and send it; how many deliveries were handled."""
        with database.transaction(self.make) as session:
            claimed = claim(session, batch=self.batch, now=now or utcnow())
            session.expunge_all()
        for delivery, endpoint in claimed:
            self.deliver(delivery, endpoint)
        return len(claimed)

    def deliver(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
        if not _renew(self.make, delivery):
            log.info("delivery %s was claimed by another worker meanwhile", delivery.id)
            return
        at = utcnow()
        status, response, error = None, "", ""
        started = time.monotonic()
        try:
            answer = self.client.post(endpoint.url, content=delivery.payload.encode(),
                                      headers=rules.headers(delivery.message_id, at,
                                                            delivery.payload,
                                                            signing_secrets(endpoint, at)))
            status, response = answer.status_code, answer.text[:1000]
        except httpx.TimeoutException:
            error = f"no answer within {get_settings().webhook_timeout_seconds:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        attempt = WebhookAttempt(delivery_id=delivery.id, at=at, status_code=status,
                                 response=response, error=error,
                                 milliseconds=int((time.monotonic() - started) * 1000))
        now = utcnow()
        values: dict[str, Any] = {"last_status": status}
        if status is not None and 200 <= status < 300:
            values |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
        elif (again := rules.next_attempt(delivery.attempts, now)) is not None:
            values |= {"status": DeliveryStatus.PENDING, "next_attempt_at": again}
        else:
            values |= {"status": DeliveryStatus.FAILED}
        _record(self.make, delivery, values, attempt)

    def run(self, stop: threading.Event, *, until_empty: bool = False,
            idle_seconds: float = 1.0) -> None:
        try:
            while not stop.is_set():
                try:
                    handled = self.run_once()
                except Exception:  # the database went away: try again shortly
                    log.exception("webhook worker: claim failed")
                    handled = 0
                if handled:
                    continue
                if until_empty and not pending(self.make):
                    return
                stop.wait(idle_seconds)
        finally:
            self.close()


def pending(make: MakeSession = None, *, due_by: datetime | None = None) -> int:
    """Deliveries not finished (pending or being sent); with `due_by`, only those due."""
    with database.transaction(make) as session:
        stmt = select(func.count()).select_from(WebhookDelivery).where(
            WebhookDelivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
        if due_by is not None:
            stmt = stmt.where(WebhookDelivery.next_attempt_at <= due_by)
        return int(session.scalar(stmt) or 0)

