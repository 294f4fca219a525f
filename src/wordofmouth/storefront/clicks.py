"""The click path: `/r/KEY` answered by a small ASGI middleware in front of the
application — no routing, no reads on the hot path. Keys and settings come from caches
dropped the moment they change in any process (cache_signal) and reread at least every
WOM_CLICK_CACHE_SECONDS should a signal be missed; a click of a known key is written by a
group commit before its redirect leaves, so an answered click survives a crash (SIGKILL)
of the server."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, quote, unquote

import anyio
from sqlalchemy import select

from wordofmouth.config import get_settings
from wordofmouth.partners.models import Partner
from wordofmouth.storefront import cache_signal, rules, tokens
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront.click_writer import Sessions, writer_for
from wordofmouth.storefront.models import PartnerKey
from wordofmouth.web.admission import overloaded
from wordofmouth.web.middleware import ASGIApp, Receive, Scope, Send

log = logging.getLogger("wordofmouth.clicks")
T = TypeVar("T")


class ClickBuffer:
    """Group commit: a click is answered only once the batch holding it is committed.

    `record` queues the click and waits; a writer takes everything queued, writes it in one
    statement (click_writer: from the event loop on PostgreSQL, a thread elsewhere), and
    wakes every click of that batch. While
    it writes, the next clicks gather, so under load batches grow and commits stay few; at
    rest a click waits for one small commit (a few ms). The queue is bounded: beyond
    MAX_WAITING clicks, or when the database cannot be written, the visitor is still
    redirected (a referral link never breaks) but the click is counted as shed, never held
    in memory. Unknown keys are counted, not stored."""

    MAX_WAITING = 10_000
    MAX_BATCH = 2_000
    WRITERS = 2  # batches in flight at once: one commits while the next gathers

    def __init__(self, sessions: Callable[[], Sessions], url: str | None = None) -> None:
        self.sessions = sessions
        self.writer = writer_for(url, sessions)
        self.waiting: list[tuple[dict[str, Any], asyncio.Future[bool]]] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.writers = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.counts = {"recorded": 0, "shed": 0, "unknown_keys": 0}
        self.known: Cached[dict[str, tuple[int, bool]]] = Cached()
        self.config: Cached[storefront_settings.StorefrontSettings] = Cached()
        # what tells this process of changes made elsewhere: NOTIFY on PostgreSQL, the
        # version row on SQLite; the changes it commits itself it hears of at once
        self.listener = cache_signal.Listener(url) if url and url.startswith(
            "postgresql") else None
        self.read_version = cache_signal.version_reader(url)
        self.local = 0
        cache_signal.on_change(self)

    async def record(self, row: dict[str, Any]) -> bool:
        """Write one click; True once it is committed, False if it was shed."""
        loop = asyncio.get_running_loop()
        if loop is not self.loop:  # a new server loop (tests start several)
            self.loop, self.waiting, self.writers = loop, [], 0
        if len(self.waiting) >= self.MAX_WAITING:
            self.counts["shed"] += 1
            return False
        done: asyncio.Future[bool] = loop.create_future()
        self.waiting.append((row, done))
        if self.writers < self.WRITERS:
            self.writers += 1
            self.tasks.add(task := loop.create_task(self._drain()))
            task.add_done_callback(self.tasks.discard)
        return await done  # the writers time out on a stuck database, so this ends

    async def _drain(self) -> None:
        try:
            while self.waiting:
                batch = self.waiting[:self.MAX_BATCH]
                del self.waiting[:self.MAX_BATCH]
                ok = await self._write([row for row, _ in batch])
                self.counts["recorded" if ok else "shed"] += len(batch)
                for _, done in batch:
                    if not done.done():
                        done.set_result(ok)
        finally:
            self.writers -= 1

    async def _write(self, rows: list[dict[str, Any]]) -> bool:
        try:
            await self.writer.write(rows)
            return True
        except Exception:  # the database cannot be written now: the visitors still go on
            log.exception("writing %s clicks failed; they are shed", len(rows))
            return False

    def unknown(self) -> None:
        self.counts["unknown_keys"] += 1

    # Caches (read from the database when they changed or aged): every key at once, so a
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

    def version(self) -> tuple[int, int | None]:
        """Moves on whenever what the caches hold has changed, here or in another process."""
        if self.listener is not None:
            return self.local, self.listener.current()
        return self.local, self.read_version() if self.read_version else None

    async def key(self, key: str) -> tuple[int, bool] | None:
        return (await self.known.get(self.load_keys, self.version())).get(key)

    async def settings(self) -> storefront_settings.StorefrontSettings:
        return await self.config.get(self.load_settings, self.version())

    def changed(self) -> None:
        """A change to keys, partners or storefront settings committed in this process."""
        self.local += 1

    def forget(self) -> None:
        """Drop the caches now."""
        self.known.clear()
        self.config.clear()


class Cached(Generic[T]):
    """A value read from the database by one load at a time, kept while its version stands
    and for at most WOM_CLICK_CACHE_SECONDS. When it merely aged, clicks go on with it while
    it is refreshed; when its version moved on, clicks wait for the new value (a key just
    turned off is never credited). Only the very first clicks wait, all for the same load."""

    def __init__(self) -> None:
        self.value: T | None = None
        self.version: object = None
        self.fresh_until = 0.0
        self.loading: asyncio.Future[T] | None = None
        self.loading_version: object = None

    def clear(self) -> None:
        self.value, self.fresh_until = None, 0.0

    async def get(self, load: Callable[[], T], version: object = None) -> T:
        if version != self.version:
            self.clear()
        elif self.value is not None and self.fresh_until > time.monotonic():
            return self.value
        if (self.loading is None or self.loading.get_loop() is not asyncio.get_running_loop()
                or self.loading_version != version):
            self.loading_version = version
            self.loading = asyncio.ensure_future(self._load(load, version))
        if self.value is not None:
            return self.value  # aged for a moment, not waited for
        return await asyncio.shield(self.loading)

    async def _load(self, load: Callable[[], T], version: object) -> T:
        try:
            value = await anyio.to_thread.run_sync(load)
            if version == self.loading_version:  # else a newer load is under way
                self.value, self.version = value, version
                self.fresh_until = time.monotonic() + get_settings().click_cache_seconds
            return value
        except Exception:  # the database is away: keep what we had, try again soon
            log.exception("click path: reading the keys or settings failed")
            if self.value is None:
                raise
            self.fresh_until = time.monotonic() + 1.0
            return self.value
        finally:
            if version == self.loading_version:
                self.loading = None


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
        try:
            await self.click(scope, send, key, query)
        except Exception:  # no settings could ever be read: there is nowhere to redirect
            log.exception("click path failed")
            await overloaded(send)

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
        recorded = False
        if found is None:
            self.buffer.unknown()
        else:
            recorded = await self.buffer.record({
                "at": datetime.now(UTC), "key": key, "partner_id": found[0],
                "ip_hash": _ip_hash(scope), "user_agent": headers.get("user-agent", "")[:200],
                "referrer": headers.get("referer", "")[:300], "target": target[:300],
                "cookie_set": token is not None})
        mark = (b"x-click", b"recorded" if recorded else b"not-recorded")
        if (query.get("format") or [""])[0] == "json":
            await self.answer_json(send, headers, s, token, mark)
            return
        out = [mark, (b"location", quote(target, safe=":/?#[]@!$&'()*+,;=%~").encode()),
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
                          s: storefront_settings.StorefrontSettings, token: str | None,
                          mark: tuple[bytes, bytes]) -> None:
        """For storefronts that read ?ref= themselves (the JavaScript snippet): the same
        signed token, for them to keep in their own cookie; CORS for the storefront only."""
        body = json.dumps({"token": token, "days": s.cookie_days}).encode()
        out = [mark, (b"content-type", b"application/json"), (b"cache-control", b"no-store"),
               (b"content-length", str(len(body)).encode())]
        origin = headers.get("origin", "")
        if rules.safe_target(origin + "/", s.hosts, "") and origin:
            out += [(b"access-control-allow-origin", origin.encode()), (b"vary", b"Origin")]
        await send({"type": "http.response.start", "status": 200, "headers": out})
        await send({"type": "http.response.body", "body": body})
