"""Idempotency-Key: the same key and body replay the first answer; another body is refused."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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

    The reservation is a row inserted in the request's own transaction: a concurrent retry
    with the same key waits on it and then replays the committed answer; if the first
    request fails, its reservation rolls back with it."""
    if not key or len(key) > 120:
        raise InvalidInput(gettext("An Idempotency-Key is 1–120 characters."))
    found = session.get(IdempotencyRecord, (principal, key))
    if found is None:
        try:
            with session.begin_nested():
                session.add(IdempotencyRecord(principal=principal, key=key, request_hash=digest))
            return None
        except IntegrityError:
            found = session.get(IdempotencyRecord, (principal, key), populate_existing=True)
            assert found is not None
    if found.request_hash != digest:
        raise IdempotencyKeyReused()
    return Replay(found.status_code, found.body)


def record(session: Session, *, principal: str, key: str, status_code: int, body: str) -> None:
    row = session.get(IdempotencyRecord, (principal, key))
    assert row is not None, "claim() first"
    row.status_code, row.body = status_code, body
    session.flush()
