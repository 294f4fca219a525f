"""The partner portal: a partner's own figures, customers masked, never anyone else's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import Forbidden
from wordofmouth.i18n import gettext
from wordofmouth.partners import own
from wordofmouth.web.deps import DB, page_permission
from wordofmouth.web.templating import render

router = APIRouter(prefix="/portal", include_in_schema=False)


def partner_user(me: Annotated[Principal, Depends(page_permission("portal"))]) -> Principal:
    if me.partner_id is None:
        raise Forbidden(gettext("This login is not tied to a partner."))
    return me


Me = Annotated[Principal, Depends(partner_user)]


@router.get("")
def home(request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    o = own.overview(db, me.partner_id)
    return render(request, "partners/portal.html", me, partner=o.partner, attracted=o.attracted,
                  sales_count=o.sales_count, revenue=o.revenue, payouts=o.payouts,
                  balance=o.balance, codes=o.codes, customers=o.customers)


@router.get("/customers/{customer_id}")
def customer(customer_id: int, request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    return render(request, "partners/portal_customer.html", me,
                  customer=own.customer(db, me.partner_id, customer_id))


@router.get("/codes/{code_id}")
def code(code_id: int, request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    pc, uses = own.code(db, me.partner_id, code_id)
    return render(request, "partners/portal_code.html", me, code=pc, uses=uses)


@router.get("/payouts/{payout_id}")
def payout(payout_id: int, request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    return render(request, "partners/portal_payout.html", me,
                  payout=own.payout(db, me.partner_id, payout_id))
