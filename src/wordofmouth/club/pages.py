"""Back office: club management (the three lists and the decisions) and club settings."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response, StreamingResponse

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.club import lists as review_lists
from wordofmouth.club import rules, service
from wordofmouth.club.errors import UnknownClubDecision
from wordofmouth.club.rules import DISCOUNTED, ClubStatus
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import N_, gettext
from wordofmouth.partners import service as partners
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission, streaming_session
from wordofmouth.web.office import redirect
from wordofmouth.web.streams import closing
from wordofmouth.web.templating import render

router = APIRouter(prefix="/club", include_in_schema=False)
Manager = Annotated[Principal, Depends(page_permission("club"))]
Owner = Annotated[Principal, Depends(page_permission("settings"))]
LISTS = [
    (ClubStatus.CANDIDATE_JOIN, N_("Candidates to join"), ("grant", "decline")),
    (ClubStatus.CANDIDATE_EXTEND, N_("Candidates to extend"), ("extend", "exclude")),
    (ClubStatus.CANDIDATE_EXCLUDE, N_("Candidates to exclude"), ("exclude", "extend")),
]


def _referrer(db: DB, raw: str) -> tuple[int | None, int | None]:
    return partners.referrer_choice(db, raw) if raw else (None, None)


@router.get("")
def management(request: Request, db: DB, me: Manager, referrer: str = "") -> Response:
    """The review lists (maybe only the customers a partner or employee brought)."""
    partner_id, employee_id = _referrer(db, referrer)
    lists = [(status, title, actions, review_lists.candidates(
        db, status, partner_id=partner_id, employee_id=employee_id))
             for status, title, actions in LISTS]
    counts = service.counts(db)
    return render(request, "club/manage.html", me, lists=lists, counts=counts,
                  discounted=sum(counts.get(s, 0) for s in DISCOUNTED),
                  settings=service.settings(db), date_of=date_of, referrer=referrer,
                  partner_list=partners.partners(db), partner_staff=partners.all_employees(db))


@router.post("/decide")
def decide(db: DB, me: Manager, form: Form) -> Response:
    action = forms.text(form, "action")
    if action not in rules.ACTIONS:
        raise UnknownClubDecision(gettext("Unknown club decision '{0}'.").format(action))
    if forms.checked(form, "all"):  # everyone on the list as it was filtered
        partner_id, employee_id = _referrer(db, forms.text(form, "referrer"))
        ids = review_lists.candidate_ids(db, rules.ACTIONS[action][0], partner_id=partner_id,
                                         employee_id=employee_id)
    else:
        ids = [int(str(v)) for v in form.getlist("customer_id") if str(v).isdigit()]
    n = service.decide(db, customer_ids=ids, action=action, actor=me.label)
    return redirect("/club", gettext("{0}: {1} customer{2}.")
                             .format(action.capitalize(), n, 's' if n != 1 else ''))


@router.post("/review")
def review_now(db: DB, me: Manager, _: Form) -> Response:
    result = service.run_review(db, actor=me.label)
    if not result.ran:
        return redirect("/club", gettext("Today has been reviewed already; nothing changed."))
    return redirect("/club", "Review done: " + ", ".join(
        f"{k.replace('_', ' ')} {v}" for k, v in result.counts.items() if v) + ".")


@router.get("/export/{status}.csv")
def export(status: str, request: Request, me: Manager) -> Response:
    """The list as CSV, streamed: each batch of 1 000 is read in a short read-only
    transaction of its own, so a slow or vanished browser holds no transaction open."""
    if status not in {s.value for s, _t, _a in LISTS}:
        raise InvalidInput(gettext("Unknown list '{0}'.").format(status))
    open_session = streaming_session(request)

    def batch(offset: int) -> list[review_lists.Candidate]:
        with open_session() as session:
            return review_lists.candidates(session, ClubStatus(status), limit=1000, offset=offset)

    def rows() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["customer_id", "customer", "card", "reached", "required",
                         "period_start", "period_end"])
        offset = 0
        while found := batch(offset):
            for c in found:
                writer.writerow([c.customer_id, forms.csv_safe(c.name), c.card or "", c.reached,
                                 c.required or "", _day(c.period_start_day),
                                 _day(c.period_end_day)])
            offset += len(found)
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return StreamingResponse(closing(rows()), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="club-{status}.csv"'})


def _day(day: int | None) -> str:
    return date_of(day).isoformat() if day is not None else ""


@router.get("/settings")
def settings_page(request: Request, db: DB, me: Owner) -> Response:
    s = service.settings(db)
    return render(request, "club/settings.html", me, s=s,
                  started_on=date_of(s.started_day) if s.started_day else None,
                  start_fixed=bool(service.reviewed_any(db)))


@router.post("/settings")
def save_settings(db: DB, me: Owner, form: Form) -> Response:
    start = forms.parse_date(forms.text(form, "started_on"))
    service.save_settings(
        db, actor=me.label, enabled=forms.checked(form, "enabled"),
        automatic=forms.checked(form, "automatic"),
        discount_percent=forms.decimal(form, "discount_percent", "Club discount"),
        accumulation_amount=forms.money(form, "accumulation_amount", "Accumulation amount"),
        accumulation_days=forms.integer(form, "accumulation_days", "Accumulation period"),
        confirmation_amount=forms.money(form, "confirmation_amount", "Confirmation amount"),
        confirmation_days=forms.integer(form, "confirmation_days", "Confirmation period"),
        started_day=day_of_date(start) if start else None)
    return redirect("/club/settings", gettext("Club settings saved."))
