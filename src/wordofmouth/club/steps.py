"""The club's till extension: members get the club discount through the shared resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from wordofmouth.club import service
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.rules import DiscountCandidate

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale


class ClubDiscount:
    name = "club"

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        if sale.customer_id is None:
            return {}
        percent = service.discount_for(session, sale.customer_id)
        if not percent:
            return {}
        offer = DiscountCandidate("club", percent)
        return {line.line_no: [offer] for line in sale.lines}


def install() -> None:
    EXTENSIONS.add_discount_provider(ClubDiscount())
