"""Refer a Friend at the till: the friend's discount, the referrer's bonus, the code handler."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.catalog import service as catalog
from wordofmouth.customers import service as customers
from wordofmouth.customers.rules import masked_name
from wordofmouth.friends import service
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.money import ZERO
from wordofmouth.sales import returns
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.rules import DiscountCandidate

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale, SaleReturn

STEP = "friend_bonus"


class FriendDiscount:
    """The friend's discount on the campaign's lines, while the held code still fits."""

    name = "friend_code"

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        fit = service.fit_for_sale(session, sale) if sale.presented_codes else None
        if fit is None:
            return {}
        referrer = customers.find_customer(session, fit.code.referrer_id)
        offer = DiscountCandidate("friend_code", fit.campaign.friend_discount_percent,
                                  masked_name(referrer.first_name, referrer.last_name)
                                  if referrer else fit.code.code)
        return {line_no: [offer] for line_no in fit.qualifying}


class FriendBonus:
    """On payment: the code is used, the friend becomes referred, the referrer gets a bonus.
    A code that no longer fits the paid sale is released instead."""

    name = STEP

    def accrue(self, session: Session, sale: Sale) -> None:
        if not sale.presented_codes:
            return
        fit = service.fit_for_sale(session, sale)
        if fit is None:
            service.release(session, sale)
            return
        if sale.customer_id is None:
            service.register_friend(session, sale, fit)
        bonus = service.use(session, sale, fit)
        ledger.accrue_for_sale(
            session, step=STEP, account_kind=AccountKind.CUSTOMER_BONUS,
            owner_id=fit.code.referrer_id, sale_id=sale.id, amount=bonus, at=sale.paid_at,
            memo=f"friend code {fit.code.code}")

    def reverse(self, session: Session, sale: Sale, sale_return: SaleReturn,
                returned_before: Decimal) -> None:
        code = service.used_by(session, sale)
        if code is None or not code.purchase_amount:
            return
        campaign = service.get_campaign(session, code.campaign_id)
        qualifies = catalog.in_group(session, campaign.group_id)
        qualifying = {ln.id for ln in sale.lines if qualifies(ln.group_id)}
        rows = returns.returned_lines(session, sale.id)
        now = sum((net for rid, lid, net in rows
                   if rid == sale_return.id and lid in qualifying), ZERO)
        before = sum((net for rid, lid, net in rows
                      if rid != sale_return.id and lid in qualifying), ZERO)
        ledger.reverse_for_return(
            session, step=STEP, account_kind=AccountKind.CUSTOMER_BONUS,
            owner_id=code.referrer_id, sale_id=sale.id, return_id=sale_return.id,
            sale_net=code.purchase_amount, returned_before=before, returned_now=now,
            at=sale_return.created_at)

    def on_void(self, session: Session, sale: Sale) -> None:
        if sale.presented_codes:
            service.release(session, sale)


class FriendCodeHandler:
    kind = service.KIND

    def apply(self, session: Session, sale: Sale, target_id: int, code: str) -> str:
        return service.attach(session, sale, code)

    def describe(self, session: Session, sale: Sale | None, target_id: int,
                 code: str) -> str | None:
        return service.describe(session, sale, code)


def referrer_credited(session: Session, sale: Sale) -> str | None:
    """Tell the cashier the referrer's bonus was credited with this payment."""
    fit = service.used_by(session, sale)
    if fit is None:
        return None
    amount = ledger.sale_total(session, sale_id=sale.id, kinds=[STEP])
    referrer = customers.find_customer(session, fit.referrer_id)
    if not amount or referrer is None:
        return None
    return gettext("{0} got {1} bonuses for recommending a friend.").format(
        masked_name(referrer.first_name, referrer.last_name), i18n.money(amount))


def install() -> None:
    EXTENSIONS.add_till_note(STEP, referrer_credited)
    EXTENSIONS.add_discount_provider(FriendDiscount())
    EXTENSIONS.add_accrual_step(FriendBonus())
    EXTENSIONS.add_code_handler(FriendCodeHandler())
