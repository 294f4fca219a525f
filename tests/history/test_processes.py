"""An import job survives what kills a worker: a peer slower than its lease loses the job to
another worker without importing a receipt twice (PostgreSQL), and a server killed with
SIGKILL mid-import leaves the job at its last committed batch — the next server imports the
rest, every receipt once."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests import factories
from tests.conftest import make_token, requires_postgres
from tests.live import live_server
from wordofmouth.history import jobs
from wordofmouth.history.models import ImportJob
from wordofmouth.sales.models import Sale


def _receipts(prefix: str, sku: str, n: int) -> bytes:
    rows = ["receipt;date;sku;qty"] + [f"{prefix}{i:04d};2026-03-{1 + i % 28:02d};{sku};1"
                                       for i in range(n)]
    return ("\n".join(rows) + "\n").encode()


def _shop(url: str, sku: str) -> dict[str, str]:
    """A product to sell, and a history:import token."""
    engine = create_engine(url)
    with Session(engine) as s:
        factories.bind(s)
        factories.ProductFactory.create(sku=sku, price=Decimal("100.00"))
        headers = make_token(s, "history:import")
        s.commit()
    engine.dispose()
    return headers


def _imported(url: str, prefix: str) -> tuple[int, int]:
    """The imported sales of the receipts named `prefix…`: how many, how many receipts."""
    engine = create_engine(url)
    with Session(engine) as s:
        mine = (Sale.channel == "import") & Sale.note.contains(prefix)
        found = (s.scalar(select(func.count()).select_from(Sale).where(mine)) or 0,
                 s.scalar(select(func.count(func.distinct(Sale.note))).where(mine)) or 0)
    engine.dispose()
    return found


@requires_postgres
def test_a_worker_slower_than_its_lease_never_imports_a_receipt_twice(
        committed_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _shop(committed_url, "SLOW1")
    engine = create_engine(committed_url)
    make = sessionmaker(engine, expire_on_commit=False)
    with make() as s:
        job_id = jobs.queue(s, kind="sales", data=_receipts("SLOW-", "SLOW1", 60),
                            filename="slow.csv", actor="owner").id
        s.commit()
    monkeypatch.setattr(jobs, "lease", lambda: timedelta(seconds=1))
    started, outcome = threading.Event(), {}

    def slow(done: int, _total: int) -> None:
        started.set()
        if done == 10:  # mid-batch, nothing of it committed: outlive the 1 s lease
            time.sleep(2.5)

    def first() -> None:
        outcome["first"] = jobs.run_one(make, job_id=job_id, progress=slow)

    peer = threading.Thread(target=first)
    peer.start()
    assert started.wait(30)
    time.sleep(1.2)  # the first worker's lease has run out
    assert jobs.run_one(make) == job_id  # a second worker takes the job over and ends it
    peer.join(60)
    with make() as s:
        job = s.get(ImportJob, job_id)
        assert job is not None
        assert (job.status, job.done, job.imported, job.errors) == ("done", 60, 60, [])
    assert _imported(committed_url, "SLOW-") == (60, 60)  # none twice
    engine.dispose()


def test_a_killed_server_leaves_the_rest_of_the_import_to_the_next(
        committed_url: str, tmp_path: Path) -> None:
    headers = _shop(committed_url, "KILL1")
    settings = {"import_worker": "true", "import_lease_seconds": "2", "import_batch": "10"}
    with live_server(committed_url, tmp_path, workers=2, **settings) as server:
        job = httpx.post(f"{server.base}/api/history/imports", headers=headers, timeout=30,
                         data={"kind": "sales"},
                         files={"file": ("big.csv", _receipts("KILL-", "KILL1", 1000))}).json()
        deadline = time.monotonic() + 60
        while httpx.get(f"{server.base}/api/history/imports/{job['id']}", headers=headers,
                        timeout=10).json()["done"] < 30:  # importing is under way
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.05)
        server.kill()  # SIGKILL mid-batch: no shutdown hook hands the job back
    imported, _receipts_seen = _imported(committed_url, "KILL-")
    assert 30 <= imported < 1000, "the kill came too late to prove anything"
    with live_server(committed_url, tmp_path, workers=2, **settings) as server:
        deadline = time.monotonic() + 120
        while (now := httpx.get(f"{server.base}/api/history/imports/{job['id']}",
                                headers=headers, timeout=10).json())["status"] != "done":
            assert time.monotonic() < deadline, (now, server.output())
            time.sleep(0.2)
    assert (now["done"], now["imported"], now["failed"]) == (1000, 1000, 0)
    assert _imported(committed_url, "KILL-") == (1000, 1000)  # every receipt, once
