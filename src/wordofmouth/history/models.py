"""An import of a store's history as a job: the file, how far it got, what failed and why.
A job is a worker's own while its lease lasts; each batch of documents is committed with the
job's progress, so a worker that dies leaves the job where its last batch ended and another
worker goes on from there."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from wordofmouth.db import Base, UTCDateTime, utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # the file as a whole could not be read; its rows are untouched


class ImportJob(Base):
    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_status", "status", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)  # emptied once the job is finished
    actor: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)  # rows read from the file
    total: Mapped[int] = mapped_column(Integer, default=0)  # documents (receipts or rows)
    done: Mapped[int] = mapped_column(Integer, default=0)  # documents committed
    imported: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[list[object]]] = mapped_column(JSON, default=list)  # [line, why]
    failure: Mapped[str] = mapped_column(String(500), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
