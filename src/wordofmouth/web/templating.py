"""Jinja2 templates for every page, with the filters the store's pages share."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from wordofmouth.auth.permissions import Principal
from wordofmouth.money import fmt

TEMPLATES_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


templates.env.filters["money"] = fmt
templates.env.filters["when"] = _when
templates.env.filters["qty"] = _qty
templates.env.filters["pct"] = lambda v: f"{v.normalize():f} %" if v else ""


def render(request: Request, name: str, principal: Principal | None = None,
           status_code: int = 200, **context: Any) -> Response:
    """Render a page; every template gets the user, their CSRF token and any flash message."""
    context.setdefault("message", request.query_params.get("ok", ""))
    context.setdefault("error", "")
    return templates.TemplateResponse(
        request, name,
        {"me": principal, "csrf": principal.csrf_token if principal else "", **context},
        status_code=status_code,
    )
