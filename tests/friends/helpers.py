from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tests.factories import CardFactory, CustomerFactory, GroupFactory, ProductFactory
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import FriendCampaign, FriendCode

D = Decimal


def campaign(db: Session, **kw: object) -> FriendCampaign:
    values: dict[str, object] = {
        "name": "Spring friends", "start_day": today(zone(DEFAULT_ZONE)), "validity_days": 30,
        "friend_discount_percent": D("10"), "bonus_rule": "fixed", "bonus_amount": D("50")}
    values.update(kw)
    return friends.create_campaign(db, **values)


def codes(db: Session, c: FriendCampaign, n: int = 1, referrer_id: int | None = None
          ) -> tuple[int, list[FriendCode]]:
    if referrer_id is None:
        referrer_id = CardFactory.create().customer_id
    return referrer_id, friends.issue_codes(db, customer_id=referrer_id, campaign_id=c.id,
                                            count=n, actor="test")


def new_friend() -> str:
    """A new customer with a card; returns the card number."""
    customer = CustomerFactory.create()
    return CardFactory.create(customer_id=customer.id).number


__all__ = ["GroupFactory", "ProductFactory", "campaign", "codes", "new_friend"]
