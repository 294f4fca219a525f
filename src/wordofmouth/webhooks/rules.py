"""Webhook rules, pure: the events, how a delivery is signed (the Standard Webhooks
convention), and how long to wait before the next attempt."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timedelta

from standardwebhooks import Webhook

from wordofmouth.i18n import N_

# Every event an integration can subscribe to, with what it means to the reader.
EVENTS: dict[str, str] = {
    "sale.paid": N_("A sale or an invoice is paid in full"),
    "sale.returned": N_("Goods of a sale are returned"),
    "customer.linked": N_("A customer is linked to a partner (or to another one)"),
    "commission.payable": N_("A partner's commission has matured and can be paid"),
    "payout.recorded": N_("A payout to a partner is recorded"),
    "friend_code.used": N_("A friend code is used at a sale"),
    "club.decision": N_("A customer is admitted to the club, or leaves it"),
    "mailing.finished": N_("Every message of a mailing is sent or has failed"),
    "storefront_order.attributed": N_("A storefront order is credited to a partner"),
}
# Waits before attempts 2, 3, …: after the last one the delivery has failed (and can be
# redelivered by hand from the delivery log).
SCHEDULE = (timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
            timedelta(hours=2), timedelta(hours=5), timedelta(hours=10), timedelta(hours=10))
MAX_ATTEMPTS = len(SCHEDULE) + 1
ROTATION_OVERLAP = timedelta(hours=24)  # the previous secret still signs this long


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    return "msg_" + secrets.token_hex(12)


def parse_events(raw: str | list[str]) -> list[str] | None:
    """The events named (comma-separated, or a list), '*' for all; None if one is unknown."""
    names = [e.strip() for e in (raw.split(",") if isinstance(raw, str) else raw) if e.strip()]
    if not names or names == ["*"]:
        return ["*"]
    return names if all(n in EVENTS for n in names) else None


def subscribed(events: str, event_type: str) -> bool:
    names = events.split(",")
    return "*" in names or event_type in names


def body(message_id: str, event_type: str, at: datetime, data: dict[str, object]) -> str:
    """The JSON sent: the Standard Webhooks envelope (type, timestamp, data)."""
    return json.dumps({"type": event_type, "timestamp": at.isoformat(), "data": data,
                       "id": message_id}, ensure_ascii=False, separators=(",", ":"),
                      default=str)


def headers(message_id: str, at: datetime, payload: str,
            secrets_now: list[str]) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature: `v1,<base64 HMAC-SHA256 of
    id.timestamp.body>` for each secret that signs now (two right after a rotation)."""
    signatures = " ".join(Webhook(s).sign(message_id, at, payload) for s in secrets_now)
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": signatures, "content-type": "application/json",
            "user-agent": "wordofmouth-webhooks"}


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed tries; None once they are used up."""
    return now + SCHEDULE[attempts - 1] if attempts < MAX_ATTEMPTS else None
