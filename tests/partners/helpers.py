from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import Partner

D = Decimal


def partner(db: Session, name: str = "Stylist Anna", rate: str = "10",
            months: int | None = None, rates: dict[int, Decimal] | None = None) -> Partner:
    p = partners.create_partner(db, actor="owner", name=name, kind="specialist")
    commission.set_terms(db, p.id, default_rate=D(rate), months=months, rates=rates or {},
                         actor="owner")
    return p
