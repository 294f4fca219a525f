"""On SQLite a process hands the one writer's turn from transaction to transaction itself
(db.WriteTurns): sixteen tills writing at once queue in the process, not on the file lock
(whose waiters sleep between tries), a reader never waits for a writer, and a turn is given
back however its transaction ends.

The engines here give SQLite no busy timeout at all: a writer that went to the file while
another held it would fail at once with "database is locked" — so a test passes only if
every writer of the process waited for its turn before it touched the file."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from wordofmouth import db as database


@pytest.fixture
def tills(tmp_path: Path) -> Iterator[Engine]:
    made = database.make_engine(f"sqlite:///{tmp_path / 'tills.db'}", pool_size=20,
                                max_overflow=0)

    @event.listens_for(made, "connect")
    def _no_busy_wait(dbapi_conn: Any, _record: Any) -> None:  # after the engine's own
        dbapi_conn.execute("PRAGMA busy_timeout=0")

    with made.begin() as conn:
        conn.execute(text("CREATE TABLE till (id INTEGER PRIMARY KEY, sales INTEGER)"))
        conn.execute(text("INSERT INTO till VALUES (1, 0)"))
    yield made
    made.dispose()


def _sales(tills: Engine) -> int:
    with tills.connect() as conn:
        return int(conn.scalar(text("SELECT sales FROM till")) or 0)


def test_sixteen_tills_writing_at_once_all_get_through(tills: Engine) -> None:
    errors: list[BaseException] = []

    def till() -> None:
        for _ in range(25):
            try:
                with tills.begin() as conn:  # a read, then a write on it: one turn
                    sales = conn.scalar(text("SELECT sales FROM till"))
                    conn.execute(text("UPDATE till SET sales = :n"), {"n": sales + 1})
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=till) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _sales(tills) == 16 * 25  # no update lost: each read-then-write had its turn


def test_a_turn_is_given_back_after_a_rollback_and_an_error(tills: Engine) -> None:
    with pytest.raises(ZeroDivisionError), tills.begin() as conn:
        conn.execute(text("UPDATE till SET sales = 5"))
        raise ZeroDivisionError
    conn = tills.connect()
    conn.begin()
    conn.execute(text("UPDATE till SET sales = 6"))
    conn.close()  # closed without commit: the pool rolls it back and the turn goes with it
    with tills.begin() as conn:
        conn.execute(text("UPDATE till SET sales = 7"))
    assert _sales(tills) == 7


def test_a_reader_does_not_wait_for_a_writer(tills: Engine) -> None:
    with tills.begin() as writing:
        writing.execute(text("UPDATE till SET sales = 9"))
        with tills.connect() as reading:
            snapshot = reading.execution_options(**{database.READ_ONLY: True})
            with snapshot.begin():
                assert snapshot.scalar(text("SELECT sales FROM till")) == 0
    assert _sales(tills) == 9


def test_a_writer_that_never_gets_its_turn_is_told_the_database_is_busy(
        tills: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database, "WRITE_LOCK_SECONDS", 0.2)
    held = threading.Event()
    done = threading.Event()

    def holder() -> None:
        with tills.begin() as conn:
            conn.execute(text("UPDATE till SET sales = 1"))
            held.set()
            done.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    try:
        with pytest.raises(OperationalError, match="database is locked"), tills.begin():
            pass
    finally:
        done.set()
        t.join()
    with tills.begin() as conn:  # the holder's turn came back at its commit
        conn.execute(text("UPDATE till SET sales = 2"))
    assert _sales(tills) == 2
