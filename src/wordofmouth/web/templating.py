"""Jinja2 templates for every page, with the i18n extension (gettext from the reader's
catalog) and the filters the store's pages share: money, dates and times in the reader's
locale, times on the store's clock."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from starlette.responses import Response

from wordofmouth import i18n
from wordofmouth.auth.permissions import ROLE_NAMES, Principal
from wordofmouth.calendar import DEFAULT_ZONE, date_of, zone
from wordofmouth.i18n.words import discount_reason, word

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True,
    extensions=["jinja2.ext.i18n"]))
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True)


@pass_context
def _when(context: Context, value: datetime | None) -> str:
    """An instant on the store's clock, in the reader's date format."""
    me = context.get("me")
    return i18n.moment(value, zone(me.time_zone if me else DEFAULT_ZONE))


def _day(value: date | int | None) -> str:
    """A date (or a store day number) in the reader's format: 02.12.2026."""
    return i18n.day(date_of(value) if isinstance(value, int) else value)


def _qty(value: Decimal) -> str:
    return i18n.number(value.normalize())


def _pct(value: Decimal | None) -> str:
    return f"{i18n.number(value.normalize())} %" if value else ""


templates.env.filters["money"] = i18n.money
templates.env.filters["when"] = _when
templates.env.filters["day"] = _day
templates.env.filters["qty"] = _qty
templates.env.filters["pct"] = _pct
templates.env.filters["word"] = word
templates.env.filters["reason"] = lambda line: discount_reason(
    line.discount_source, line.discount_percent, line.discount_reference)
templates.env.filters["currency"] = i18n.currency
templates.env.globals["languages"] = i18n.NAMES
templates.env.globals["role_names"] = ROLE_NAMES


def render(request: Request, name: str, principal: Principal | None = None,
           status_code: int = 200, **context: Any) -> Response:
    """Render a page; every template gets the user, their CSRF token, any flash message and
    the reader's language."""
    context.setdefault("message", request.query_params.get("ok", ""))
    context.setdefault("error", "")
    return templates.TemplateResponse(
        request, name,
        {"me": principal, "csrf": principal.csrf_token if principal else "",
         "lang": i18n.current(), **context},
        status_code=status_code,
    )
