"""Request-scoped dependencies: one transaction per request, who is asking, CSRF."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from wordofmouth.auth import service as auth
from wordofmouth.auth.errors import CsrfFailed
from wordofmouth.auth.permissions import Principal
from wordofmouth.auth.token_cache import UNKNOWN, TokenCache
from wordofmouth.db import read_only, reports_factory, session_factory, transaction, utcnow
from wordofmouth.errors import Forbidden, InvalidInput, NotAuthenticated
from wordofmouth.i18n import gettext

SESSION_COOKIE = "wom_session"


def db_session() -> Iterator[Session]:
    """One transaction: committed at the end, rolled back on any error (get_db's work, for
    code outside a request's dependencies)."""
    with transaction() as session:
        yield session


async def get_db() -> AsyncIterator[Session]:
    """One transaction per request: committed before the response is sent, rolled back on
    any error, so a rejected request writes nothing. The session is made in the event loop
    (that takes no I/O: it connects on its first statement, in the endpoint's thread); only
    the end of a transaction that began goes to a thread."""
    session = session_factory()()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        if session.in_transaction():  # (cancelled between the two) the pool rolls back
            await run_in_threadpool(session.close)
        else:
            session.close()


DB = Annotated[Session, Depends(get_db, scope="function")]


async def get_reads(db: DB) -> AsyncIterator[Session]:
    """The session for reports, analysis and their exports: on the read-only replica when
    there is one (WOM_REPLICA_URL) — what it shows is as recent as the replica — else the
    request's own."""
    make = reports_factory()
    if make is None:
        yield db
        return
    session = make()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


Reads = Annotated[Session, Depends(get_reads, scope="function")]


class LoginRequired(NotAuthenticated):
    """Raised by pages: the handler sends the browser to the login page."""


async def optional_principal(request: Request, db: DB) -> Principal | None:
    """Who is asking: an API token (known to this process, else read — auth/token_cache.py)
    or a logged-in user's session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        raw = header[7:].strip()
        tokens: TokenCache | None = getattr(request.app.state, "tokens", None)
        version = tokens.version() if tokens is not None else None
        principal = tokens.get(raw, version) if tokens is not None else UNKNOWN
        if principal is UNKNOWN:
            principal = await run_in_threadpool(
                tokens.load if tokens is not None else _no_cache, db, raw, version)
        if principal is None:
            raise NotAuthenticated(gettext("The API token is unknown or revoked."))
        assert isinstance(principal, Principal)
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    return await run_in_threadpool(auth.session_principal, db, cookie) if cookie else None


def _no_cache(db: Session, raw: str, _version: object) -> Principal | None:
    return auth.token_principal(db, raw)


def document_date(principal: Principal, value: datetime | None) -> datetime | None:
    """A document's own date, for history brought from an older program: only a caller
    with history:import may give one (the till always uses the clock)."""
    if value is not None and not principal.can("history:import"):
        raise Forbidden(gettext("Only a token with the history:import scope may give a "
                                "document date."))
    if value is not None and value.tzinfo is None:
        raise InvalidInput(gettext("A document date needs a time zone (e.g. "
                                   "2024-03-15T12:40:00+02:00)."))
    if value is not None and value > utcnow():
        raise InvalidInput(gettext("A document date cannot be in the future."))
    return value


def api_permission(permission: str) -> Callable[..., Any]:
    """API guard: a token with the scope, or a logged-in user whose role has it (with the
    CSRF header on writes, since a browser sends the cookie by itself)."""

    async def guard(request: Request, principal: Annotated[
            Principal | None, Depends(optional_principal)]) -> Principal:
        if principal is None:
            raise NotAuthenticated()
        if principal.kind == "user" and request.method not in ("GET", "HEAD", "OPTIONS"):
            _check_csrf(principal, request.headers.get("x-csrf-token", ""))
        if not principal.can(permission):
            raise Forbidden(gettext("This needs the '{0}' permission.").format(permission))
        return principal

    return guard


def page_permission(permission: str | None = None) -> Callable[..., Any]:
    """Page guard: a logged-in user (else the login page) whose role has `permission`."""

    async def guard(principal: Annotated[Principal | None,
                                         Depends(optional_principal)]) -> Principal:
        if principal is None or principal.kind != "user":
            raise LoginRequired()
        if permission is not None and not principal.can(permission):
            raise Forbidden(gettext("Your role does not give access to this page."))
        return principal

    return guard


def _check_csrf(principal: Principal, presented: str) -> None:
    if not presented or not hmac.compare_digest(presented, principal.csrf_token):
        raise CsrfFailed()


async def csrf_form(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> FormData:
    """The posted form, refused unless it carries the session's CSRF token."""
    form = await request.form()
    if principal is None or principal.kind != "user":
        raise LoginRequired()
    _check_csrf(principal, str(form.get("csrf_token") or request.headers.get("x-csrf-token", "")))
    return form


Form = Annotated[FormData, Depends(csrf_form)]


def streaming_session(request: Request) -> Callable[[], AbstractContextManager[Session]]:
    """A read-only transaction of its own for a response body streamed after the handler
    has returned (and the request's transaction has ended): the same source of sessions
    the app's requests use. Open it inside the stream, so it ends with the stream."""
    provider = request.app.dependency_overrides.get(get_db, db_session)
    replica = reports_factory()

    @contextmanager
    def reading() -> Iterator[Session]:
        if replica is not None:  # a report's export reads where the report does
            with transaction(replica) as session:
                yield session
            return
        with contextmanager(provider)() as session:
            yield read_only(session)

    return reading
