"""Mailings in the JSON API: create one for chosen customers or a club list, preview and
test-send its message, follow it message by message, retry its failures; the mailing
settings (owner; secrets are written, never read back)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.config import get_settings
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.i18n.words import word
from wordofmouth.mailing import audience, service
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.models import Mailing, MessageStatus
from wordofmouth.mailing.schemas import (
    MailingIn,
    MailingOut,
    MailSettingsIn,
    MailSettingsOut,
    MessageOut,
    PreviewIn,
    PreviewOut,
    RetryOut,
    TestSendIn,
    TestSendOut,
)
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["mailings"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("mailings:read"))]
Writer = Annotated[Principal, Depends(api_permission("mailings:write"))]
SettingsReader = Annotated[Principal, Depends(api_permission("settings:read"))]
SettingsWriter = Annotated[Principal, Depends(api_permission("settings:write"))]


def _out(db: DB, mailing: Mailing) -> MailingOut:
    return MailingOut.model_validate({**{k: getattr(mailing, k) for k in MailingOut.model_fields
                                         if k != "counts"},
                                      "counts": service.counts(db, mailing.id)})


@router.get("/mailings", response_model=list[MailingOut])
def list_mailings(db: DB, _: Reader) -> list[MailingOut]:
    """The latest 100 mailings, newest first, with their messages counted by status."""
    return [_out(db, m) for m in service.mailings(db)]


@router.post("/mailings", response_model=MailingOut, status_code=201)
@answers("empty_audience", "idempotency_key_reused", "unknown_placeholder")
def create_mailing(body: MailingIn, request: Request, db: DB, principal: Writer) -> Response:
    """A mailing to the customers given (say, from the activity analysis) or to a club
    list. Each customer gets one message, or is skipped with the reason (no consent, no
    valid address); the worker sends after the commit."""
    def run() -> MailingOut:
        if body.club_list is not None:
            ids = club.candidates_ids(db, ClubStatus(body.club_list))
            note = gettext("the club list “{0}”").format(word(body.club_list))
        else:
            ids = list(body.customer_ids or [])
            note = gettext("chosen through the API")
        mailing = service.create(db, customer_ids=ids, actor=principal.label, name=body.name,
                                 audience_note=note, channel=body.channel,
                                 subject=body.subject, body=body.body)
        return _out(db, mailing)

    return idempotent(request, db, principal, body, run, 201)


@router.post("/mailings/preview", response_model=PreviewOut)
@answers("customer_not_found", "unknown_placeholder")
def preview(body: PreviewIn, db: DB, _: Writer) -> PreviewOut:
    """The message as that customer would get it; nothing is sent or saved."""
    subject, text = service.preview(db, channel=body.channel, subject=body.subject,
                                    body=body.body, customer_id=body.customer_id)
    return PreviewOut(subject=subject, body=text)


@router.post("/mailings/test", response_model=TestSendOut)
@answers("customer_not_found", "invalid_address", "unknown_placeholder")
def test_send(body: TestSendIn, db: DB, _: Writer) -> TestSendOut:
    """Send that customer's message now to the address given (not to the customer)."""
    result = service.test_send(db, channel=body.channel, subject=body.subject, body=body.body,
                               customer_id=body.customer_id, address=body.to,
                               log_path=get_settings().outbox_log)
    return TestSendOut(status=result.status, answer=result.answer)


@router.get("/mailings/{mailing_id}", response_model=MailingOut)
@answers("mailing_not_found")
def get_mailing(mailing_id: int, db: DB, _: Reader) -> MailingOut:
    return _out(db, service.get(db, mailing_id))


@router.get("/mailings/{mailing_id}/messages", response_model=list[MessageOut])
@answers("mailing_not_found")
def list_messages(mailing_id: int, db: DB, _: Reader, status: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[MessageOut]:
    """What each message became (maybe only those of one status), a page at a time."""
    service.get(db, mailing_id)
    if status and status not in {s.value for s in MessageStatus}:
        raise InvalidInput(gettext("Unknown message status."))
    return [MessageOut(id=m.id, customer_id=m.customer_id, partner_id=m.partner_id,
                       recipient=name, channel=m.channel, address=m.address, status=m.status,
                       attempts=m.attempts, answer=m.answer)
            for m, name in audience.messages(db, mailing_id, status=status or None,
                                             limit=limit, offset=offset)]


@router.post("/mailings/{mailing_id}/retry", response_model=RetryOut)
@answers("idempotency_key_reused", "mailing_not_found")
def retry(mailing_id: int, request: Request, db: DB, principal: Writer) -> Response:
    """Queue the mailing's failed messages again."""
    return idempotent(request, db, principal, None, lambda: RetryOut(
        queued_again=service.retry_failed(db, mailing_id, actor=principal.label)))


def _settings_out(s: mail_settings.MailSettings) -> MailSettingsOut:
    values = asdict(s)
    return MailSettingsOut.model_validate({
        **{k: v for k, v in values.items() if k not in mail_settings.SECRETS},
        "secrets_set": sorted(k for k in mail_settings.SECRETS if values[k])})


@router.get("/mailing/settings", response_model=MailSettingsOut)
def get_mail_settings(db: DB, _: SettingsReader) -> MailSettingsOut:
    return _settings_out(mail_settings.get(db))


@router.patch("/mailing/settings", response_model=MailSettingsOut)
@answers("idempotency_key_reused")
def update_mail_settings(body: MailSettingsIn, request: Request, db: DB,
                         principal: SettingsWriter) -> Response:
    """Change the mailing settings given (the audit log keeps of a secret only that it
    changed)."""
    return idempotent(request, db, principal, body, lambda: _settings_out(
        mail_settings.update(db, actor=principal.label, **body.model_dump(exclude_none=True))))
