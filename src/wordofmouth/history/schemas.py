"""History import API: a job's answer."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from wordofmouth.history.models import ImportJob
from wordofmouth.schemas import Out


class RowError(Out):
    line: int = Field(description="The file's line (the first line of a receipt)")
    reason: str


class ImportJobOut(Out):
    id: int
    kind: str
    filename: str
    status: str = Field(description="queued, running, done or failed (the file as a whole)")
    rows: int = Field(description="Rows read from the file")
    total: int = Field(description="Documents: rows, or receipts for sales and returns")
    done: int = Field(description="Documents imported or refused so far")
    imported: int
    failed: int
    errors: list[RowError] = Field(description="Every refused row with why")
    failure: str = Field(description="Why the file as a whole failed, if it did")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportRequest(BaseModel):
    """What an Idempotency-Key is checked against: the kind, the file's name and content."""

    kind: str
    filename: str
    sha256: str


def job_out(job: ImportJob, *, with_errors: bool = True) -> ImportJobOut:
    return ImportJobOut(
        id=job.id, kind=job.kind, filename=job.filename, status=job.status, rows=job.rows,
        total=job.total, done=job.done, imported=job.imported, failed=len(job.errors),
        errors=[RowError(line=int(str(line)), reason=str(reason))
                for line, reason in job.errors] if with_errors else [],
        failure=job.failure, created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at)
