"""The club's till extension: members get the club discount through the shared resolution."""

from __future__ import annotations

from sqlalchemy.orm import Session

from wordofmouth.club import service
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import Sale
from wordofmouth.sales.rules import DiscountCandidate


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
