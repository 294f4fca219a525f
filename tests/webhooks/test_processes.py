"""Webhook workers as processes: two at once with a receiver slower than their lease never
send one delivery twice (PostgreSQL); a server killed with SIGKILL while delivering loses
nothing — the next server delivers the rest."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.live import live_server
from tests.sales.helpers import product, sell
from tests.webhooks.conftest import Receiver, no_webhooks
from wordofmouth.webhooks import service
from wordofmouth.webhooks.models import DeliveryStatus, WebhookDelivery


def _sales(url: str, hooks: Receiver, n: int) -> set[str]:
    """An endpoint and `n` paid sales; the webhook-ids queued for them."""
    engine = create_engine(url)
    no_webhooks(engine)
    with Session(engine) as s:
        factories.bind(s)
        service.create_endpoint(s, url=hooks.url, events=["sale.paid"], actor="owner")
        for _ in range(n):
            sell(s, [(product("10.00"), "1")])
        s.commit()
        ids = set(s.scalars(select(WebhookDelivery.message_id)))
    engine.dispose()
    return ids


def _statuses(url: str) -> Counter[str]:
    engine = create_engine(url)
    with Session(engine) as s:
        found = Counter(s.scalars(select(WebhookDelivery.status)))
    engine.dispose()
    return found


def _worker(url: str, **env: str) -> subprocess.Popen[bytes]:
    wom = Path(sys.executable).with_name("wom")
    return subprocess.Popen([str(wom), "webhooks", "deliver", "--until-empty"],
                            env={**os.environ, "WOM_DATABASE_URL": url, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@requires_postgres
def test_a_slow_receiver_never_makes_two_workers_send_one_delivery(
        committed_url: str, hooks: Receiver) -> None:
    queued = _sales(committed_url, hooks, 10)
    hooks.delay = 0.5  # ten take 5 s: the first worker's claim outlives its 2 s lease
    lease = {"WOM_WEBHOOK_LEASE_SECONDS": "2", "WOM_WEBHOOK_TIMEOUT_SECONDS": "0.9"}
    first = _worker(committed_url, **lease)  # claims all ten at once
    time.sleep(0.7)
    second = _worker(committed_url, **lease)  # takes what outlives the first one's lease
    for w in (first, second):
        _out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err.decode()
    received = Counter(hooks.ids())
    assert set(received) == queued
    assert set(received.values()) == {1}, received  # none sent twice
    assert _statuses(committed_url) == Counter({DeliveryStatus.DELIVERED: 10})


def test_a_killed_server_loses_no_delivery(committed_url: str, hooks: Receiver,
                                           tmp_path: Path) -> None:
    hooks.delay = 0.05
    queued = _sales(committed_url, hooks, 60)
    jobs = {"webhook_worker": "true", "webhook_lease_seconds": "3",
            "webhook_timeout_seconds": "1"}
    with live_server(committed_url, tmp_path, workers=2, **jobs) as server:
        deadline = time.monotonic() + 60
        while len(hooks.ids()) < 10:  # delivering is under way
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.01)
        server.kill()  # SIGKILL: no shutdown hook, deliveries in flight
    at_kill = len(set(hooks.ids()))
    assert at_kill < 60, "the kill came too late to prove anything"
    with live_server(committed_url, tmp_path, workers=2, **jobs) as server:
        deadline = time.monotonic() + 90
        while _statuses(committed_url) != Counter({DeliveryStatus.DELIVERED: 60}):
            assert time.monotonic() < deadline, (_statuses(committed_url), server.output())
            time.sleep(0.2)
    received = Counter(hooks.ids())
    assert set(received) == queued  # every event reached the receiver
    # a repeat (same webhook-id) only for what was in flight when the server died: one per
    # worker process
    assert sum(received.values()) - len(queued) <= 2, received
    engine = create_engine(committed_url)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(WebhookDelivery)) == 60
    engine.dispose()
