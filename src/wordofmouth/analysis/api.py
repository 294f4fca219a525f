"""Customer activity in the JSON API: the analysis with its filter (the page's query
parameters), its export, and the actions on chosen customers (a personal discount, an
invitation into the club)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.analysis import activity
from wordofmouth.analysis.activity_pages import FIELDS, export, filter_from
from wordofmouth.analysis.schemas import (
    ActivityOut,
    ActivityRowOut,
    ChosenIn,
    DiscountIn,
    DiscountOut,
    InviteOut,
)
from wordofmouth.auth.permissions import Principal
from wordofmouth.club import service as club
from wordofmouth.customers import service as customers
from wordofmouth.schemas import API_ERRORS
from wordofmouth.settings import service as store_settings
from wordofmouth.web.deps import DB, Reads, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api/analysis", tags=["analysis"], responses=API_ERRORS)
Analyst = Annotated[Principal, Depends(api_permission("analysis:read"))]
CardWriter = Annotated[Principal, Depends(api_permission("customers:write"))]
ClubWriter = Annotated[Principal, Depends(api_permission("club:write"))]
Text = Annotated[str, Query()]


@router.get("/activity", response_model=ActivityOut,
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-"
                                         "officedocument.spreadsheetml.sheet": {}}}})
def customer_activity(request: Request, db: Reads, _: Analyst, date_from: Text = "",
                      date_to: Text = "", partner: Text = "", employee: Text = "",
                      club_status: Annotated[str, Query(alias="club")] = "",
                      min_purchases: Text = "", max_purchases: Text = "",
                      min_revenue: Text = "", dormant_since: Text = "",
                      consent: Text = "", sort: Text = "revenue",
                      dir: Annotated[Literal["asc", "desc"], Query()] = "desc",
                      limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                      offset: Annotated[int, Query(ge=0)] = 0,
                      format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json",
                      ) -> Response | ActivityOut:
    """Who bought what in a period (default the last 90 days): the page's filter, sort keys
    as the export's column names (revenue, average_check, discount_percent, …). With
    format=csv or xlsx, every matching customer as the page's export."""
    f = filter_from({k: v for k, v in request.query_params.items() if k in FIELDS},
                    store_settings.zone(db))
    if format != "json":
        return export(request, db, f, format)
    rows, totals = activity.page_and_totals(db, f, limit=limit, offset=offset)
    return ActivityOut(
        date_from=f.start, date_to=f.end, customers=totals.customers,
        purchases=totals.purchases, revenue=totals.revenue, average_check=totals.average,
        rows=[ActivityRowOut(customer_id=r.customer_id, customer=r.name, card=r.card,
                             partner=r.partner, employee=r.employee, purchases=r.purchases,
                             revenue=r.revenue, average_check=r.average,
                             discount_percent=r.discount_percent, bonus_balance=r.bonus,
                             last_purchase=r.last_purchase, club_status=r.club_status)
              for r in rows])


@router.post("/activity/discount", response_model=DiscountOut)
@answers("idempotency_key_reused")
def personal_discount(body: DiscountIn, request: Request, db: DB,
                      principal: CardWriter) -> Response:
    """A personal discount on the main card of each customer given."""
    def run() -> DiscountOut:
        changed, without = customers.set_personal_discount(
            db, body.customer_ids, body.discount_percent, actor=principal.label)
        return DiscountOut(cards_changed=changed, without_card=without)

    return idempotent(request, db, principal, body, run)


@router.post("/activity/club", response_model=InviteOut)
@answers("club_disabled", "idempotency_key_reused", "not_a_candidate", "unknown_club_decision")
def club_invitation(body: ChosenIn, request: Request, db: DB,
                    principal: ClubWriter) -> Response:
    """Invite the customers given into the club at once (members already stay as they are)."""
    def run() -> InviteOut:
        invited, already = club.invite(db, customer_ids=body.customer_ids,
                                       actor=principal.label)
        return InviteOut(invited=invited, members_already=already)

    return idempotent(request, db, principal, body, run)
