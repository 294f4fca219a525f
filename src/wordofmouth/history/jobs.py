"""History imports run as jobs: the page, the API and `wom history import` queue a file; a
worker (in the server, or the command itself) claims the job and imports it.

- a claim is one conditional UPDATE under a token of the worker's own, with a lease
  (WOM_IMPORT_LEASE_SECONDS); a job whose lease ran out is claimed again by anyone;
- every WOM_IMPORT_BATCH documents the job's progress is written under that token in the
  transaction of the documents and committed with them: if the token is no longer the job's
  (the lease ran out and another worker took over), the batch is undone, never imported
  twice; a worker killed mid-batch loses only that batch, and the next one starts after the
  last committed document;
- a server that stops hands its job back at the next batch (queued again, no lease);
- on SQLite (one writer at a time) the worker waits WOM_IMPORT_PAUSE_SECONDS after each
  batch, so that the tills' requests queued for the lock get in: a till waits at most a
  batch, not the whole import."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from wordofmouth import db as database
from wordofmouth.config import get_settings
from wordofmouth.db import utcnow
from wordofmouth.errors import DomainError
from wordofmouth.history import importer
from wordofmouth.history.errors import ImportJobNotFound
from wordofmouth.history.models import ImportJob, JobStatus
from wordofmouth.partners.importing import MAX_BYTES

log = logging.getLogger("wordofmouth.history")
MakeSession = Callable[[], Session] | None
FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class LeaseLost(Exception):
    """The job's lease ran out and another worker has it: this batch is undone."""


class Stopped(Exception):
    """The server is stopping: the job was handed back after the last committed batch."""


def lease() -> timedelta:
    return timedelta(seconds=get_settings().import_lease_seconds)


def queue(session: Session, *, kind: str, data: bytes, filename: str, actor: str,
          max_bytes: int = MAX_BYTES) -> ImportJob:
    """A job for the file, once it reads: a file that does not (missing columns, not a
    table, too large) is refused here and nothing is queued."""
    counted = importer.count(data, filename, kind, max_bytes=max_bytes)
    job = ImportJob(kind=kind, filename=filename[:200], data=data, actor=actor,
                    status=JobStatus.QUEUED, rows=counted.rows, total=counted.total,
                    errors=[])
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> ImportJob:
    job = session.get(ImportJob, job_id)
    if job is None:
        raise ImportJobNotFound()
    return job


def recent(session: Session, limit: int = 20) -> list[ImportJob]:
    return list(session.scalars(select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)))


def claim(session: Session, *, now: datetime, job_id: int | None = None) -> tuple[int, str] | None:
    """The oldest job waiting (or one whose worker's lease ran out), or the given one:
    (its id, this claim's token)."""
    waiting = or_(ImportJob.status == JobStatus.QUEUED,
                  (ImportJob.status == JobStatus.RUNNING) & (ImportJob.claimed_until < now))
    pick = select(ImportJob.id).where(waiting).order_by(ImportJob.id).limit(1)
    if job_id is not None:
        pick = pick.where(ImportJob.id == job_id)
    token = uuid.uuid4().hex
    claimed = session.execute(
        update(ImportJob).where(ImportJob.id.in_(pick.with_for_update(skip_locked=True)
                                                 .scalar_subquery()), waiting)
        .values(status=JobStatus.RUNNING, claim_token=token, claimed_until=now + lease())
        .returning(ImportJob.id).execution_options(synchronize_session=False)).scalar()
    return None if claimed is None else (claimed, token)


def _mine(job_id: int, token: str) -> Any:
    return ((ImportJob.id == job_id) & (ImportJob.status == JobStatus.RUNNING)
            & (ImportJob.claim_token == token))


def _write(session: Session, job_id: int, token: str, values: dict[str, Any]) -> None:
    if not session.execute(update(ImportJob).where(_mine(job_id, token)).values(**values)
                           .execution_options(synchronize_session=False)
                           ).rowcount:  # type: ignore[attr-defined]
        raise LeaseLost()


def run(job_id: int, token: str, *, make: MakeSession = None,
        stop: threading.Event | None = None,
        progress: importer.Progress | None = None) -> None:
    """Import the claimed job from where it stands, batch by batch."""
    batch = get_settings().import_batch
    with database.transaction(make) as session:
        pause = 0.0 if database.is_postgres(session) else get_settings().import_pause_seconds
        job = get(session, job_id)
        kind, data, filename, actor = job.kind, job.data, job.filename, job.actor
        skip, imported, errors = job.done, job.imported, list(job.errors)
        _write(session, job_id, token, {"started_at": job.started_at or utcnow()})
    with database.transaction(make) as session:
        finished = False

        def checkpoint(done: int, report: importer.Report) -> None:
            nonlocal finished
            if finished:  # the last batch ended on the last document: recorded already
                return
            values: dict[str, Any] = {
                "done": done, "imported": imported + report.imported,
                "errors": errors + [list(e) for e in report.errors],
                "claimed_until": utcnow() + lease()}
            if done >= report.total:
                finished = True
                values |= {"status": JobStatus.DONE, "finished_at": utcnow(), "data": b"",
                           "claim_token": None, "claimed_until": None}
            elif stop is not None and stop.is_set():
                values |= {"status": JobStatus.QUEUED, "claim_token": None,
                           "claimed_until": None}
            _write(session, job_id, token, values)
            if values.get("status") == JobStatus.QUEUED:
                session.commit()
                raise Stopped()

        try:
            importer.run(session, kind, data, filename, actor=actor, progress=progress,
                         commit_every=batch, skip=skip, checkpoint=checkpoint, pause=pause,
                         max_bytes=1_000_000_000)
        except DomainError as exc:  # the file itself (it read when it was queued)
            session.rollback()
            _write(session, job_id, token, {
                "status": JobStatus.FAILED, "failure": exc.detail[:500], "data": b"",
                "finished_at": utcnow(), "claim_token": None, "claimed_until": None})


def run_one(make: MakeSession = None, *, stop: threading.Event | None = None,
            job_id: int | None = None, progress: importer.Progress | None = None) -> int | None:
    """Claim a job (the given one, or the oldest waiting) and import it; its id, or None if
    there was none to claim."""
    with database.transaction(make) as session:
        claimed = claim(session, now=utcnow(), job_id=job_id)
    if claimed is None:
        return None
    try:
        run(*claimed, make=make, stop=stop, progress=progress)
    except LeaseLost:
        log.warning("import %s: the lease ran out and another worker took it over", claimed[0])
    except Stopped:
        log.info("import %s handed back: the server is stopping", claimed[0])
    return claimed[0]


def work(stop: threading.Event, *, make: MakeSession = None, idle_seconds: float = 2.0) -> None:
    """The server's import worker: one job after another until the server stops."""
    while not stop.is_set():
        try:
            if run_one(make, stop=stop) is not None:
                continue
        except Exception:  # the database went away: try again shortly
            log.exception("import worker failed")
        stop.wait(idle_seconds)
