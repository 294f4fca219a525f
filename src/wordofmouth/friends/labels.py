"""Friend codes as printable labels (real PDF): an A4 sheet on a common 3 × 8 grid of
70 × 37 mm labels, or single 58 × 40 mm labels for a label printer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.eanbc import Ean13BarcodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from wordofmouth.i18n import _, fonts


@dataclass(frozen=True)
class Label:
    code: str
    discount: str  # "10 %"
    valid_until: str  # "23.12.2026", in the reader's format
    store: str


A4_COLS, A4_ROWS = 3, 8
A4_W, A4_H = 70 * mm, 37 * mm
SINGLE = (58 * mm, 40 * mm)


def _draw(c: Canvas, label: Label, x: float, y: float, w: float, h: float) -> None:
    """One label with its lower-left corner at (x, y)."""
    pad = 3 * mm
    c.setFont(fonts.BOLD, 9)
    c.drawString(x + pad, y + h - pad - 8,
                 _("{discount} off your first purchase").format(discount=label.discount))
    barcode = Ean13BarcodeWidget(label.code[:12])
    barcode.barHeight = h * 0.38
    bounds = barcode.getBounds()
    bw, bh = bounds[2] - bounds[0], bounds[3] - bounds[1]
    scale = min((w - 2 * pad) / bw, 1.3)
    drawing = Drawing(bw * scale, bh * scale)
    drawing.scale(scale, scale)
    drawing.add(barcode)
    renderPDF.draw(drawing, c, x + (w - bw * scale) / 2, y + pad + 9)
    c.setFont(fonts.REGULAR, 7)
    c.drawString(x + pad, y + pad, _("Valid until {day}").format(day=label.valid_until))
    c.drawRightString(x + w - pad, y + pad, label.store[:28])


def sheet(labels: Sequence[Label], *, layout: str = "a4") -> bytes:
    """A PDF of the labels: `a4` fills A4 pages on the grid, `single` one label a page.
    The texts are in the current language (the caller chooses the customers' one)."""
    fonts.register()
    out = io.BytesIO()
    if layout == "single":
        c = Canvas(out, pagesize=SINGLE, pageCompression=0)
        for label in labels:
            _draw(c, label, 0, 0, *SINGLE)
            c.showPage()
    else:
        c = Canvas(out, pagesize=A4, pageCompression=0)
        margin_x = (A4[0] - A4_COLS * A4_W) / 2
        margin_y = (A4[1] - A4_ROWS * A4_H) / 2
        per_page = A4_COLS * A4_ROWS
        for i, label in enumerate(labels):
            if i and i % per_page == 0:
                c.showPage()
            slot = i % per_page
            col, row = slot % A4_COLS, slot // A4_COLS
            x = margin_x + col * A4_W
            y = A4[1] - margin_y - (row + 1) * A4_H
            _draw(c, label, x, y, A4_W, A4_H)
        c.showPage()
    c.setTitle(_("Refer a Friend codes"))
    c.save()
    return out.getvalue()
