"""Settings → Import history: the owner uploads a file of the old program, one kind at a
time, and reads what came in and which rows did not, with why."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.errors import InvalidInput
from wordofmouth.history import importer
from wordofmouth.history.formats import KINDS
from wordofmouth.i18n import N_, gettext
from wordofmouth.partners.importing import MAX_BYTES
from wordofmouth.web import forms
from wordofmouth.web.deps import DB, Form, page_permission
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
Owner = Annotated[Principal, Depends(page_permission("settings"))]
# What each kind brings, in the order to import them.
TITLES = {"customers": N_("Customers with their cards"),
          "links": N_("Who brought each customer (partner, employee, date)"),
          "sales": N_("Receipts, one row per line"),
          "returns": N_("Returns of the imported receipts"),
          "bonus_balances": N_("Bonus balances in the old program")}


def _page(request: Request, me: Principal, report: importer.Report | None = None,
          kind: str = "") -> Response:
    return render(request, "history/import.html", me, kinds=KINDS, titles=TITLES,
                  report=report, kind=kind)


@router.get("/settings/history")
def import_page(request: Request, me: Owner) -> Response:
    return _page(request, me)


@router.post("/settings/history")
async def import_history(request: Request, db: DB, me: Owner, form: Form) -> Response:
    upload = form.get("file")
    kind = forms.text(form, "kind")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise InvalidInput(gettext("Choose a CSV or XLSX file."), field="file")
    data = await upload.read(MAX_BYTES + 1)
    # Thousands of receipts take a while: off the event loop, in the request's transaction
    # (each document in a savepoint of its own).
    report = await run_in_threadpool(importer.run, db, kind, data, upload.filename,
                                     actor=me.label)
    return _page(request, me, report=report, kind=kind)
