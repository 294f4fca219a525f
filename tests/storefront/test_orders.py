"""Orders from the storefront: the seed's conditions one by one, commission through the
ledger, refunds, subscriptions."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.factories import GroupFactory
from tests.storefront.helpers import keyed
from wordofmouth.calendar import DEFAULT_ZONE, start_of, zone
from wordofmouth.db import utcnow
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CustomerLink
from wordofmouth.storefront import errors, orders, tokens
from wordofmouth.storefront.models import StorefrontAccount

D = Decimal


def order(db: Session, external_id: str, account: str, token: str | None, *,
          days_after: float = 1, amount: str = "100.00", kind: str = "one_time",
          group_id: int | None = None, at: datetime | None = None) -> orders.StorefrontOrder:
    group = group_id or GroupFactory.create().id
    return orders.report(db, external_id=external_id, account_external_id=account,
                         email=f"{account}@example.com",
                         lines=[orders.OrderLine(D(amount), kind, group_id=group)],
                         token=token,
                         ordered_at=at or utcnow() + timedelta(days=days_after),
                         actor="storefront")


def linked_partner(db: Session, account: str) -> int | None:
    acc = db.query(StorefrontAccount).filter_by(external_id=account).one()
    link = db.get(CustomerLink, acc.customer_id)
    return link.partner_id if link else None


def test_an_order_on_day_30_after_the_click_counts_and_on_day_31_not(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    token = tokens.issue(carter.id, "carter81")
    clicked = tokens.read(token)
    assert clicked is not None
    kyiv = zone(DEFAULT_ZONE)  # days are the store's calendar days
    day_31 = start_of(clicked[2].astimezone(kyiv).date() + timedelta(days=31), kyiv)
    last_minute_of_day_30 = day_31 - timedelta(minutes=1)
    assert order(db, "o-30", "acc-30", token, at=last_minute_of_day_30
                 ).decision == "attributed"
    assert linked_partner(db, "acc-30") == carter.id
    assert order(db, "o-31", "acc-31", token, at=day_31).decision == "window_passed"
    assert linked_partner(db, "acc-31") is None


def test_a_partner_inactive_at_the_order_gets_nothing(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    token = tokens.issue(carter.id, "carter81")  # active at the click
    partners.update_partner(db, carter.id, actor="owner", active=False)
    assert order(db, "o-1", "acc-1", token).decision == "partner_inactive"
    assert linked_partner(db, "acc-1") is None


def test_an_account_linked_to_another_partner_stays_with_it(db: Session) -> None:
    carter, other = keyed(db, "Carter", "carter81"), keyed(db, "Other", "Carter81")
    first = order(db, "o-1", "acc-1", tokens.issue(other.id, "Carter81"))
    assert first.decision == "attributed"
    second = order(db, "o-2", "acc-1", tokens.issue(carter.id, "carter81"))
    assert second.decision == "already_linked" and linked_partner(db, "acc-1") == other.id
    third = order(db, "o-3", "acc-1", tokens.issue(other.id, "Carter81"))
    assert third.decision == "linked_before"


def test_a_new_account_and_an_existing_unlinked_one_are_both_linked(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    assert order(db, "o-1", "old", None).decision == "no_token"  # the account exists now
    assert order(db, "o-2", "old", tokens.issue(carter.id, "carter81")).decision == \
        "attributed"
    assert order(db, "o-3", "new", tokens.issue(carter.id, "carter81")).decision == \
        "attributed"
    assert linked_partner(db, "old") == linked_partner(db, "new") == carter.id


def test_forged_and_tampered_tokens_are_refused(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81")
    genuine = tokens.issue(carter.id, "carter81")
    tampered = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")
    from itsdangerous import URLSafeTimedSerializer

    forged = URLSafeTimedSerializer("not-our-secret", salt="wordofmouth.referral").dumps(
        [carter.id, "carter81"])
    for n, bad in enumerate((tampered, forged, "garbage")):
        assert order(db, f"o-{n}", f"acc-{n}", bad).decision == "bad_signature"
    assert linked_partner(db, "acc-0") is None


def test_commission_accrues_with_the_hold_and_a_refund_reverses_it(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81", rate="10")
    placed = order(db, "o-1", "acc-1", tokens.issue(carter.id, "carter81"), days_after=0,
                   amount="250.00")
    assert commission.balance(db, carter.id).pending == D("25.00")
    commission.mature(db, now=utcnow() + timedelta(days=15))
    assert commission.balance(db, carter.id).payable == D("25.00")
    orders.refund(db, placed.external_id, [1], actor="storefront")
    assert commission.balance(db, carter.id).payable == D("0.00")
    with pytest.raises(errors.AlreadyRefunded):
        orders.refund(db, placed.external_id, [1], actor="storefront")
    with pytest.raises(errors.OrderExists):
        order(db, "o-1", "acc-1", None)


def test_subscription_renewals_earn_within_the_partners_months(db: Session) -> None:
    carter = keyed(db, "Carter", "carter81", rate="20", months=2)
    software = GroupFactory.create(name="Subscriptions").id
    token = tokens.issue(carter.id, "carter81")
    first = order(db, "s-1", "acc", token, days_after=0, amount="50.00",
                  kind="subscription_activation", group_id=software)
    assert first.activations == 1
    order(db, "s-2", "acc", None, days_after=31, amount="50.00",
          kind="subscription_renewal", group_id=software)
    order(db, "s-3", "acc", None, days_after=62, amount="50.00",
          kind="subscription_renewal", group_id=software)  # two months have passed
    assert commission.balance(db, carter.id).pending == D("20.00")  # 10.00 + 10.00
