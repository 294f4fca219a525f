"""Reading rows by id, and locking them, in one place: `one()` answers the capability's own
NotFound for a missing row; `locked()` is how every read-then-write takes its row lock
before the first read, so the lock can never be taken after a stale copy was loaded."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from wordofmouth.db import is_postgres
from wordofmouth.errors import NotFound

T = TypeVar("T")
S = TypeVar("S", bound=Select[Any])


def one(session: Session, model: type[T], key: Any, missing: type[NotFound], message: str = "",
        *, options: Sequence[ORMOption] = ()) -> T:
    """The row of `model` with primary key `key`, or `missing` (a NotFound subclass)."""
    found = session.get(model, key, options=options)
    if found is None:
        raise missing(message or None)
    return found


def locked(session: Session, stmt: S) -> S:
    """`stmt` as a locking read: the rows are read again from the database (never a copy
    loaded earlier in this session) and held until the transaction ends (FOR UPDATE on
    PostgreSQL; SQLite has one writer at a time, so its write transaction is the lock)."""
    stmt = stmt.execution_options(populate_existing=True)
    return stmt.with_for_update() if is_postgres(session) else stmt
