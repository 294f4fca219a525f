"""Analysis → Customer activity: per customer, for a period — purchases, revenue, average
check, discount %, bonus balance, last purchase, club status, partner and employee — with
filters, a sort on any column, pages, a totals row, revenue per month and a streamed export.

One statement finds the customers of a page (filters and sort over the period's aggregates,
computed set-wise); a second fills in the display columns for that page only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, func, literal, select
from sqlalchemy.orm import Session

from wordofmouth.calendar import date_of, day_of_date
from wordofmouth.club.models import ClubMembership, ClubStatus
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.db import Money, custom_plans
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger.models import AccountKind, LedgerAccount
from wordofmouth.money import ZERO, round_money
from wordofmouth.partners.models import CustomerLink, Partner, PartnerEmployee
from wordofmouth.sales.models import Sale

CHANNELS = ("email", "sms", "viber")
# The sort keys are the CSV/XLSX column names; the older short names still read.
SORTS = ("customer", "card", "partner", "employee", "purchases", "revenue", "average_check",
         "discount_percent", "bonus_balance", "last_purchase", "club_status")
ALIASES = {"average": "average_check", "discount": "discount_percent",
           "bonus": "bonus_balance", "club": "club_status"}


@dataclass(frozen=True)
class Filter:
    start: date
    end: date
    partner_id: int | None = None
    employee_id: int | None = None
    club_status: str | None = None
    min_purchases: int | None = None
    max_purchases: int | None = None
    min_revenue: Decimal | None = None
    dormant_since: date | None = None  # no purchase on or after this day
    consent: str | None = None  # email | sms | viber
    sort: str = "revenue"
    descending: bool = True

    def check(self) -> Filter:
        if self.start > self.end:
            raise InvalidInput(gettext("The period starts after it ends."))
        if self.sort in ALIASES:
            return replace(self, sort=ALIASES[self.sort]).check()
        if self.sort not in SORTS:
            raise InvalidInput(gettext("Sort by one of {0}.").format(', '.join(SORTS)))
        if self.consent is not None and self.consent not in CHANNELS:
            raise InvalidInput(gettext("Consent is for one of {0}.").format(', '.join(CHANNELS)))
        if self.club_status is not None and self.club_status not in {s.value for s in ClubStatus}:
            raise InvalidInput(gettext("Unknown club status."))
        for value in (self.min_purchases, self.max_purchases):
            if value is not None and value < 0:
                raise InvalidInput(gettext("A number of purchases is 0 or more."))
        return self


@dataclass(frozen=True)
class Row:
    customer_id: int
    name: str
    card: str
    partner: str
    employee: str
    purchases: int
    revenue: Decimal
    discount_percent: Decimal
    bonus: Decimal
    last_purchase: datetime | None
    club_status: str

    @property
    def average(self) -> Decimal:
        return round_money(self.revenue / self.purchases) if self.purchases else ZERO


@dataclass(frozen=True)
class Totals:
    customers: int
    purchases: int
    revenue: Decimal

    @property
    def average(self) -> Decimal:
        return round_money(self.revenue / self.purchases) if self.purchases else ZERO


def _period_sales(f: Filter) -> Any:
    """Purchases and revenue per customer in the period. When the filter names a partner or
    an employee, only their customers' sales are read (an index walk, not a year of sales)."""
    stmt = (select(Sale.customer_id, func.count().label("purchases"),
                   func.sum(Sale.net_total - Sale.returned_net).label("revenue"))
            .where(Sale.customer_id.is_not(None), Sale.paid_day >= bindparam("first_day"),
                   Sale.paid_day <= bindparam("last_day"))
            .group_by(Sale.customer_id))
    if f.partner_id is not None or f.employee_id is not None:
        linked = select(CustomerLink.customer_id)
        if f.partner_id is not None:
            linked = linked.where(CustomerLink.partner_id == bindparam("partner_id"))
        if f.employee_id is not None:
            linked = linked.where(CustomerLink.employee_id == bindparam("employee_id"))
        stmt = stmt.where(Sale.customer_id.in_(linked))
    if f.min_purchases:
        stmt = stmt.having(func.count() >= bindparam("min_purchases"))
    if f.min_revenue is not None and f.min_revenue > 0:
        stmt = stmt.having(func.sum(Sale.net_total - Sale.returned_net)
                           >= bindparam("min_revenue", type_=Money()))
    return stmt.subquery("period_sales")


def _buyers_only(f: Filter) -> bool:
    """Whether the filter keeps only customers who bought in the period (then the period's
    aggregate is joined, not outer-joined, and its conditions are applied inside it)."""
    return bool(f.min_purchases) or (f.min_revenue is not None and f.min_revenue > 0)


def _card(column: Any) -> Any:
    """A column of the customer's main active card (one indexed look-up per row)."""
    return (select(column).where(DiscountCard.customer_id == Customer.id,
                                 DiscountCard.is_main.is_(True), DiscountCard.active.is_(True))
            .order_by(DiscountCard.id).limit(1).scalar_subquery())


def _last_purchase() -> Any:
    return (select(func.max(Sale.paid_at)).where(Sale.customer_id == Customer.id)
            .scalar_subquery())


def _bonus() -> Any:
    return (select(LedgerAccount.balance).where(LedgerAccount.kind == AccountKind.CUSTOMER_BONUS,
                                                LedgerAccount.owner_id == Customer.id)
            .scalar_subquery())


def selection(f: Filter) -> tuple[Select[Any], dict[str, ColumnElement[Any]]]:
    """The filtered customers with the period's aggregates and every sortable column."""
    period = _period_sales(f)
    purchases = func.coalesce(period.c.purchases, 0)
    revenue = func.coalesce(period.c.revenue, 0)
    columns: dict[str, ColumnElement[Any]] = {
        "customer": func.lower(Customer.last_name + literal(" ") + Customer.first_name),
        "card": _card(DiscountCard.number), "partner": Partner.__table__.c.name,
        "employee": PartnerEmployee.__table__.c.name,
        "purchases": purchases, "revenue": revenue,
        "average_check": revenue / func.nullif(purchases, 0),
        "discount_percent": _card(DiscountCard.discount_percent),
        "bonus_balance": func.coalesce(_bonus(), 0), "last_purchase": _last_purchase(),
        "club_status": func.coalesce(ClubMembership.status, ClubStatus.REGULAR.value)}
    stmt = (select(Customer.id.label("customer_id"), purchases.label("purchases"),
                   revenue.label("revenue"))
            .select_from(Customer)
            .join(period, period.c.customer_id == Customer.id, isouter=not _buyers_only(f))
            .outerjoin(CustomerLink, CustomerLink.customer_id == Customer.id)
            .outerjoin(Partner, Partner.id == CustomerLink.partner_id)
            .outerjoin(PartnerEmployee, PartnerEmployee.id == CustomerLink.employee_id)
            .outerjoin(ClubMembership, ClubMembership.customer_id == Customer.id))
    if f.partner_id is not None:
        stmt = stmt.where(CustomerLink.partner_id == bindparam("partner_id"))
    if f.employee_id is not None:
        stmt = stmt.where(CustomerLink.employee_id == bindparam("employee_id"))
    if f.club_status is not None:
        stmt = stmt.where(columns["club_status"] == bindparam("club_status"))
    if f.min_purchases is not None:
        stmt = stmt.where(purchases >= bindparam("min_purchases"))
    if f.max_purchases is not None:
        stmt = stmt.where(purchases <= bindparam("max_purchases"))
    if f.min_revenue is not None:
        stmt = stmt.where(revenue >= bindparam("min_revenue", type_=Money()))
    if f.dormant_since is not None:
        stmt = stmt.where(~exists().where(Sale.customer_id == Customer.id,
                                          Sale.paid_day >= bindparam("dormant_day")))
    if f.consent is not None:
        stmt = stmt.where(getattr(Customer, f"consent_{f.consent}").is_(True))
    return stmt, columns


def values(f: Filter) -> dict[str, Any]:
    """The filter's values, for the bind parameters of its statements."""
    found: dict[str, Any] = {
        "first_day": day_of_date(f.start), "last_day": day_of_date(f.end),
        "partner_id": f.partner_id, "employee_id": f.employee_id,
        "club_status": f.club_status, "min_purchases": f.min_purchases,
        "max_purchases": f.max_purchases, "min_revenue": f.min_revenue,
        "dormant_day": None if f.dormant_since is None else day_of_date(f.dormant_since)}
    return {k: v for k, v in found.items() if v is not None}


def shape(f: Filter) -> Filter:
    """What decides a filter's statement — which conditions there are, not their values —
    as a filter of placeholder values: filters of one shape share one statement."""
    def present(value: Any, stand_in: Any) -> Any:
        return None if value is None else stand_in

    return Filter(
        start=date.min, end=date.min, partner_id=present(f.partner_id, 0),
        employee_id=present(f.employee_id, 0), club_status=present(f.club_status, ""),
        min_purchases=None if f.min_purchases is None else int(bool(f.min_purchases)),
        max_purchases=present(f.max_purchases, 0),
        min_revenue=None if f.min_revenue is None else Decimal(int(f.min_revenue > 0)),
        dormant_since=present(f.dormant_since, date.min), consent=f.consent, sort=f.sort,
        descending=f.descending)


def _ordered(f: Filter) -> Select[Any]:
    stmt, columns = selection(f)
    key = columns[f.sort]
    order = key.desc().nulls_last() if f.descending else key.asc().nulls_first()
    return stmt.order_by(order, Customer.id.desc() if f.descending else Customer.id)


def _row(cid: int, n: int, revenue: Any, details: Any) -> Row:
    first, last, card, discount, partner, employee, bonus, last_at, club = details
    return Row(cid, f"{first} {last}".strip(), card or "", partner or "", employee or "",
               int(n), revenue, discount or ZERO, bonus or ZERO, last_at,
               club or ClubStatus.REGULAR.value)


def _rows(session: Session, found: list[tuple[int, int, Any]]) -> list[Row]:
    batch = select(Customer.id.label("customer_id")).where(
        Customer.id.in_([cid for cid, _n, _r in found])).subquery("batch")
    details = {r[0]: tuple(r[1:]) for r in session.execute(_with_details(batch))}
    return [_row(cid, n, revenue, details[cid]) for cid, n, revenue in found]


def page(session: Session, f: Filter, *, limit: int = 50, offset: int = 0) -> list[Row]:
    return page_and_totals(session, f, limit=limit, offset=offset)[0]


def _with_details(page: Any) -> Select[Any]:
    """The page's rows with their display columns (look-ups for these rows only)."""
    return (select(page, Customer.first_name, Customer.last_name, _card(DiscountCard.number),
                   _card(DiscountCard.discount_percent), Partner.name, PartnerEmployee.name,
                   _bonus(), _last_purchase(), ClubMembership.status)
            .select_from(page).join(Customer, Customer.id == page.c.customer_id)
            .outerjoin(CustomerLink, CustomerLink.customer_id == Customer.id)
            .outerjoin(Partner, Partner.id == CustomerLink.partner_id)
            .outerjoin(PartnerEmployee, PartnerEmployee.id == CustomerLink.employee_id)
            .outerjoin(ClubMembership, ClubMembership.customer_id == Customer.id))


def page_and_totals(session: Session, f: Filter, *, limit: int = 50,
                    offset: int = 0) -> tuple[list[Row], Totals]:
    """A page of rows with the totals of the whole selection, in one statement: the
    selection is computed once (a materialised CTE, so the period's aggregate is not
    repeated by parallel workers), sorted for the page while the totals ride along as
    window aggregates, and only the page's rows get their display columns. The statement
    is built once per shape of filter and reused with the filter's values."""
    f = f.check()
    custom_plans(session)
    found = session.execute(_page_statement(shape(f)),
                            values(f) | {"limit": limit, "offset": offset}).all()
    if not found:
        return [], totals(session, f)
    rows = [_row(r[0], r[1], r[2], r[7:]) for r in found]
    n, purchases, revenue = found[0][4:7]
    return rows, Totals(int(n), int(purchases or 0), revenue or ZERO)


@lru_cache(maxsize=256)
def _page_statement(f: Filter) -> Select[Any]:
    stmt, columns = selection(f)
    chosen = stmt.add_columns(columns[f.sort].label("sort_key")).cte("chosen") \
        .prefix_with("MATERIALIZED")

    def order(c: Any) -> list[Any]:
        key = c.sort_key.desc().nulls_last() if f.descending else c.sort_key.asc().nulls_first()
        return [key, c.customer_id.desc() if f.descending else c.customer_id]

    page_rows = (select(chosen.c.customer_id, chosen.c.purchases, chosen.c.revenue,
                        chosen.c.sort_key, func.count().over().label("n_all"),
                        func.sum(chosen.c.purchases).over().label("p_all"),
                        func.sum(chosen.c.revenue).over().label("r_all"))
                 .order_by(*order(chosen.c)).limit(bindparam("limit"))
                 .offset(bindparam("offset")).subquery("page"))
    return _with_details(page_rows).order_by(*order(page_rows.c))


def totals(session: Session, f: Filter) -> Totals:
    stmt, _columns = selection(f.check())
    custom_plans(session)
    sub = stmt.subquery()
    n, purchases, revenue = session.execute(select(
        func.count(), func.coalesce(func.sum(sub.c.purchases), 0),
        func.coalesce(func.sum(sub.c.revenue), 0)), values(f)).one()
    return Totals(int(n), int(purchases), revenue)


def customer_ids(session: Session, f: Filter) -> Iterator[int]:
    """Every matching customer's id (the audience of a mailing), streamed."""
    stmt, _columns = selection(f.check())
    custom_plans(session)
    sub = stmt.subquery()
    for (cid,) in session.execute(select(sub.c.customer_id).order_by(sub.c.customer_id)
                                  .execution_options(yield_per=5000), values(f)):
        yield int(cid)


def stream(session: Session, f: Filter, batch: int = 2000) -> Iterator[Row]:
    """Every matching row in the chosen order, a batch at a time (for exports)."""
    f = f.check()
    ordered = _ordered(f)
    custom_plans(session)
    result = session.execute(ordered.execution_options(yield_per=batch), values(f))
    for chunk in result.partitions(batch):
        yield from _rows(session, [tuple(r) for r in chunk])


def revenue_per_month(session: Session, f: Filter) -> list[tuple[str, Decimal]]:
    """The selection's revenue per calendar month of the period (UTC)."""
    stmt, _columns = selection(f.check())
    custom_plans(session)
    chosen = stmt.subquery()
    rows = session.execute(
        select(Sale.paid_day, func.sum(Sale.net_total - Sale.returned_net))
        .join(chosen, chosen.c.customer_id == Sale.customer_id)
        .where(Sale.paid_day >= day_of_date(f.start), Sale.paid_day <= day_of_date(f.end))
        .group_by(Sale.paid_day), values(f)).all()
    months: dict[str, Decimal] = {}
    d = f.start.replace(day=1)
    while d <= f.end:
        months[d.strftime("%Y-%m")] = ZERO
        d = (d + timedelta(days=32)).replace(day=1)
    for day, total in rows:
        key = date_of(int(day or 0)).strftime("%Y-%m")
        months[key] = months.get(key, ZERO) + (total or ZERO)
    return list(months.items())
