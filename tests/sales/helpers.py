"""Small helpers for sales tests: a product at a price, a customer with a card and bonuses."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import CardFactory, ProductFactory
from wordofmouth.catalog.models import Product
from wordofmouth.customers.models import DiscountCard
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.sales import payments, service
from wordofmouth.sales.models import PaymentMethod, Sale

D = Decimal


def product(price: str, **kw: object) -> Product:
    return ProductFactory.create(price=D(price), **kw)


def card(discount: str = "0", bonus: str = "0") -> DiscountCard:
    return CardFactory.create(discount_percent=D(discount), bonus_percent=D(bonus))


def give_bonus(db: Session, customer_id: int, amount: str, key: str = "gift") -> None:
    ledger.post(db, ledger.Posting(
        account_kind=AccountKind.CUSTOMER_BONUS, owner_id=customer_id, amount=D(amount),
        kind="manual_bonus", source_type="test", source_id=customer_id,
        source_key=f"test:{key}:{customer_id}"))


def bonus(db: Session, customer_id: int) -> Decimal:
    return ledger.balance(db, AccountKind.CUSTOMER_BONUS, customer_id)


def sell(db: Session, items: list[tuple[Product, str]], *, card_number: str | None = None,
         pay: list[tuple[str, str]] | None = None) -> Sale:
    """Open a sale with the items and, unless `pay` is [], pay it (default: all in cash)."""
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=p.id, qty=D(q)) for p, q in items],
        card_number=card_number), actor="test", channel="pos")
    drafts = ([("cash", str(sale.net_total))] if pay is None else pay)
    if drafts:
        payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod(m), D(a))
                                   for m, a in drafts])
    return sale
