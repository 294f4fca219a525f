"""Marketing → Customers: the customer list searched, filtered by the partner (or the
partner's employee) who brought each customer, and sorted by name or by referrer (seed 000:
"sort customers by referrer"). A read model: it reads the partners' links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wordofmouth.customers import service
from wordofmouth.customers.models import Customer
from wordofmouth.partners.models import CustomerLink, Partner, PartnerEmployee

SORTS = ("name", "referrer")


@dataclass(frozen=True)
class Row:
    customer: Customer
    partner: str  # who brought them, "" when nobody
    employee: str


def rows(session: Session, *, query: str = "", partner_id: int | None = None,
         employee_id: int | None = None, sort: str = "name", limit: int = 50,
         offset: int = 0) -> list[Row]:
    stmt = (select(Customer, Partner.name, PartnerEmployee.name)
            .options(selectinload(Customer.cards))
            .outerjoin(CustomerLink, CustomerLink.customer_id == Customer.id)
            .outerjoin(Partner, Partner.id == CustomerLink.partner_id)
            .outerjoin(PartnerEmployee, PartnerEmployee.id == CustomerLink.employee_id))
    if query.strip():
        stmt = stmt.where(service.matching(query))
    if partner_id is not None:
        stmt = stmt.where(CustomerLink.partner_id == partner_id)
    if employee_id is not None:
        stmt = stmt.where(CustomerLink.employee_id == employee_id)
    order = ([func.lower(func.coalesce(Partner.name, "\uffff")),
              func.lower(func.coalesce(PartnerEmployee.name, "")), Customer.sort_key]
             if sort == "referrer" else [Customer.sort_key])
    stmt = stmt.order_by(*order, Customer.id).limit(limit).offset(offset)
    return [Row(c, partner or "", employee or "") for c, partner, employee in session.execute(stmt)]


def count_of_partner(session: Session, partner_id: int) -> int:
    """How many customers the partner brought (linked now)."""
    return int(session.scalar(select(func.count()).select_from(CustomerLink)
                              .where(CustomerLink.partner_id == partner_id)) or 0)
