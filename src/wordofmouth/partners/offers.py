"""Special offers for a partner's customers: a discount % for the customers linked to the
partner (optionally to one employee), on a product group (or all goods), for dates. At the
till it is one more discount candidate; the largest discount on a line wins."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.catalog import service as catalog
from wordofmouth.errors import InvalidInput, NotFound
from wordofmouth.i18n import gettext
from wordofmouth.partners.models import CustomerLink, PartnerOffer
from wordofmouth.partners.service import employee_of, get_partner
from wordofmouth.sales import service as sales
from wordofmouth.sales.rules import DiscountCandidate

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

KIND = "partner_offer"


def create_offer(session: Session, partner_id: int, *, name: str, discount_percent: Decimal,
                 actor: str, employee_id: int | None = None, group_id: int | None = None,
                 valid_from_day: int | None = None,
                 valid_to_day: int | None = None) -> PartnerOffer:
    get_partner(session, partner_id)
    employee_id = employee_of(session, partner_id, employee_id)
    name = name.strip()
    if not name:
        raise InvalidInput(gettext("Name the offer."))
    if not Decimal(0) < discount_percent <= Decimal(100) or (
            discount_percent != discount_percent.quantize(Decimal("0.01"))):
        raise InvalidInput(gettext("The offer's discount is more than 0 and at most 100 %, "
                                   "with at most two decimals."))
    if group_id is not None:
        catalog.get_group(session, group_id)
    if valid_from_day is not None and valid_to_day is not None and valid_to_day < valid_from_day:
        raise InvalidInput(gettext("The offer's end date is before its start date."))
    offer = PartnerOffer(partner_id=partner_id, employee_id=employee_id, name=name[:120],
                         discount_percent=discount_percent, group_id=group_id,
                         valid_from_day=valid_from_day, valid_to_day=valid_to_day, active=True)
    session.add(offer)
    session.flush()
    audit.record(session, actor=actor, action="partner.offer", target_type="partner",
                 target_id=partner_id, offer=offer.name,
                 discount=str(discount_percent), group_id=group_id, employee_id=employee_id)
    return offer


def set_active(session: Session, partner_id: int, offer_id: int, active: bool, *,
               actor: str) -> PartnerOffer:
    offer = session.get(PartnerOffer, offer_id)
    if offer is None or offer.partner_id != partner_id:
        raise NotFound(gettext("No such offer."))
    if offer.active != active:
        offer.active = active
        audit.record(session, actor=actor, action="partner.offer", target_type="partner",
                     target_id=partner_id, offer=offer.name, active=active)
    session.flush()
    return offer


def offers_of(session: Session, partner_id: int) -> list[PartnerOffer]:
    return list(session.scalars(select(PartnerOffer).where(PartnerOffer.partner_id == partner_id)
                                .order_by(PartnerOffer.active.desc(), PartnerOffer.id.desc())))


def valid(offer: PartnerOffer, day: int) -> bool:
    return offer.active and (offer.valid_from_day is None or day >= offer.valid_from_day) and (
        offer.valid_to_day is None or day <= offer.valid_to_day)


class PartnerOfferDiscount:
    """The partner's special offers for the sale's customer, if they are the partner's (and,
    for an employee's offer, that employee's)."""

    name = KIND

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        if sale.customer_id is None:
            return {}
        link = session.get(CustomerLink, sale.customer_id)
        if link is None:
            return {}
        day = sales.day_of_sale(session, sale)
        found = [o for o in session.scalars(select(PartnerOffer).where(
            PartnerOffer.partner_id == link.partner_id, PartnerOffer.active.is_(True)))
            if valid(o, day) and o.employee_id in (None, link.employee_id)]
        out: dict[int, list[DiscountCandidate]] = {}
        for offer in found:
            qualifies = catalog.in_group(session, offer.group_id)
            candidate = DiscountCandidate(KIND, offer.discount_percent, offer.name)
            for line in sale.lines:
                if qualifies(line.group_id):
                    out.setdefault(line.line_no, []).append(candidate)
        return out
