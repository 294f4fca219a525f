"""Analysis of discount usage (seed 000): who got which discount — by kind (card, club,
friend code, partner code, partner offer), cashier, customer, partner, product group or
day — with the amounts, the number of lines and receipts, and the share of the period's
revenue. A read model: one grouped query over the paid sales' lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.calendar import bounds, date_of
from wordofmouth.catalog.models import ProductGroup
from wordofmouth.customers.models import Customer
from wordofmouth.i18n import N_, gettext
from wordofmouth.money import ZERO
from wordofmouth.partners.models import Partner, SaleAttribution
from wordofmouth.sales.models import Sale, SaleLine, SaleStatus
from wordofmouth.settings import service as store_settings

DIMENSIONS = {"kind": N_("Kind of discount"), "cashier": N_("Cashier"),
              "customer": N_("Customer"), "partner": N_("Partner"),
              "group": N_("Product group"), "day": N_("Day")}
KINDS = {"card": N_("discount card"), "club": N_("club discount"),
         "friend_code": N_("friend code"), "partner_code": N_("partner's promo code"),
         "partner_offer": N_("partner's special offer")}


@dataclass(frozen=True)
class Row:
    key: str  # what the row is about: a kind, a cashier's login, a name, a day
    label: str
    lines: int
    receipts: int
    gross: Decimal  # the discounted lines' amount before the discount
    discount: Decimal
    share: Decimal  # discount / the period's revenue, %


@dataclass(frozen=True)
class Usage:
    start: date
    end: date
    by: str
    revenue: Decimal  # net of every paid line in the period
    discount: Decimal
    rows: list[Row]

    @property
    def share(self) -> Decimal:
        return _share(self.discount, self.revenue)


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.01")) if whole else ZERO


def _key(by: str) -> tuple[Any, ...]:
    """The columns a dimension groups by: (key, label)."""
    if by == "kind":
        return SaleLine.discount_source, SaleLine.discount_source
    if by == "cashier":
        return Sale.created_by, Sale.created_by
    if by == "customer":
        return Sale.customer_id, func.coalesce(Customer.first_name + " " + Customer.last_name, "")
    if by == "partner":
        return SaleAttribution.partner_id, func.coalesce(Partner.name, "")
    if by == "group":
        return SaleLine.group_id, func.coalesce(ProductGroup.name, "")
    return Sale.paid_day, Sale.paid_day


def usage(session: Session, start: date, end: date, *, by: str = "kind",
          kind: str | None = None, limit: int = 500) -> Usage:
    """Discounts given on the lines of the sales paid in the store's days start … end."""
    if by not in DIMENSIONS:
        by = "kind"
    lo, hi = bounds(start, end, store_settings.zone(session))
    paid = (Sale.paid_at >= lo, Sale.paid_at < hi, Sale.status != SaleStatus.VOIDED)
    revenue = session.scalar(select(func.sum(SaleLine.net)).join(Sale, Sale.id == SaleLine.sale_id)
                             .where(*paid)) or ZERO
    key, label = _key(by)
    stmt = (select(key, label, func.count(SaleLine.id), func.count(func.distinct(Sale.id)),
                   func.sum(SaleLine.gross), func.sum(SaleLine.discount_amount))
            .join(Sale, Sale.id == SaleLine.sale_id)
            .where(*paid, SaleLine.discount_amount > 0))
    if kind:
        stmt = stmt.where(SaleLine.discount_source == kind)
    if by == "customer":
        stmt = stmt.outerjoin(Customer, Customer.id == Sale.customer_id)
    elif by == "partner":
        stmt = (stmt.outerjoin(SaleAttribution, SaleAttribution.sale_id == Sale.id)
                .outerjoin(Partner, Partner.id == SaleAttribution.partner_id))
    elif by == "group":
        stmt = stmt.outerjoin(ProductGroup, ProductGroup.id == SaleLine.group_id)
    stmt = (stmt.group_by(key, label).order_by(func.sum(SaleLine.discount_amount).desc())
            .limit(limit))
    rows = []
    for k, name, lines, receipts, gross, discount in session.execute(stmt):
        if by == "day" and name is not None:
            text = date_of(name).isoformat()
        elif by == "kind":
            text = gettext(KINDS.get(str(name), str(name)))
        else:
            text = str(name or "")
        rows.append(Row(key="" if k is None else str(k), label=text, lines=int(lines),
                        receipts=int(receipts), gross=gross or ZERO, discount=discount or ZERO,
                        share=_share(discount or ZERO, revenue)))
    if by == "day":
        rows.sort(key=lambda r: r.label)
    total = sum((r.discount for r in rows), ZERO)
    return Usage(start, end, by, revenue, total, rows)


HEADER = ["key", "label", "lines", "receipts", "gross", "discount", "share_percent"]


def cells(u: Usage) -> list[list[object]]:
    return [[r.key, r.label, r.lines, r.receipts, r.gross, r.discount, r.share] for r in u.rows]
