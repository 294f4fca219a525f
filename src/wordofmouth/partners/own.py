"""What a partner sees of their own: figures, customers masked, codes, payouts — and
nothing of anyone else's (another partner's id is 404, as if it did not exist)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.customers.models import Customer
from wordofmouth.customers.rules import masked_name
from wordofmouth.errors import NotFound
from wordofmouth.i18n import gettext
from wordofmouth.money import ZERO
from wordofmouth.partners import codes, commission, payouts
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import (
    CustomerLink,
    Partner,
    PartnerCode,
    Payout,
    SaleAttribution,
)
from wordofmouth.sales.models import Sale


@dataclass(frozen=True)
class OwnCustomer:
    id: int
    name: str
    purchases: int
    revenue: Decimal


@dataclass(frozen=True)
class Overview:
    partner: Partner
    attracted: int
    sales_count: int
    revenue: Decimal
    balance: commission.Balance
    payouts: list[Payout]
    codes: list[PartnerCode]
    customers: list[OwnCustomer]


def customers_of(session: Session, partner_id: int, *, limit: int = 100, offset: int = 0,
                 customer_id: int | None = None) -> list[OwnCustomer]:
    """The partner's customers, newest first, with their paid purchases; names masked."""
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
    return [OwnCustomer(cid, masked_name(first, last), n, revenue)
            for cid, first, last, n, revenue in session.execute(stmt).all()]


def overview(session: Session, partner_id: int) -> Overview:
    """The portal's home: customers brought, attributed sales, balance, payouts, codes."""
    partner = partners.get_partner(session, partner_id)
    attracted = session.scalar(select(func.count()).select_from(CustomerLink)
                               .where(CustomerLink.partner_id == partner.id)) or 0
    sales_count, revenue = session.execute(
        select(func.count(SaleAttribution.sale_id),
               func.coalesce(func.sum(Sale.net_total - Sale.returned_net), ZERO))
        .join(Sale, Sale.id == SaleAttribution.sale_id)
        .where(SaleAttribution.partner_id == partner.id)).one()
    return Overview(partner=partner, attracted=attracted, sales_count=sales_count,
                    revenue=revenue, balance=commission.balance(session, partner.id),
                    payouts=payouts.payouts_of(session, partner.id, limit=50),
                    codes=codes.codes_of(session, partner.id),
                    customers=customers_of(session, partner.id))


def customer(session: Session, partner_id: int, customer_id: int) -> OwnCustomer:
    """One of the partner's customers."""
    found = customers_of(session, partner_id, customer_id=customer_id)
    if not found:
        raise NotFound(gettext("No such customer among yours."))
    return found[0]


def code(session: Session, partner_id: int, code_id: int) -> tuple[PartnerCode, int]:
    """One of the partner's promo codes and how many sales it was used on."""
    pc = session.get(PartnerCode, code_id)
    if pc is None or pc.partner_id != partner_id:
        raise NotFound(gettext("No such code among yours."))
    uses = session.scalar(select(func.count()).select_from(SaleAttribution)
                          .where(SaleAttribution.code == pc.code,
                                 SaleAttribution.partner_id == pc.partner_id)) or 0
    return pc, uses


def payout(session: Session, partner_id: int, payout_id: int) -> Payout:
    """One payout made to the partner."""
    p = session.get(Payout, payout_id)
    if p is None or p.partner_id != partner_id:
        raise NotFound(gettext("No such payout among yours."))
    return p
