"""Tables as CSV or XLSX downloads; cells that a spreadsheet would run as formulas are
neutralised. CSV is UTF-8 with a BOM (so Excel reads Cyrillic right) and separated the way
the reader's Excel expects: ';' in Ukrainian, ',' in English (a store setting may fix it)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from starlette.responses import Response, StreamingResponse

from wordofmouth import i18n
from wordofmouth.calendar import zone
from wordofmouth.i18n import N_, gettext
from wordofmouth.settings.service import StoreSettings
from wordofmouth.web.forms import csv_safe
from wordofmouth.web.streams import closing

UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Dialect:
    """How a file is written for its reader: the CSV separator and the clock of its times."""

    delimiter: str = ","
    tz: ZoneInfo = UTC_ZONE


def dialect(store: StoreSettings) -> Dialect:
    """The store's dialect for the current reader (see `separator`), times on its clock."""
    return Dialect(separator(store.csv_separator), zone(store.time_zone))


def _cell(value: object, tz: ZoneInfo) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    return value


BOM = "\ufeff"
# Column names: in English they are the API's field names (stable for scripts); a
# Ukrainian reader gets words.
HEADER_WORDS = {
    "id": N_("No."), "at": N_("When"), "customer_id": N_("Customer no."),
    "customer": N_("Customer"), "card": N_("Card"), "partner": N_("Partner"),
    "employee": N_("Employee"), "purchases": N_("Purchases"), "revenue": N_("Revenue"),
    "average_check": N_("Average check"), "discount_percent": N_("Discount, %"),
    "bonus_balance": N_("Bonus balance"), "last_purchase": N_("Last purchase"),
    "club_status": N_("Club status"), "kind": N_("Kind"), "source": N_("Source"),
    "source_id": N_("Source no."), "sale_id": N_("Sale no."), "amount": N_("Amount"),
    "memo": N_("Note"), "code": N_("Code"), "campaign": N_("Campaign"),
    "referrer_id": N_("Referrer no."), "referrer": N_("Referrer"), "issued": N_("Issued"),
    "status": N_("Status"), "friend_id": N_("Friend no."), "used": N_("Used"),
    "purchase": N_("Purchase"), "bonus_accrued": N_("Bonus accrued"),
    "bonus_reversed": N_("Bonus reversed"), "customers_attracted": N_("Customers attracted"),
    "customers_with_purchase": N_("With a purchase"), "discounts": N_("Discounts"),
    "commission_accrued": N_("Commission accrued"), "milestone_rewards": N_("Milestone rewards"),
    "paid": N_("Paid"), "due": N_("Due"), "ordered_at": N_("Ordered"), "order": N_("Order"),
    "account": N_("Account"), "refunded": N_("Refunded"),
    "subscriptions_activated": N_("Subscriptions activated"), "renewals": N_("Renewals"),
    "commission": N_("Commission"), "reached": N_("Reached"), "required": N_("Required"),
    "period_start": N_("Period start"), "period_end": N_("Period end"),
    "date": N_("Date"), "document": N_("Document"), "base": N_("Purchase amount"),
}


def header(names: Sequence[str]) -> list[str]:
    """The column names in the reader's language (English keeps the field names)."""
    if i18n.current() == "en":
        return list(names)
    return [gettext(HEADER_WORDS[n]) if n in HEADER_WORDS else n for n in names]


def separator(setting: str) -> str:
    """The CSV separator: the store's choice, or (auto) the one of the reader's language."""
    if setting in (";", ","):
        return setting
    return ";" if i18n.current() == "uk" else ","


def download(name: str, fmt: str, columns: Sequence[str],
             rows: Iterable[Sequence[object]], *, dialect: Dialect = Dialect()) -> Response:
    header_row = header(columns)
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(header_row)
        for row in rows:
            sheet.append([v if isinstance(v, Decimal) else _cell(v, dialect.tz) for v in row])
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), media_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    text = io.StringIO()
    text.write(BOM)
    writer = csv.writer(text, delimiter=dialect.delimiter)
    writer.writerow(header_row)
    writer.writerows([_cell(v, dialect.tz) for v in row] for row in rows)
    return Response(text.getvalue(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def stream_download(name: str, fmt: str, columns: Sequence[str],
                    rows: Iterable[Sequence[object]], *,
                    dialect: Dialect = Dialect()) -> StreamingResponse:
    """The same file, streamed: CSV a line at a time; XLSX written row by row to a temporary
    file (openpyxl's write-only mode) and sent in chunks — memory stays flat however many
    rows there are."""
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "xlsx":
        return StreamingResponse(closing(_xlsx_chunks(name, columns, rows, dialect.tz)),
                                 headers=disposition, media_type=XLSX)
    return StreamingResponse(closing(_csv_lines(columns, rows, dialect)), media_type="text/csv",
                             headers=disposition)



XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_lines(columns: Sequence[str], rows: Iterable[Sequence[object]],
               dialect: Dialect) -> Iterator[str]:
    header_row = header(columns)
    line = io.StringIO()
    line.write(BOM)
    writer = csv.writer(line, delimiter=dialect.delimiter)
    writer.writerow(header_row)
    yield line.getvalue()
    for row in rows:
        line.seek(0)
        line.truncate()
        writer.writerow([_cell(v, dialect.tz) for v in row])
        yield line.getvalue()


def _xlsx_chunks(name: str, columns: Sequence[str], rows: Iterable[Sequence[object]],
                 tz: ZoneInfo) -> Iterator[bytes]:
    header_row = header(columns)
    with tempfile.TemporaryFile() as out:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(header_row)
        for row in rows:
            sheet.append([v if isinstance(v, Decimal) else _cell(v, tz) for v in row])
        book.save(out)
        out.seek(0)
        while chunk := out.read(64 * 1024):
            yield chunk
