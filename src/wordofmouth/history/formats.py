"""The files a store brings from its old program, one format per kind: their columns, and
how a cell is read (a day in the store's zone, an amount, a yes/no)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.partners.errors import BadImportFile
from wordofmouth.partners.importing import read_table

Rows = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class Kind:
    required: frozenset[str]
    optional: frozenset[str]
    grouped_by: str | None = None  # rows of one document (a receipt) import together


KINDS: dict[str, Kind] = {
    "customers": Kind(frozenset({"card", "first_name"}), frozenset({
        "last_name", "phone", "email", "consent_email", "consent_sms", "consent_viber",
        "discount_percent", "bonus_percent", "note"})),
    "links": Kind(frozenset({"card", "partner"}), frozenset({"employee", "date"})),
    "sales": Kind(frozenset({"receipt", "date", "sku", "qty"}),
                  frozenset({"card", "price", "payment"}), grouped_by="receipt"),
    "returns": Kind(frozenset({"receipt", "date", "sku", "qty"}), frozenset({"reason"}),
                    grouped_by="receipt"),
    "bonus_balances": Kind(frozenset({"card", "balance"}), frozenset({"date"})),
    "friend_codes": Kind(frozenset({"code", "card", "campaign"}),
                         frozenset({"date", "used_receipt"})),
    "club_members": Kind(frozenset({"card", "since"}), frozenset()),
}


def read(data: bytes, filename: str, kind: Kind, *, max_bytes: int) -> Rows:
    """The rows of a CSV (as Excel saves it) or XLSX file, with their line numbers."""
    if len(data) > max_bytes:
        raise BadImportFile(gettext("The file is larger than {0} MB; split it.")
                            .format(max_bytes // 1_000_000))
    if filename.lower().endswith(".xlsx"):
        return _xlsx(data, kind)
    return read_table(data, set(kind.required), max_bytes=max_bytes)


def _xlsx(data: bytes, kind: Kind) -> Rows:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception as exc:  # a file that is not a workbook
        raise BadImportFile(gettext("The file is not an XLSX workbook.")) from exc
    assert sheet is not None
    lines = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower().replace(" ", "_") for h in next(lines, ())]
    missing = kind.required - set(header)
    if missing:
        raise BadImportFile(gettext("Missing column(s): {0}. The first line has: {1}.")
                            .format(', '.join(sorted(missing)), ', '.join(header) or 'nothing'))
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = {h: _text(values[i]) if i < len(values) else "" for i, h in enumerate(header)}
        if any(cells.values()):
            rows.append((number, cells))
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def moment(raw: str, tz: ZoneInfo, *, today: datetime) -> datetime:
    """A document's time: 2024-03-15 (noon that day, or now if that day is today and noon
    has not come), 2024-03-15 12:40 or 15.03.2024, in the store's zone unless it names its
    own; never after now."""
    raw = raw.strip()
    try:
        if len(raw) == 10 and raw[2] == "." and raw[5] == ".":
            raw = f"{raw[6:]}-{raw[3:5]}-{raw[:2]}"
        at = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(gettext("'{0}' is not a date (YYYY-MM-DD or DD.MM.YYYY).")
                           .format(raw)) from exc
    if len(raw) == 10:
        at = datetime.combine(at.date(), time(12))
    if at.tzinfo is None:
        at = at.replace(tzinfo=tz)
    if len(raw) == 10 and at.date() == today.astimezone(tz).date():
        at = min(at, today)
    if at > today:
        raise InvalidInput(gettext("{0} is after today: history is what already happened.")
                           .format(raw))
    return at


def amount(raw: str, label: str) -> Decimal:
    try:
        value = Decimal(raw.replace(" ", "").replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput(gettext("{0}: '{1}' is not an amount.").format(label, raw)) from exc
    if not value.is_finite() or value != value.quantize(Decimal("0.001")):
        raise InvalidInput(gettext("{0}: '{1}' is not an amount.").format(label, raw))
    return value


def yes(raw: str) -> bool:
    return raw.strip().lower() in ("1", "yes", "y", "true", "так", "+", "x")
