"""History import API (history:import): send a file of one kind, then read the job's
progress and the rows it refused."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.history import jobs
from wordofmouth.history.schemas import ImportJobOut, ImportRequest, job_out
from wordofmouth.partners.importing import MAX_BYTES
from wordofmouth.schemas import API_ERRORS
from wordofmouth.web.deps import DB, api_permission
from wordofmouth.web.idempotent import idempotent
from wordofmouth.web.openapi import answers

router = APIRouter(prefix="/api", tags=["history"], responses=API_ERRORS)
Importer = Annotated[Principal, Depends(api_permission("history:import"))]


@router.post("/history/imports", response_model=ImportJobOut, status_code=202)
@answers("bad_import_file", "idempotency_key_reused")
async def start_import(request: Request, db: DB, principal: Importer,
                       kind: Annotated[str, Form(description=(
                           "customers, links, sales, returns, bonus_balances, friend_codes "
                           "or club_members"))],
                       file: Annotated[UploadFile, File(description="CSV or XLSX, ≤ 5 MB")],
                       ) -> Response:
    """Queue a file of the old program (docs/history-import.md); the server's import
    worker runs it. A file that cannot be read (a missing column, not a table) is refused
    at once and nothing is queued; each row's problems are in the job's `errors`."""
    data = await file.read(MAX_BYTES + 1)
    name = file.filename or "import.csv"
    body = ImportRequest(kind=kind, filename=name, sha256=hashlib.sha256(data).hexdigest())
    # reading a 5 MB workbook takes a while: off the event loop, like the queries
    return await run_in_threadpool(idempotent, request, db, principal, body, lambda: job_out(
        jobs.queue(db, kind=kind, data=data, filename=name, actor=principal.label)), 202)


@router.get("/history/imports", response_model=list[ImportJobOut])
def list_imports(db: DB, _: Importer) -> list[ImportJobOut]:
    """The latest 20 imports, newest first (without their row errors)."""
    return [job_out(j, with_errors=False) for j in jobs.recent(db)]


@router.get("/history/imports/{job_id}", response_model=ImportJobOut)
@answers("import_job_not_found")
def get_import(job_id: int, db: DB, _: Importer) -> ImportJobOut:
    """How far an import got, and every row it refused with why."""
    return job_out(jobs.get(db, job_id))
