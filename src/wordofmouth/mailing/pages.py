"""Mailing pages: create a mailing from the activity analysis (the selected customers or all
matching), preview and test-send it, follow it; mailing settings; the public unsubscribe
page."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from wordofmouth import i18n
from wordofmouth.analysis.activity_pages import selection
from wordofmouth.auth.permissions import Principal
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.config import get_settings
from wordofmouth.customers import service as customers
from wordofmouth.errors import DomainError, InvalidInput
from wordofmouth.i18n import N_, gettext
from wordofmouth.i18n.words import word
from wordofmouth.mailing import audience, rules, service
from wordofmouth.mailing import settings as mail_settings
from wordofmouth.mailing.models import MessageStatus
from wordofmouth.settings import service as store_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Sender = Annotated[Principal, Depends(page_permission("analysis"))]
Owner = Annotated[Principal, Depends(page_permission("settings"))]
# A club list's reminder (seed 002: "remind them to confirm their club membership"),
# prefilled in the language the customers receive.
REMINDERS = {
    "member": N_("{first_name}, to keep your club discount, buy for {club_amount_left} more "
                 "by {club_deadline}. {store_name}"),
    "candidate_join": N_("{first_name}, you have bought enough to join our club: come in and "
                         "confirm your membership. {store_name}"),
    "candidate_extend": N_("{first_name}, you have confirmed your club membership. Thank "
                           "you! {store_name}"),
    "candidate_exclude": N_("{first_name}, your club period ended on {club_deadline} "
                            "{club_amount_left} short. Come in to keep your club discount. "
                            "{store_name}"),
}


def _audience(db: DB, values: Mapping[str, str], chosen: list[str]) -> tuple[list[int], str]:
    """The customers of the mailing: those ticked, or all matching the analysis filter."""
    if values.get("audience") == "club":
        status = values.get("status", "")
        if status not in REMINDERS:
            raise InvalidInput(gettext("Choose a club list."))
        return (club.candidates_ids(db, ClubStatus(status)),
                gettext("the club list “{0}”").format(word(status)))
    return selection(db, values, chosen)


def _form_audience(db: DB, form: FormData) -> tuple[list[int], str]:
    values = {k: str(v) for k, v in form.items()}
    return _audience(db, values, [str(v) for v in form.getlist("customer")])


def _template(form: FormData) -> dict[str, str]:
    return {"channel": forms.text(form, "channel", "email"),
            "subject": forms.text(form, "subject"), "body": str(form.get("body") or "")}


@router.get("/mailings")
def mailing_list(request: Request, db: DB, me: Sender) -> Response:
    rows = [(m, service.counts(db, m.id)) for m in service.mailings(db)]
    return render(request, "mailing/list.html", me, rows=rows, names=service.CHANNEL_NAMES)


@router.get("/mailings/new")
def new_mailing(request: Request, db: DB, me: Sender) -> Response:
    params = request.query_params
    ids, note = _audience(db, dict(params), params.getlist("customer"))
    body = ""
    if params.get("audience") == "club":
        with i18n.use(store_settings.get(db).language):
            body = gettext(REMINDERS[params.get("status", "")])
    return render(request, "mailing/new.html", me, ids=ids, note=note, body=body,
                  status=params.get("status", ""),
                  audience=params.get("audience", "selected"), q=params.get("q", ""),
                  placeholders=rules.PLACEHOLDERS, names=service.CHANNEL_NAMES,
                  client_key=secrets.token_urlsafe(18))


@router.post("/mailings/preview")
def preview(request: Request, db: DB, me: Sender, form: Form) -> Response:
    """The message as the first customer of the audience will get it (HTMX fragment)."""
    try:
        ids, _note = _form_audience(db, form)
        if not ids:
            raise InvalidInput(gettext("The mailing has no customers."))
        subject, body = service.preview(db, customer_id=ids[0], **_template(form))
        return render(request, "mailing/_preview.html", me, subject=subject, body=body,
                      customer=customers.find_customer(db, ids[0]), problem="")
    except DomainError as exc:
        return render(request, "mailing/_preview.html", me, problem=exc.detail)


@router.post("/mailings/test")
def test_send(request: Request, db: DB, me: Sender, form: Form) -> Response:
    """Send the previewed message now to the given address or number (HTMX fragment)."""
    try:
        ids, _note = _form_audience(db, form)
        if not ids:
            raise InvalidInput(gettext("The mailing has no customers."))
        result = service.test_send(db, customer_id=ids[0], address=forms.text(form, "test_to"),
                                   log_path=get_settings().outbox_log, **_template(form))
        return render(request, "mailing/_test.html", me, result=result, problem="")
    except DomainError as exc:
        return render(request, "mailing/_test.html", me, result=None, problem=exc.detail)


@router.post("/mailings")
def create(db: DB, me: Sender, form: Form) -> Response:
    ids, note = _form_audience(db, form)
    mailing = service.create(db, customer_ids=ids, actor=me.label,
                             name=forms.text(form, "name"), audience_note=note,
                             client_key=forms.text(form, "client_key") or None,
                             **_template(form))
    counts = service.counts(db, mailing.id)
    return redirect(f"/mailings/{mailing.id}",
                    gettext("Mailing created: {0} to send, {1} skipped.")
                    .format(counts['queued'], counts['skipped']))


@router.get("/mailings/{mailing_id}")
def follow(mailing_id: int, request: Request, db: DB, me: Sender, status: str = "",
           page: int = 1) -> Response:
    mailing = service.get(db, mailing_id)
    if status and status not in {s.value for s in MessageStatus}:
        raise InvalidInput(gettext("Unknown message status."))
    page = max(page, 1)
    counts = service.counts(db, mailing_id)
    template = "mailing/_counts.html" if request.headers.get("hx-request") else \
        "mailing/follow.html"
    return render(request, template, me, mailing=mailing, counts=counts, status=status,
                  messages=audience.messages(db, mailing_id, status=status or None, limit=100,
                                            offset=(page - 1) * 100),
                  page=page, names=service.CHANNEL_NAMES,
                  busy=counts["queued"] + counts["sending"] > 0)


@router.post("/mailings/{mailing_id}/retry")
def retry(mailing_id: int, db: DB, me: Sender, _: Form) -> Response:
    n = service.retry_failed(db, mailing_id, actor=me.label)
    return redirect(f"/mailings/{mailing_id}", gettext("{0} failed message(s) queued again.")
                                               .format(n))


@router.get("/settings/mailing")
def settings_page(request: Request, db: DB, me: Owner) -> Response:
    return render(request, "mailing/settings.html", me, s=mail_settings.get(db))


@router.post("/settings/mailing")
def save_settings(db: DB, me: Owner, form: Form) -> Response:
    current = mail_settings.get(db)
    changes: dict[str, object] = {}
    for name, value in current.__dict__.items():
        if name not in form:
            continue
        raw = forms.text(form, name)
        if name in mail_settings.SECRETS and not raw:
            continue  # an empty secret field keeps the secret
        changes[name] = forms.integer(form, name, name.replace("_", " ")) \
            if isinstance(value, int) else raw
    mail_settings.update(db, actor=me.label, **changes)
    return redirect("/settings/mailing", gettext("Mailing settings saved."))


@router.get("/unsubscribe/{token}")
def unsubscribe_page(token: str, request: Request, db: DB) -> Response:
    _customer_id, channel, _mailing = service.read_token(token)
    return render(request, "mailing/unsubscribe.html", None, token=token, done=False,
                  channel=service.CHANNEL_NAMES.get(channel, channel))


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, request: Request, db: DB) -> Response:
    """The opt-out: from the page's button, or a mail client's one-click POST (RFC 8058)."""
    _customer_id, channel, _mailing = service.read_token(token)
    service.opt_out(db, token)
    return render(request, "mailing/unsubscribe.html", None, token=token, done=True,
                  channel=service.CHANNEL_NAMES.get(channel, channel))
