"""Reading typed values out of posted forms, with clear messages for bad input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData

from wordofmouth.calendar import today_date
from wordofmouth.i18n import gettext

__all__ = ["FormData", "checked", "decimal", "integer", "money", "optional_int", "text"]

from wordofmouth.errors import InvalidInput
from wordofmouth.money import parse_money


def text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name, default)
    return str(value).strip() if value is not None else default


# A field's label (the third argument of money, decimal and integer) is a message of the
# catalog: it names the field in the error, in the reader's language.
def money(form: FormData, name: str, label: str, *, default: str | None = None) -> Decimal:
    raw = text(form, name) or (default or "")
    try:
        return parse_money(raw)
    except ValueError as exc:
        raise InvalidInput(f"{gettext(label)}: {exc}.", field=name) from exc


def decimal(form: FormData, name: str, label: str, default: str = "0") -> Decimal:
    raw = (text(form, name) or default).replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInput(gettext("{0}: '{1}' is not a number.")
                           .format(gettext(label), raw), field=name) from exc
    if not value.is_finite():
        raise InvalidInput(gettext("{0}: '{1}' is not a number.").format(gettext(label), raw),
                           field=name)
    return value


def integer(form: FormData, name: str, label: str) -> int:
    raw = text(form, name)
    if not raw.lstrip("-").isdigit():
        raise InvalidInput(gettext("{0}: '{1}' is not a whole number.").format(
            gettext(label), raw), field=name)
    return int(raw)


def optional_int(form: FormData, name: str) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(gettext("'{0}' is not an id.").format(raw), field=name)
    return int(raw)


def parse_date(raw: str) -> date | None:
    """'' → None; 'YYYY-MM-DD' → a date; anything else is a clear error."""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise InvalidInput(gettext("'{0}' is not a date (YYYY-MM-DD).").format(raw)) from exc


def period(date_from: str, date_to: str,
           default_start: Callable[[date], date], tz: ZoneInfo) -> tuple[date, date]:
    """A period from two date fields: the end defaults to today, the start to
    `default_start(end)`; a start after the end is refused. Today is the store's day."""
    end = parse_date(date_to) or today_date(tz)
    start = parse_date(date_from) or default_start(end)
    if start > end:
        raise InvalidInput(gettext("The period starts after it ends."))
    return start, end


def checked(form: FormData, name: str) -> bool:
    return form.get(name) in ("on", "true", "1")


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (= + - @ at the start are neutralised)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
