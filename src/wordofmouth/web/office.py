"""Back-office shell: login, the home page, settings, users and tokens, the audit log."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from wordofmouth import i18n
from wordofmouth.audit import sentences
from wordofmouth.audit import service as audit
from wordofmouth.auth import service as auth
from wordofmouth.auth.errors import CsrfFailed
from wordofmouth.auth.models import Role
from wordofmouth.auth.permissions import SCOPES, Principal
from wordofmouth.calendar import zone_names
from wordofmouth.config import get_settings
from wordofmouth.customers import service as customers
from wordofmouth.errors import DomainError, InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.sales import service as sales
from wordofmouth.settings import service as store_settings
from wordofmouth.web.deps import DB, SESSION_COOKIE, Form, page_permission
from wordofmouth.web.middleware import LANGUAGE_COOKIE
from wordofmouth.web.templating import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF = "wom_login_csrf"
LANGUAGE_MAX_AGE = 400 * 24 * 3600
Anyone = Annotated[Principal, Depends(page_permission())]
Owner = Annotated[Principal, Depends(page_permission("settings"))]
UsersAdmin = Annotated[Principal, Depends(page_permission("users"))]
Auditor = Annotated[Principal, Depends(page_permission("audit"))]


def redirect(url: str, message: str = "") -> RedirectResponse:
    from urllib.parse import quote

    path, hash_, fragment = url.partition("#")
    sep = "&" if "?" in path else "?"
    target = f"{path}{sep}ok={quote(message)}{hash_}{fragment}" if message else url
    return RedirectResponse(target, status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=token, next=_safe_next(next),
                      login="")
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict",
                        secure=get_settings().cookie_secure)
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login")
async def login(request: Request, db: DB) -> Response:
    """The form is read on the event loop; the password hash (about a tenth of a second
    of CPU) and the database run on a worker thread, so other requests go on meanwhile."""
    form = await request.form()
    return await run_in_threadpool(_login, request, db, form)


def _login(request: Request, db: Session, form: FormData) -> Response:
    expected = request.cookies.get(LOGIN_CSRF, "")
    if not expected or not secrets.compare_digest(expected, str(form.get("csrf_token", ""))):
        raise CsrfFailed()
    ip = request.client.host if request.client else "?"
    try:
        _user, token = auth.login(db, login=str(form.get("login", "")),
                                  password=str(form.get("password", "")), ip=ip)
    except DomainError as exc:
        db.commit()  # keep the failed attempt: it is what login throttling counts
        response = render(request, "login.html", None, status_code=exc.status,
                          error=exc.detail, login_csrf=expected, login=form.get("login", ""),
                          next=_safe_next(str(form.get("next", "/"))))
        return response
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    settings = get_settings()
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.cookie_secure, max_age=settings.session_hours * 3600)
    if _user.language:
        _remember_language(response, _user.language)
    response.delete_cookie(LOGIN_CSRF)
    return response


def _remember_language(response: Response, language: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", max_age=LANGUAGE_MAX_AGE,
                        secure=get_settings().cookie_secure)


@router.get("/language")
def choose_language(to: str, next: str = "/") -> Response:
    """Anyone (the login page too) can switch the language of their browser."""
    language = i18n.supported(to)
    if language is None:
        raise InvalidInput(gettext("Unknown language."))
    response = RedirectResponse(_safe_next(next), status_code=303)
    _remember_language(response, language)
    return response


@router.post("/language")
def save_language(db: DB, me: Anyone, form: Form) -> Response:
    """A user's own interface language, kept with the user for every browser they use."""
    language = i18n.supported(str(form.get("language", "")))
    if language is None:
        raise InvalidInput(gettext("Unknown language."))
    auth.set_language(db, me.id, language)
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    _remember_language(response, language)
    return response


@router.post("/logout")
def logout(request: Request, db: DB, _: Form) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        auth.logout(db, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, db: DB, me: Anyone) -> Response:
    if me.can("portal"):
        return RedirectResponse("/portal", status_code=303)
    if not me.can("dashboard"):
        return RedirectResponse("/pos" if me.can("pos") else "/login", status_code=303)
    t = sales.today_summary(db)
    return render(request, "home.html", me, sales_today=t.sales, revenue_today=t.revenue,
                  open_invoices=t.open_invoices, customers=t.customers, recent=t.recent,
                  customer_names=customers.names(db, [s.customer_id for s in t.recent]),
                  settings=store_settings.get(db))


@router.get("/settings")
def settings_page(request: Request, db: DB, me: Owner) -> Response:
    return render(request, "settings.html", me, settings=store_settings.get(db),
                  currencies=store_settings.CURRENCIES, zones=zone_names())


@router.post("/settings")
def save_settings(request: Request, db: DB, me: Owner, form: Form) -> Response:
    try:
        changes: dict[str, object] = {
            "store_name": str(form.get("store_name", "")),
            "currency": str(form.get("currency", "")),
            "bonus_share_percent": Decimal(str(form.get("bonus_share_percent", ""))),
            "default_bonus_percent": Decimal(str(form.get("default_bonus_percent", ""))),
            "hold_days": int(str(form.get("hold_days", ""))),
        }
        for name in ("store_address", "time_zone", "country", "language", "csv_separator"):
            if name in form:
                changes[name] = str(form.get(name, "")).strip()
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(gettext("Percentages and the hold period must be numbers.")) from exc
    store_settings.update(db, actor=me.label, **changes)
    return redirect("/settings", gettext("Settings saved."))


@router.get("/users")
def users_page(request: Request, db: DB, me: UsersAdmin, new_token: str = "") -> Response:
    return render(request, "users.html", me, users=auth.users(db), tokens=auth.tokens(db),
                  roles=[r.value for r in Role], scopes=SCOPES, new_token=new_token,
                  locked=auth.locked_logins(db))


@router.post("/users")
def add_user(request: Request, db: DB, me: UsersAdmin, form: Form) -> Response:
    partner = str(form.get("partner_id", "")).strip()
    auth.create_user(db, login=str(form.get("login", "")), name=str(form.get("name", "")),
                     role=str(form.get("role", "")), password=str(form.get("password", "")),
                     actor=me.label, partner_id=int(partner) if partner.isdigit() else None)
    return redirect("/users", gettext("User added."))


@router.post("/users/{user_id}")
def change_user(user_id: int, db: DB, me: UsersAdmin, form: Form) -> Response:
    auth.set_user(db, user_id, role=str(form.get("role", "")),
                  active=form.get("active") == "on", actor=me.label)
    return redirect("/users", gettext("User changed."))


@router.post("/users/{user_id}/unlock")
def unlock_user(user_id: int, db: DB, me: UsersAdmin, _: Form) -> Response:
    user = auth.unlock(db, user_id, actor=me.label)
    return redirect("/users", gettext("{0} may log in again.").format(user.login))


@router.post("/tokens")
def add_token(request: Request, db: DB, me: UsersAdmin, form: Form) -> Response:
    raw = auth.create_token(db, name=str(form.get("name", "")),
                            scopes=[str(s) for s in form.getlist("scopes")], actor=me.label)
    return render(request, "users.html", me, users=auth.users(db), tokens=auth.tokens(db),
                  roles=[r.value for r in Role], scopes=SCOPES, new_token=raw,
                  locked=auth.locked_logins(db),
                  message="Token created. Copy it now: it is shown only once.")


@router.post("/tokens/{token_id}/revoke")
def revoke_token(token_id: int, db: DB, me: UsersAdmin, _: Form) -> Response:
    auth.revoke_token(db, token_id, actor=me.label)
    return redirect("/users", gettext("Token revoked."))


@router.get("/audit")
def audit_page(request: Request, db: DB, me: Auditor, action: str = "",
               page: int = 1) -> Response:
    page = max(1, page)
    events = audit.recent(db, action=action or None, limit=100, offset=(page - 1) * 100)
    return render(request, "audit.html", me, events=events, action=action, page=page,
                  lines=sentences.lines(db, events))
