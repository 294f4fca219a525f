"""Storefront rules: key format, safe redirect targets, the attribution decision."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from urllib.parse import urlsplit

KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
DECISIONS = ("attributed", "no_token", "bad_signature", "window_passed", "partner_inactive",
             "already_linked", "linked_before")


def is_valid_key(raw: str) -> bool:
    """1–64 of A–Z a–z 0–9 _ . - (case-sensitive; nothing is changed)."""
    return bool(KEY.match(raw))


def hosts(raw: str) -> set[str]:
    return {h.strip().lower() for h in raw.replace(";", ",").split(",") if h.strip()}


def safe_target(target: str | None, allowed: Collection[str], home: str) -> str:
    """Where a click may be sent: an http(s) URL on an allow-listed host, or a path on the
    storefront; anything else (another host, //host, javascript:, userinfo tricks,
    backslashes, control characters) goes to the storefront home."""
    if not target:
        return home
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return home
    if target.startswith("/") and not target.startswith("//"):
        return home.rstrip("/") + target
    try:
        parts = urlsplit(target)
    except ValueError:
        return home
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return home
    if (parts.hostname or "").lower() not in allowed:
        return home
    return target


def decide(*, token_ok: bool | None, clicked_at: datetime | None, ordered_at: datetime,
           window_days: int, partner_active: bool, linked_partner: int | None,
           token_partner: int | None) -> str:
    """Why an order's account is (or is not) linked to the partner of its referral token.

    token_ok: None without a token, False for a bad signature. The window counts calendar
    days: an order on day `window_days` after the click is inside, the day after is not."""
    if token_ok is None:
        return "no_token"
    if not token_ok or clicked_at is None or token_partner is None:
        return "bad_signature"
    if (ordered_at.date() - clicked_at.date()).days > window_days or ordered_at < clicked_at:
        return "window_passed"
    if not partner_active:
        return "partner_inactive"
    if linked_partner is not None:
        return "linked_before" if linked_partner == token_partner else "already_linked"
    return "attributed"


def masked_account(external_id: str) -> str:
    """What a partner may see of a storefront account id: enough to tell two apart, never
    an e-mail address or a whole id (`ja…@g…`, `ac…42`)."""
    local, at, domain = external_id.partition("@")
    if at:
        return f"{local[:2]}…@{domain[:1]}…"
    if len(external_id) <= 4:
        return external_id[:1] + "…"
    return f"{external_id[:2]}…{external_id[-2:]}"
