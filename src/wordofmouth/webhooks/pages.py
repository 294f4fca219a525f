"""Settings → Webhooks (owner): endpoints, their secrets, the delivery log with every
answer, redelivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.i18n import gettext
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render
from wordofmouth.webhooks import rules, service

router = APIRouter(include_in_schema=False)
Owner = Annotated[Principal, Depends(page_permission("settings"))]


def _events(form: object) -> list[str]:
    chosen = [str(v) for v in form.getlist("events")]  # type: ignore[attr-defined]
    return chosen or ["*"]


@router.get("/settings/webhooks")
def webhooks_page(request: Request, db: DB, me: Owner) -> Response:
    found = service.endpoints(db)
    return render(request, "webhooks/list.html", me, endpoints=found, events=rules.EVENTS,
                  counts={e.id: service.counts(db, e.id) for e in found})


@router.post("/settings/webhooks")
def add_endpoint(db: DB, me: Owner, form: Form) -> Response:
    made = service.create_endpoint(db, url=forms.text(form, "url"), events=_events(form),
                                   description=forms.text(form, "description"),
                                   actor=me.label)
    return redirect(f"/settings/webhooks/{made.id}",
                    gettext("Endpoint added: copy its signing secret to the receiver."))


@router.get("/settings/webhooks/{endpoint_id}")
def endpoint_page(endpoint_id: int, request: Request, db: DB, me: Owner) -> Response:
    endpoint = service.get_endpoint(db, endpoint_id)
    return render(request, "webhooks/endpoint.html", me, endpoint=endpoint,
                  events=rules.EVENTS, rows=service.deliveries(db, endpoint_id),
                  counts=service.counts(db, endpoint_id),
                  chosen=set(endpoint.events.split(",")))


@router.post("/settings/webhooks/{endpoint_id}")
def save_endpoint(endpoint_id: int, db: DB, me: Owner, form: Form) -> Response:
    service.update_endpoint(db, endpoint_id, actor=me.label, url=forms.text(form, "url"),
                            events=_events(form), description=forms.text(form, "description"),
                            active=forms.checked(form, "active"))
    return redirect(f"/settings/webhooks/{endpoint_id}", gettext("Endpoint saved."))


@router.post("/settings/webhooks/{endpoint_id}/rotate")
def rotate(endpoint_id: int, db: DB, me: Owner) -> Response:
    service.rotate_secret(db, endpoint_id, actor=me.label)
    return redirect(f"/settings/webhooks/{endpoint_id}", gettext(
        "A new signing secret: the previous one signs too for 24 hours."))


@router.post("/settings/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver")
def redeliver(endpoint_id: int, delivery_id: int, db: DB, me: Owner) -> Response:
    found = service.redeliver(db, endpoint_id, delivery_id, actor=me.label)
    return redirect(f"/settings/webhooks/{endpoint_id}#delivery-{found.id}",
                    gettext("Delivery {0} will be sent again now.").format(found.message_id))
