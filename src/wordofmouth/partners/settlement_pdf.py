"""The settlement statement printed: the flowables an A4 PDF is built from (the reward
statement adds the storefront's funnel after them), with the embedded Unicode font."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.styles import StyleSheet1
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from wordofmouth import i18n
from wordofmouth.calendar import local
from wordofmouth.i18n import _
from wordofmouth.partners.settlement import PAID, SOURCES, Statement


def grid(font: str) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                       ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ec")),
                       ("FONTSIZE", (0, 0), (-1, -1), 8),
                       ("ALIGN", (-1, 1), (-1, -1), "RIGHT")])


def text(value: str, styles: StyleSheet1, style: str = "Normal") -> Paragraph:
    # A Paragraph reads its text as markup: names are escaped, so a partner called
    # '<img src=…>' is printed as written and never loads a file.
    return Paragraph(escape(value), styles[style])


def story(s: Statement, styles: StyleSheet1, font: str, tz: ZoneInfo,
          currency: str) -> list[Flowable]:
    def money(value: Decimal) -> str:
        return f"{i18n.money(value)} {currency}"

    summary = [[_("Opening balance"), money(s.opening)]]
    summary += [[_(SOURCES[key]), money(amount)] for key, amount in s.by_source if amount]
    summary += [[_("Commission paid out"), money(-s.paid_from_balance)],
                [_("Closing balance"), money(s.closing)],
                [_("of which payable"), money(s.closing_payable)],
                [_("of which pending (in the hold period)"), money(s.closing_pending)]]
    if s.under_review:
        summary.append([_("of which under review"), money(s.under_review)])
    paid = [[_("Date"), _("Payout"), _("Kind"), _("Amount")]]
    paid += [[i18n.day(local(p.at, tz).date()), p.number,
              _(PAID.get(p.kind, p.kind)), money(p.amount)] for p in s.payouts]
    staff = [[_("Employee"), _("Movements"), _("Earned")]]
    staff += [[name or _("the partner itself"), str(n), money(amount)]
              for name, amount, n in s.employees]
    lines = [[_("Date"), _("Source"), _("Document"), _("Customer"), _("Employee"), _("Amount")]]
    lines += [[i18n.day(local(m.at, tz).date()), _(SOURCES[m.source])[:34],
               m.document, m.customer[:24], m.employee[:20], i18n.money(m.amount)]
              for m in s.movements]
    style = grid(font)
    out: list[Flowable] = [Table(summary, hAlign="LEFT", style=style), Spacer(1, 8)]
    if s.partner.payment_details.strip():
        out += [text(_("Payment details: {0}").format(s.partner.payment_details), styles),
                Spacer(1, 8)]
    if s.payouts:
        out += [text(_("Paid"), styles, "Heading3"),
                Table(paid, hAlign="LEFT", style=style, repeatRows=1), Spacer(1, 8)]
    if len(staff) > 2:
        out += [text(_("Per employee"), styles, "Heading3"),
                Table(staff, hAlign="LEFT", style=style, repeatRows=1), Spacer(1, 8)]
    out += [text(_("Movements"), styles, "Heading3"),
            Table(lines, hAlign="LEFT", style=style, repeatRows=1)]
    return out
