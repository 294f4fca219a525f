"""Writing a batch of clicks. On PostgreSQL the server writes them from its event loop over
one async psycopg connection of its own, in one INSERT in autocommit (one round trip, no
thread): a thread that writes would wait for the interpreter lock behind the busy event
loop at every round trip, and clicks would wait on that. Elsewhere (SQLite, and tests that
join their rolled-back transaction) a thread writes through the application's sessions."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import anyio
import psycopg
from sqlalchemy import insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from wordofmouth.config import get_settings
from wordofmouth.storefront.models import Click

log = logging.getLogger("wordofmouth.clicks")
Sessions = Callable[[], AbstractContextManager[Session]]
COLUMNS = ("at", "key", "partner_id", "ip_hash", "user_agent", "referrer", "target",
           "cookie_set")
COPY = f"COPY {Click.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN".encode()


class SessionWriter:
    """Through the application's sessions, on a worker thread."""

    def __init__(self, sessions: Callable[[], Sessions]) -> None:
        self.sessions = sessions

    async def write(self, rows: list[dict[str, Any]]) -> None:
        await anyio.to_thread.run_sync(self._write, rows)

    def _write(self, rows: list[dict[str, Any]]) -> None:
        with self.sessions()() as session:
            session.execute(insert(Click), rows)


class PostgresWriter:
    """Async connections of its own (one per batch in flight), kept between batches; one
    that failed is dropped. A statement that takes over 5 s fails, so no click waits on a
    stuck database for longer.

    A batch is committed before its clicks are answered, so a killed server has written
    every click it answered. By default the commit does not wait for PostgreSQL to flush
    its log to disk (synchronous_commit off, as for the mailing outbox's answers): the
    clicks are committed and seen by everyone, and only a crash of PostgreSQL itself could
    forget the last fraction of a second of them. WOM_CLICK_DURABLE_COMMIT=true waits for
    the disk too, at the cost of about a third of the click throughput (docs/benchmarks)."""

    def __init__(self, url: str, durable: bool) -> None:
        self.conninfo = make_url(url).set(drivername="postgresql").render_as_string(
            hide_password=False)
        self.options = "-c statement_timeout=5000" + (
            "" if durable else " -c synchronous_commit=off")
        self.idle: list[psycopg.AsyncConnection[Any]] = []

    async def write(self, rows: list[dict[str, Any]]) -> None:
        conn = self.idle.pop() if self.idle else await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True, connect_timeout=5, options=self.options)
        try:
            async with conn.cursor() as cur, cur.copy(COPY) as copy:
                for row in rows:
                    await copy.write_row([row[c] for c in COLUMNS])
            # the COPY is its own transaction (autocommit): committed when the block ends
        except Exception:
            await conn.close()
            raise
        self.idle.append(conn)


def writer_for(url: str | None, sessions: Callable[[], Sessions]
               ) -> SessionWriter | PostgresWriter:
    if url and url.startswith("postgresql"):
        return PostgresWriter(url, durable=get_settings().click_durable_commit)
    return SessionWriter(sessions)
