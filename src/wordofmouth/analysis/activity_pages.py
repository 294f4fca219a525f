"""Analysis → Customer activity: the page, its export, and the filter read from the query
string (the mailing page reads the same filter for "all matching")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from wordofmouth.analysis import activity
from wordofmouth.analysis.exports import dialect, stream_download
from wordofmouth.auth.permissions import Principal
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubStatus
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext, ngettext
from wordofmouth.partners import service as partners
from wordofmouth.settings import service as store_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, Reads, page_permission, streaming_session
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(prefix="/analysis", include_in_schema=False)
Analyst = Annotated[Principal, Depends(page_permission("analysis"))]
PAGE = 50
FIELDS = ("date_from", "date_to", "partner", "employee", "club", "min_purchases",
          "max_purchases", "min_revenue", "dormant_since", "consent", "sort", "dir")
HEADER = ["customer_id", "customer", "card", "partner", "employee", "purchases", "revenue",
          "average_check", "discount_percent", "bonus_balance", "last_purchase", "club_status"]


def _int(params: Mapping[str, str], name: str, label: str) -> int | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput(gettext("{0}: '{1}' is not a whole number below a billion.")
                           .format(gettext(label), raw))
    return int(raw)


def filter_from(params: Mapping[str, str], tz: ZoneInfo) -> activity.Filter:
    """The analysis filter from query parameters; the period defaults to the last 90 days."""
    start, end = forms.period(params.get("date_from", ""), params.get("date_to", ""),
                              lambda end: end - timedelta(days=90), tz=tz)
    raw_revenue = params.get("min_revenue", "").strip().replace(",", ".")
    try:
        min_revenue = Decimal(raw_revenue) if raw_revenue else None
    except InvalidOperation as exc:
        raise InvalidInput(gettext("Minimum revenue: '{0}' is not an amount.")
                           .format(raw_revenue)) from exc
    if min_revenue is not None and (not min_revenue.is_finite() or abs(min_revenue) > 10**12):
        raise InvalidInput(gettext("Minimum revenue is out of range."))
    return activity.Filter(
        start=start, end=end, partner_id=_int(params, "partner", "Partner"),
        employee_id=_int(params, "employee", "Employee"),
        club_status=params.get("club") or None,
        min_purchases=_int(params, "min_purchases", "Minimum purchases"),
        max_purchases=_int(params, "max_purchases", "Maximum purchases"),
        min_revenue=min_revenue,
        dormant_since=forms.parse_date(params.get("dormant_since", "")),
        consent=params.get("consent") or None, sort=params.get("sort") or "revenue",
        descending=params.get("dir", "desc") != "asc").check()


def query_of(params: Mapping[str, str]) -> str:
    return urlencode({k: params[k] for k in FIELDS if params.get(k)})


MAX_SELECTED = 10_000


def selection(db: Session, values: Mapping[str, str], chosen: list[str]) -> tuple[list[int], str]:
    """The customers an action on the analysis concerns: those ticked, or (audience "all")
    every customer matching the analysis filter in `q`; and how they were chosen."""
    if values.get("audience") == "all":
        f = filter_from(dict(parse_qsl(values.get("q", ""))), store_settings.zone(db))
        names = {p.id: p.name for p in partners.partners(db)}
        return list(activity.customer_ids(db, f)), gettext("all matching: {0}").format(
            describe(f, names))
    if not all(c.isdigit() for c in chosen) or len(chosen) > MAX_SELECTED:
        raise InvalidInput(gettext("The selection is not a list of customers."))
    ids = list(dict.fromkeys(int(c) for c in chosen))
    return ids, ngettext("{0} customer selected in the activity analysis",
                         "{0} customers selected in the activity analysis",
                         len(ids)).format(len(ids))


def describe(f: activity.Filter, partner_names: Mapping[int, str]) -> str:
    """The filter in words, kept with a mailing to say how its audience was chosen."""
    parts = [f"{f.start} – {f.end}"]
    if f.partner_id is not None:
        parts.append(f"partner {partner_names.get(f.partner_id, f.partner_id)}")
    if f.employee_id is not None:
        parts.append(f"employee #{f.employee_id}")
    for label, value in (("club", f.club_status), ("purchases ≥", f.min_purchases),
                         ("purchases ≤", f.max_purchases), ("revenue ≥", f.min_revenue),
                         ("no purchase since", f.dormant_since), ("consent", f.consent)):
        if value is not None:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _cells(r: activity.Row) -> list[object]:
    return [r.customer_id, r.name, r.card, r.partner, r.employee, r.purchases, r.revenue,
            r.average, r.discount_percent, r.bonus, r.last_purchase, r.club_status]


def export(request: Request, db: Session, f: activity.Filter, fmt: str) -> Response:
    """The analysis as CSV or XLSX (the columns of HEADER), streamed in a read-only
    transaction of its own; for the page and the API."""
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(gettext("Export as csv or xlsx."))
    open_session = streaming_session(request)

    def export_rows() -> Iterator[list[object]]:
        with open_session() as session:
            for r in activity.stream(session, f):
                yield _cells(r)

    return stream_download("customer-activity", fmt, HEADER, export_rows(),
                           dialect=dialect(store_settings.get(db)))


@router.get("/activity")
def activity_page(request: Request, db: Reads, me: Analyst, page: int = 1,
                  fmt: str = "") -> Response:
    params = dict(request.query_params)
    f = filter_from(params, store_settings.zone(db))
    if fmt:
        return export(request, db, f, fmt)
    page = max(page, 1)
    rows, totals = activity.page_and_totals(db, f, limit=PAGE, offset=(page - 1) * PAGE)
    months = activity.revenue_per_month(db, f)
    peak = max([Decimal(1), *(v for _m, v in months)])
    query = query_of(params)

    def sort_link(column: str) -> str:
        down = f.sort != column or not f.descending
        return "?" + urlencode({**{k: params[k] for k in FIELDS if params.get(k)},
                                "sort": column, "dir": "desc" if down else "asc"})

    return render(request, "analysis/activity.html", me, rows=rows, f=f, params=params,
                  totals=totals, months=months, peak=peak, query=query,
                  page=page, page_size=PAGE, sort_link=sort_link,
                  partners=partners.partners(db), employees=partners.all_employees(db),
                  club_statuses=[s.value for s in ClubStatus])


@router.get("/activity/act")
def act_on_selection(request: Request, db: DB, me: Analyst) -> Response:
    """Ask first: what the chosen customers are, then a personal discount or the club."""
    params = request.query_params
    ids, note = selection(db, dict(params), params.getlist("customer"))
    audience = "all" if params.get("audience") == "all" else "selected"
    return render(request, "analysis/act.html", me, ids=ids, note=note, audience=audience,
                  q=params.get("q", ""), club_on=club.settings(db).enabled)


def _chosen(db: Session, form: FormData) -> list[int]:
    """The customers the form acts on: those ticked, or all matching its filter (read
    again when the action is taken), at most MAX_SELECTED."""
    ids, _note = selection(db, {k: str(v) for k, v in form.items()},
                           [str(v) for v in form.getlist("customer")])
    if not ids or len(ids) > MAX_SELECTED:
        raise InvalidInput(gettext("Choose 1 to {0} customers.").format(MAX_SELECTED))
    return ids


@router.post("/activity/discount")
def personal_discount(db: DB, me: Analyst, form: Form) -> Response:
    changed, without = customers.set_personal_discount(
        db, _chosen(db, form), forms.decimal(form, "discount_percent", "Discount"), actor=me.label)
    message = ngettext("Personal discount set on {0} card.", "Personal discount set on {0} cards.",
                       changed).format(changed)
    if without:
        message += " " + ngettext("{0} customer has no card.", "{0} customers have no card.",
                                  without).format(without)
    return redirect("/analysis/activity", message)


@router.post("/activity/club")
def club_invitation(db: DB, me: Analyst, form: Form) -> Response:
    invited, already = club.invite(db, customer_ids=_chosen(db, form), actor=me.label)
    message = ngettext("{0} customer invited into the club.",
                       "{0} customers invited into the club.", invited).format(invited)
    if already:
        message += " " + ngettext("{0} was a member already.", "{0} were members already.",
                                  already).format(already)
    return redirect("/analysis/activity", message)
