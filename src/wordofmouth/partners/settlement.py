"""The settlement statement of a partner for a period: the opening balance, every movement of
the partner's money by source (in-store sales of linked customers, promo codes, invoices,
storefront orders, milestone rewards, reversals from returns and refunds), what was paid,
and the closing balance — which equals the balance with intermediaries (pending + payable)
at the period's end, to the cent. A read model over the ledger, the attributions and the
payouts; one query for the movements, whatever the period."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.calendar import bounds
from wordofmouth.customers.models import Customer
from wordofmouth.customers.rules import masked_name
from wordofmouth.i18n import N_, gettext
from wordofmouth.ledger.models import LedgerAccount, LedgerEntry
from wordofmouth.ledger.operations import SET_OFF_REFUND
from wordofmouth.money import ZERO
from wordofmouth.partners.commission import PAYABLE, PENDING, STEP
from wordofmouth.partners.milestones import KIND as MILESTONE
from wordofmouth.partners.models import (
    CommissionReview,
    Partner,
    PartnerEmployee,
    Payout,
    SaleAttribution,
)
from wordofmouth.partners.payouts import SET_OFF
from wordofmouth.partners.service import get_partner
from wordofmouth.sales.models import Sale, SaleKind, sale_number
from wordofmouth.settings import service as store_settings

# Where a movement of the partner's balance comes from, in the statement's order.
SOURCES = {
    "linked_customer": N_("In-store sales of linked customers"),
    "partner_code": N_("Sales credited by promo code"),
    "invoice": N_("Invoices through the partner"),
    "storefront": N_("Storefront orders and subscriptions"),
    "milestone": N_("Milestone rewards"),
    "reversal": N_("Reversals from returns and refunds"),
    "rejected": N_("Rejected on review (self-referral)"),
    "set_off_refund": N_("Set-off given back (invoices returned or voided)"),
    "adjustment": N_("Other adjustments"),
}
PAID = {
    "commission": N_("Commission paid out"),
    "set_off": N_("Commission set off against invoices"),
    "one_time": N_("One-time payments"),
    "bonus_cash_out": N_("Bonuses cashed out"),
}


FROM_BALANCE = {"commission", "set_off"}


@dataclass(frozen=True)
class Movement:
    at: datetime
    source: str  # a key of SOURCES
    document: str  # R-000123, INV-000045, RET-000017, …
    customer: str
    employee: str
    base: Decimal  # the sale's net amount (accruals), else 0
    amount: Decimal
    under_review: bool = False  # held: it does not mature until the owner approves it


@dataclass(frozen=True)
class Paid:
    at: datetime
    kind: str  # a key of PAID
    number: str
    method: str
    amount: Decimal
    note: str


@dataclass
class Statement:
    partner: Partner
    start: date
    end: date
    opening: Decimal = ZERO
    closing: Decimal = ZERO
    closing_pending: Decimal = ZERO
    closing_payable: Decimal = ZERO
    movements: list[Movement] = field(default_factory=list)
    payouts: list[Paid] = field(default_factory=list)

    def earned(self, source: str | None = None) -> Decimal:
        return sum((m.amount for m in self.movements
                    if source is None or m.source == source), ZERO)

    def paid(self, kind: str | None = None) -> Decimal:
        return sum((p.amount for p in self.payouts if kind is None or p.kind == kind), ZERO)

    @property
    def under_review(self) -> Decimal:
        return sum((m.amount for m in self.movements if m.under_review), ZERO)

    @property
    def by_source(self) -> list[tuple[str, Decimal]]:
        return [(key, self.earned(key)) for key in SOURCES]

    @property
    def paid_from_balance(self) -> Decimal:
        """Commission payouts and set-offs leave the balance; one-time payments and
        cashed-out bonuses are paid besides it (a one-time payment is earned and paid at
        once)."""
        return sum((p.amount for p in self.payouts if p.kind in FROM_BALANCE), ZERO)

    @property
    def reconciles(self) -> bool:
        return self.opening + self.earned() - self.paid_from_balance == self.closing

    @property
    def employees(self) -> list[tuple[str, Decimal, int]]:
        """Per-employee subtotals: (employee, earned, movements); "" is the partner itself."""
        totals: dict[str, tuple[Decimal, int]] = {}
        for m in self.movements:
            amount, n = totals.get(m.employee, (ZERO, 0))
            totals[m.employee] = (amount + m.amount, n + 1)
        return [(name, amount, n) for name, (amount, n) in sorted(totals.items())]


def _source(kind: str, reason: str | None, channel: str | None, sale_kind: str | None) -> str:
    if kind == MILESTONE:
        return "milestone"
    if kind == f"{STEP}_reversal":
        return "reversal"
    if kind == "commission_rejected":
        return "rejected"
    if kind == SET_OFF_REFUND:
        return "set_off_refund"
    if kind != STEP:
        return "adjustment"
    if channel == "storefront":
        return "storefront"
    if reason == "invoice_intermediary" or sale_kind == SaleKind.INVOICE:
        return "invoice"
    return "partner_code" if reason == "partner_code" else "linked_customer"


def _document(source_type: str, source_id: int, sale_id: int | None,
              sale_kind: str | None) -> str:
    if source_type == "return":
        return f"RET-{source_id:06d}"
    if sale_id is None:
        return ""
    return sale_number(sale_kind or SaleKind.RECEIPT, sale_id)


def _balance(session: Session, partner_id: int, before: datetime) -> dict[str, Decimal]:
    return {str(kind): amount or ZERO for kind, amount in session.execute(
        select(LedgerAccount.kind, func.sum(LedgerEntry.amount))
        .join(LedgerEntry, LedgerEntry.account_id == LedgerAccount.id)
        .where(LedgerAccount.owner_id == partner_id,
               LedgerAccount.kind.in_([PENDING, PAYABLE]), LedgerEntry.created_at < before)
        .group_by(LedgerAccount.kind))}


def statement(session: Session, partner_id: int, start: date, end: date, *,
              masked: bool = False) -> Statement:
    """The statement of `partner_id` for the store's days start … end. `masked`: customers
    as first name and last initial (what the partner sees in the portal)."""
    partner = get_partner(session, partner_id)
    lo, hi = bounds(start, end, store_settings.zone(session))
    out = Statement(partner, start, end)
    out.opening = sum(_balance(session, partner_id, lo).values(), ZERO)
    closing = _balance(session, partner_id, hi)
    out.closing_pending = closing.get(str(PENDING), ZERO)
    out.closing_payable = closing.get(str(PAYABLE), ZERO)
    out.closing = out.closing_pending + out.closing_payable
    staff = dict(session.execute(select(PartnerEmployee.id, PartnerEmployee.name)
                                 .where(PartnerEmployee.partner_id == partner_id)).all())
    rows = session.execute(
        select(LedgerEntry.created_at, LedgerEntry.kind, LedgerEntry.amount,
               LedgerEntry.source_type, LedgerEntry.source_id, LedgerEntry.sale_id,
               SaleAttribution.reason, SaleAttribution.employee_id, Sale.channel, Sale.kind,
               Sale.net_total, Customer.first_name, Customer.last_name, CommissionReview.status)
        .join(LedgerAccount, LedgerAccount.id == LedgerEntry.account_id)
        .outerjoin(Sale, Sale.id == LedgerEntry.sale_id)
        .outerjoin(SaleAttribution, SaleAttribution.sale_id == LedgerEntry.sale_id)
        .outerjoin(Customer, Customer.id == Sale.customer_id)
        .outerjoin(CommissionReview, CommissionReview.sale_id == LedgerEntry.sale_id)
        .where(LedgerAccount.owner_id == partner_id,
               LedgerAccount.kind.in_([PENDING, PAYABLE]),
               LedgerEntry.kind.not_in(["commission_matured", "payout"]),
               LedgerEntry.created_at >= lo, LedgerEntry.created_at < hi)
        .order_by(LedgerEntry.created_at, LedgerEntry.id))
    for (at, kind, amount, source_type, source_id, sale_id, reason, employee_id, channel,
         sale_kind, net, first, last, review) in rows:
        name = (masked_name(first or "", last or "") if masked
                else f"{first or ''} {last or ''}".strip())
        out.movements.append(Movement(
            at=at, source=_source(kind, reason, channel, sale_kind),
            document=_document(source_type, source_id, sale_id, sale_kind), customer=name,
            employee=staff.get(employee_id, "") if employee_id else "",
            base=net if kind == STEP and net is not None else ZERO, amount=amount,
            under_review=review == "under_review" and kind == STEP))
    for p in session.scalars(select(Payout).where(Payout.partner_id == partner_id,
                                                  Payout.at >= lo, Payout.at < hi)
                             .order_by(Payout.at, Payout.id)):
        kind = "set_off" if p.method == SET_OFF else p.kind
        out.payouts.append(Paid(at=p.at, kind=kind, number=f"#{p.id}", method=p.method,
                                amount=p.amount, note=p.note))
    return out


HEADER = ["date", "source", "document", "customer", "employee", "base", "amount"]


def cells(s: Statement) -> Iterator[list[object]]:
    """The statement's lines as an export gives them: the movements, then the payouts
    (negative when they leave the balance)."""
    for m in s.movements:
        yield [m.at, gettext(SOURCES[m.source]), m.document, m.customer, m.employee, m.base,
               m.amount]
    for p in s.payouts:
        outflow = -p.amount if p.kind in FROM_BALANCE else p.amount
        yield [p.at, gettext(PAID.get(p.kind, p.kind)), p.number, "", "", ZERO, outflow]
