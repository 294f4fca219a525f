"""Every event an integration needs is queued by the change itself, in its transaction, for
the endpoints that asked for it — and not at all when the change is rolled back."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.club.helpers import BASE, buy, member_card, switch_on
from tests.factories import CardFactory, CustomerFactory, GroupFactory
from tests.friends.helpers import campaign, codes, new_friend
from tests.partners.helpers import partner
from tests.sales.helpers import product, sell
from tests.storefront.helpers import keyed
from wordofmouth.club import service as club
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.mailing import service as mailing
from wordofmouth.mailing.worker import announce_finished
from wordofmouth.partners import commission, payouts
from wordofmouth.partners import service as partners
from wordofmouth.sales import payments, returns
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.storefront import orders, tokens
from wordofmouth.webhooks import rules, service
from wordofmouth.webhooks.models import WebhookDelivery

D = Decimal


def sent(db: Session, endpoint_id: int | None = None) -> list[tuple[str, dict[str, object]]]:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id)
    if endpoint_id is not None:
        stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
    return [(d.event_type, json.loads(d.payload)["data"]) for d in db.scalars(stmt)]


def test_each_change_queues_its_event(db: Session) -> None:
    everything = service.create_endpoint(db, url="https://erp.example/hooks", actor="owner")
    only_sales = service.create_endpoint(db, url="https://shop.example/h",
                                         events=["sale.paid", "sale.returned"], actor="owner")
    salon = partner(db, "Salon Lily", rate="10")
    olena = CardFactory.create()
    partners.link(db, olena.customer_id, salon.id, actor="cashier")
    sale = sell(db, [(product("1000.00"), "2")], card_number=olena.number)
    returns.return_items(db, sale.id, [returns.ReturnItem(sale.lines[0].id, D("1"))],
                         actor="cashier")
    commission.mature(db, now=utcnow() + timedelta(days=15))
    payouts.pay_out(db, salon.id, amount=D("50.00"), method="cash", actor="owner")

    c = campaign(db)
    referrer, (code,) = codes(db, c)
    friend_sale = sales.create_sale(db, sales.SaleDraft(
        lines=[sales.LineDraft(product_id=product("300.00").id)], card_number=new_friend()),
        actor="cashier", channel="pos")
    sales.scan(db, friend_sale, code.code)
    payments.pay(db, friend_sale.id, [payments.PaymentDraft(PaymentMethod.CASH,
                                                            friend_sale.due)])

    switch_on(db)
    member = member_card()
    buy(db, member, "5000.00", BASE + 1)
    club.run_review(db, day=BASE + 1)
    club.decide(db, customer_ids=[member.customer_id], action="grant", actor="owner",
                day=BASE + 2)

    blogger = keyed(db, "Carter", "carter81")
    orders.report(db, external_id="SO-1", account_external_id="acc-1", email=None,
                  lines=[orders.OrderLine(D("120.00"), group_id=GroupFactory.create().id)],
                  token=tokens.issue(blogger.id, "carter81"), ordered_at=utcnow(), actor="shop")

    silent = CustomerFactory.create(email="quiet@example.com", consent_email=False)
    news = mailing.create(db, channel="email", subject="Hi", body="News",
                          customer_ids=[silent.id], actor="owner")
    announce_finished(db)  # nothing is sent to them (no consent): finished at once

    kinds = [kind for kind, _ in sent(db, everything.id)]
    assert set(kinds) == set(rules.EVENTS), set(rules.EVENTS) - set(kinds)
    data: dict[str, dict[str, object]] = {}
    for kind, payload in sent(db, everything.id):
        data.setdefault(kind, payload)  # the first of each kind
    assert data["customer.linked"] == {
        "customer_id": olena.customer_id, "partner_id": salon.id, "partner": "Salon Lily",
        "employee_id": None, "source": "manual", "previous_partner_id": None}
    paid = data["sale.paid"]
    assert paid["sale_id"] == sale.id and paid["net_total"] == "2000.00"
    assert paid["payments"] == [{"method": "cash", "amount": "2000.00"}]
    assert data["sale.returned"]["net_amount"] == "1000.00"
    assert data["payout.recorded"]["amount"] == "50.00"
    assert data["friend_code.used"]["code"] == code.code
    assert data["friend_code.used"]["referrer_id"] == referrer
    assert data["club.decision"]["customer_ids"] == [member.customer_id]
    assert data["club.decision"]["to_status"] == "member"
    assert data["storefront_order.attributed"]["partner_id"] == blogger.id
    assert data["mailing.finished"]["mailing_id"] == news.id
    assert data["mailing.finished"]["skipped"] == 1
    assert {kind for kind, _ in sent(db, only_sales.id)} == {"sale.paid", "sale.returned"}
    assert announce_finished(db) == 0  # a mailing is announced once


def test_a_switched_off_endpoint_and_a_failed_change_queue_nothing(db: Session) -> None:
    hook = service.create_endpoint(db, url="https://erp.example/hooks", actor="owner")
    service.update_endpoint(db, hook.id, actor="owner", active=False)
    sell(db, [(product("10.00"), "1")])
    assert sent(db) == []
    service.update_endpoint(db, hook.id, actor="owner", active=True)
    savepoint = db.begin_nested()
    sell(db, [(product("10.00"), "1")])
    savepoint.rollback()
    assert sent(db) == []


@pytest.mark.parametrize(("url", "events"), [
    ("ftp://erp.example/x", "*"), ("http://erp.example/x", "*"), ("not a url", "*"),
    ("https://erp.example/x", "sale.paid,sale.eaten")])
def test_an_endpoint_needs_https_and_known_events(db: Session, url: str, events: str) -> None:
    with pytest.raises(InvalidInput):
        service.create_endpoint(db, url=url, events=events, actor="owner")
