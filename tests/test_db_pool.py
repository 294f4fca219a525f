"""The connection pool pings a connection only when it sat idle long enough for the
database to have dropped it, and replaces one that was dropped: no request fails for it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import requires_postgres
from wordofmouth import db as database


@requires_postgres
def test_a_connection_dropped_while_idle_is_replaced_unseen(
        committed_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = database.make_engine(committed_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            first = conn.scalar(text("SELECT pg_backend_pid()"))
        with engine.connect() as conn:  # straight back to work: the same connection
            assert conn.scalar(text("SELECT pg_backend_pid()")) == first
        other = database.make_engine(committed_url, pool_size=1, max_overflow=0)
        with other.connect() as admin:  # the database drops it (a restart, an idle timeout)
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        other.dispose()
        monkeypatch.setattr(database, "IDLE_SECONDS", 0.0)  # it has sat long enough
        with engine.connect() as conn:
            replaced = conn.scalar(text("SELECT pg_backend_pid()"))
        assert replaced != first
    finally:
        engine.dispose()
