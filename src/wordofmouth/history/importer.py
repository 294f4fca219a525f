"""Bringing a store's history in from its old program: customers with cards, links to
partners, sales and returns on their own dates, bonus balances as opening entries, friend
codes issued (and used), club members since their day. Each
row — each receipt, for sales and returns — imports in a savepoint of its own, through the
same services as the till: a failed one imports nothing of itself and is reported with its
line and the reason; the rest goes on. A receipt imported once is not imported again."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.calendar import day_of
from wordofmouth.club import service as club
from wordofmouth.customers import service as customers
from wordofmouth.errors import DomainError, InvalidInput
from wordofmouth.friends import imported as friend_codes
from wordofmouth.history.formats import KINDS, Kind, Rows, amount, moment, read, yes
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.ledger.errors import OpeningBalanceExists
from wordofmouth.partners import service as partners
from wordofmouth.partners.errors import EmployeeNotFound, PartnerNotFound
from wordofmouth.partners.importing import MAX_BYTES
from wordofmouth.sales import payments, returns
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.settings import service as store_settings

PAYMENTS = {"cash": PaymentMethod.CASH, "card": PaymentMethod.CARD, "bank": PaymentMethod.BANK}
Progress = Callable[[int, int], None]
Checkpoint = Callable[[int, "Report"], None]


@dataclass
class Report:
    kind: str
    rows: int = 0
    imported: int = 0  # rows, or receipts for sales and returns
    total: int = 0  # documents: rows, or receipts for sales and returns
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Context:
    session: Session
    actor: str
    now: datetime
    partner_ids: dict[str, int] = field(default_factory=dict)

    def at(self, raw: str) -> datetime:
        return moment(raw, store_settings.zone(self.session), today=self.now)


def run(session: Session, kind: str, data: bytes, filename: str, *, actor: str,
        progress: Progress | None = None, commit_every: int = 0, skip: int = 0,
        checkpoint: Checkpoint | None = None, pause: float = 0,
        max_bytes: int = MAX_BYTES) -> Report:
    """Import a file of one kind (at most `max_bytes`: 5 MB from a page, more from `wom`),
    from its document number `skip` on (what an earlier run committed). With
    `commit_every`, the work is committed after every that many documents, `checkpoint`
    called just before each commit and at the end (a job records its progress in the same
    transaction as the documents; raising there undoes the batch). After each commit the
    import waits `pause` seconds: on SQLite, one writer at a time, that is when the tills'
    requests waiting for the lock get in."""
    spec, rows = _read(kind, data, filename, max_bytes)
    ctx = _Context(session, actor, datetime.now(UTC))
    ctx.partner_ids = {p.name.strip().lower(): p.id for p in partners.partners(session)}
    documents = list(_documents(rows, spec.grouped_by))
    report = Report(kind, rows=len(rows), total=len(documents))
    one = _ONE[kind]
    for done, (line, group) in enumerate(documents[skip:], start=skip + 1):
        try:
            with session.begin_nested():
                one(ctx, group)
            report.imported += 1
        except DomainError as exc:
            report.errors.append((line, exc.detail))
        except IntegrityError:  # a rule of the database the services did not check first
            report.errors.append((line, gettext(
                "This row conflicts with something already recorded (a number used twice?).")))
        if commit_every and done % commit_every == 0:
            if checkpoint:
                checkpoint(done, report)
            session.commit()
            if pause:
                time.sleep(pause)
        if progress:
            progress(done, len(documents))
    if checkpoint:
        checkpoint(len(documents), report)
    return report


def count(data: bytes, filename: str, kind: str, *, max_bytes: int = MAX_BYTES) -> Report:
    """What a file holds, read but not imported: its rows and documents (a bad file, a
    missing column, an unknown kind: the error, before anything is queued)."""
    spec, rows = _read(kind, data, filename, max_bytes)
    return Report(kind, rows=len(rows), total=sum(1 for _ in _documents(rows, spec.grouped_by)))


def _read(kind: str, data: bytes, filename: str, max_bytes: int) -> tuple[Kind, Rows]:
    if kind not in KINDS:
        raise InvalidInput(gettext("Import one of: {0}.").format(', '.join(KINDS)))
    return KINDS[kind], read(data, filename, KINDS[kind], max_bytes=max_bytes)


def _documents(rows: Rows, grouped_by: str | None) -> Iterator[tuple[int, Rows]]:
    if grouped_by is None:
        yield from ((line, [(line, values)]) for line, values in rows)
        return
    groups: dict[str, Rows] = defaultdict(list)
    for line, values in rows:
        groups[values.get(grouped_by, "")].append((line, values))
    yield from ((group[0][0], group) for group in groups.values())


def _customer(ctx: _Context, group: Rows) -> None:
    (_line, row), = group
    c = customers.create_customer(
        ctx.session, first_name=row["first_name"], last_name=row.get("last_name", ""),
        phone=row.get("phone") or None, email=row.get("email") or None,
        consent_email=yes(row.get("consent_email", "")),
        consent_sms=yes(row.get("consent_sms", "")),
        consent_viber=yes(row.get("consent_viber", "")), note=row.get("note", ""))
    customers.issue_card(
        ctx.session, c.id, number=row["card"],
        discount_percent=amount(row.get("discount_percent") or "0", gettext("Discount")),
        bonus_percent=amount(row.get("bonus_percent") or "0", gettext("Bonus")))


def _partner_id(ctx: _Context, name: str) -> int:
    found = ctx.partner_ids.get(name.strip().lower())
    if found is None:
        raise PartnerNotFound(gettext("No partner named '{0}'.").format(name))
    return found


def _link(ctx: _Context, group: Rows) -> None:
    (_line, row), = group
    customer_id = customers.card_by_number(ctx.session, row["card"], active_only=False)\
        .customer_id
    partner_id = _partner_id(ctx, row["partner"])
    employee_id = None
    if row.get("employee"):
        employee_id = next((e.id for e in partners.employees(ctx.session, partner_id)
                            if e.name.strip().lower() == row["employee"].strip().lower()), None)
        if employee_id is None:
            raise EmployeeNotFound(gettext("{0} has no employee named '{1}'.")
                                   .format(row["partner"], row["employee"]))
    partners.link(ctx.session, customer_id, partner_id, employee_id=employee_id,
                  source="import", actor=ctx.actor,
                  at=ctx.at(row["date"]) if row.get("date") else None)


def note(session: Session, receipt: str) -> str:
    """The imported sale's note naming its old receipt, in the store's language (the same
    whoever imports, so a return finds its sale)."""
    with i18n.use(store_settings.get(session).language):
        return gettext("Receipt {0} of the previous program").format(receipt)


def _sale(ctx: _Context, group: Rows) -> None:
    first = group[0][1]
    receipt = first["receipt"]
    if sales.imported_sale(ctx.session, note(ctx.session, receipt)) is not None:
        raise InvalidInput(gettext("Receipt {0} is imported already.").format(receipt))
    at = ctx.at(first["date"])
    lines = [sales.LineDraft(code=row["sku"], qty=amount(row["qty"], gettext("Quantity")),
                             unit_price=amount(row["price"], gettext("Price"))
                             if row.get("price") else None) for _line, row in group]
    method = PAYMENTS.get((first.get("payment") or "cash").strip().lower())
    if method is None:
        raise InvalidInput(gettext("Payment is cash, card or bank (not '{0}').")
                           .format(first.get("payment")))
    sale = sales.create_sale(ctx.session, sales.SaleDraft(
        lines=lines, card_number=first.get("card") or None, created_at=at,
        note=note(ctx.session, receipt)), actor=ctx.actor, channel="import")
    payments.pay(ctx.session, sale.id, [payments.PaymentDraft(method, sale.net_total)],
                 paid_at=at)


def _return(ctx: _Context, group: Rows) -> None:
    first = group[0][1]
    sale = sales.imported_sale(ctx.session, note(ctx.session, first["receipt"]))
    if sale is None:
        raise InvalidInput(gettext("Receipt {0} is not imported: import the sales first.")
                           .format(first["receipt"]))
    items = []
    for _line, row in group:
        (product,) = sales.products_for(ctx.session, [sales.LineDraft(code=row["sku"])])
        line = next((ln for ln in sale.lines if ln.product_id == product.id), None)
        if line is None:
            raise InvalidInput(gettext("Receipt {0} has no {1}.").format(first["receipt"],
                                                                         row["sku"]))
        items.append(returns.ReturnItem(line.id, amount(row["qty"], gettext("Quantity"))))
    returns.return_items(ctx.session, sale.id, items, actor=ctx.actor,
                         reason=first.get("reason", ""), at=ctx.at(first["date"]))


def _opening_bonus(ctx: _Context, group: Rows) -> None:
    (_line, row), = group
    card = customers.card_by_number(ctx.session, row["card"], active_only=False)
    balance = amount(row["balance"], gettext("Balance"))
    if balance < 0 or balance != balance.quantize(Decimal("0.01")):
        raise InvalidInput(gettext("A bonus balance is 0 or more, in kopiykas."))
    if operations.open_bonus_balance(
            ctx.session, customer_id=card.customer_id, amount=balance,
            at=ctx.at(row["date"]) if row.get("date") else None) is None and balance:
        raise OpeningBalanceExists()


def _friend_code(ctx: _Context, group: Rows) -> None:
    (_line, row), = group
    owner = customers.card_by_number(ctx.session, row["card"], active_only=False)
    fc = friend_codes.record_issued(
        ctx.session, code=row["code"], campaign=friend_codes.campaign_named(ctx.session,
                                                                           row["campaign"]),
        referrer_id=owner.customer_id, actor=ctx.actor,
        issued_at=ctx.at(row["date"]) if row.get("date") else None)
    if row.get("used_receipt"):
        sale = sales.imported_sale(ctx.session, note(ctx.session, row["used_receipt"]))
        if sale is None:
            raise InvalidInput(gettext("Receipt {0} is not imported: import the sales first.")
                               .format(row["used_receipt"]))
        friend_codes.record_used(ctx.session, fc, sale=sale)


def _club_member(ctx: _Context, group: Rows) -> None:
    (_line, row), = group
    card = customers.card_by_number(ctx.session, row["card"], active_only=False)
    day = day_of(ctx.at(row["since"]), store_settings.zone(ctx.session))
    joined, _already = club.invite(ctx.session, customer_ids=[card.customer_id],
                                   actor=ctx.actor, day=day, action="carried_over")
    if not joined:
        raise InvalidInput(gettext("Card {0} is a club member already.").format(row["card"]))


_ONE: dict[str, Callable[[_Context, Rows], None]] = {
    "customers": _customer, "links": _link, "sales": _sale, "returns": _return,
    "bonus_balances": _opening_bonus, "friend_codes": _friend_code, "club_members": _club_member,
}
