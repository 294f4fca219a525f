"""Storefront pages: a partner's keys, links and QR codes; the reward statement (page, CSV,
PDF) with the funnel — for the owner and manager, and for the partner in the portal;
storefront settings."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from wordofmouth.analysis.exports import dialect, download
from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import gettext
from wordofmouth.partners import settlement
from wordofmouth.partners.portal import Me
from wordofmouth.partners.service import get_partner
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import keys, statement, statement_mail
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, Depends(page_permission("analysis"))]
Owner = Annotated[Principal, Depends(page_permission("settings"))]


def _qr(db: Session, partner_id: int, key_id: int, fmt: str, which: str) -> Response:
    found = keys.key_of(db, partner_id, key_id)
    if found is None or fmt not in ("png", "svg"):
        raise NotFound(gettext("No such key."))
    s = storefront_settings.get(db)
    url = keys.short_link(s, found.key) if which == "short" else keys.storefront_link(
        s, found.key)
    return Response(keys.qr(url, fmt), media_type="image/png" if fmt == "png"
                    else "image/svg+xml", headers={
                        "Content-Disposition": f'inline; filename="{found.key}.{fmt}"'})


def statement_file(db: Session, partner_id: int, settled: settlement.Statement,
                   s: statement.Statement, fmt: str) -> Response:
    """The reward statement as a file: csv or xlsx (the settlement), orders (the
    storefront's orders, CSV) or pdf; for the pages and the API."""
    start, end = s.start, s.end
    name = f"reward-statement-{partner_id}-{start}-{end}"
    if fmt in ("csv", "xlsx"):
        return download(name, fmt, settlement.HEADER, settlement.cells(settled),
                        dialect=dialect(store_settings.get(db)))
    if fmt == "orders":
        return download(f"storefront-orders-{partner_id}-{start}-{end}", "csv",
                        statement.HEADER, (statement.cells(r) for r in s.rows),
                        dialect=dialect(store_settings.get(db)))
    if fmt == "pdf":
        return Response(statement.pdf(db, settled, s), media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    raise InvalidInput(gettext("Export as csv, xlsx or pdf."))


def _statement(request: Request, db: Session, me: Principal, partner_id: int,
               date_from: str, date_to: str, fmt: str, base: str) -> Response:
    start, end = forms.period(date_from, date_to, lambda end: end.replace(day=1),
                              tz=store_settings.zone(db))
    settled = settlement.statement(db, partner_id, start, end, masked=me.partner_id is not None)
    s = statement.statement(db, partner_id, start, end)
    if fmt:
        return statement_file(db, partner_id, settled, s, fmt)
    peak = max([1, *(n for _label, n in s.funnel)])
    return render(request, "storefront/statement.html", me, st=s, settled=settled,
                  sources=settlement.SOURCES, paid_kinds=settlement.PAID, peak=peak, base=base,
                  date_from=start.isoformat(), date_to=end.isoformat(),
                  client_key=secrets.token_urlsafe(18))


@router.post("/partners/{partner_id}/keys")
def add_key(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    found = keys.add_key(db, partner_id, forms.text(form, "key"), actor=me.label)
    return redirect(f"/partners/{partner_id}#referral-links", gettext("Key {0} added.")
                                                              .format(found.key))


@router.post("/partners/{partner_id}/keys/{key_id}")
def switch_key(partner_id: int, key_id: int, db: DB, me: Manager, form: Form) -> Response:
    found = keys.set_active(db, partner_id, key_id, "active" in form, actor=me.label)
    done = gettext("Key {0} switched on.") if found.active else gettext(
        "Key {0} switched off: its links credit nobody.")
    return redirect(f"/partners/{partner_id}#referral-links", done.format(found.key))


@router.get("/partners/{partner_id}/keys/{key_id}/qr-{which}.{fmt}")
def qr_code(partner_id: int, key_id: int, which: str, fmt: str, db: DB,
            me: Manager) -> Response:
    return _qr(db, partner_id, key_id, fmt, which)


@router.get("/partners/{partner_id}/statement")
def partner_statement(partner_id: int, request: Request, db: DB, me: Manager,
                      date_from: str = "", date_to: str = "", fmt: str = "") -> Response:
    return _statement(request, db, me, partner_id, date_from, date_to, fmt,
                      f"/partners/{partner_id}/statement")


@router.post("/partners/{partner_id}/statement/email")
def email_statement(partner_id: int, db: DB, me: Manager, form: Form) -> Response:
    """E-mail the partner the statement of the period on screen, through the outbox."""
    start, end = forms.period(forms.text(form, "date_from"), forms.text(form, "date_to"),
                              lambda end: end.replace(day=1), tz=store_settings.zone(db))
    key = forms.text(form, "client_key") or secrets.token_urlsafe(18)
    sent = statement_mail.send_now(db, partner_id, start, end, actor=me.label,
                                   client_key=f"statement:{key}")
    partner = get_partner(db, partner_id)
    return redirect(f"/partners/{partner_id}/statement?date_from={start}&date_to={end}",
                    gettext("The statement is queued for {0} ({1}): Mailings → {2}.")
                    .format(partner.name, partner.email, sent.name))


@router.get("/portal/links")
def portal_links(request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    return render(request, "storefront/portal_links.html", me,
                  partner=get_partner(db, me.partner_id),
                  links=keys.links_of(db, me.partner_id))


@router.get("/portal/keys/{key_id}/qr-{which}.{fmt}")
def portal_qr(key_id: int, which: str, fmt: str, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    return _qr(db, me.partner_id, key_id, fmt, which)


@router.get("/portal/statement")
def portal_statement(request: Request, db: DB, me: Me, date_from: str = "",
                     date_to: str = "", fmt: str = "") -> Response:
    assert me.partner_id is not None
    return _statement(request, db, me, me.partner_id, date_from, date_to, fmt,
                      "/portal/statement")


@router.get("/settings/storefront")
def settings_page(request: Request, db: DB, me: Owner) -> Response:
    return render(request, "storefront/settings.html", me, s=storefront_settings.get(db))


@router.post("/settings/storefront")
def save_settings(request: Request, db: DB, me: Owner, form: Form) -> Response:
    changes: dict[str, object] = {
        name: forms.text(form, name) for name in ("home_url", "allowed_hosts",
                                                  "attribution", "tracking_url")
        if name in form}
    if "cookie_days" in form:
        changes["cookie_days"] = forms.integer(form, "cookie_days", "Days a click counts")
    storefront_settings.update(db, actor=me.label, **changes)
    return redirect("/settings/storefront", gettext("Storefront settings saved."))
