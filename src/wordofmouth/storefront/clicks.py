"""The click path: `/r/KEY` answered by a small ASGI middleware in front of the
application — no routing, no database on the hot path. Keys and settings come from caches
refreshed every few seconds; clicks go to an in-memory buffer written to the database in
batches by a background thread every WOM_CLICK_FLUSH_SECONDS (0.5) and on shutdown. On a
crash, the clicks of the last half second are lost; a clean shutdown writes them all."""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, quote, unquote

import anyio
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wordofmouth.config import get_settings
from wordofmouth.partners.models import Partner
from wordofmouth.storefront import rules, tokens
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront.models import Click, PartnerKey
from wordofmouth.web.middleware import ASGIApp, Receive, Scope, Send

log = logging.getLogger("wordofmouth.clicks")
CACHE_SECONDS = 5.0
Sessions = Callable[[], AbstractContextManager[Session]]


class ClickBuffer:
    """Clicks waiting to be written; `flush` writes them all in one transaction."""

    def __init__(self, sessions: Callable[[], Sessions]) -> None:
        self.sessions = sessions
        self.rows: list[dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None
        self.known: tuple[dict[str, tuple[int, bool]], float] | None = None
        self.config: tuple[storefront_settings.StorefrontSettings, float] | None = None

    def add(self, row: dict[str, Any]) -> None:
        with self.lock:
            self.rows.append(row)

    def flush(self) -> int:
        with self.lock:
            rows, self.rows = self.rows, []
        if not rows:
            return 0
        try:
            with self.sessions()() as session:
                session.execute(insert(Click), rows)
        except Exception:  # keep them for the next try
            log.exception("writing %s clicks failed", len(rows))
            with self.lock:
                self.rows[:0] = rows
            return 0
        return len(rows)

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="click-buffer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(get_settings().click_flush_seconds):
            self.flush()

    def close(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
        self.flush()

    # Caches (read from the database at most every CACHE_SECONDS): every key at once, so a
    # flood of made-up keys never reaches the database.
    def load_keys(self) -> dict[str, tuple[int, bool]]:
        with self.sessions()() as session:
            rows = session.execute(
                select(PartnerKey.key, PartnerKey.partner_id, PartnerKey.active, Partner.active)
                .join(Partner, Partner.id == PartnerKey.partner_id)).all()
        return {key: (pid, bool(key_on and partner_on))
                for key, pid, key_on, partner_on in rows}

    def load_settings(self) -> storefront_settings.StorefrontSettings:
        with self.sessions()() as session:
            return storefront_settings.get(session)

    async def key(self, key: str) -> tuple[int, bool] | None:
        if self.known is None or self.known[1] <= time.monotonic():
            loaded = await anyio.to_thread.run_sync(self.load_keys)
            self.known = (loaded, time.monotonic() + CACHE_SECONDS)
        return self.known[0].get(key)

    async def settings(self) -> storefront_settings.StorefrontSettings:
        if self.config is not None and self.config[1] > time.monotonic():
            return self.config[0]
        loaded = await anyio.to_thread.run_sync(self.load_settings)
        self.config = (loaded, time.monotonic() + CACHE_SECONDS)
        return loaded

    def forget(self) -> None:
        """Drop the caches (after a key or a setting changed in this process)."""
        self.known = None
        self.config = None


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _ip_hash(scope: Scope) -> str:
    client = scope.get("client") or ("", 0)
    secret = get_settings().secret_key.encode()
    return hashlib.sha256(secret + str(client[0]).encode()).hexdigest()[:32]


def _cookie(headers: dict[str, str]) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed cookie header is no cookie
        return None
    morsel = jar.get(tokens.COOKIE)
    return morsel.value if morsel else None


class ClickPath:
    """ASGI middleware: answers GET /r/KEY (and /r?ref=KEY or ?manager_key=KEY); passes
    everything else on."""

    def __init__(self, app: ASGIApp, buffer: ClickBuffer) -> None:
        self.app = app
        self.buffer = buffer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not (
                path == "/r" or path.startswith("/r/")):
            await self.app(scope, receive, send)
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        key = unquote(path[3:]) if path.startswith("/r/") else (
            query.get("ref") or query.get("manager_key") or [""])[0]
        await self.click(scope, send, key, query)

    async def click(self, scope: Scope, send: Send, key: str,
                    query: dict[str, list[str]]) -> None:
        s = await self.buffer.settings()
        headers = _headers(scope)
        target = rules.safe_target((query.get("to") or [""])[0], s.hosts, s.home_url)
        found = await self.buffer.key(key) if rules.is_valid_key(key) else None
        token = None
        if found is not None and found[1]:
            current = _cookie(headers)
            held = tokens.read(current) if current else None
            keep = (s.attribution == "first" and held is not None
                    and (datetime.now(UTC) - held[2]).days <= s.cookie_days)
            token = current if keep else tokens.issue(found[0], key)
        self.buffer.add({
            "at": datetime.now(UTC), "key": key[:64], "partner_id": found[0] if found else None,
            "ip_hash": _ip_hash(scope), "user_agent": headers.get("user-agent", "")[:300],
            "referrer": headers.get("referer", "")[:500], "target": target[:500],
            "cookie_set": token is not None})
        if (query.get("format") or [""])[0] == "json":
            await self.answer_json(send, headers, s, token)
            return
        out = [(b"location", quote(target, safe=":/?#[]@!$&'()*+,;=%~").encode()),
               (b"cache-control", b"no-store"), (b"content-length", b"0"),
               (b"referrer-policy", b"no-referrer")]
        if token is not None:
            secure = "; Secure" if get_settings().cookie_secure else ""
            out.append((b"set-cookie", (
                f"{tokens.COOKIE}={token}; Max-Age={s.cookie_days * 86400}; Path=/; "
                f"HttpOnly; SameSite=Lax{secure}").encode()))
        await send({"type": "http.response.start", "status": 302, "headers": out})
        await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def answer_json(send: Send, headers: dict[str, str],
                          s: storefront_settings.StorefrontSettings, token: str | None) -> None:
        """For storefronts that read ?ref= themselves (the JavaScript snippet): the same
        signed token, for them to keep in their own cookie; CORS for the storefront only."""
        body = json.dumps({"token": token, "days": s.cookie_days}).encode()
        out = [(b"content-type", b"application/json"), (b"cache-control", b"no-store"),
               (b"content-length", str(len(body)).encode())]
        origin = headers.get("origin", "")
        if rules.safe_target(origin + "/", s.hosts, "") and origin:
            out += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
        await send({"type": "http.response.start", "status": 200, "headers": out})
        await send({"type": "http.response.body", "body": body})
