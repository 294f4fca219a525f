"""Tables as CSV or XLSX downloads; cells that a spreadsheet would run as formulas are
neutralised. CSV is UTF-8 with a BOM (so Excel reads Cyrillic right) and separated the way
the reader's Excel expects: ';' in Ukrainian, ',' in English (a store setting may fix it)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from starlette.responses import Response, StreamingResponse

from wordofmouth import i18n
from wordofmouth.web.forms import csv_safe
from wordofmouth.web.streams import closing


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_safe(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


BOM = "\ufeff"


def separator(setting: str) -> str:
    """The CSV separator: the store's choice, or (auto) the one of the reader's language."""
    if setting in (";", ","):
        return setting
    return ";" if i18n.current() == "uk" else ","


def download(name: str, fmt: str, header: Sequence[str],
             rows: Iterable[Sequence[object]], *, delimiter: str = ",") -> Response:
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([v if isinstance(v, Decimal) else _cell(v) for v in row])
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), media_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    text = io.StringIO()
    text.write(BOM)
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return Response(text.getvalue(), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})


def stream_download(name: str, fmt: str, header: Sequence[str],
                    rows: Iterable[Sequence[object]], *,
                    delimiter: str = ",") -> StreamingResponse:
    """The same file, streamed: CSV a line at a time; XLSX written row by row to a temporary
    file (openpyxl's write-only mode) and sent in chunks — memory stays flat however many
    rows there are."""
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "xlsx":
        return StreamingResponse(closing(_xlsx_chunks(name, header, rows)),
                                 headers=disposition, media_type=XLSX)
    return StreamingResponse(closing(_csv_lines(header, rows, delimiter)), media_type="text/csv",
                             headers=disposition)



XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]],
               delimiter: str) -> Iterator[str]:
    line = io.StringIO()
    line.write(BOM)
    writer = csv.writer(line, delimiter=delimiter)
    writer.writerow(header)
    yield line.getvalue()
    for row in rows:
        line.seek(0)
        line.truncate()
        writer.writerow([_cell(v) for v in row])
        yield line.getvalue()


def _xlsx_chunks(name: str, header: Sequence[str],
                 rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as out:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([v if isinstance(v, Decimal) else _cell(v) for v in row])
        book.save(out)
        out.seek(0)
        while chunk := out.read(64 * 1024):
            yield chunk
