"""Idempotency-Key: the same key and body replay the first answer; another body is refused."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from wordofmouth.db import is_postgres, utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import N_, gettext
from wordofmouth.idempotency.models import IdempotencyRecord


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    message = N_("This Idempotency-Key was already used with a different request body.")


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: str


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def claim(session: Session, *, principal: str, key: str, digest: str) -> Replay | None:
    """Reserve `key` for this request, or return the answer recorded for it.

    The reservation is a row inserted in the request's own transaction (one INSERT … ON
    CONFLICT DO NOTHING): a concurrent retry with the same key waits on it and then replays
    the committed answer; if the first request fails, its reservation rolls back with it."""
    if not key or len(key) > 120:
        raise InvalidInput(gettext("An Idempotency-Key is 1–120 characters."))
    insert = (pg_insert if is_postgres(session) else sqlite_insert)(IdempotencyRecord)
    mine = session.execute(
        insert.values(principal=principal, key=key, request_hash=digest, status_code=0,
                      body="", created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["principal", "key"])
        .returning(IdempotencyRecord.key)).first()
    if mine is not None:
        return None
    found = session.execute(select(IdempotencyRecord.request_hash, IdempotencyRecord.status_code,
                                   IdempotencyRecord.body)
                            .where(IdempotencyRecord.principal == principal,
                                   IdempotencyRecord.key == key)).one()
    if found.request_hash != digest:
        raise IdempotencyKeyReused()
    return Replay(found.status_code, found.body)


def record(session: Session, *, principal: str, key: str, status_code: int, body: str) -> None:
    recorded = session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.principal == principal, IdempotencyRecord.key == key)
        .values(status_code=status_code, body=body)
        .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
    assert recorded == 1, "claim() first"
