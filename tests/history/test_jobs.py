"""Imports run as jobs: the API and the page queue a file and answer at once; the worker
imports it batch by batch, committing its progress with each batch; the job tells how far it
got and every row it refused. A file that does not read is refused before anything is
queued; a retried request with the same Idempotency-Key queues one job."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import make_token
from tests.factories import ProductFactory
from tests.web.pages import login
from wordofmouth.auth.models import User
from wordofmouth.history import jobs
from wordofmouth.history.models import ImportJob
from wordofmouth.sales.models import Sale

D = Decimal


def receipts(n: int, *, bad: tuple[int, ...] = ()) -> bytes:
    rows = ["receipt;date;sku;qty"] + [
        f"R{i:04d};2026-03-{1 + i % 28:02d};{'ZZ' if i in bad else 'A1'};1" for i in range(n)]
    return ("\n".join(rows) + "\n").encode()


def joined(db: Session) -> Callable[[], Session]:
    """Sessions of the worker inside the test's transaction (rolled back after it)."""
    return lambda: Session(bind=db.connection(), join_transaction_mode="create_savepoint",
                           expire_on_commit=False)


def test_an_integration_sends_a_file_and_reads_its_progress(client: TestClient,
                                                            db: Session) -> None:
    ProductFactory.create(sku="A1", price=D("100.00"))
    h = make_token(db, "history:import") | {"Idempotency-Key": "receipts-march"}
    files = {"file": ("march.csv", receipts(60, bad=(7, 41)), "text/csv")}
    queued = client.post("/api/history/imports", headers=h, data={"kind": "sales"},
                         files=files)
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert (job["status"], job["total"], job["done"], job["rows"]) == ("queued", 60, 0, 60)
    replay = client.post("/api/history/imports", headers=h, data={"kind": "sales"},
                         files=files)
    assert replay.json()["id"] == job["id"] and replay.headers["Idempotent-Replayed"] == "true"
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 1

    assert jobs.run_one(joined(db)) == job["id"]
    done = client.get(f"/api/history/imports/{job['id']}", headers=h).json()
    assert (done["status"], done["done"], done["imported"], done["failed"]) == (
        "done", 60, 58, 2)
    assert [e["line"] for e in done["errors"]] == [9, 43] and "ZZ" in done["errors"][0]["reason"]
    assert db.scalar(select(func.count()).select_from(Sale).where(Sale.channel == "import")) \
        == 58
    listed = client.get("/api/history/imports", headers=h).json()
    assert [j["id"] for j in listed] == [job["id"]] and listed[0]["failed"] == 2
    assert jobs.run_one(joined(db)) is None  # nothing left to claim


def test_a_file_that_does_not_read_is_refused_and_nothing_is_queued(client: TestClient,
                                                                    db: Session) -> None:
    h = make_token(db, "history:import")
    r = client.post("/api/history/imports", headers=h, data={"kind": "sales"},
                    files={"file": ("x.csv", b"receipt;when\nR1;2026-01-01\n", "text/csv")})
    assert (r.status_code, r.json()["error"]) == (422, "bad_import_file")
    assert "qty, sku" in r.json()["detail"]
    unknown = client.post("/api/history/imports", headers=h, data={"kind": "orders"},
                          files={"file": ("x.csv", receipts(1), "text/csv")})
    assert (unknown.status_code, unknown.json()["error"]) == (422, "invalid_input")
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0
    seller = make_token(db, "sales:write")
    denied = client.post("/api/history/imports", headers=seller, data={"kind": "sales"},
                         files={"file": ("x.csv", receipts(1), "text/csv")})
    assert denied.status_code == 403
    missing = client.get("/api/history/imports/999", headers=h)
    assert (missing.status_code, missing.json()["error"]) == (404, "import_job_not_found")


def test_a_stopping_server_hands_the_job_back_after_its_last_batch(db: Session) -> None:
    ProductFactory.create(sku="A1", price=D("100.00"))
    job = jobs.queue(db, kind="sales", data=receipts(60), filename="m.csv", actor="owner")
    stop = __import__("threading").Event()
    stop.set()  # the server is stopping from the start: the first batch is kept, then back
    jobs.run_one(joined(db), stop=stop)
    db.expire_all()
    assert (job.status, job.done, job.imported, job.claim_token) == ("queued", 25, 25, None)
    jobs.run_one(joined(db))
    db.expire_all()
    assert (job.status, job.done, job.imported) == ("done", 60, 60)
    assert db.scalar(select(func.count()).select_from(Sale).where(Sale.channel == "import")) \
        == 60


def test_the_owner_follows_an_import_on_its_page(client: TestClient, db: Session) -> None:
    ProductFactory.create(sku="A1", price=D("100.00"))
    csrf = login(client, "owner")
    r = client.post("/settings/history", data={"csrf_token": csrf, "kind": "sales"},
                    files={"file": ("march.csv", receipts(30, bad=(3,)), "text/csv")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    assert "Waiting for the import worker" in page.text and 'hx-trigger="every 1s"' in page.text
    owner = db.scalars(select(User).where(User.role == "owner")).first()
    assert owner is not None and owner.name in page.text  # who sent it, by name
    jobs.run_one(joined(db))
    fragment = client.get(r.headers["location"], headers={"HX-Request": "true"})
    assert "29 imported, 1 with problems (30 rows read)" in fragment.text
    assert "hx-trigger" not in fragment.text  # finished: it stops asking
    listing = client.get("/settings/history")
    assert "march.csv" in listing.text and "done" in listing.text
    bad = client.post("/settings/history", data={"csrf_token": csrf, "kind": "sales"},
                      files={"file": ("x.csv", b"receipt\nR1\n", "text/csv")})
    assert bad.status_code == 422 and "Missing column" in bad.text


def test_a_file_of_several_megabytes_is_taken_where_files_are_sent(client: TestClient,
                                                                   db: Session) -> None:
    """Uploads may be 5 MB; any other body stays within WOM_MAX_BODY_BYTES (1 MB)."""
    ProductFactory.create(sku="A1", price=D("100.00"))
    h = make_token(db, "history:import", "sales:write")
    big = receipts(60_000)
    assert 1_000_000 < len(big) < 5_000_000
    r = client.post("/api/history/imports", headers=h, data={"kind": "sales"},
                    files={"file": ("year.csv", big, "text/csv")})
    assert r.status_code == 202 and r.json()["total"] == 60_000
    other = client.post("/api/sales", headers=h | {"Content-Type": "application/json"},
                        content=b'{"lines": []' + b" " * len(big) + b"}")
    assert (other.status_code, other.json()["error"]) == (413, "body_too_large")


def test_a_file_ending_on_a_batch_boundary_ends_cleanly(
        db: Session, caplog: pytest.LogCaptureFixture) -> None:
    ProductFactory.create(sku="A1", price=D("100.00"))
    job = jobs.queue(db, kind="sales", data=receipts(50), filename="m.csv", actor="owner")
    with caplog.at_level("INFO", logger="wordofmouth.history"):
        assert jobs.run_one(joined(db)) == job.id  # 50 = two batches of 25
    db.expire_all()
    assert (job.status, job.done, job.imported) == ("done", 50, 50)
    assert not caplog.records  # no "lease ran out", no hand-back
