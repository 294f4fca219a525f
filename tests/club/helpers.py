"""Club test helpers: switch the club on, buy or return on a given day."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import CardFactory, ProductFactory
from wordofmouth.calendar import date_of
from wordofmouth.club import service as club
from wordofmouth.club.rules import ClubSettings
from wordofmouth.customers.models import DiscountCard
from wordofmouth.sales import payments, returns, service
from wordofmouth.sales.models import PaymentMethod, Sale

D = Decimal
BASE = 20_000  # day numbers around 2024-10


def switch_on(db: Session, **changes: object) -> ClubSettings:
    values: dict[str, object] = {
        "enabled": True, "discount_percent": D("7"), "accumulation_amount": D("5000"),
        "accumulation_days": 30, "confirmation_amount": D("3000"), "confirmation_days": 60,
        "started_day": BASE}
    values.update(changes)
    return club.save_settings(db, actor="owner", **values)


def at(day: int) -> datetime:
    return datetime.combine(date_of(day), time(12), tzinfo=UTC)


def member_card() -> DiscountCard:
    return CardFactory.create()


def buy(db: Session, card: DiscountCard, amount: str, day: int) -> Sale:
    product = ProductFactory.create(price=D(amount))
    sale = service.create_sale(db, service.SaleDraft(
        lines=[service.LineDraft(product_id=product.id)], card_number=card.number,
        created_at=at(day)), actor="test", channel="import")
    return payments.pay(db, sale.id, [payments.PaymentDraft(PaymentMethod.CASH,
                                                            sale.net_total)], paid_at=at(day))


def granted(db: Session, grant_day: int) -> DiscountCard:
    """A customer who bought 5 000.00 on BASE + 1, became a candidate in that day's review
    and was granted membership on `grant_day` (the club switched on)."""
    switch_on(db)
    card = member_card()
    buy(db, card, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    club.decide(db, customer_ids=[card.customer_id], action="grant", actor="o", day=grant_day)
    return card


def give_back(db: Session, sale: Sale, day: int) -> None:
    returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))],
                         actor="test", at=at(day))
