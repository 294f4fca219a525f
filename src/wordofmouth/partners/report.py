"""The referrer report: for a period, per partner and per employee — set-wise queries that
read the links, the sales' attributions and the ledger."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.calendar import bounds, local, start_of, today_date
from wordofmouth.customers.models import Customer
from wordofmouth.db import custom_plans
from wordofmouth.ledger.models import LedgerAccount, LedgerEntry
from wordofmouth.money import ZERO
from wordofmouth.partners.commission import PAYABLE, PENDING, STEP
from wordofmouth.partners.milestones import KIND as MILESTONE
from wordofmouth.partners.models import CustomerLink, Partner, PartnerEmployee, Payout
from wordofmouth.partners.models import SaleAttribution as A
from wordofmouth.sales.models import Sale
from wordofmouth.settings import service as store_settings


@dataclass
class Row:
    partner_id: int
    partner: str
    employee_id: int | None = None
    employee: str = ""
    attracted: int = 0
    buyers: int = 0
    purchases: int = 0
    revenue: Decimal = ZERO
    discounts: Decimal = ZERO
    accrued: Decimal = ZERO
    rewards: Decimal = ZERO  # milestone rewards
    paid: Decimal = ZERO
    due: Decimal = ZERO
    employees: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class ReportLine:
    """One line of the report as the API and the export give it: a partner's total, then one
    per employee (who have no rewards, paid or due of their own: those are the partner's)."""

    partner_id: int
    partner: str
    employee_id: int | None
    employee: str
    customers_attracted: int
    customers_with_purchase: int
    purchases: int
    revenue: Decimal
    discounts: Decimal
    commission_accrued: Decimal
    milestone_rewards: Decimal | None
    paid: Decimal | None
    due: Decimal | None


# The export's columns, in order: ReportLine's fields but the ids.
EXPORT_COLUMNS = ("partner", "employee", "customers_attracted", "customers_with_purchase",
                  "purchases", "revenue", "discounts", "commission_accrued",
                  "milestone_rewards", "paid", "due")


def flat(rows: list[Row]) -> list[ReportLine]:
    """The report's rows, each partner followed by its employees."""
    out = []
    for row in rows:
        for r in (row, *row.employees):
            total = r is row
            out.append(ReportLine(
                partner_id=row.partner_id, partner=row.partner, employee_id=r.employee_id,
                employee=r.employee, customers_attracted=r.attracted,
                customers_with_purchase=r.buyers, purchases=r.purchases, revenue=r.revenue,
                discounts=r.discounts, commission_accrued=r.accrued,
                milestone_rewards=r.rewards if total else None,
                paid=r.paid if total else None, due=r.due if total else None))
    return out


def referrer_report(session: Session, start: date, end: date) -> list[Row]:
    """Per partner (and per employee): customers attracted, customers with a purchase,
    purchases, revenue, discounts given, commission accrued, paid, and due now."""
    lo, hi = bounds(start, end, store_settings.zone(session))
    custom_plans(session)
    names = dict(session.execute(select(Partner.id, Partner.name)).all())
    staff = dict(session.execute(select(PartnerEmployee.id, PartnerEmployee.name)).all())
    rows: dict[tuple[int, int | None], Row] = {}

    def row(pid: int, eid: int | None) -> Row:
        key = (pid, eid)
        if key not in rows:
            rows[key] = Row(pid, names.get(pid, "?"), eid, staff.get(eid, "") if eid else "")
        return rows[key]

    for pid, eid, n in session.execute(
            select(CustomerLink.partner_id, CustomerLink.employee_id, func.count())
            .where(CustomerLink.linked_at >= lo, CustomerLink.linked_at < hi)
            .group_by(CustomerLink.partner_id, CustomerLink.employee_id)):
        row(pid, eid).attracted = int(n or 0)
    for sold_to, eid, buyers, n, revenue, discounts in session.execute(
            select(A.partner_id, A.employee_id, func.count(func.distinct(Sale.customer_id)),
                   func.count(Sale.id), func.sum(Sale.net_total - Sale.returned_net),
                   func.sum(Sale.discount_total))
            .join(Sale, Sale.id == A.sale_id)
            .where(A.partner_id.is_not(None), Sale.paid_at >= lo, Sale.paid_at < hi)
            .group_by(A.partner_id, A.employee_id)):
        if sold_to is None:
            continue
        r = row(sold_to, eid)
        r.buyers, r.purchases = int(buyers or 0), int(n or 0)
        r.revenue, r.discounts = revenue or ZERO, discounts or ZERO
    for earner, eid, accrued in session.execute(
            select(A.partner_id, A.employee_id, func.sum(LedgerEntry.amount))
            .join(LedgerEntry, LedgerEntry.sale_id == A.sale_id)
            .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
            .where(LedgerAccount.kind == PENDING,
                   LedgerEntry.kind.in_([STEP, f"{STEP}_reversal"]),
                   LedgerEntry.created_at >= lo, LedgerEntry.created_at < hi)
            .group_by(A.partner_id, A.employee_id)):
        if earner is not None:
            row(earner, eid).accrued = accrued or ZERO
    rewards = dict(session.execute(
        select(LedgerAccount.owner_id, func.sum(LedgerEntry.amount))
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .where(LedgerAccount.kind == PAYABLE, LedgerEntry.kind == MILESTONE,
               LedgerEntry.created_at >= lo, LedgerEntry.created_at < hi)
        .group_by(LedgerAccount.owner_id)).all())
    paid = dict(session.execute(select(Payout.partner_id, func.sum(Payout.amount))
                                .where(Payout.at >= lo, Payout.at < hi)
                                .group_by(Payout.partner_id)).all())
    due = dict(session.execute(select(LedgerAccount.owner_id, LedgerAccount.balance)
                               .where(LedgerAccount.kind == PAYABLE)).all())
    partners: dict[int, Row] = {}
    for (pid, eid), r in sorted(rows.items(), key=lambda kv: (kv[1].partner, kv[1].employee)):
        total = partners.setdefault(pid, Row(pid, r.partner))
        for name in ("attracted", "buyers", "purchases", "revenue", "discounts", "accrued"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        if eid is not None:
            total.employees.append(r)
    for pid in rewards.keys() - partners.keys():
        partners[pid] = Row(pid, names.get(pid, "?"))
    for pid, total in partners.items():
        total.paid, total.due = paid.get(pid, ZERO), due.get(pid, ZERO)
        total.rewards = rewards.get(pid) or ZERO
    return sorted(partners.values(), key=lambda r: r.partner.lower())


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    name: str
    employee_id: int | None
    linked_at: datetime
    purchases: int
    revenue: Decimal


def customers(session: Session, partner_id: int, start: date, end: date, *,
              employee_id: int | None = None, limit: int = 500,
              offset: int = 0) -> list[CustomerRow]:
    """The drill-down: the partner's customers with their purchases in the period."""
    lo, hi = bounds(start, end, store_settings.zone(session))
    bought = (select(Sale.customer_id, func.count(Sale.id).label("n"),
                     func.sum(Sale.net_total - Sale.returned_net).label("revenue"))
              .where(Sale.paid_at >= lo, Sale.paid_at < hi)
              .group_by(Sale.customer_id).subquery())
    stmt = (select(Customer.id, Customer.first_name, Customer.last_name,
                   CustomerLink.employee_id, CustomerLink.linked_at, bought.c.n,
                   bought.c.revenue)
            .join(CustomerLink, CustomerLink.customer_id == Customer.id)
            .outerjoin(bought, bought.c.customer_id == Customer.id)
            .where(CustomerLink.partner_id == partner_id)
            .order_by(Customer.id).limit(limit).offset(offset))
    if employee_id is not None:
        stmt = stmt.where(CustomerLink.employee_id == employee_id)
    return [CustomerRow(cid, f"{first} {last}".strip(), eid, linked, n or 0, revenue or ZERO)
            for cid, first, last, eid, linked, n, revenue in session.execute(stmt)]


def attracted_per_month(session: Session, months: int = 12) -> dict[str, list[int]]:
    """Customers attracted per month per partner, the last `months` months, oldest first."""
    tz = store_settings.zone(session)
    first = today_date(tz).replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    rows = session.execute(select(Partner.name, CustomerLink.linked_at)
                           .join(Partner, Partner.id == CustomerLink.partner_id)
                           .where(CustomerLink.linked_at >= start_of(first, tz))).all()
    series: dict[str, list[int]] = defaultdict(lambda: [0] * months)
    for name, at in rows:
        linked = local(at, tz)
        index = (linked.year - first.year) * 12 + linked.month - first.month
        if 0 <= index < months:
            series[name][index] += 1
    return dict(series)
