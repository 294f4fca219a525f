"""The club's review lists: the customers of one status with their names and main cards,
best first, maybe only those a partner (or one of its employees) brought. A read model: it
reads the customers' and the partners' tables beside the club's, for the page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from wordofmouth.club.models import ClubMembership
from wordofmouth.club.rules import ClubStatus
from wordofmouth.customers.models import Customer, DiscountCard
from wordofmouth.partners.models import CustomerLink


@dataclass(frozen=True)
class Candidate:
    customer_id: int
    name: str
    card: str | None
    status: str
    reached: Decimal
    required: Decimal | None
    period_start_day: int | None
    period_end_day: int | None
    discount_percent: Decimal


def _brought_by(stmt: Select[Any], partner_id: int | None,
                employee_id: int | None) -> Select[Any]:
    if partner_id is None and employee_id is None:
        return stmt
    stmt = stmt.join(CustomerLink, CustomerLink.customer_id == ClubMembership.customer_id)
    if partner_id is not None:
        stmt = stmt.where(CustomerLink.partner_id == partner_id)
    if employee_id is not None:
        stmt = stmt.where(CustomerLink.employee_id == employee_id)
    return stmt


def candidates(session: Session, status: ClubStatus, *, limit: int = 500,
               offset: int = 0, partner_id: int | None = None,
               employee_id: int | None = None) -> list[Candidate]:
    main_card = (select(DiscountCard.number)
                 .where(DiscountCard.customer_id == Customer.id, DiscountCard.is_main)
                 .limit(1).scalar_subquery())
    stmt = _brought_by(
        select(ClubMembership, Customer.first_name, Customer.last_name, main_card)
        .join(Customer, Customer.id == ClubMembership.customer_id)
        .where(ClubMembership.status == status), partner_id, employee_id)
    rows = session.execute(stmt.order_by(ClubMembership.reached_amount.desc(), Customer.id)
                           .limit(limit).offset(offset)).all()
    return [Candidate(m.customer_id, f"{first} {last}".strip(), card, m.status,
                      m.reached_amount, m.required_amount, m.period_start_day,
                      m.period_end_day, m.discount_percent) for m, first, last, card in rows]


def candidate_ids(session: Session, status: ClubStatus, *, partner_id: int | None = None,
                  employee_id: int | None = None) -> list[int]:
    """Everyone on a list (as filtered): what "all in this list" decides on."""
    return list(session.scalars(_brought_by(
        select(ClubMembership.customer_id).where(ClubMembership.status == status),
        partner_id, employee_id)))
