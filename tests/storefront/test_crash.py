"""An answered click is in the database: a server killed with SIGKILL under load has
written every click it redirected with `x-click: recorded`."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.live import live_server
from tests.storefront.helpers import keyed
from wordofmouth.storefront.models import Click


def test_a_killed_server_has_written_every_click_it_answered(committed_url: str,
                                                              tmp_path: Path) -> None:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        keyed(s, "Carter", "carter81")
        s.commit()
        before = s.scalar(select(func.count()).select_from(Click)) or 0
    answered = [0] * 8
    stop = threading.Event()
    with live_server(committed_url, tmp_path, workers=2) as server:
        def visitor(i: int) -> None:
            with httpx.Client(timeout=5) as client:
                while not stop.is_set():
                    try:
                        r = client.get(f"{server.base}/r/carter81", follow_redirects=False)
                    except httpx.HTTPError:
                        return  # the server is gone
                    assert r.status_code == 302
                    if r.headers.get("x-click") == "recorded":
                        answered[i] += 1

        threads = [threading.Thread(target=visitor, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        time.sleep(2.0)
        server.kill()  # mid-flight: no shutdown hook runs
        stop.set()
        for t in threads:
            t.join()
    with Session(engine) as s:
        recorded = (s.scalar(select(func.count()).select_from(Click)
                             .where(Click.key == "carter81")) or 0) - before
    engine.dispose()
    assert sum(answered) > 200, answered  # it was under load when it died
    # Every acknowledged click is there; a few may be written but never answered.
    assert sum(answered) <= recorded <= sum(answered) + 8 * 2
