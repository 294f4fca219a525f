"""Run a write once per Idempotency-Key: a retry with the same body replays the first answer."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.idempotency import service as idem


def idempotent(request: Request, db: Session, principal: Principal, body: BaseModel | None,
               produce: Callable[[], BaseModel], status_code: int = 200) -> Response:
    key = request.headers.get("idempotency-key")
    if key is None:
        return _json(status_code, produce())
    digest = idem.request_hash(request.method, request.url.path,
                               body.model_dump_json().encode() if body is not None else b"")
    replay = idem.claim(db, principal=principal.key, key=key, digest=digest)
    if replay is not None:
        return Response(replay.body, status_code=replay.status_code,
                        media_type="application/json", headers={"Idempotent-Replayed": "true"})
    response = _json(status_code, produce())
    idem.record(db, principal=principal.key, key=key, status_code=status_code,
                body=bytes(response.body).decode())
    return response


def _json(status_code: int, payload: BaseModel) -> Response:
    return Response(payload.model_dump_json(), status_code=status_code,
                    media_type="application/json")
