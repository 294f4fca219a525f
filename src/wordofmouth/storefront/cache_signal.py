"""Process caches learn at once that what they hold changed, in every process.

What `/r/KEY` caches is every partner key with whether it may be credited (the key and its
partner active) and the storefront settings (the signal `click_path`); the API caches who
each token is (`api_tokens`, auth/token_cache.py). A change to any of them — made by a page,
the API, an import or a command, in whatever process — is announced by the transaction that
makes it (an ORM event, so no write path can forget to):

- the row `cache_versions.<signal>` is bumped, so a process can compare versions;
- on PostgreSQL a NOTIFY on `wom_cache` goes out with it, delivered when it commits; every
  server process LISTENs (Listener) and drops its caches then;
- in the process that made the change, its caches are dropped at its commit.

On SQLite, where there is no NOTIFY, a cache reads the version row before each use (one row
by its key on a connection of its own: a few microseconds, no thread)."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any

import psycopg
from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from wordofmouth.partners.models import Partner
from wordofmouth.settings.models import StoreSetting
from wordofmouth.storefront.models import CacheVersion, PartnerKey
from wordofmouth.storefront.settings import PREFIX

log = logging.getLogger("wordofmouth.clicks")
NAME = "click_path"
CHANNEL = "wom_cache"
_PENDING = "wordofmouth.caches_changed"
_LOCAL: dict[str, weakref.WeakSet[Any]] = {}
Touches = Callable[[object, bool], bool]  # (a row flushed, whether it was changed)
_WATCHED: dict[str, Touches] = {}


def on_change(listener: Any, name: str = NAME) -> None:
    """Have `listener.changed()` called when a change to `name` of this process commits."""
    _LOCAL.setdefault(name, weakref.WeakSet()).add(listener)


def watch(name: str, touches: Touches) -> None:
    """Announce `name` from every transaction that flushes a row `touches` (idempotent)."""
    _WATCHED[name] = touches


def _touches_click_path(obj: object, dirty: bool) -> bool:
    if isinstance(obj, PartnerKey):
        return True
    if isinstance(obj, StoreSetting):
        return obj.key.startswith(PREFIX)
    # a new partner has no keys yet: only a partner made active or inactive matters
    return isinstance(obj, Partner) and dirty and (
        inspect(obj).attrs.active.history.has_changes())


def announce(session: Session, name: str = NAME) -> None:
    """Bump the version (and NOTIFY on PostgreSQL) in the session's transaction, once."""
    pending: set[str] = session.info.setdefault(_PENDING, set())
    if name in pending:
        return
    pending.add(name)
    conn = session.connection()
    bumped = conn.execute(update(CacheVersion).where(CacheVersion.name == name)
                          .values(version=CacheVersion.version + 1))
    if not bumped.rowcount:
        conn.execute(insert(CacheVersion).values(name=name, version=1))
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, :name)"),
                     {"channel": CHANNEL, "name": name})


def _after_flush(session: Session, _context: object) -> None:
    pending = session.info.get(_PENDING, set())
    for name, touches in {NAME: _touches_click_path, **_WATCHED}.items():
        if name in pending:
            continue
        if (any(touches(o, False) for o in (*session.new, *session.deleted))
                or any(touches(o, True) for o in session.dirty)):
            announce(session, name)


def _after_commit(session: Session) -> None:
    for name in session.info.pop(_PENDING, set()):
        for listener in list(_LOCAL.get(name, ())):
            listener.changed()


def _after_rollback(session: Session, _previous: object) -> None:
    session.info.pop(_PENDING, None)  # a savepoint's too: announced again if need be


def _after_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


_EVENTS: dict[str, Callable[..., None]] = {
    "after_flush": _after_flush, "after_commit": _after_commit,
    "after_soft_rollback": _after_rollback, "after_transaction_end": _after_end}


def install() -> None:
    """Announce click-path changes from every session of this process (idempotent)."""
    for name, handler in _EVENTS.items():
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


class Listener:
    """PostgreSQL: a connection of this process LISTENs on wom_cache. Each notification,
    and each new connection (notifications may have been missed while there was none),
    moves `generation` on; the click path reloads when it sees a generation it has not
    loaded under. Started on the first click, in the server's event loop."""

    def __init__(self, url: str) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False)
        self.generation = 0
        self.listening = False
        self.task: asyncio.Task[None] | None = None

    def current(self) -> int:
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.get_loop() is not loop:
            self.task = loop.create_task(self._listen())
        return self.generation

    async def _listen(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, connect_timeout=5)
                async with conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.listening, self.generation = True, self.generation + 1
                    async for _note in conn.notifies():
                        self.generation += 1
            except Exception:  # the database is away: the caches fall back on their age
                log.warning("click path: listening for changes failed; retrying",
                            exc_info=True)
            self.listening, self.generation = False, self.generation + 1
            await asyncio.sleep(1.0)


def version_reader(url: str | None, name: str = NAME) -> Callable[[], int | None] | None:
    """On SQLite, a function that reads the version row (None when it cannot be read);
    elsewhere None (PostgreSQL is told by NOTIFY)."""
    if not url or not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    import sqlite3

    path = url.removeprefix("sqlite:///")
    conn: list[sqlite3.Connection] = []

    def read() -> int | None:
        try:
            if not conn:
                conn.append(sqlite3.connect(f"file:{path}?mode=ro", uri=True,
                                            check_same_thread=False, timeout=0.05))
            row = conn[0].execute("SELECT version FROM cache_versions WHERE name = ?",
                                  (name,)).fetchone()
            return int(row[0]) if row else 0
        except sqlite3.Error:
            conn.clear()
            return None

    return read
