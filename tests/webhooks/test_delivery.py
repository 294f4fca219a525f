"""Deliveries reach a real HTTP receiver signed the Standard Webhooks way (checked with the
standardwebhooks library, as a receiver would); a 500 or no answer is tried again with the
same webhook-id; a rotated secret signs alongside the new one; a redelivery sends the same
message again; every attempt is kept with the receiver's answer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session, sessionmaker
from standardwebhooks import Webhook, WebhookVerificationError

from tests import factories
from tests.sales.helpers import product, sell
from tests.webhooks.conftest import Receiver, no_webhooks
from wordofmouth.db import utcnow
from wordofmouth.webhooks import service
from wordofmouth.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from wordofmouth.webhooks.worker import Worker


@pytest.fixture
def store(committed_url: str) -> Iterator[Engine]:
    """The module's committed database, with no webhooks left from the test before."""
    engine = create_engine(committed_url)
    no_webhooks(engine)
    yield engine
    engine.dispose()


def _endpoint(store: Engine, url: str, **kw: object) -> tuple[int, str]:
    with Session(store) as s:
        made = service.create_endpoint(s, url=url, actor="owner", **kw)  # type: ignore[arg-type]
        s.commit()
        return made.id, made.secret


def _sale(store: Engine, price: str = "250.00") -> int:
    with Session(store) as s:
        factories.bind(s)
        sale = sell(s, [(product(price), "1")])
        s.commit()
        return sale.id


def _deliveries(store: Engine) -> list[WebhookDelivery]:
    with Session(store) as s:
        return list(s.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _attempts(store: Engine, delivery_id: int) -> list[WebhookAttempt]:
    with Session(store) as s:
        return list(s.scalars(select(WebhookAttempt).where(
            WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.id)))


def test_a_paid_sale_reaches_the_receiver_signed(store: Engine, hooks: Receiver) -> None:
    _id, secret = _endpoint(store, hooks.url, events=["sale.paid"])
    sale_id = _sale(store, "250.00")
    worker = Worker(make=sessionmaker(store))
    assert worker.run_once() == 1
    (got,) = hooks.received
    event = Webhook(secret).verify(got.body, got.headers)  # raises unless genuine and fresh
    assert event["type"] == "sale.paid" and event["data"]["sale_id"] == sale_id
    assert event["data"]["net_total"] == "250.00"
    assert got.headers["webhook-id"] == event["id"] == _deliveries(store)[0].message_id
    with pytest.raises(WebhookVerificationError):  # another secret, or a changed body
        Webhook(service.rules.new_secret()).verify(got.body, got.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(got.body.replace("250.00", "2.50"), got.headers)
    (delivery,) = _deliveries(store)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.last_status == 204
    assert worker.run_once() == 0


def test_a_500_is_tried_again_with_the_same_id(store: Engine, hooks: Receiver) -> None:
    _endpoint(store, hooks.url)
    _sale(store)
    hooks.answers = [(500, "database is down, sorry")]
    worker = Worker(make=sessionmaker(store))
    assert worker.run_once() == 1
    (delivery,) = _deliveries(store)
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert worker.run_once() == 0  # not due yet: the first retry waits 5 s
    assert worker.run_once(now=utcnow() + timedelta(seconds=6)) == 1
    (delivery,) = _deliveries(store)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    first, second = hooks.ids()
    assert first == second == delivery.message_id  # the receiver can drop a repeat
    tries = _attempts(store, delivery.id)
    assert [(a.status_code, a.response) for a in tries] == [
        (500, "database is down, sorry"), (204, "")]


def test_no_answer_is_a_retry_and_the_last_failure_is_final(
        store: Engine, hooks: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    from wordofmouth.config import get_settings

    monkeypatch.setattr(get_settings(), "webhook_timeout_seconds", 0.3)
    _endpoint(store, hooks.url)
    _sale(store)
    hooks.delay = 1.0
    worker = Worker(make=sessionmaker(store))
    worker.run_once()
    (attempt,) = _attempts(store, _deliveries(store)[0].id)
    assert attempt.status_code is None and attempt.error == "no answer within 0.3 s"
    hooks.delay = 0
    hooks.answers = [(410, "gone")] * 20
    later = utcnow()
    for _ in range(10):
        later += timedelta(hours=11)
        worker.run_once(now=later)
    (delivery,) = _deliveries(store)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == service.rules.MAX_ATTEMPTS == 8
    with Session(store) as s:  # the owner sends it again by hand: same message, fresh tries
        service.redeliver(s, delivery.endpoint_id, delivery.id, actor="owner")
        s.commit()
    hooks.answers = []
    assert worker.run_once() == 1
    assert _deliveries(store)[0].status == DeliveryStatus.DELIVERED
    assert len(set(hooks.ids())) == 1


def test_after_a_rotation_both_secrets_sign_for_a_day(store: Engine, hooks: Receiver) -> None:
    endpoint_id, old = _endpoint(store, hooks.url)
    with Session(store) as s:
        new = service.rotate_secret(s, endpoint_id, actor="owner").secret
        s.commit()
    _sale(store)
    Worker(make=sessionmaker(store)).run_once()
    (got,) = hooks.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        assert json.loads(got.body) == Webhook(secret).verify(got.body, got.headers)
    with Session(store) as s:
        endpoint = service.get_endpoint(s, endpoint_id)
        assert service.signing_secrets(endpoint, utcnow() + timedelta(hours=25)) == [new]
