"""A partner's reward statement in the JSON API: as data or as its files (CSV, XLSX, the
orders' CSV, PDF), and e-mailed to the partner through the outbox."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners import settlement
from wordofmouth.schemas import API_ERRORS
from wordofmouth.storefront import statement, statement_mail
from wordofmouth.storefront.pages import statement_file
from wordofmouth.storefront.statement_schemas import (
    FunnelOut,
    MovementOut,
    PaidOut,
    StatementMailIn,
    StatementMailOut,
    StatementOut,
)
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["partners"], responses=API_ERRORS)
Reader = Annotated[Principal, Depends(api_permission("partners:read"))]
Writer = Annotated[Principal, Depends(api_permission("partners:write"))]


def _period(start: date, end: date) -> None:
    if start > end:
        raise InvalidInput(gettext("The period starts after it ends."))


@router.get("/partners/{partner_id}/statement", response_model=StatementOut,
            responses={200: {"content": {"application/pdf": {}, "text/csv": {}}}})
@answers("partner_not_found")
def get_statement(partner_id: int, db: DB, _: Reader, date_from: Annotated[date, Query()],
                  date_to: Annotated[date, Query()],
                  format: Annotated[Literal["json", "csv", "xlsx", "orders", "pdf"],
                                    Query()] = "json") -> Response | StatementOut:
    """Every source of the partner's money in the period (the store's days), what was paid
    out, the balances at both ends and the storefront's funnel; or the statement's file."""
    _period(date_from, date_to)
    settled = settlement.statement(db, partner_id, date_from, date_to)
    s = statement.statement(db, partner_id, date_from, date_to)
    if format != "json":
        return statement_file(db, partner_id, settled, s, format)
    return StatementOut(
        partner_id=partner_id, partner=settled.partner.name, date_from=date_from,
        date_to=date_to, opening=settled.opening, closing=settled.closing,
        closing_pending=settled.closing_pending, closing_payable=settled.closing_payable,
        earned={source: settled.earned(source) for source in settlement.SOURCES},
        movements=[MovementOut.model_validate(m) for m in settled.movements],
        payouts=[PaidOut.model_validate(p) for p in settled.payouts],
        storefront=FunnelOut(clicks=s.clicks, accounts_brought=s.accounts_brought,
                             paying_accounts=s.paying_accounts, orders=s.orders,
                             activations=s.activations, revenue=s.revenue,
                             commission=s.commission))


@router.post("/partners/{partner_id}/statement/email", response_model=StatementMailOut,
             status_code=201)
@answers("idempotency_key_reused", "partner_not_found")
def email_statement(partner_id: int, body: StatementMailIn, request: Request, db: DB,
                    principal: Writer) -> Response:
    """E-mail the partner the statement of the period (a mailing of one letter, with the
    PDF); follow it in GET /api/mailings/{mailing_id}."""
    _period(body.date_from, body.date_to)
    key = request.headers.get("idempotency-key") or secrets.token_urlsafe(18)

    def run() -> StatementMailOut:
        sent = statement_mail.send_now(db, partner_id, body.date_from, body.date_to,
                                       actor=principal.label, client_key=f"statement:{key}")
        return StatementMailOut(mailing_id=sent.id, name=sent.name)

    return idempotent(request, db, principal, body, run, 201)
