"""The store core's own till extensions: the card's personal discount and card bonuses."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.money import percent_of
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import Sale, SaleReturn
from wordofmouth.sales.rules import DiscountCandidate
from wordofmouth.settings import service as store_settings


class CardDiscount:
    """The personal discount % of the card on the sale, offered on every line."""

    name = "card"

    def candidates(self, session: Session, sale: Sale) -> dict[int, list[DiscountCandidate]]:
        card = sale.card
        if card is None or not card.active or card.discount_percent <= 0:
            return {}
        offer = DiscountCandidate("card", card.discount_percent, card.number)
        return {line.line_no: [offer] for line in sale.lines}


class CardBonus:
    """Bonuses for the buyer: the card's bonus % (or the store default) of the purchase amount."""

    name = "card_bonus"

    def accrue(self, session: Session, sale: Sale) -> None:
        if sale.customer_id is None:
            return
        card = sale.card
        rate = card.bonus_percent if card is not None and card.bonus_percent > 0 else (
            store_settings.get(session).default_bonus_percent)
        if rate <= 0:
            return
        ledger.accrue_for_sale(
            session, step=self.name, account_kind=AccountKind.CUSTOMER_BONUS,
            owner_id=sale.customer_id, sale_id=sale.id, at=sale.paid_at,
            amount=percent_of(sale.net_total, rate),
            memo=f"{rate.normalize():f} % of {sale.number}",
        )

    def reverse(self, session: Session, sale: Sale, sale_return: SaleReturn,
                returned_before: Decimal) -> None:
        if sale.customer_id is None:
            return
        ledger.reverse_for_return(
            session, step=self.name, account_kind=AccountKind.CUSTOMER_BONUS,
            owner_id=sale.customer_id, sale_id=sale.id, return_id=sale_return.id,
            sale_net=sale.net_total, returned_before=returned_before,
            returned_now=sale_return.net_amount, at=sale_return.created_at,
        )

    def on_void(self, session: Session, sale: Sale) -> None:
        return None


def install() -> None:
    EXTENSIONS.add_discount_provider(CardDiscount())
    EXTENSIONS.add_accrual_step(CardBonus())
