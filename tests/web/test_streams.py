"""Exports streamed after the handler has returned hold no transaction open: thirty club
exports, half of them abandoned by the browser half-way, leave no connection idle in a
transaction (PostgreSQL) and no write lock (SQLite); a sale goes through at once."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import PG_URL
from tests.factories import CustomerFactory, UserFactory
from tests.live import live_server, login
from tests.sales.helpers import product
from wordofmouth.auth import service as auth
from wordofmouth.club.models import ClubMembership, ClubStatus


def idle_in_transaction(url: str) -> int:
    engine = create_engine(PG_URL)
    with engine.connect() as c:
        found = c.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db "
                               "AND state LIKE 'idle in transaction%'"),
                          {"db": make_url(url).database}).scalar_one()
    engine.dispose()
    return int(found)


def test_abandoned_club_exports_leave_no_transaction_open(committed_url: str,
                                                          tmp_path: Path) -> None:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        ids = [CustomerFactory.create().id for _ in range(2500)]
        s.execute(insert(ClubMembership), [
            {"customer_id": cid, "status": ClubStatus.CANDIDATE_JOIN, "cycle_start_day": 0,
             "reached_amount": Decimal("1000.00"), "required_amount": Decimal("900.00")}
            for cid in ids])
        UserFactory.create(login="boss", role="manager", password="correct-horse-1")
        item = product("10.00")
        raw = auth.create_token(s, name="till", scopes=["sales:write"], actor="test")
        s.commit()
        item_id = item.id
    engine.dispose()
    with live_server(committed_url, tmp_path, workers=1) as server:
        client, _csrf = login(server.base, "boss", "correct-horse-1")
        lines = 0
        for n in range(30):
            with client.stream("GET", "/club/export/candidate_join.csv") as r:
                assert r.status_code == 200
                if n % 2:  # the browser goes away after the first chunk
                    next(r.iter_bytes())
                    continue
                lines += sum(1 for _ in r.iter_lines())
        assert lines == 15 * 2501  # the header and every candidate, each complete time
        # A stream left open, not read: writers are not held up by it.
        with client.stream("GET", "/club/export/candidate_join.csv") as r:
            next(r.iter_bytes())
            started = time.monotonic()
            sale = httpx.post(f"{server.base}/api/sales", timeout=30,
                              headers={"Authorization": f"Bearer {raw}"},
                              json={"lines": [{"product_id": item_id}]})
            assert sale.status_code == 201, sale.text
            assert time.monotonic() - started < 3
        client.close()
        time.sleep(0.5)
        if PG_URL:
            assert idle_in_transaction(committed_url) == 0
        log = server.output()
    assert "Traceback" not in log
