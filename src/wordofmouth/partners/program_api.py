"""The partner program's further actions in the JSON API: offers, commission held for
review, maturing (with a backfill day), the partner's own card, employees' changes and a
customer's link history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.customers import service as customers
from wordofmouth.partners import commission, offers, payouts, self_referral
from wordofmouth.partners import service as partners
from wordofmouth.partners.errors import EmployeeNotFound
from wordofmouth.partners.models import PartnerOffer
from wordofmouth.partners.program_schemas import (
    EmployeePatch,
    LinkChangeOut,
    MatureIn,
    MatureOut,
    OfferIn,
    OfferOut,
    OfferSwitch,
    OwnCardIn,
    ReviewDecisionIn,
    ReviewOut,
)
from wordofmouth.partners.schemas import EmployeeOut, PartnerOut
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["partners"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("partners:read"))]
Writer = Annotated[Principal, Depends(api_permission("partners:write"))]
Overrider = Annotated[Principal, Depends(api_permission("partners:override"))]
LinkReader = Annotated[Principal, Depends(api_permission("customers:read"))]


def _offer_out(o: PartnerOffer) -> OfferOut:
    return OfferOut(id=o.id, partner_id=o.partner_id, employee_id=o.employee_id, name=o.name,
                    discount_percent=o.discount_percent, group_id=o.group_id,
                    valid_from=date_of(o.valid_from_day) if o.valid_from_day else None,
                    valid_to=date_of(o.valid_to_day) if o.valid_to_day else None,
                    active=o.active)


@router.get("/partners/{partner_id}/offers", response_model=list[OfferOut])
@answers("partner_not_found")
def list_offers(partner_id: int, db: DB, _: Reader) -> list[OfferOut]:
    partners.get_partner(db, partner_id)
    return [_offer_out(o) for o in offers.offers_of(db, partner_id)]


@router.post("/partners/{partner_id}/offers", response_model=OfferOut, status_code=201)
@answers("employee_not_found", "employee_of_another_partner", "group_not_found",
         "idempotency_key_reused", "partner_not_found")
def add_offer(partner_id: int, body: OfferIn, request: Request, db: DB,
              principal: Writer) -> Response:
    """A special offer the partner's customers get at the till (maybe only for one of its
    employees' customers, one product group, a period)."""
    return idempotent(request, db, principal, body, lambda: _offer_out(offers.create_offer(
        db, partner_id, name=body.name, discount_percent=body.discount_percent,
        employee_id=body.employee_id, group_id=body.group_id, actor=principal.label,
        valid_from_day=day_of_date(body.valid_from) if body.valid_from else None,
        valid_to_day=day_of_date(body.valid_to) if body.valid_to else None)), 201)


@router.patch("/partners/{partner_id}/offers/{offer_id}", response_model=OfferOut)
@answers("idempotency_key_reused", "not_found")
def switch_offer(partner_id: int, offer_id: int, body: OfferSwitch, request: Request, db: DB,
                 principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: _offer_out(offers.set_active(
        db, partner_id, offer_id, body.active, actor=principal.label)))


@router.get("/partners/{partner_id}/reviews", response_model=list[ReviewOut])
@answers("partner_not_found")
def list_reviews(partner_id: int, db: DB, _: Reader) -> list[ReviewOut]:
    """Commission held for review (a possible self-referral): it does not mature until the
    owner approves it."""
    partners.get_partner(db, partner_id)
    return [ReviewOut.model_validate(r) for r in self_referral.under_review(db, partner_id)]


@router.post("/partners/{partner_id}/reviews/{sale_id}", response_model=ReviewOut)
@answers("commission_not_under_review", "idempotency_key_reused", "insufficient_bonus")
def decide_review(partner_id: int, sale_id: int, body: ReviewDecisionIn, request: Request,
                  db: DB, principal: Overrider) -> Response:
    """Approve (it matures as usual) or reject (reversed by the ledger) held commission."""
    return idempotent(request, db, principal, body, lambda: ReviewOut.model_validate(
        self_referral.decide(db, sale_id, approve=body.decision == "approve",
                             actor=principal.label, partner_id=partner_id)))


@router.post("/commission/mature", response_model=MatureOut)
@answers("idempotency_key_reused", "insufficient_bonus")
def mature(body: MatureIn, request: Request, db: DB, principal: Writer) -> Response:
    """Move commission whose hold period has passed from pending to payable now (the
    server does it daily), or as of a past day for a backfill."""
    def run() -> MatureOut:
        now = commission.as_of_day(db, body.day) if body.day else None
        return MatureOut(matured=commission.mature(db, now=now))

    return idempotent(request, db, principal, body, run)


@router.put("/partners/{partner_id}/own-card", response_model=PartnerOut)
@answers("card_inactive", "card_not_found", "idempotency_key_reused", "partner_not_found")
def set_own_card(partner_id: int, body: OwnCardIn, request: Request, db: DB,
                 principal: Writer) -> Response:
    """The partner's own customer card, whose bonuses can be cashed out as a payout."""
    return idempotent(request, db, principal, body, lambda: PartnerOut.model_validate(
        payouts.set_own_card(db, partner_id, body.card_number, actor=principal.label)))


@router.patch("/partners/{partner_id}/employees/{employee_id}", response_model=EmployeeOut)
@answers("employee_not_found", "employee_of_another_partner", "idempotency_key_reused")
def update_employee(partner_id: int, employee_id: int, body: EmployeePatch,
                    request: Request, db: DB, principal: Writer) -> Response:
    """Correct an employee's name and contacts, or mark them gone (active: false)."""
    def run() -> EmployeeOut:
        current = next((e for e in partners.employees(db, partner_id) if e.id == employee_id),
                       None)
        if current is None:
            raise EmployeeNotFound()
        return EmployeeOut.model_validate(partners.update_employee(
            db, partner_id, employee_id, actor=principal.label,
            name=body.name or current.name,
            phone=current.phone if body.phone is None else body.phone,
            email=current.email if body.email is None else str(body.email),
            active=current.active if body.active is None else body.active))

    return idempotent(request, db, principal, body, run)


@router.get("/customers/{customer_id}/partner/history", response_model=list[LinkChangeOut])
@answers("customer_not_found")
def link_history(customer_id: int, db: DB, _: LinkReader) -> list[LinkChangeOut]:
    """Who the customer has been linked to, newest first: by whom, how and why."""
    customers.get_customer(db, customer_id)
    changes = partners.link_history(db, customer_id)
    names = {p.id: p.name for p in partners.partners(db)}
    return [LinkChangeOut(at=c.at, partner_id=c.partner_id, partner=names.get(c.partner_id, ""),
                          employee_id=c.employee_id, previous_partner_id=c.previous_partner_id,
                          previous_partner=names.get(c.previous_partner_id or 0, ""),
                          source=c.source, actor=c.actor, reason=c.reason) for c in changes]
