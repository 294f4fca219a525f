"""Partners at the till: partner promo codes, the sale's attribution and the commission."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth import db as database
from wordofmouth.calendar import local
from wordofmouth.catalog import service as catalog
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import (
    codes,
    commission,
    milestones,
    offers,
    rules,
    self_referral,
    set_off,
)
from wordofmouth.partners import service as partners
from wordofmouth.partners.errors import PartnerCodeNotUsable, PartnerInactive
from wordofmouth.partners.models import (
    CommissionTerms,
    CustomerLink,
    Partner,
    PartnerCode,
    PartnerEmployee,
    SaleAttribution,
)
from wordofmouth.sales import returns
from wordofmouth.sales import service as sales
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.rules import DiscountCandidate
from wordofmouth.scancodes import service as scancodes
from wordofmouth.settings import service as store_settings

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale, SaleReturn


def presented(session: Session, sale: Sale) -> PartnerCode | None:
    """The usable partner code presented on this sale, if any (no query without codes)."""
    if not sale.presented_codes:
        return None
    found = session.scalars(select(PartnerCode)
                            .where(PartnerCode.code.in_(sale.presented_codes))).all()
    return next((pc for pc in found if codes.usable(pc, sales.day_of_sale(session, sale))), None)


def apply_promo_code(session: Session, sale: Sale, code: str) -> str | None:
    """A partner's promo code on an open sale (the API's one endpoint for codes); None when
    `code` is not a partner's promo code."""
    code = code.strip()
    found = scancodes.resolve_typed(session, code)
    if found is None or found.kind != codes.KIND:
        return None
    return _apply(session, sale, found.target_id)


def _apply(session: Session, sale: Sale, target_id: int) -> str:
    pc = session.get(PartnerCode, target_id)
    if pc is None or not codes.usable(pc, sales.day_of_sale(session, sale)):
        raise PartnerCodeNotUsable()
    partner = partners.get_partner(session, pc.partner_id)
    if not partner.active:
        raise PartnerInactive(gettext("{0} is not active.").format(partner.name))
    if pc.code not in sale.presented_codes:
        sale.presented_codes = [*sale.presented_codes, pc.code]

    sales.recompute(session, sale)
    if pc.discount_percent:
        return gettext("Promo code {0} of {1}: {2} off.").format(
            pc.code, partner.name, f"{pc.discount_percent.normalize():f} %")
    return gettext("Promo code {0} of {1}.").format(pc.code, partner.name)


class PartnerCodeHandler:
    kind = codes.KIND

    def apply(self, session: Session, sale: Sale, target_id: int, code: str) -> str:
        return _apply(session, sale, target_id)

    def describe(self, session: Session, sale: Sale | None, target_id: int,
                 code: str) -> str | None:
        return None  # applies at once: the partner's own promotion


class PartnerCodeDiscount:
    name = "partner_code"

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        pc = presented(session, sale)
        if pc is None or not pc.discount_percent:
            return {}
        qualifies = catalog.in_group(session, pc.group_id)
        offer = DiscountCandidate("partner_code", pc.discount_percent, pc.code)
        return {ln.line_no: [offer] for ln in sale.lines if qualifies(ln.group_id)}


class PartnerCommission:
    """Decide who the sale is credited to and why; accrue the partner's commission."""

    name = commission.STEP

    def accrue(self, session: Session, sale: Sale) -> None:
        row = session.get(SaleAttribution, sale.id) or SaleAttribution(sale_id=sale.id,
                                                                       reason="none")
        link = session.get(CustomerLink, sale.customer_id) if sale.customer_id else None
        pc = presented(session, sale)
        since = sale.paid_at
        if row.reason == "invoice_intermediary":
            pass  # the invoice named the partner who earns on it
        elif link is not None:
            row.partner_id, row.employee_id, row.reason = (link.partner_id, link.employee_id,
                                                           "linked_customer")
            since = link.linked_at
        elif pc is not None:
            row.partner_id, row.employee_id, row.reason = (pc.partner_id, pc.employee_id,
                                                           "partner_code")
            row.code = pc.code
            if sale.customer_id is not None:
                partners.link(session, sale.customer_id, pc.partner_id,
                              employee_id=pc.employee_id, source="partner_code",
                              actor="till")
        session.add(row)
        if row.partner_id is None or since is None or sale.paid_at is None:
            return
        partner = partners.get_partner(session, row.partner_id)
        if partner.active and row.reason in ("linked_customer", "partner_code"):
            milestones.count_first_purchase(session, sale, partner.id)
        terms = session.get(CommissionTerms, partner.id)
        tz = store_settings.zone(session)
        if not partner.active or terms is None or not rules.within_term(
                local(since, tz).date(), local(sale.paid_at, tz).date(), terms.months):
            return
        row.commission = commission.accrue(session, sale, partner.id)
        if row.commission > 0:
            self_referral.hold_if_suspicious(session, sale, partner)

    def reverse(self, session: Session, sale: Sale, sale_return: SaleReturn,
                returned_before: Decimal) -> None:
        row = session.get(SaleAttribution, sale.id)
        if row is None or row.partner_id is None or not row.commission:
            return
        if self_referral.rejected(session, sale.id):
            return  # rejected on review: nothing is left to take back
        accrued = ledger.sale_total(session, sale_id=sale.id, kinds=[commission.STEP],
                                    account_kind=commission.PENDING)
        amount = commission.reversal(session, sale, row.partner_id, accrued, sale_return.id,
                                     returns.returned_lines(session, sale.id))
        matured = commission.matured(session, sale.id)
        ledger.take_back_for_return(
            session, step=commission.STEP,
            account_kind=commission.PAYABLE if matured else commission.PENDING,
            owner_id=row.partner_id, sale_id=sale.id, return_id=sale_return.id,
            amount=amount, at=sale_return.created_at)

    def on_void(self, session: Session, sale: Sale) -> None:
        return None


def install() -> None:
    # a checkout looks each of these up by key in several steps: read once per transaction
    database.keep_for_the_transaction(CustomerLink, CommissionTerms, Partner, PartnerEmployee,
                                      SaleAttribution)
    EXTENSIONS.add_discount_provider(PartnerCodeDiscount())
    EXTENSIONS.add_discount_provider(offers.PartnerOfferDiscount())
    EXTENSIONS.add_accrual_step(PartnerCommission())
    EXTENSIONS.add_code_handler(PartnerCodeHandler())
    set_off.install()
