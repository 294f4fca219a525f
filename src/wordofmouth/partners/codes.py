"""Partner promo codes (for bloggers): managed by the owner, presented at the till."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.catalog import service as catalog
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners import rules
from wordofmouth.partners.errors import DuplicatePartnerCode, MalformedPartnerCode
from wordofmouth.partners.models import PartnerCode
from wordofmouth.partners.service import employee_of, get_partner
from wordofmouth.scancodes import service as scancodes

KIND = "partner_code"


def create_code(session: Session, *, partner_id: int, code: str, employee_id: int | None = None,
                discount_percent: Decimal = Decimal("0"), group_id: int | None = None,
                valid_from_day: int | None = None, valid_to_day: int | None = None,
                active: bool = True) -> PartnerCode:
    """A promo code for a partner: 3–32 of A–Z, 0–9 and '-', unique whatever the case."""
    if not rules.is_valid_code(code):
        raise MalformedPartnerCode(gettext("'{0}' is not a promo code: use 3–32 letters A–Z, "
                                           "digits and '-'.").format(code.strip()))
    normal = rules.normal_code(code)
    get_partner(session, partner_id)
    employee_id = employee_of(session, partner_id, employee_id)
    if not Decimal(0) <= discount_percent <= Decimal(100):
        raise InvalidInput(gettext("The buyer's discount must be 0–100 %."))
    if group_id is not None:
        catalog.get_group(session, group_id)
    if valid_from_day is not None and valid_to_day is not None and valid_to_day < valid_from_day:
        raise InvalidInput(gettext("The code's end date is before its start date."))
    if session.scalar(select(PartnerCode.id).where(PartnerCode.code == normal)) is not None:
        raise DuplicatePartnerCode(gettext("Promo code {0} exists already.").format(normal))
    pc = PartnerCode(code=normal, partner_id=partner_id, employee_id=employee_id,
                     discount_percent=discount_percent, group_id=group_id,
                     valid_from_day=valid_from_day, valid_to_day=valid_to_day, active=active)
    session.add(pc)
    session.flush()
    scancodes.register(session, normal, KIND, pc.id)
    return pc


def find(session: Session, code: str) -> PartnerCode | None:
    return session.scalars(select(PartnerCode)
                           .where(PartnerCode.code == rules.normal_code(code))).one_or_none()


def usable(pc: PartnerCode, day: int) -> bool:
    return pc.active and (pc.valid_from_day is None or day >= pc.valid_from_day) and (
        pc.valid_to_day is None or day <= pc.valid_to_day)


def codes_of(session: Session, partner_id: int) -> list[PartnerCode]:
    return list(session.scalars(select(PartnerCode).where(PartnerCode.partner_id == partner_id)
                                .order_by(PartnerCode.code)))
