"""Storefront rules: keys, redirect targets, the attribution decision."""

from datetime import UTC, datetime, timedelta

import pytest

from wordofmouth.storefront import rules

HOSTS = {"shop.example", "www.shop.example"}
HOME = "https://shop.example/"


@pytest.mark.parametrize(("key", "ok"), [
    ("carter81", True), ("Carter81", True), ("a", True), ("x" * 64, True),
    ("anna_k.2026-spring", True), ("", False), ("x" * 65, False), ("carter 81", False),
    ("carter/81", False), ("ключ", False), ("a+b", False), ("a%20b", False)])
def test_keys(key: str, ok: bool) -> None:
    assert rules.is_valid_key(key) is ok


@pytest.mark.parametrize(("target", "lands"), [
    ("https://shop.example/catalog?x=1", "https://shop.example/catalog?x=1"),
    ("http://www.shop.example/", "http://www.shop.example/"),
    ("/catalog/boots", "https://shop.example/catalog/boots"),
    ("", HOME), (None, HOME),
    ("//evil.example", HOME), ("https://evil.example", HOME),
    ("https://evil.example/https://shop.example/", HOME),
    ("javascript:alert(1)", HOME), ("JavaScript:alert(1)", HOME),
    ("data:text/html,<script>alert(1)</script>", HOME),
    ("https://shop.example@evil.example/", HOME), ("https://shop.example.evil.example/", HOME),
    ("/\\evil.example", HOME), ("https:\\\\evil.example", HOME),
    ("/catalog\r\nSet-Cookie: x", HOME),
    ("ftp://shop.example/", HOME)])
def test_redirect_targets(target: str | None, lands: str) -> None:
    assert rules.safe_target(target, HOSTS, HOME) == lands


CLICK = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("change", "decision"), [
    ({}, "attributed"),
    ({"ordered_at": CLICK + timedelta(days=30, hours=13)}, "attributed"),  # day 30
    ({"ordered_at": CLICK + timedelta(days=31)}, "window_passed"),  # day 31
    ({"ordered_at": CLICK - timedelta(hours=1)}, "window_passed"),
    ({"token_ok": None}, "no_token"),
    ({"token_ok": False}, "bad_signature"),
    ({"partner_active": False}, "partner_inactive"),
    ({"linked_partner": 9}, "already_linked"),
    ({"linked_partner": 7}, "linked_before"),
])
def test_the_attribution_decision(change: dict[str, object], decision: str) -> None:
    args: dict[str, object] = {"token_ok": True, "clicked_at": CLICK,
                               "ordered_at": CLICK + timedelta(days=2), "window_days": 30,
                               "partner_active": True, "linked_partner": None,
                               "token_partner": 7}
    assert rules.decide(**(args | change)) == decision  # type: ignore[arg-type]
