from __future__ import annotations

from sqlalchemy.orm import Session

from tests.partners.helpers import partner
from wordofmouth.partners.models import Partner
from wordofmouth.storefront import keys


def keyed(db: Session, name: str, key: str, rate: str = "10",
          months: int | None = None) -> Partner:
    p = partner(db, name, rate=rate, months=months)
    keys.add_key(db, p.id, key, actor="owner")
    return p
