"""Many requests at once against a real server: every one is answered — done, or 503 with
Retry-After at once when the server is full — never a 500 after a pool timeout."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import PG_URL
from tests.live import live_server, race
from tests.sales.helpers import product
from wordofmouth.auth import service as auth
from wordofmouth.sales.models import Sale


def test_a_crowd_of_sales_at_once_gets_answers_and_no_500(committed_url: str,
                                                           tmp_path: Path) -> None:
    crowd, workers = (300, 2) if PG_URL else (100, 1)
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        item = product("10.00")
        raw = auth.create_token(s, name="tills", scopes=["sales:write"], actor="test")
        s.commit()
        item_id = item.id
        before = s.scalar(select(func.count()).select_from(Sale)) or 0
    body = {"lines": [{"product_id": item_id}], "payments": [{"method": "cash",
                                                                 "amount": "10.00"}]}
    with live_server(committed_url, tmp_path, workers=workers) as server:
        started = time.monotonic()
        answers = race(crowd, lambda c, i: c.post(
            f"{server.base}/api/sales", json=body,
            headers={"Authorization": f"Bearer {raw}"}), timeout=120)
        took = time.monotonic() - started
        log = server.output()
    by_status: dict[int, int] = {}
    for a in answers:
        by_status[a.status_code] = by_status.get(a.status_code, 0) + 1
    assert set(by_status) <= {201, 503}, (by_status, [a.text for a in answers
                                                      if a.status_code not in (201, 503)][:3])
    assert all(a.headers.get("retry-after") for a in answers if a.status_code == 503)
    assert by_status.get(201, 0) >= crowd // 2, by_status
    assert took < 60, took  # nobody waited out a 30 s pool timeout
    assert "Traceback" not in log
    with Session(engine) as s:
        made = (s.scalar(select(func.count()).select_from(Sale)) or 0) - before
    engine.dispose()
    assert made == by_status.get(201, 0)  # a 503 sold nothing
