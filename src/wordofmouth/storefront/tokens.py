"""The referral token: the partner and key of a click, signed with the server's secret and
stamped with the click's time. It is the cookie's value and what the storefront reports
with an order."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from wordofmouth.config import get_settings

COOKIE = "wom_ref"


def _serializer(at: datetime | None = None) -> URLSafeTimedSerializer:
    if at is None:
        return URLSafeTimedSerializer(get_settings().secret_key, salt="wordofmouth.referral")
    stamp = int(at.timestamp())

    class At(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(get_settings().secret_key, salt="wordofmouth.referral",
                                  signer=At)


def issue(partner_id: int, key: str, at: datetime | None = None) -> str:
    """The token of a click now (or, for imported history and tests, at `at`)."""
    if at is not None:
        return str(_serializer(at).dumps([partner_id, key]))
    # The token carries whole seconds: within one second, a key's token is the same.
    second = int(time.time())
    found = _recent.get((partner_id, key))
    if found is not None and found[0] == second:
        return found[1]
    token = str(_serializer().dumps([partner_id, key]))
    if len(_recent) > 10_000:
        _recent.clear()
    _recent[(partner_id, key)] = (second, token)
    return token


_recent: dict[tuple[int, str], tuple[int, str]] = {}


def read(token: str) -> tuple[int, str, datetime] | None:
    """(partner id, key, click time), or None if the token is forged or tampered with."""
    try:
        (partner_id, key), signed_at = _serializer().loads(token, return_timestamp=True)
        return int(partner_id), str(key), signed_at.astimezone(UTC)
    except (BadData, ValueError, TypeError):
        return None
