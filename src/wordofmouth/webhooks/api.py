"""Webhook API: endpoints (settings scopes), their deliveries, redelivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers
from wordofmouth.webhooks import rules, service
from wordofmouth.webhooks.models import WebhookEndpoint
from wordofmouth.webhooks.schemas import (
    AttemptOut,
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
)

router = APIRouter(prefix="/api", tags=["webhooks"], responses=API_ERRORS)
# an endpoint's answer shows its signing secret: reading is for those who may change it
Owner = Annotated[Principal, Depends(api_permission("settings:write"))]


def _out(e: WebhookEndpoint) -> EndpointOut:
    return EndpointOut(id=e.id, url=e.url, description=e.description,
                       events=e.events.split(","), active=e.active, secret=e.secret,
                       previous_secret_until=e.previous_until)


@router.get("/webhooks/events", response_model=dict[str, str])
def list_events(_: Owner) -> dict[str, str]:
    """Every event type an endpoint can subscribe to, with what it means."""
    return dict(rules.EVENTS)


@router.get("/webhooks", response_model=list[EndpointOut])
def list_endpoints(db: DB, _: Owner) -> list[EndpointOut]:
    return [_out(e) for e in service.endpoints(db)]


@router.post("/webhooks", response_model=EndpointOut, status_code=201)
@answers("bad_webhook_url", "idempotency_key_reused", "unknown_webhook_event")
def create_endpoint(body: EndpointIn, request: Request, db: DB, principal: Owner) -> Response:
    return idempotent(request, db, principal, body, lambda: _out(service.create_endpoint(
        db, url=body.url, events=body.events, description=body.description,
        actor=principal.label)), 201)


@router.patch("/webhooks/{endpoint_id}", response_model=EndpointOut)
@answers("bad_webhook_url", "idempotency_key_reused", "unknown_webhook_event",
         "webhook_endpoint_not_found")
def update_endpoint(endpoint_id: int, body: EndpointPatch, request: Request, db: DB,
                    principal: Owner) -> Response:
    return idempotent(request, db, principal, body, lambda: _out(service.update_endpoint(
        db, endpoint_id, actor=principal.label, **body.model_dump(exclude_none=True))))


@router.post("/webhooks/{endpoint_id}/rotate", response_model=EndpointOut)
@answers("idempotency_key_reused", "webhook_endpoint_not_found")
def rotate_secret(endpoint_id: int, request: Request, db: DB, principal: Owner) -> Response:
    """A new secret; the previous one signs too for 24 hours."""
    return idempotent(request, db, principal, None, lambda: _out(service.rotate_secret(
        db, endpoint_id, actor=principal.label)))


def _delivery(row: service.DeliveryRow) -> DeliveryOut:
    d = row.delivery
    return DeliveryOut(id=d.id, message_id=d.message_id, event_type=d.event_type,
                       status=d.status, created_at=d.created_at, payload=d.payload,
                       attempts=[AttemptOut.model_validate(a) for a in row.attempts])


@router.get("/webhooks/{endpoint_id}/deliveries", response_model=list[DeliveryOut])
@answers("webhook_endpoint_not_found")
def list_deliveries(endpoint_id: int, db: DB, _: Owner, before: int | None = None,
                    limit: int = 50) -> list[DeliveryOut]:
    """The latest deliveries, newest first (page with `before` = the last id seen)."""
    service.get_endpoint(db, endpoint_id)
    return [_delivery(r) for r in service.deliveries(
        db, endpoint_id, limit=max(1, min(limit, 200)), before=before)]


@router.post("/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver",
             response_model=DeliveryOut)
@answers("idempotency_key_reused", "webhook_delivery_not_found")
def redeliver(endpoint_id: int, delivery_id: int, request: Request, db: DB,
              principal: Owner) -> Response:
    """Send a delivered or failed delivery again (same webhook-id and body)."""
    def run() -> DeliveryOut:
        found = service.redeliver(db, endpoint_id, delivery_id, actor=principal.label)
        return _delivery(service.DeliveryRow(found, []))
    return idempotent(request, db, principal, None, run)
