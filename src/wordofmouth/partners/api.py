"""Partner API: the directory, employees, terms, promo codes, linking customers, balances,
payouts (commission, one-time, bonus cash-out), the referrer report, invoice profit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.calendar import day_of_date
from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import gettext
from wordofmouth.money import ZERO
from wordofmouth.partners import codes, commission, invoices, milestones, payouts, report
from wordofmouth.partners import service as partners
from wordofmouth.partners.schemas import (
    BalanceOut,
    CodeIn,
    CodeOut,
    EmployeeIn,
    EmployeeOut,
    GroupRate,
    LinkIn,
    LinkOut,
    MilestoneIn,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PayoutIn,
    PayoutOut,
    ProfitOut,
    TermsIn,
    TermsOut,
)
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission, document_date
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["partners"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("partners:read"))]
Writer = Annotated[Principal, Depends(api_permission("partners:write"))]
Linker = Annotated[Principal, Depends(api_permission("customers:write"))]


@router.get("/partners", response_model=list[PartnerOut])
def list_partners(db: DB, _: Reader, active: bool = False) -> list[PartnerOut]:
    return [PartnerOut.model_validate(p) for p in partners.partners(db, active_only=active)]


@router.post("/partners", response_model=PartnerOut, status_code=201)
@answers("idempotency_key_reused")
def create_partner(body: PartnerIn, request: Request, db: DB, principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: PartnerOut.model_validate(
        partners.create_partner(db, actor=principal.label, **body.model_dump())), 201)


@router.get("/partners/{partner_id}", response_model=PartnerOut)
@answers("partner_not_found")
def get_partner(partner_id: int, db: DB, _: Reader) -> PartnerOut:
    return PartnerOut.model_validate(partners.get_partner(db, partner_id))


@router.patch("/partners/{partner_id}", response_model=PartnerOut)
@answers("idempotency_key_reused", "partner_not_found")
def update_partner(partner_id: int, body: PartnerPatch, request: Request, db: DB,
                   principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: PartnerOut.model_validate(
        partners.update_partner(db, partner_id, actor=principal.label,
                                **body.model_dump(exclude_none=True))))


@router.get("/partners/{partner_id}/employees", response_model=list[EmployeeOut])
@answers("partner_not_found")
def list_employees(partner_id: int, db: DB, _: Reader) -> list[EmployeeOut]:
    partners.get_partner(db, partner_id)
    return [EmployeeOut.model_validate(e) for e in partners.employees(db, partner_id)]


@router.post("/partners/{partner_id}/employees", response_model=EmployeeOut, status_code=201)
@answers("idempotency_key_reused", "partner_not_found")
def add_employee(partner_id: int, body: EmployeeIn, request: Request, db: DB,
                 principal: Writer) -> Response:
    return idempotent(request, db, principal, body, lambda: EmployeeOut.model_validate(
        partners.add_employee(db, partner_id, **body.model_dump())), 201)


def _terms_out(db: DB, partner_id: int) -> TermsOut:
    partners.get_partner(db, partner_id)
    terms, rates = commission.terms_of(db, partner_id)
    if terms is None:
        raise NotFound(gettext("This partner has no commission terms yet."))
    milestone = (MilestoneIn(every=terms.milestone_every, minimum=terms.milestone_minimum,
                             amount=terms.milestone_amount) if terms.milestone_every else None)
    return TermsOut(partner_id=partner_id, default_rate=terms.default_rate, months=terms.months,
                    rates=[GroupRate(group_id=g, rate=r) for g, r in sorted(rates.items())],
                    milestone=milestone, milestone_count=terms.milestone_count)


@router.get("/partners/{partner_id}/terms", response_model=TermsOut)
@answers("not_found", "partner_not_found")
def get_terms(partner_id: int, db: DB, _: Reader) -> TermsOut:
    return _terms_out(db, partner_id)


@router.put("/partners/{partner_id}/terms", response_model=TermsOut)
@answers("group_not_found", "idempotency_key_reused", "not_found", "partner_not_found")
def set_terms(partner_id: int, body: TermsIn, request: Request, db: DB,
              principal: Writer) -> Response:
    """Replace the partner's commission terms (default rate, rates per product group,
    lifetime or N months) and milestone reward (none switches it off)."""
    def run() -> TermsOut:
        commission.set_terms(db, partner_id, default_rate=body.default_rate, months=body.months,
                             rates={r.group_id: r.rate for r in body.rates},
                             actor=principal.label)
        m = body.milestone
        milestones.set_milestone(db, partner_id, every=m.every if m else None,
                                 minimum=m.minimum if m else ZERO,
                                 amount=m.amount if m else ZERO,
                                 actor=principal.label)
        return _terms_out(db, partner_id)

    return idempotent(request, db, principal, body, run)


@router.get("/partners/{partner_id}/codes", response_model=list[CodeOut])
@answers("partner_not_found")
def list_codes(partner_id: int, db: DB, _: Reader) -> list[CodeOut]:
    partners.get_partner(db, partner_id)
    return [CodeOut.model_validate(c) for c in codes.codes_of(db, partner_id)]


@router.post("/partners/{partner_id}/codes", response_model=CodeOut, status_code=201)
@answers(
    "code_taken", "duplicate_partner_code", "employee_not_found", "employee_of_another_partner",
    "group_not_found", "idempotency_key_reused", "malformed_partner_code", "partner_not_found"
)
def create_code(partner_id: int, body: CodeIn, request: Request, db: DB,
                principal: Writer) -> Response:
    """A promo code for the partner: 3–32 of A–Z, 0–9 and '-', unique whatever the case."""
    def run() -> CodeOut:
        return CodeOut.model_validate(codes.create_code(
            db, partner_id=partner_id, code=body.code, employee_id=body.employee_id,
            discount_percent=body.discount_percent, group_id=body.group_id,
            valid_from_day=day_of_date(body.valid_from) if body.valid_from else None,
            valid_to_day=day_of_date(body.valid_to) if body.valid_to else None,
            active=body.active))

    return idempotent(request, db, principal, body, run, 201)


def _link_out(db: DB, customer_id: int, changed: bool = False) -> LinkOut:
    found = partners.link_of(db, customer_id)
    if found is None:
        raise NotFound(gettext("Customer {0} is not linked to a partner.").format(customer_id))
    return LinkOut(customer_id=customer_id, partner_id=found.partner_id,
                   employee_id=found.employee_id, linked_at=found.linked_at,
                   source=found.source, changed=changed)


@router.get("/customers/{customer_id}/partner", response_model=LinkOut)
@answers("not_found")
def get_link(customer_id: int, db: DB, _: Annotated[Principal, Depends(
        api_permission("customers:read"))]) -> LinkOut:
    return _link_out(db, customer_id)


@router.post("/customers/{customer_id}/partner", response_model=LinkOut)
@answers(
    "customer_already_linked", "customer_not_found", "employee_not_found",
    "employee_of_another_partner", "idempotency_key_reused", "not_found", "partner_inactive",
    "partner_not_found", "relink_needs_reason"
)
def link_customer(customer_id: int, body: LinkIn, request: Request, db: DB,
                  principal: Linker) -> Response:
    """Link the customer to the partner who brought them. A linked customer is re-linked
    only by an owner or a manager, with a reason (customer_already_linked,
    relink_needs_reason); the history is kept."""
    def run() -> LinkOut:
        changed = partners.link(db, customer_id, body.partner_id, employee_id=body.employee_id,
                                source="manual", actor=principal.label,
                                may_relink=principal.can("partners:write"),
                                reason=body.reason,
                                at=document_date(principal, body.linked_at))
        return _link_out(db, customer_id, changed)

    return idempotent(request, db, principal, body, run)


@router.get("/partners/{partner_id}/balance", response_model=BalanceOut)
@answers("partner_not_found")
def balance(partner_id: int, db: DB, _: Reader) -> BalanceOut:
    partner = partners.get_partner(db, partner_id)
    b = commission.balance(db, partner_id)
    return BalanceOut(partner_id=partner_id, pending=b.pending, payable=b.payable,
                      reversed=b.reversed, paid=b.paid, due=b.due,
                      bonuses=payouts.bonuses(db, partner))


@router.get("/partners/{partner_id}/payouts", response_model=list[PayoutOut])
@answers("partner_not_found")
def list_payouts(partner_id: int, db: DB, _: Reader) -> list[PayoutOut]:
    partners.get_partner(db, partner_id)
    return [PayoutOut.model_validate(p) for p in payouts.payouts_of(db, partner_id)]


@router.post("/partners/{partner_id}/payouts", response_model=PayoutOut, status_code=201)
@answers(
    "idempotency_key_reused", "insufficient_bonus", "not_an_invoice", "partner_has_no_card",
    "partner_not_found", "payout_above_payable", "payout_override_forbidden"
)
def pay(partner_id: int, body: PayoutIn, request: Request, db: DB,
        principal: Writer) -> Response:
    """Record money handed to the partner: commission up to payable
    (payout_above_payable; an owner may pay more with override_reason), a one-time payment
    linked to an invoice as an expense, or the partner's bonuses cashed out."""
    def run() -> PayoutOut:
        return PayoutOut.model_validate(payouts.record(
            db, partner_id, kind=body.kind, amount=body.amount, method=body.method,
            actor=principal.label, may_override=principal.can("partners:override"),
            override_reason=body.override_reason, invoice_id=body.invoice_id, note=body.note))

    return idempotent(request, db, principal, body, run, 201)


@router.get("/partners-report", response_model=list[report.ReportLine])
def referrer_report(db: DB, _: Reader, date_from: Annotated[date, Query()],
                    date_to: Annotated[date, Query()]) -> list[report.ReportLine]:
    """The referrer report for a period: a row per partner, then one per employee."""
    if date_from > date_to:
        raise InvalidInput(gettext("The period starts after it ends."))
    return report.flat(report.referrer_report(db, date_from, date_to))


@router.get("/invoices/{invoice_id}/profit", response_model=ProfitOut)
@answers("not_found")
def invoice_profit(invoice_id: int, db: DB, _: Reader) -> ProfitOut:
    """Net revenue after returns − cost of goods kept − linked expenses."""
    found = invoices.profits(db, [invoice_id]).get(invoice_id)
    if found is None:
        raise NotFound(gettext("Invoice {0} does not exist.").format(invoice_id))
    return ProfitOut(invoice_id=invoice_id, revenue=found.revenue, cost_of_goods=found.cost,
                     expenses=found.expenses, profit=found.profit)
