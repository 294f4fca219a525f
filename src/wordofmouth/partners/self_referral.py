"""Self-referral checks: a partner who links themselves, or whose employee buys on their own
card, would earn commission on their own purchases. A commission is held for the owner's
review when the buyer's phone, e-mail or card matches the partner's or an employee's, or
when several customers of the partner share the buyer's phone. Held, it does not mature;
the owner approves it (it matures as usual) or rejects it (a reversing entry), audited."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth import rows
from wordofmouth.audit import service as audit
from wordofmouth.customers import rules as customer_rules
from wordofmouth.customers import service as customers
from wordofmouth.db import utcnow
from wordofmouth.i18n import N_
from wordofmouth.ledger import operations
from wordofmouth.ledger import service as ledger
from wordofmouth.partners.commission import PENDING, STEP
from wordofmouth.partners.errors import NotUnderReview
from wordofmouth.partners.models import (
    CommissionReview,
    CustomerLink,
    Partner,
    PartnerEmployee,
    SaleAttribution,
)
from wordofmouth.sales import service as sales
from wordofmouth.settings import service as store_settings

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

UNDER_REVIEW, APPROVED, REJECTED = "under_review", "approved", "rejected"
REASONS = {
    "own_card": N_("bought on the partner's own card"),
    "partner_phone": N_("the buyer's phone is the partner's"),
    "partner_email": N_("the buyer's e-mail is the partner's"),
    "employee_phone": N_("the buyer's phone is an employee's"),
    "employee_email": N_("the buyer's e-mail is an employee's"),
    "shared_phone": N_("several of the partner's customers share this phone"),
}


def _phone(raw: str, country: str) -> str:
    try:
        return customer_rules.phone_e164(raw, country) if raw.strip() else ""
    except ValueError:
        return ""


def suspicion(session: Session, sale: Sale, partner: Partner) -> str | None:
    """Why the sale's commission looks like the partner's own purchase, if it does."""
    if sale.customer_id is None:
        return None
    if partner.customer_id == sale.customer_id:
        return "own_card"
    buyer = customers.get_customer(session, sale.customer_id)
    country = store_settings.get(session).country
    phone, email = buyer.phone or "", (buyer.email or "").strip().lower()
    people = [("partner", partner.phone, partner.email)] + [
        ("employee", p, e) for p, e in session.execute(
            select(PartnerEmployee.phone, PartnerEmployee.email)
            .where(PartnerEmployee.partner_id == partner.id))]
    for who, their_phone, their_email in people:
        if phone and _phone(their_phone or "", country) == phone:
            return f"{who}_phone"
        if email and (their_email or "").strip().lower() == email:
            return f"{who}_email"
    if phone:
        sharing = session.scalar(
            select(func.count()).select_from(CustomerLink)
            .where(CustomerLink.customer_id.in_(customers.ids_with_phone(session, phone)),
                   CustomerLink.partner_id == partner.id)) or 0
        if sharing >= 2:
            return "shared_phone"
    return None


def hold_if_suspicious(session: Session, sale: Sale, partner: Partner) -> str | None:
    """Hold the sale's commission for review when it looks like a self-referral."""
    reason = suspicion(session, sale, partner)
    if reason is not None:
        session.add(CommissionReview(sale_id=sale.id, partner_id=partner.id, reason=reason,
                                     flagged_at=sale.paid_at or utcnow()))
        audit.record(session, actor="till", action="partner.commission_held",
                     target_type="partner", target_id=partner.id, sale_id=sale.id,
                     reason=reason)
    return reason


def rejected(session: Session, sale_id: int) -> bool:
    review = session.get(CommissionReview, sale_id)
    return review is not None and review.status == REJECTED


def under_review(session: Session, partner_id: int | None = None) -> list[CommissionReview]:
    stmt = (select(CommissionReview).where(CommissionReview.status == UNDER_REVIEW)
            .order_by(CommissionReview.flagged_at))
    if partner_id is not None:
        stmt = stmt.where(CommissionReview.partner_id == partner_id)
    return list(session.scalars(stmt))


def buyers(session: Session, held: list[CommissionReview]) -> dict[int, str]:
    """The buyer's name of each held sale, by sale id."""
    by_sale = sales.customers_of(session, [r.sale_id for r in held])
    names = customers.names(session, by_sale.values())
    return {sale_id: names.get(cid, "") for sale_id, cid in by_sale.items() if cid}


def commissions(session: Session, held: list[CommissionReview]) -> dict[int, Decimal]:
    """The commission each held sale earned, by sale id."""
    if not held:
        return {}
    return {sid: amount for sid, amount in session.execute(
        select(SaleAttribution.sale_id, SaleAttribution.commission)
        .where(SaleAttribution.sale_id.in_([r.sale_id for r in held])))}


def decide(session: Session, sale_id: int, *, approve: bool, actor: str,
           partner_id: int | None = None, at: datetime | None = None) -> CommissionReview:
    """The owner's decision on a held commission; the row is locked before it is read, so
    two decisions at once cannot both take effect."""
    review = session.scalar(rows.locked(session, select(CommissionReview)
                                        .where(CommissionReview.sale_id == sale_id)))
    if review is None or review.status != UNDER_REVIEW or partner_id not in (
            None, review.partner_id):
        raise NotUnderReview()
    at = at or utcnow()
    review.status, review.decided_by, review.decided_at = (
        APPROVED if approve else REJECTED, actor, at)
    if not approve:
        pending = ledger.sale_total(session, sale_id=sale_id,
                                    kinds=[STEP, f"{STEP}_reversal"], account_kind=PENDING)
        if pending > 0:
            operations.reject_commission(session, partner_id=review.partner_id,
                                         sale_id=sale_id, amount=pending, at=at)
    audit.record(session, actor=actor, action="partner.commission_review",
                 target_type="partner", target_id=review.partner_id, sale_id=sale_id,
                 decision=review.status, reason=review.reason)
    session.flush()
    return review
