"""The club's review lists: the customers of one status with their names and main cards,
best first. A read model: it reads the customers' tables beside the club's, for the page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.club.models import ClubMembership
from wordofmouth.club.rules import ClubStatus
from wordofmouth.customers.models import Customer, DiscountCard


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


def candidates(session: Session, status: ClubStatus, *, limit: int = 500,
               offset: int = 0) -> list[Candidate]:
    main_card = (select(DiscountCard.number)
                 .where(DiscountCard.customer_id == Customer.id, DiscountCard.is_main)
                 .limit(1).scalar_subquery())
    rows = session.execute(
        select(ClubMembership, Customer.first_name, Customer.last_name, main_card)
        .join(Customer, Customer.id == ClubMembership.customer_id)
        .where(ClubMembership.status == status)
        .order_by(ClubMembership.reached_amount.desc(), Customer.id)
        .limit(limit).offset(offset)).all()
    return [Candidate(m.customer_id, f"{first} {last}".strip(), card, m.status,
                      m.reached_amount, m.required_amount, m.period_start_day,
                      m.period_end_day, m.discount_percent) for m, first, last, card in rows]
