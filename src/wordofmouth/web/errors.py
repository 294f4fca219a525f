"""One place that turns every failure into a clear answer: JSON for the API, a page otherwise."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from wordofmouth.errors import DomainError
from wordofmouth.web.deps import LoginRequired

log = logging.getLogger("wordofmouth")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or ("application/json" in request.headers.get(
        "accept", "") and "text/html" not in request.headers.get("accept", ""))


def _answer(request: Request, status: int, code: str, detail: str,
            extra: dict[str, Any] | None = None) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": code, "detail": detail, **(extra or {})}, status_code=status)
    from wordofmouth.web.templating import render

    return render(request, "error.html", None, status_code=status, code=code, detail=detail)


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        out.append({"field": loc, "problem": str(err.get("msg", "invalid"))})
    return out


def _trouble(exc: OperationalError) -> tuple[int, str, str]:
    """What went wrong with the database, said plainly: busy (try again), full disk or
    read-only (an administrator must act), unreachable. Nothing was saved in any case."""
    text = str(exc.orig).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate == "53100" or "disk is full" in text or "no space left" in text:
        return 507, "storage_full", ("The database's disk is full, so nothing was saved. "
                                     "Tell the administrator: space must be freed.")
    if sqlstate == "25006" or "readonly database" in text or "read-only" in text:
        return 503, "database_read_only", ("The database cannot be written (it is read-only), "
                                           "so nothing was saved. Tell the administrator.")
    if "locked" in text or "busy" in text or sqlstate in ("40001", "40P01", "55P03"):
        return 503, "database_busy", "The database is busy; try again in a moment."
    return 503, "database_unavailable", ("The database cannot be reached just now, so "
                                         "nothing was saved; try again in a moment.")


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return _answer(request, 401, exc.code, exc.detail)
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> Response:
        field = exc.context.get("field")  # a form's field: shown next to its input
        return _answer(request, exc.status, exc.code, exc.detail,
                       {"field": field} if field else None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = _field_errors(exc)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return _answer(request, 422, "malformed_json", "The request body is not valid JSON.")
        summary = "; ".join(f"{f['field'] or 'body'}: {f['problem']}" for f in fields[:5])
        return _answer(request, 422, "invalid_input", summary or "The input is not valid.",
                       {"fields": fields})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and "parsing the body" in str(exc.detail):
            # Nested too deep for the parser, or not UTF-8: the same answer as broken JSON.
            return _answer(request, 422, "malformed_json",
                           "The request body is not valid JSON in UTF-8.")
        codes = {404: "not_found", 405: "method_not_allowed", 400: "bad_request",
                 413: "body_too_large"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        return _answer(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        log.info("value out of range on %s: %s", request.url.path, exc)
        return _answer(request, 422, "invalid_input",
                       "A value is out of range (a number too large, or text too long).")

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, exc: IntegrityError) -> Response:
        log.info("integrity conflict on %s: %s", request.url.path, exc.orig)
        return _answer(request, 409, "conflict",
                       "The change conflicts with data saved meanwhile; reload and try again.")

    @app.exception_handler(OperationalError)
    async def database_trouble(request: Request, exc: OperationalError) -> Response:
        status, code, detail = _trouble(exc)
        log.warning("database trouble (%s) on %s: %s", code, request.url.path, exc.orig)
        answer = _answer(request, status, code, detail)
        if status == 503:
            answer.headers["Retry-After"] = "2"
        return answer

    @app.exception_handler(PoolTimeout)
    async def no_connection(request: Request, exc: PoolTimeout) -> Response:
        log.warning("no database connection free on %s: %s", request.url.path, exc)
        answer = _answer(request, 503, "overloaded", "The server is busy; try again in a "
                         "moment.")
        answer.headers["Retry-After"] = "1"
        return answer

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _answer(request, 500, "internal_error",
                       "Something went wrong on our side; it has been logged.")
