"""Analysis → Bonus movement (every movement, filtered), its Refer a Friend view, and the
analysis of discount usage."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.analysis import bonus, discounts
from wordofmouth.analysis.exports import dialect, download
from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import InvalidInput
from wordofmouth.friends import service as friends
from wordofmouth.i18n import gettext
from wordofmouth.settings import service as store_settings
from wordofmouth.web import forms
from wordofmouth.web.deps import Reads, page_permission
from wordofmouth.web.templating import render

router = APIRouter(prefix="/analysis", include_in_schema=False)
Analyst = Annotated[Principal, Depends(page_permission("analysis"))]
PAGE = 100


def _format(fmt: str) -> str:
    if fmt not in ("", "csv", "xlsx"):
        raise InvalidInput(gettext("Export as csv or xlsx."))
    return fmt


@router.get("/bonus")
def movements(request: Request, db: Reads, me: Analyst, customer: str = "", date_from: str = "",
              date_to: str = "", kind: str = "", source: str = "", page: int = 1,
              fmt: str = "") -> Response:
    page = max(page, 1)
    filters = {"customer_id": int(customer) if customer.isdigit() else None,
               "date_from": forms.parse_date(date_from), "date_to": forms.parse_date(date_to),
               "kind": kind or None, "source": source or None}
    if _format(fmt):
        rows = bonus.movements(db, **filters, limit=100_000)  # type: ignore[arg-type]
        return download("bonus-movements", fmt, [
            "id", "at", "customer_id", "customer", "kind", "source", "source_id", "sale_id",
            "amount", "memo"], ([m.id, m.at, m.customer_id, m.customer, m.kind, m.source_type,
                                 m.source_id, m.sale_id, m.amount, m.memo] for m in rows),
                        dialect=dialect(store_settings.get(db)))
    rows = bonus.movements(db, **filters, limit=PAGE, offset=(page - 1) * PAGE)  # type: ignore[arg-type]
    return render(request, "analysis/bonus.html", me, rows=rows, kinds=bonus.kinds(db),
                  customer=customer, date_from=date_from, date_to=date_to, kind=kind,
                  source=source, page=page, page_size=PAGE)


@router.get("/discounts")
def discount_usage(request: Request, db: Reads, me: Analyst, date_from: str = "",
                   date_to: str = "", by: str = "kind", kind: str = "",
                   fmt: str = "") -> Response:
    start, end = forms.period(date_from, date_to, lambda end: end.replace(day=1),
                              tz=store_settings.zone(db))
    u = discounts.usage(db, start, end, by=by, kind=kind or None)
    if _format(fmt):
        return download(f"discount-usage-{u.by}-{start}-{end}", fmt, discounts.HEADER,
                        discounts.cells(u), dialect=dialect(store_settings.get(db)))
    peak = max([Decimal(1), *(r.discount for r in u.rows)])
    return render(request, "analysis/discounts.html", me, u=u, peak=peak,
                  dimensions=discounts.DIMENSIONS, kinds=discounts.KINDS, kind=kind,
                  date_from=start.isoformat(), date_to=end.isoformat())


@router.get("/friends")
def friends_view(request: Request, db: Reads, me: Analyst, campaign: str = "",
                 date_from: str = "", date_to: str = "", fmt: str = "") -> Response:
    campaign_id = int(campaign) if campaign.isdigit() else None
    if _format(fmt):
        codes = bonus.code_results(db, campaign_id=campaign_id, limit=1_000_000)
        return download("refer-a-friend", fmt, [
            "code", "campaign", "referrer_id", "referrer", "issued", "status", "friend_id",
            "used", "purchase", "bonus_accrued", "bonus_reversed"],
            ([c.code, c.campaign, c.referrer_id, c.referrer, c.issued_at, c.status,
              c.friend_id, c.used_at, c.purchase, c.bonus_accrued, c.bonus_reversed]
             for c in codes),
                        dialect=dialect(store_settings.get(db)))
    results = bonus.campaign_results(db, date_from=forms.parse_date(date_from),
                                     date_to=forms.parse_date(date_to))
    series = bonus.new_buyers_per_week(db)
    peak = max([1, *(v for values in series.values() for v in values)])
    return render(request, "analysis/friends.html", me, results=results,
                  codes=bonus.code_results(db, campaign_id=campaign_id, limit=200),
                  campaigns=friends.campaigns(db), campaign=campaign, date_from=date_from,
                  date_to=date_to, series=series, peak=peak)
