"""The partner portal: a partner's own figures, customers masked, never anyone else's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.customers.models import Customer
from wordofmouth.errors import Forbidden, NotFound
from wordofmouth.money import ZERO
from wordofmouth.partners import codes, commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CustomerLink, PartnerCode, Payout, SaleAttribution
from wordofmouth.sales.models import Sale
from wordofmouth.web.deps import DB, page_permission
from wordofmouth.web.templating import render

router = APIRouter(prefix="/portal", include_in_schema=False)


def partner_user(me: Annotated[Principal, Depends(page_permission("portal"))]) -> Principal:
    if me.partner_id is None:
        raise Forbidden("This login is not tied to a partner.")
    return me


Me = Annotated[Principal, Depends(partner_user)]


def masked(first: str, last: str) -> str:
    """First name and last initial: what a partner may see of a customer."""
    return f"{first} {last[:1]}.".strip() if last else first


@dataclass(frozen=True)
class PortalCustomer:
    id: int
    name: str
    purchases: int
    revenue: Decimal


def customers_of(session: Session, partner_id: int, *, limit: int = 100, offset: int = 0,
                 customer_id: int | None = None) -> list[PortalCustomer]:
    stmt = (
        select(Customer.id, Customer.first_name, Customer.last_name, func.count(Sale.id),
               func.coalesce(func.sum(Sale.net_total - Sale.returned_net), ZERO))
        .join(CustomerLink, CustomerLink.customer_id == Customer.id)
        .outerjoin(Sale, (Sale.customer_id == Customer.id) & Sale.paid_at.is_not(None))
        .where(CustomerLink.partner_id == partner_id)
        .group_by(Customer.id, Customer.first_name, Customer.last_name)
        .order_by(Customer.id.desc()).limit(limit).offset(offset))
    if customer_id is not None:
        stmt = stmt.where(Customer.id == customer_id)
    rows = session.execute(stmt).all()
    return [PortalCustomer(cid, masked(first, last), n, revenue)
            for cid, first, last, n, revenue in rows]


def _mine(session: Session, partner_id: int, customer_id: int) -> Customer:
    link = session.get(CustomerLink, customer_id)
    customer = session.get(Customer, customer_id)
    if link is None or link.partner_id != partner_id or customer is None:
        raise NotFound("No such customer among yours.")
    return customer


@router.get("")
def home(request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    partner = partners.get_partner(db, me.partner_id)
    attracted = db.scalar(select(func.count()).select_from(CustomerLink)
                          .where(CustomerLink.partner_id == partner.id)) or 0
    sales_count, revenue = db.execute(
        select(func.count(SaleAttribution.sale_id),
               func.coalesce(func.sum(Sale.net_total - Sale.returned_net), ZERO))
        .join(Sale, Sale.id == SaleAttribution.sale_id)
        .where(SaleAttribution.partner_id == partner.id)).one()
    payouts = list(db.scalars(select(Payout).where(Payout.partner_id == partner.id)
                              .order_by(Payout.id.desc()).limit(50)))
    return render(request, "partners/portal.html", me, partner=partner, attracted=attracted,
                  sales_count=sales_count, revenue=revenue, payouts=payouts,
                  balance=commission.balance(db, partner.id),
                  codes=codes.codes_of(db, partner.id),
                  customers=customers_of(db, partner.id))


@router.get("/customers/{customer_id}")
def customer(customer_id: int, request: Request, db: DB, me: Me) -> Response:
    assert me.partner_id is not None
    c = _mine(db, me.partner_id, customer_id)
    (mine,) = customers_of(db, me.partner_id, customer_id=c.id)
    return render(request, "partners/portal_customer.html", me, customer=mine)


@router.get("/codes/{code_id}")
def code(code_id: int, request: Request, db: DB, me: Me) -> Response:
    pc = db.get(PartnerCode, code_id)
    if pc is None or pc.partner_id != me.partner_id:
        raise NotFound("No such code among yours.")
    uses = db.scalar(select(func.count()).select_from(SaleAttribution)
                     .where(SaleAttribution.code == pc.code,
                            SaleAttribution.partner_id == pc.partner_id)) or 0
    return render(request, "partners/portal_code.html", me, code=pc, uses=uses)


@router.get("/payouts/{payout_id}")
def payout(payout_id: int, request: Request, db: DB, me: Me) -> Response:
    p = db.get(Payout, payout_id)
    if p is None or p.partner_id != me.partner_id:
        raise NotFound("No such payout among yours.")
    return render(request, "partners/portal_payout.html", me, payout=p)
