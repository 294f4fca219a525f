"""Nothing heavy runs on the server's event loop: while logins hash passwords and a long
CSV imports, /healthz still answers at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests import factories
from tests.factories import UserFactory
from tests.live import live_server, login, race


def slowest_health(base: str, busy: Callable[[], None]) -> float:
    """The slowest /healthz answer while `busy` runs in other threads."""
    worst = 0.0
    done = threading.Event()

    def probe() -> None:
        nonlocal worst
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                started = time.monotonic()
                client.get(f"{base}/healthz")
                worst = max(worst, time.monotonic() - started)
                time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        busy()
    finally:
        done.set()
        prober.join()
    return worst


def test_logins_and_a_long_import_leave_the_server_answering(committed_url: str,
                                                             tmp_path: Path) -> None:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        for i in range(16):
            UserFactory.create(login=f"clerk{i}", role="manager", password="correct-horse-1")
        s.commit()
    engine.dispose()
    with live_server(committed_url, tmp_path, workers=1) as server:
        def logins() -> None:
            def one(client: httpx.Client, i: int) -> httpx.Response:
                page = client.get(f"{server.base}/login")
                token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
                return client.post(f"{server.base}/login", data={
                    "login": f"clerk{i}", "password": "correct-horse-1", "csrf_token": token})
            answers = race(16, one)
            assert {a.status_code for a in answers} == {303}

        assert slowest_health(server.base, logins) < 0.5

        client, csrf = login(server.base, "clerk0", "correct-horse-1")
        rows = "\n".join(f"Name{i};Surname{i}" for i in range(30_000))
        sheet = ("first_name;last_name\n" + rows).encode()  # under the 1 MB body limit

        def long_import() -> None:
            r = client.post("/partners/import", data={"csrf_token": csrf, "what": "customers"},
                            files={"file": ("customers.csv", sheet, "text/csv")}, timeout=300)
            assert r.status_code == 200 and "30000" in r.text.replace(",", ""), r.text[-500:]

        assert slowest_health(server.base, long_import) < 1.0
        client.close()
