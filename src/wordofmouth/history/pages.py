"""Settings → Import history: the owner uploads a file of the old program, one kind at a
time; it is imported as a job in the background, and its page shows how far it got, then
what came in and which rows did not, with why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from wordofmouth.auth import service as auth
from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import InvalidInput
from wordofmouth.history import jobs
from wordofmouth.history.formats import KINDS
from wordofmouth.history.models import ImportJob
from wordofmouth.i18n import N_, gettext
from wordofmouth.partners.importing import MAX_BYTES
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.office import redirect
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Owner = Annotated[Principal, Depends(page_permission("settings"))]
# What each kind brings, in the order to import them.
TITLES = {"customers": N_("Customers with their cards"),
          "links": N_("Who brought each customer (partner, employee, date)"),
          "sales": N_("Receipts, one row per line"),
          "returns": N_("Returns of the imported receipts"),
          "bonus_balances": N_("Bonus balances in the old program"),
          "friend_codes": N_("Friend codes handed out (and used)"),
          "club_members": N_("Club members since their day")}


@router.get("/settings/history")
def import_page(request: Request, db: DB, me: Owner) -> Response:
    return render(request, "history/import.html", me, kinds=KINDS, titles=TITLES,
                  jobs=jobs.recent(db))


@router.post("/settings/history")
async def import_history(request: Request, db: DB, me: Owner, form: Form) -> Response:
    upload = form.get("file")
    kind = forms.text(form, "kind")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise InvalidInput(gettext("Choose a CSV or XLSX file."), field="file")
    data = await upload.read(MAX_BYTES + 1)
    # reading a 5 MB workbook takes a while: off the event loop
    job = await run_in_threadpool(jobs.queue, db, kind=kind, data=data,
                                  filename=upload.filename, actor=me.label)
    return redirect(f"/settings/history/{job.id}")


@router.get("/settings/history/{job_id}")
def import_job(job_id: int, request: Request, db: DB, me: Owner) -> Response:
    """The job's page; while it runs, its progress block reloads itself every second."""
    job = jobs.get(db, job_id)
    template = "history/_job.html" if request.headers.get("hx-request") else \
        "history/job.html"
    return render(request, template, me, job=job, titles=TITLES, by=auth.name_of(db, job.actor),
                  percent=_percent(job), busy=job.status not in jobs.FINISHED)


def _percent(job: ImportJob) -> int:
    return 100 if not job.total else job.done * 100 // job.total
