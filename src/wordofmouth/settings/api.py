"""The store settings in the JSON API (read: settings:read; change: settings:write)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.schemas import API_ERRORS
from wordofmouth.settings import service
from wordofmouth.settings.schemas import StoreSettingsIn, StoreSettingsOut
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["settings"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("settings:read"))]
Writer = Annotated[Principal, Depends(api_permission("settings:write"))]


@router.get("/settings", response_model=StoreSettingsOut)
def get_settings(db: DB, _: Reader) -> StoreSettingsOut:
    return StoreSettingsOut.model_validate(asdict(service.get(db)))


@router.patch("/settings", response_model=StoreSettingsOut)
@answers("idempotency_key_reused")
def update_settings(body: StoreSettingsIn, request: Request, db: DB,
                    principal: Writer) -> Response:
    """Change the store settings given; every change is in the audit log."""
    return idempotent(request, db, principal, body, lambda: StoreSettingsOut.model_validate(
        asdict(service.update(db, actor=principal.label, **body.model_dump(exclude_none=True)))))
