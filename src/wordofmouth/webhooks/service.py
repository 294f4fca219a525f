"""Webhook endpoints (owner), the events emitted into their outbox in the transaction of
each change, the delivery log and redelivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.db import utcnow
from wordofmouth.i18n import gettext
from wordofmouth.webhooks import rules
from wordofmouth.webhooks.errors import (
    BadEndpointUrl,
    DeliveryNotFound,
    EndpointNotFound,
    UnknownEvent,
)
from wordofmouth.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def _checked_url(url: str) -> str:
    parts = urlsplit(url.strip())
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise BadEndpointUrl()
    return url.strip()


def _checked_events(events: str | list[str]) -> str:
    names = rules.parse_events(events)
    if names is None:
        raise UnknownEvent(gettext("Unknown event in '{0}'; the events are: {1}.").format(
            events if isinstance(events, str) else ", ".join(events), ", ".join(rules.EVENTS)))
    return ",".join(names)


def create_endpoint(session: Session, *, url: str, events: str | list[str] = "*",
                    description: str = "", actor: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=_checked_url(url), events=_checked_events(events),
                               description=description.strip()[:200],
                               secret=rules.new_secret(), active=True)
    session.add(endpoint)
    session.flush()
    audit.record(session, actor=actor, action="webhook.endpoint", target_type="webhook",
                 target_id=endpoint.id, url=endpoint.url, events=endpoint.events)
    return endpoint


def update_endpoint(session: Session, endpoint_id: int, *, actor: str, url: str | None = None,
                    events: str | list[str] | None = None, description: str | None = None,
                    active: bool | None = None) -> WebhookEndpoint:
    endpoint = get_endpoint(session, endpoint_id, lock=True)
    if url is not None:
        endpoint.url = _checked_url(url)
    if events is not None:
        endpoint.events = _checked_events(events)
    if description is not None:
        endpoint.description = description.strip()[:200]
    if active is not None:
        endpoint.active = active
    session.flush()
    audit.record(session, actor=actor, action="webhook.endpoint", target_type="webhook",
                 target_id=endpoint.id, url=endpoint.url, events=endpoint.events,
                 active=endpoint.active)
    return endpoint


def rotate_secret(session: Session, endpoint_id: int, *, actor: str) -> WebhookEndpoint:
    """A new secret signs from now on; the previous one signs too for ROTATION_OVERLAP, so
    the receiver can switch without losing a delivery."""
    endpoint = get_endpoint(session, endpoint_id, lock=True)
    endpoint.previous_secret, endpoint.secret = endpoint.secret, rules.new_secret()
    endpoint.previous_until = utcnow() + rules.ROTATION_OVERLAP
    session.flush()
    audit.record(session, actor=actor, action="webhook.rotate", target_type="webhook",
                 target_id=endpoint.id)
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> list[str]:
    keep_old = endpoint.previous_secret and endpoint.previous_until and (
        endpoint.previous_until > now)
    return [endpoint.secret, endpoint.previous_secret] if keep_old else [endpoint.secret]


def get_endpoint(session: Session, endpoint_id: int, *, lock: bool = False) -> WebhookEndpoint:
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    found = session.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        raise EndpointNotFound()
    return found


def endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def emit(session: Session, event_type: str, data: dict[str, object]) -> int:
    """Queue the event for every active endpoint that subscribed to it, in the caller's
    transaction: it is delivered if and only if the change commits. How many were queued."""
    assert event_type in rules.EVENTS, event_type
    now = utcnow()
    queued = 0
    for endpoint in session.scalars(select(WebhookEndpoint).where(
            WebhookEndpoint.active.is_(True))):
        if not rules.subscribed(endpoint.events, event_type):
            continue
        message_id = rules.new_message_id()
        session.add(WebhookDelivery(
            endpoint_id=endpoint.id, message_id=message_id, event_type=event_type,
            payload=rules.body(message_id, event_type, now, data), created_at=now,
            next_attempt_at=now, status=DeliveryStatus.PENDING))
        queued += 1
    if queued:
        session.flush()
    return queued


@dataclass(frozen=True)
class DeliveryRow:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


def deliveries(session: Session, endpoint_id: int, *, limit: int = 50,
               before: int | None = None) -> list[DeliveryRow]:
    """The endpoint's latest deliveries, newest first, each with its attempts."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if before is not None:
        stmt = stmt.where(WebhookDelivery.id < before)
    found = list(session.scalars(stmt.order_by(WebhookDelivery.id.desc()).limit(limit)))
    tries: dict[int, list[WebhookAttempt]] = {d.id: [] for d in found}
    if found:
        for attempt in session.scalars(select(WebhookAttempt).where(
                WebhookAttempt.delivery_id.in_(tries)).order_by(WebhookAttempt.id)):
            tries[attempt.delivery_id].append(attempt)
    return [DeliveryRow(d, tries[d.id]) for d in found]


def counts(session: Session, endpoint_id: int) -> dict[str, int]:
    rows = session.execute(select(WebhookDelivery.status, func.count())
                           .where(WebhookDelivery.endpoint_id == endpoint_id)
                           .group_by(WebhookDelivery.status)).all()
    return {str(status): int(n) for status, n in rows}


def redeliver(session: Session, endpoint_id: int, delivery_id: int, *,
              actor: str) -> WebhookDelivery:
    """Send a delivery again now (delivered or failed: the same webhook-id and body), with a
    fresh set of attempts. One that is being sent right now is left to its worker."""
    found = session.scalar(select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id)
        .with_for_update())
    if found is None:
        raise DeliveryNotFound()
    if found.status != DeliveryStatus.SENDING:
        found.status, found.attempts = DeliveryStatus.PENDING, 0
        found.next_attempt_at, found.claim_token, found.claimed_until = utcnow(), None, None
        session.flush()
        audit.record(session, actor=actor, action="webhook.redeliver", target_type="webhook",
                     target_id=endpoint_id, delivery=found.message_id)
    return found
