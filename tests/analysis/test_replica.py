"""Reports from a replica: with WOM_REPLICA_URL set, the customer analysis reads a real
PostgreSQL streaming replica — it shows what the replica has replayed, no more — while every
write goes to the primary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import requires_postgres
from tests.live import live_server
from tests.replica import Pair, available, primary_and_replica
from tests.sales.helpers import card, product, sell
from wordofmouth import plugins
from wordofmouth.auth import service as auth
from wordofmouth.migrate import upgrade

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not available(), reason="PostgreSQL 15's programs needed")]


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    with primary_and_replica() as p:
        yield p


def _replica(pair: Pair, statement: str) -> object:
    engine = create_engine(pair.replica, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        value = conn.execute(text(statement)).scalar()
    engine.dispose()
    return value


def _purchases(client: httpx.Client, base: str, token: str) -> int:
    r = client.get(f"{base}/api/analysis/activity", headers={"Authorization": token})
    assert r.status_code == 200, r.text
    return int(r.json()["purchases"])


@requires_postgres
def test_the_analysis_reads_the_replica_and_the_till_writes_the_primary(
        pair: Pair, tmp_path: Path) -> None:
    upgrade(pair.primary)
    plugins.install()
    engine = create_engine(pair.primary)
    with Session(engine) as s:
        factories.bind(s)
        serum, buyer = product("300.00"), card()
        sell(s, [(serum, "1")], card_number=buyer.number)
        token = "Bearer " + auth.create_token(s, name="reports", actor="test", scopes=[
            "analysis:read", "sales:write", "sales:read"])
        ids = serum.id, buyer.number
        s.commit()
    engine.dispose()
    with live_server(pair.primary, tmp_path, workers=1, replica_url=pair.replica) as server, \
            httpx.Client(timeout=10) as client:
        deadline = time.monotonic() + 10
        while _purchases(client, server.base, token) != 1:  # the replica catching up
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert _replica(pair, "SELECT pg_is_in_recovery()") is True
        _replica(pair, "SELECT pg_wal_replay_pause()")
        # the till sells while the replica stands still: the write goes to the primary
        sale = client.post(f"{server.base}/api/sales", headers={"Authorization": token},
                           json={"lines": [{"product_id": ids[0]}], "card_number": ids[1]})
        assert sale.status_code == 201, sale.text
        paid = client.post(f"{server.base}/api/sales/{sale.json()['id']}/payments",
                           headers={"Authorization": token},
                           json={"payments": [{"method": "cash", "amount": "300.00"}]})
        assert paid.status_code == 200 and paid.json()["status"] == "paid", paid.text
        time.sleep(0.5)
        assert _purchases(client, server.base, token) == 1  # read where nothing moved
        _replica(pair, "SELECT pg_wal_replay_resume()")
        deadline = time.monotonic() + 10
        while _purchases(client, server.base, token) != 2:
            assert time.monotonic() < deadline, "the replica never showed the sale"
            time.sleep(0.1)
