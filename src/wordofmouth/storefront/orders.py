"""Orders reported by the storefront: the account (kept as a store customer), the
attribution decision, the sale that carries the commission, refunds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth import i18n
from wordofmouth.calendar import local
from wordofmouth.catalog import service as catalog
from wordofmouth.customers import service as customers
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import service as ledger
from wordofmouth.partners import service as partners
from wordofmouth.partners.commission import STEP
from wordofmouth.sales import payments, returns
from wordofmouth.sales import service as sales
from wordofmouth.sales.models import PaymentMethod
from wordofmouth.settings import service as store_settings
from wordofmouth.storefront import rules, tokens
from wordofmouth.storefront import settings as storefront_settings
from wordofmouth.storefront.errors import (
    AlreadyRefunded,
    OrderExists,
    OrderLineNotFound,
    OrderNotFound,
)
from wordofmouth.storefront.models import StorefrontAccount, StorefrontOrder
from wordofmouth.webhooks import service as webhooks

if TYPE_CHECKING:  # another capability's tables, named in type hints only
    from wordofmouth.sales.models import Sale

KINDS = ("one_time", "subscription_activation", "subscription_renewal")


@dataclass(frozen=True)
class OrderLine:
    amount: Decimal
    kind: str = "one_time"
    product_id: int | None = None
    group_id: int | None = None
    name: str = ""


def _account(session: Session, external_id: str, email: str | None) -> StorefrontAccount:
    found = session.scalar(select(StorefrontAccount)
                           .where(StorefrontAccount.external_id == external_id))
    if found is not None:
        return found
    # Not the e-mail's local part as a name: a partner sees customers' first names.
    with i18n.use(store_settings.get(session).language):  # a stored name: the store's words
        name = gettext("Online customer")
    customer = customers.create_customer(session, first_name=name, email=email or None)
    found = StorefrontAccount(external_id=external_id, customer_id=customer.id)
    session.add(found)
    session.flush()
    return found


def _product(session: Session, line: OrderLine) -> int:
    """The catalog product of a line; a line that names only a group is booked on that
    group's storefront item (made on first use), so the group's commission rate applies."""
    if line.product_id is not None:
        return catalog.get_product(session, line.product_id).id
    if line.group_id is None:
        raise InvalidInput(gettext("Each line names a product or a product group."))
    group = catalog.get_group(session, line.group_id)
    sku = f"STOREFRONT-{group.id}"
    found = catalog.product_id_by_sku(session, sku)
    if found is not None:
        return found
    return catalog.create_product(session, sku=sku, name=f"{group.name} (storefront)",
                                  group_id=group.id, price=Decimal("0")).id


def report(session: Session, *, external_id: str, account_external_id: str,
           email: str | None, lines: list[OrderLine], token: str | None,
           ordered_at: datetime, actor: str) -> StorefrontOrder:
    """Record an order: link its account to the token's partner when every condition holds
    (genuine token, within the window, partner active now, account new or unlinked), book
    the sale paid at the order's date (its commission accrues through the ledger like any
    sale of a linked customer) and keep the decision."""
    if session.scalar(select(StorefrontOrder.id)
                      .where(StorefrontOrder.external_id == external_id)) is not None:
        raise OrderExists(gettext("Order {0} was reported already.").format(external_id))
    if not lines:
        raise InvalidInput(gettext("An order has at least one line."))
    for line in lines:
        if line.kind not in KINDS:
            raise InvalidInput(gettext("A line's kind is one of {0}.").format(', '.join(KINDS)))
    s = storefront_settings.get(session)
    account = _account(session, account_external_id, email)
    claim = tokens.read(token) if token else None
    partner = partners.find_partner(session, claim[0]) if claim else None
    link = partners.link_of(session, account.customer_id)
    tz = store_settings.zone(session)  # the window counts the store's calendar days
    decision = rules.decide(
        token_ok=None if not token else claim is not None and partner is not None,
        clicked_at=local(claim[2], tz) if claim else None, ordered_at=local(ordered_at, tz),
        window_days=s.cookie_days, partner_active=bool(partner and partner.active),
        linked_partner=link.partner_id if link else None,
        token_partner=partner.id if partner else None)
    if decision == "attributed" and partner is not None:
        partners.link(session, account.customer_id, partner.id, source="storefront",
                      actor=actor)
        made = partners.link_of(session, account.customer_id)
        if made is not None:
            made.linked_at = ordered_at  # the account was brought when it ordered
    sale = sales.create_sale(session, sales.SaleDraft(
        lines=[sales.LineDraft(product_id=_product(session, ln), unit_price=ln.amount)
               for ln in lines],
        customer_id=account.customer_id, created_at=ordered_at, note=f"order {external_id}"),
        actor=actor, channel="storefront", may_set_price=True)  # the storefront's prices
    payments.pay(session, sale.id, [payments.PaymentDraft(PaymentMethod.CARD, sale.net_total)],
                 paid_at=ordered_at)
    order = StorefrontOrder(
        external_id=external_id, account_id=account.id, sale_id=sale.id,
        ordered_at=ordered_at, decision=decision,
        token_partner_id=claim[0] if claim else None, clicked_at=claim[2] if claim else None,
        activations=sum(ln.kind == "subscription_activation" for ln in lines),
        renewals=sum(ln.kind == "subscription_renewal" for ln in lines))
    session.add(order)
    session.flush()
    credited = partners.link_of(session, account.customer_id)
    if credited is not None:  # attributed now, or by the account's earlier link
        webhooks.emit(session, "storefront_order.attributed", {
            "external_id": external_id, "sale_id": sale.id, "decision": decision,
            "partner_id": credited.partner_id, "customer_id": account.customer_id,
            "net_total": str(sale.net_total), "ordered_at": ordered_at.isoformat()})
    return order


def get(session: Session, external_id: str) -> StorefrontOrder:
    found = session.scalar(select(StorefrontOrder)
                           .where(StorefrontOrder.external_id == external_id))
    if found is None:
        raise OrderNotFound(gettext("Order {0} is unknown.").format(external_id))
    return found


def refund(session: Session, external_id: str, line_numbers: list[int], *,
           actor: str) -> Sale:
    """Refund whole lines of an order: a return of the sale, which reverses the
    commission in proportion (pending inside the hold, payable after)."""
    order = get(session, external_id)
    sale = sales.get_sale(session, order.sale_id, lock=True)  # before reading its lines
    by_no = {ln.line_no: ln for ln in sale.lines}
    items = []
    for no in dict.fromkeys(line_numbers):
        line = by_no.get(no)
        if line is None:
            raise OrderLineNotFound(gettext("Order {0} has no line {1}.").format(external_id, no))
        if line.returned_qty >= line.qty:
            raise AlreadyRefunded(gettext("Line {0} of order {1} is refunded already.")
                                  .format(no, external_id))
        items.append(returns.ReturnItem(line.id, line.qty - line.returned_qty))
    if not items:
        raise InvalidInput(gettext("Name the lines to refund."))
    returns.return_items(session, sale.id, items, actor=actor, reason="storefront refund")
    return sales.get_sale(session, sale.id)


@dataclass(frozen=True)
class Summary:
    """An order as the storefront reads it back: its sale, its attribution, its commission."""

    external_id: str
    sale_id: int
    decision: str
    partner_id: int | None
    net_total: Decimal
    refunded: Decimal
    commission: Decimal


def summary(session: Session, order: StorefrontOrder) -> Summary:
    sale = sales.get_sale(session, order.sale_id)
    account = session.get(StorefrontAccount, order.account_id)
    link = partners.link_of(session, account.customer_id) if account else None
    commission = ledger.sale_total(session, sale_id=sale.id, kinds=[STEP, f"{STEP}_reversal"])
    return Summary(external_id=order.external_id, sale_id=sale.id, decision=order.decision,
                   partner_id=link.partner_id if link else None, net_total=sale.net_total,
                   refunded=sale.returned_net, commission=commission)
