"""Sales at the till and through the API: open a sale, add lines, price them, void."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from wordofmouth import rows
from wordofmouth.audit import service as audit
from wordofmouth.calendar import day_of, end_of, start_of, today_date
from wordofmouth.catalog import service as catalog
from wordofmouth.catalog.errors import ProductNotFound
from wordofmouth.customers import service as customers
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.money import MAX_AMOUNT, MAX_SALE, ZERO, fmt
from wordofmouth.sales import rules
from wordofmouth.sales.errors import (
    AmountOutOfBounds,
    EmptySale,
    InvalidQuantity,
    LineNotFound,
    PriceOverrideForbidden,
    ProductNotOnSale,
    SaleNotFound,
    SaleNotOpen,
    TooManyLines,
    UnknownCode,
)
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import PAID_STATUSES, Sale, SaleKind, SaleLine, SaleStatus
from wordofmouth.scancodes import service as scancodes
from wordofmouth.settings import service as store_settings

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.catalog.models import Product
    from wordofmouth.customers.models import DiscountCard

MAX_LINES = 500


@dataclass(frozen=True)
class LineDraft:
    product_id: int | None = None
    code: str | None = None  # barcode or SKU
    qty: Decimal = Decimal("1")
    unit_price: Decimal | None = None  # defaults to the catalog price


@dataclass(frozen=True)
class SaleDraft:
    lines: list[LineDraft] = field(default_factory=list)
    customer_id: int | None = None
    card_number: str | None = None
    kind: SaleKind = SaleKind.RECEIPT
    created_at: datetime | None = None  # a document date, for importing history
    due_date: date | None = None
    note: str = ""


def imported_sale(session: Session, note: str) -> Sale | None:
    """The sale a history import made of an old receipt (named in its note)."""
    return session.scalar(select(Sale).where(Sale.channel == "import", Sale.note == note)
                          .limit(1))


def counts_at(sale: Sale) -> datetime:
    """The moment a sale counts at, for every rule with a date (a code's validity, a term's
    window, the day of a purchase): when it was paid; an imported document at its own date;
    an open sale now."""
    if sale.paid_at is not None:
        return sale.paid_at
    return sale.created_at if sale.channel == "import" else utcnow()


def day_of_sale(session: Session, sale: Sale) -> int:
    """The store day a sale counts on (the store's local day)."""
    return day_of(counts_at(sale), store_settings.zone(session))


def has_paid_purchase(session: Session, customer_id: int, *, besides: int | None = None
                      ) -> bool:
    """Whether the customer has bought anything (a paid sale), `besides` this sale."""
    bought = exists().where(Sale.customer_id == customer_id, Sale.paid_at.is_not(None))
    if besides is not None:
        bought = bought.where(Sale.id != besides)
    return session.scalar(select(bought)) is True

def find_sale(session: Session, sale_id: int) -> Sale | None:
    return session.get(Sale, sale_id)

def customers_of(session: Session, sale_ids: list[int]) -> dict[int, int | None]:
    """The customer of each sale, by sale id (one query)."""
    if not sale_ids:
        return {}
    return {sid: cid for sid, cid in session.execute(
        select(Sale.id, Sale.customer_id).where(Sale.id.in_(sale_ids)))}


def get_sale(session: Session, sale_id: int, *, lock: bool = False) -> Sale:
    """A sale with its lines and payments; `lock` holds its row until the transaction ends.

    A locked read always reloads the sale, its lines and payments from the database
    (populate_existing): a copy loaded earlier in this session, before the lock, may be
    stale — another transaction may have returned or paid it meanwhile."""
    stmt = select(Sale).where(Sale.id == sale_id).options(
        selectinload(Sale.lines), selectinload(Sale.payments)
    )
    if lock:
        stmt = rows.locked(session, stmt)
    sale = session.scalars(stmt).one_or_none()
    if sale is None:
        raise SaleNotFound(gettext("Sale {0} does not exist.").format(sale_id))
    return sale


def require_open(sale: Sale) -> None:
    if sale.status != SaleStatus.OPEN:
        raise SaleNotOpen(gettext("{0} is {1}.").format(sale.number, sale.status.replace('_', ' ')))


def open_receipts(session: Session, *, created_by: str | None = None,
                  limit: int = 20) -> list[Sale]:
    """The till's receipts still open, newest first (`created_by`: one cashier's only) —
    to resume after a reload or on another screen."""
    stmt = select(Sale).where(Sale.status == SaleStatus.OPEN, Sale.kind == SaleKind.RECEIPT,
                              Sale.channel == "pos")
    if created_by is not None:
        stmt = stmt.where(Sale.created_by == created_by)
    return list(session.scalars(stmt.order_by(Sale.created_at.desc()).limit(limit)))


def open_sale(session: Session, *, actor: str, channel: str = "pos",
              kind: SaleKind = SaleKind.RECEIPT, customer_id: int | None = None,
              card_number: str | None = None, created_at: datetime | None = None,
              due_date: date | None = None, note: str = "") -> Sale:
    """Start an open sale (a POS basket, an API order or an invoice to be paid later)."""
    sale = _new_sale(session, actor=actor, channel=channel, kind=kind, customer_id=customer_id,
                     card_number=card_number, created_at=created_at, due_date=due_date,
                     note=note)
    session.flush()
    return sale


def _new_sale(session: Session, *, actor: str, channel: str, kind: SaleKind,
              customer_id: int | None, card_number: str | None, created_at: datetime | None,
              due_date: date | None, note: str) -> Sale:
    """A pending sale with its buyer; nothing is written until the caller flushes."""
    sale = Sale(kind=kind, status=SaleStatus.OPEN, created_by=actor, channel=channel,
                created_at=created_at or utcnow(), due_date=due_date, note=note.strip()[:300],
                gross_total=ZERO, discount_total=ZERO, net_total=ZERO, paid_total=ZERO,
                returned_net=ZERO, lines=[], payments=[], presented_codes=[])
    if card_number:
        card = customers.card_by_number(session, card_number)
        sale.card, sale.customer_id = card, card.customer_id
    elif customer_id is not None:
        customer = customers.get_customer(session, customer_id)
        sale.customer_id = customer.id
        sale.card = customer.main_card
    session.add(sale)
    return sale


def create_sale(session: Session, draft: SaleDraft, *, actor: str, channel: str,
                may_set_price: bool = False) -> Sale:
    """Open a sale with all its lines in one step (the API and history imports). A line may
    carry its own price only with `may_set_price` (the sales:price permission, or a
    storefront that sets its prices); every such line is audited."""
    if not draft.lines:
        raise EmptySale()
    if len(draft.lines) > MAX_LINES:
        raise TooManyLines(gettext("A sale has at most {0} lines.").format(MAX_LINES))
    products = products_for(session, draft.lines)
    sale = _new_sale(session, actor=actor, channel=channel, kind=draft.kind,
                     customer_id=draft.customer_id, card_number=draft.card_number,
                     created_at=draft.created_at, due_date=draft.due_date, note=draft.note)
    overridden = []
    for line, product in zip(draft.lines, products, strict=True):
        price = line.unit_price
        if price is not None and price != product.price:
            if not may_set_price:
                raise PriceOverrideForbidden(
                    gettext("{0} sells at {1}; a price of its own for a line needs the "
                            "sales:price permission (an owner or a manager).")
                    .format(product.name, product.price))
            overridden.append({"product_id": product.id, "catalog": str(product.price),
                               "price": str(price), "qty": str(line.qty)})
        _append_line(sale, product, line.qty, price)
    recompute(session, sale)  # one flush writes the sale and its lines, already priced
    if overridden and channel != "storefront":
        audit.record(session, actor=actor, action="sale.price_override", target_type="sale",
                     target_id=sale.id, lines=overridden)
    return sale


def products_for(session: Session, lines: list[LineDraft]) -> list[Product]:
    """The products of the drafted lines, found with one query for all ids."""
    ids = {ln.product_id for ln in lines if ln.product_id is not None}
    by_id = catalog.products_by_id(session, ids)
    found = []
    for line in lines:
        if line.product_id is not None:
            product = by_id.get(line.product_id)
            if product is None:
                raise ProductNotFound(gettext("Product {0} does not exist.")
                                      .format(line.product_id))
        elif line.code:
            product = catalog.find_product(session, line.code)
            if product is None:
                raise UnknownCode(gettext("No product with barcode or SKU {0}.").format(line.code))
        else:
            raise InvalidInput(gettext("Each line needs a product id or a barcode."))
        found.append(product)
    return found


def _check_qty(qty: Decimal) -> None:
    if qty <= 0 or qty != qty.quantize(Decimal("0.001")) or qty > Decimal("100000"):
        raise InvalidQuantity(gettext("Quantity {0} is not allowed: more than 0, at most "
                                      "100000, at most three decimals.").format(qty))


def _append_line(sale: Sale, product: Product, qty: Decimal,
                 unit_price: Decimal | None) -> SaleLine:
    _check_qty(qty)
    if not product.active:
        raise ProductNotOnSale(gettext("{0} is not on sale.").format(product.name))
    price = product.price if unit_price is None else unit_price
    if price < 0 or price > MAX_AMOUNT:
        raise AmountOutOfBounds(gettext("A price is between 0 and {0}.").format(fmt(MAX_AMOUNT)))
    line = SaleLine(line_no=len(sale.lines) + 1, product_id=product.id,
                    group_id=product.group_id, name=product.name, qty=qty, unit_price=price,
                    unit_cost=product.cost_price, gross=ZERO, net=ZERO,
                    discount_percent=ZERO, discount_amount=ZERO, discount_source="",
                    discount_reference="",
                    returned_qty=ZERO)
    sale.lines.append(line)
    return line


def add_product(session: Session, sale: Sale, product: Product,
                qty: Decimal = Decimal("1")) -> SaleLine:
    """Add a product to an open sale; scanning the same product again adds to its line."""
    require_open(sale)
    for line in sale.lines:
        if line.product_id == product.id and line.unit_price == product.price:
            _check_qty(line.qty + qty)
            line.qty += qty
            recompute(session, sale)
            return line
    line = _append_line(sale, product, qty, None)
    recompute(session, sale)
    return line


def set_line_qty(session: Session, sale: Sale, line_no: int, qty: Decimal) -> None:
    """Change a line's quantity; zero removes the line."""
    require_open(sale)
    line = next((ln for ln in sale.lines if ln.line_no == line_no), None)
    if line is None:
        raise LineNotFound(gettext("{0} has no line {1}.").format(sale.number, line_no))
    if qty == 0:
        sale.lines.remove(line)
        for n, rest in enumerate(sale.lines, start=1):
            rest.line_no = n
    else:
        _check_qty(qty)
        line.qty = qty
    recompute(session, sale)


def attach_card(session: Session, sale: Sale, card: DiscountCard) -> None:
    """Put a customer's card on an open sale: its owner becomes the buyer."""
    require_open(sale)
    sale.card = card
    sale.customer_id = card.customer_id
    recompute(session, sale)


def attach_customer(session: Session, sale: Sale, customer_id: int) -> None:
    """Put a customer found at the till on an open sale: with their main card if they have
    one (its discount applies), else the customer alone."""
    customer = customers.get_customer(session, customer_id)
    card = customer.main_card
    if card is not None:
        attach_card(session, sale, card)
        return
    require_open(sale)
    sale.card, sale.customer_id = None, customer.id
    recompute(session, sale)


def recompute(session: Session, sale: Sale) -> None:
    """Price every line with the one discount that wins for it, and total the sale."""
    offers: dict[int, list[rules.DiscountCandidate]] = {}
    # What the providers read (settings, the customer's link, offers) does not need the
    # sale written first: a new sale and its lines go out once, already priced.
    with session.no_autoflush:
        for provider in EXTENSIONS.discount_providers:
            for line_no, cands in provider.candidates(session, sale).items():
                offers.setdefault(line_no, []).extend(cands)
    gross = discount = net = ZERO
    for line in sale.lines:
        price = rules.price_line(line.unit_price, line.qty,
                                 rules.resolve_discount(offers.get(line.line_no, [])))
        line.gross, line.net = price.gross, price.net
        line.discount_percent, line.discount_source = price.discount_percent, price.discount_source
        line.discount_reference = price.discount_reference
        line.discount_amount = price.discount_amount
        gross += price.gross
        discount += price.discount_amount
        net += price.net
    if gross > MAX_SALE:
        raise AmountOutOfBounds(gettext("A sale comes to at most {0}; this one would come to "
                                        "{1}.").format(fmt(MAX_SALE), fmt(gross)))
    sale.gross_total, sale.discount_total, sale.net_total = gross, discount, net
    session.flush()


def reprice(session: Session, sale_id: int) -> Sale:
    """Price an open sale again as things stand now (after a refused payment said its
    prices had moved), so the till shows what it will take."""
    sale = get_sale(session, sale_id, lock=True)
    if sale.status == SaleStatus.OPEN and not sale.paid_total:
        recompute(session, sale)
    return sale


def scan(session: Session, sale: Sale, code: str) -> str:
    """What a barcode scanner types into the one POS input: a card, a product or a promo code."""
    require_open(sale)
    code = code.strip()
    if not code:
        raise InvalidInput(gettext("Scan or type a code."))
    qty = Decimal("1")
    if "*" in code:  # "3*4820000000001": three of a product, as tills accept
        head, _, code = code.partition("*")
        try:
            qty = Decimal(head.replace(",", "."))
        except ArithmeticError as exc:
            raise InvalidQuantity(gettext("'{0}' is not a quantity.").format(head)) from exc
    found = scancodes.resolve_typed(session, code)
    if found is not None and found.kind == "card":
        card = customers.get_card(session, found.target_id)
        attach_card(session, sale, customers.card_by_number(session, card.number))
        customer = customers.get_customer(session, card.customer_id)
        return gettext("Card {0}: {1}").format(card.number, customer.full_name)
    if found is not None and found.kind in EXTENSIONS.code_handlers:
        return EXTENSIONS.code_handlers[found.kind].apply(session, sale, found.target_id, code)
    product = catalog.find_product(session, code)
    if product is None:
        raise UnknownCode(gettext("Nothing matches '{0}': not a product, a card or a promo "
                                  "code.").format(code))
    line = add_product(session, sale, product, qty)
    return f"{product.name} × {line.qty.normalize():f}"



def confirmation(session: Session, sale: Sale | None, code: str) -> str | None:
    """What the cashier confirms before a scanned code applies (a friend code: its discount
    and whose it is), or None for anything that applies at once. A code that cannot apply
    is refused with its reason."""
    code = code.strip()
    found = scancodes.resolve_typed(session, code)
    handler = EXTENSIONS.code_handlers.get(found.kind) if found is not None else None
    if found is None or handler is None:
        return None
    return handler.describe(session, sale, found.target_id, code)


def list_sales(session: Session, *, status: str | None = None, kind: str | None = None,
               customer_id: int | None = None, date_from: date | None = None,
               date_to: date | None = None, limit: int = 50, offset: int = 0) -> list[Sale]:
    stmt = select(Sale).order_by(Sale.id.desc()).limit(limit).offset(offset)
    if status:
        stmt = stmt.where(Sale.status == status)
    if kind:
        stmt = stmt.where(Sale.kind == kind)
    if customer_id is not None:
        stmt = stmt.where(Sale.customer_id == customer_id)
    if date_from is not None:
        stmt = stmt.where(Sale.created_at >= start_of(date_from, store_settings.zone(session)))
    if date_to is not None:
        stmt = stmt.where(Sale.created_at < end_of(date_to, store_settings.zone(session)))
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Today:
    """The home page's figures: today's paid sales and revenue, open invoices, customers,
    the last paid sales."""

    sales: int
    revenue: Decimal
    open_invoices: int
    customers: int
    recent: list[Sale]


def today_summary(session: Session) -> Today:
    """Today's figures for the home page (today is the store's day)."""
    tz = store_settings.zone(session)
    since = start_of(today_date(tz), tz)
    count, revenue = session.execute(
        select(func.count(Sale.id), func.sum(Sale.net_total - Sale.returned_net))
        .where(Sale.paid_at >= since, Sale.status.in_(PAID_STATUSES))).one()
    return Today(
        sales=count, revenue=revenue or ZERO,
        open_invoices=session.scalar(select(func.count(Sale.id)).where(
            Sale.kind == SaleKind.INVOICE, Sale.status == SaleStatus.OPEN)) or 0,
        customers=customers.count(session),
        recent=list(session.scalars(select(Sale).where(Sale.status.in_(PAID_STATUSES))
                                    .order_by(Sale.id.desc()).limit(10))))
