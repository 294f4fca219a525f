"""The storefront's part of a partner's reward statement for a period: accounts brought,
orders completed, subscriptions activated, their commission — with the funnel clicks →
accounts → paying accounts. The statement itself (every source of the partner's money) is
partners.settlement; the page, CSV and PDF show both."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Spacer, Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.calendar import bounds, local
from wordofmouth.i18n import _, fonts
from wordofmouth.ledger.models import LedgerEntry
from wordofmouth.money import ZERO
from wordofmouth.partners import settlement, settlement_pdf
from wordofmouth.partners.commission import STEP
from wordofmouth.partners.models import CustomerLink, Partner, SaleAttribution
from wordofmouth.partners.service import get_partner
from wordofmouth.partners.settlement_pdf import text
from wordofmouth.sales.models import Sale
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import rules
from wordofmouth.storefront.models import Click, StorefrontAccount, StorefrontOrder


@dataclass(frozen=True)
class OrderRow:
    ordered_at: datetime
    external_id: str
    account: str
    amount: Decimal
    refunded: Decimal
    activations: int
    renewals: int
    commission: Decimal


@dataclass
class Statement:
    partner: Partner
    start: date
    end: date
    clicks: int = 0
    accounts_brought: int = 0
    paying_accounts: int = 0
    orders: int = 0
    activations: int = 0
    revenue: Decimal = ZERO
    commission: Decimal = ZERO
    rows: list[OrderRow] = field(default_factory=list)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [("clicks", self.clicks), ("accounts brought", self.accounts_brought),
                ("paying accounts", self.paying_accounts)]


def statement(session: Session, partner_id: int, start: date, end: date) -> Statement:
    partner = get_partner(session, partner_id)
    lo, hi = bounds(start, end, store_settings.zone(session))
    out = Statement(partner, start, end)
    out.clicks = int(session.scalar(select(func.count()).select_from(Click).where(
        Click.partner_id == partner_id, Click.at >= lo, Click.at < hi)) or 0)
    out.accounts_brought = int(session.scalar(
        select(func.count()).select_from(StorefrontAccount)
        .join(CustomerLink, CustomerLink.customer_id == StorefrontAccount.customer_id)
        .where(CustomerLink.partner_id == partner_id, CustomerLink.linked_at >= lo,
               CustomerLink.linked_at < hi)) or 0)
    earned = (select(LedgerEntry.sale_id, func.sum(LedgerEntry.amount).label("amount"))
              .where(LedgerEntry.kind.in_([STEP, f"{STEP}_reversal"]))
              .group_by(LedgerEntry.sale_id).subquery())
    found = session.execute(
        select(StorefrontOrder, StorefrontAccount.external_id, Sale.net_total,
               Sale.returned_net, earned.c.amount)
        .join(StorefrontAccount, StorefrontAccount.id == StorefrontOrder.account_id)
        .join(Sale, Sale.id == StorefrontOrder.sale_id)
        .join(SaleAttribution, SaleAttribution.sale_id == Sale.id)
        .outerjoin(earned, earned.c.sale_id == Sale.id)
        .where(SaleAttribution.partner_id == partner_id, StorefrontOrder.ordered_at >= lo,
               StorefrontOrder.ordered_at < hi)
        .order_by(StorefrontOrder.ordered_at, StorefrontOrder.id)).all()
    paying = set()
    for order, account, net, refunded, amount in found:
        out.rows.append(OrderRow(order.ordered_at, order.external_id,
                                 rules.masked_account(account), net, refunded,
                                 order.activations, order.renewals, amount or ZERO))
        if net > refunded:
            paying.add(order.account_id)
    out.paying_accounts = len(paying)
    out.orders = len(out.rows)
    out.activations = sum(r.activations for r in out.rows)
    out.revenue = sum((r.amount - r.refunded for r in out.rows), ZERO)
    out.commission = sum((r.commission for r in out.rows), ZERO)
    return out


HEADER = ["ordered_at", "order", "account", "amount", "refunded", "subscriptions_activated",
          "renewals", "commission"]


def cells(r: OrderRow) -> list[object]:
    return [r.ordered_at, r.external_id, r.account, r.amount, r.refunded, r.activations,
            r.renewals, r.commission]


def pdf(session: Session, settled: settlement.Statement, s: Statement) -> bytes:
    """The reward statement as an A4 PDF: the settlement (every source of the partner's
    money), then the storefront's funnel and orders when the partner has any."""
    store = store_settings.get(session)
    tz = store_settings.zone(session)
    out = io.BytesIO()
    title = _("Reward statement — {partner}").format(partner=s.partner.name)
    doc = SimpleDocTemplate(out, pagesize=A4, title=title,
                            leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36)
    font = fonts.register()  # embedded: Cyrillic names and ₴ print as written
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    money = store.currency
    story = [text(title, styles, "Title"),
             text(f"{store.store_name} · {i18n.day(s.start)} – {i18n.day(s.end)}", styles),
             Spacer(1, 12), *settlement_pdf.story(settled, styles, font, tz, money)]
    if s.clicks or s.rows:
        summary = [[_("Clicks"), str(s.clicks)],
                   [_("Accounts brought"), str(s.accounts_brought)],
                   [_("Paying accounts"), str(s.paying_accounts)],
                   [_("Orders completed"), str(s.orders)],
                   [_("Subscriptions activated"), str(s.activations)],
                   [_("Revenue"), f"{i18n.money(s.revenue)} {money}"],
                   [_("Commission"), f"{i18n.money(s.commission)} {money}"]]
        rows = [[_("Date"), _("Order"), _("Account"), _("Amount"), _("Refunded"), _("Subs"),
                 _("Commission")]]
        rows += [[i18n.day(local(r.ordered_at, tz).date()), r.external_id[:24], r.account[:24],
                  i18n.money(r.amount), i18n.money(r.refunded) if r.refunded else "",
                  str(r.activations or ""), i18n.money(r.commission)] for r in s.rows]
        story += [Spacer(1, 12), text(_("Storefront"), styles, "Heading2"),
                  Table(summary, hAlign="LEFT", style=settlement_pdf.grid(font)),
                  Spacer(1, 12),
                  Table(rows, hAlign="LEFT", style=settlement_pdf.grid(font), repeatRows=1)]
    doc.build(story)
    return out.getvalue()
