"""The club in the JSON API: settings (owner), the review lists, decisions and the review."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.club import lists as review_lists
from wordofmouth.club import service
from wordofmouth.club.rules import ClubSettings, ClubStatus
from wordofmouth.club.schemas import (
    CandidateOut,
    ClubSettingsIn,
    ClubSettingsOut,
    DecisionIn,
    DecisionOut,
    ReviewIn,
    ReviewOut,
)
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api/club", tags=["club"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("club:read"))]
Writer = Annotated[Principal, Depends(api_permission("club:write"))]
SettingsReader = Annotated[Principal, Depends(api_permission("settings:read"))]
SettingsWriter = Annotated[Principal, Depends(api_permission("settings:write"))]
CANDIDATES = (ClubStatus.CANDIDATE_JOIN, ClubStatus.CANDIDATE_EXTEND,
              ClubStatus.CANDIDATE_EXCLUDE)


def _settings_out(s: ClubSettings) -> ClubSettingsOut:
    return ClubSettingsOut(enabled=s.enabled, automatic=s.automatic,
                           discount_percent=s.discount_percent,
                           accumulation_amount=s.accumulation_amount,
                           accumulation_days=s.accumulation_days,
                           confirmation_amount=s.confirmation_amount,
                           confirmation_days=s.confirmation_days,
                           started_on=date_of(s.started_day) if s.started_day else None)


@router.get("/settings", response_model=ClubSettingsOut)
def get_settings(db: DB, _: SettingsReader) -> ClubSettingsOut:
    return _settings_out(service.settings(db))


@router.patch("/settings", response_model=ClubSettingsOut)
@answers("idempotency_key_reused")
def update_settings(body: ClubSettingsIn, request: Request, db: DB,
                    principal: SettingsWriter) -> Response:
    """Change the club settings given; they apply to periods that start after the change.
    The start date can change only until the first review."""
    def run() -> ClubSettingsOut:
        changes = body.model_dump(exclude_none=True, exclude={"started_on"})
        if body.started_on is not None:
            changes["started_day"] = day_of_date(body.started_on)
        return _settings_out(service.save_settings(db, actor=principal.label, **changes))

    return idempotent(request, db, principal, body, run)


@router.get("/candidates", response_model=list[CandidateOut])
def list_candidates(db: DB, _: Reader, status: Annotated[str, Query(
        description="candidate_join, candidate_extend or candidate_exclude")],
                    partner_id: int | None = None, employee_id: int | None = None,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
                    offset: Annotated[int, Query(ge=0)] = 0) -> list[CandidateOut]:
    """A review list (maybe only the customers a partner or one of its employees brought),
    the page's order, a page at a time."""
    if status not in {s.value for s in CANDIDATES}:
        raise InvalidInput(gettext("Unknown list '{0}'.").format(status))
    found = review_lists.candidates(db, ClubStatus(status), limit=limit, offset=offset,
                                    partner_id=partner_id, employee_id=employee_id)
    return [CandidateOut(customer_id=c.customer_id, customer=c.name, card=c.card,
                         status=c.status, reached=c.reached, required=c.required,
                         period_start=_date(c.period_start_day),
                         period_end=_date(c.period_end_day),
                         discount_percent=c.discount_percent) for c in found]


def _date(day: int | None) -> date | None:
    return date_of(day) if day is not None else None


@router.post("/decisions", response_model=DecisionOut)
@answers("idempotency_key_reused", "not_a_candidate", "unknown_club_decision")
def decide(body: DecisionIn, request: Request, db: DB, principal: Writer) -> Response:
    """Grant or decline candidates to join, extend or exclude members. All or nothing: if
    one of them is no longer a candidate for it, nothing is decided (not_a_candidate)."""
    return idempotent(request, db, principal, body, lambda: DecisionOut(
        action=body.action, decided=service.decide(db, customer_ids=body.customer_ids,
                                                   action=body.action,
                                                   actor=principal.label)))


@router.post("/review", response_model=ReviewOut)
@answers("club_disabled", "idempotency_key_reused", "not_a_candidate", "unknown_club_decision")
def review(body: ReviewIn, request: Request, db: DB, principal: Writer) -> Response:
    """Run the daily review for today, or a past day for a backfill. A day reviewed
    already changes nothing (ran: false)."""
    def run() -> ReviewOut:
        day = service.backfill_day(db, body.day) if body.day is not None else None
        result = service.run_review(db, day=day, actor=principal.label)
        return ReviewOut(day=date_of(result.day), ran=result.ran, counts=result.counts,
                         members=service.counts(db))

    return idempotent(request, db, principal, body, run)
