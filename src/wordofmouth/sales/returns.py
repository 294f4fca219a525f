"""Returns against a paid receipt: by line and quantity, refunds and reversals in proportion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from wordofmouth.audit import service as audit
from wordofmouth.calendar import day_of
from wordofmouth.db import utcnow
from wordofmouth.errors import InvalidInput
from wordofmouth.i18n import gettext
from wordofmouth.ledger import operations
from wordofmouth.money import ZERO
from wordofmouth.sales import rules
from wordofmouth.sales.errors import (
    InvalidQuantity,
    LineNotFound,
    ReturnExceedsSold,
    SaleNotReturnable,
)
from wordofmouth.sales.extensions import EXTENSIONS
from wordofmouth.sales.models import (
    PaymentMethod,
    ReturnLine,
    Sale,
    SaleReturn,
    SaleStatus,
)
from wordofmouth.sales.service import get_sale
from wordofmouth.settings import service as store_settings
from wordofmouth.webhooks import service as webhooks


@dataclass(frozen=True)
class ReturnItem:
    line_id: int
    qty: Decimal


def return_items(session: Session, sale_id: int, items: list[ReturnItem], *, actor: str,
                 reason: str = "", at: datetime | None = None) -> SaleReturn:
    """Return some quantity of some lines; refunds follow the payment methods and every
    accrual step reverses in proportion to the returned net amount."""
    sale = get_sale(session, sale_id, lock=True)
    if sale.status not in (SaleStatus.PAID, SaleStatus.PARTIALLY_RETURNED):
        raise SaleNotReturnable(gettext("{0} is {1}; only a paid sale can be returned.")
                                .format(sale.number, sale.status.replace('_', ' ')))
    wanted = _merge(items)
    if not wanted:
        raise InvalidInput(gettext("Choose at least one line to return."))
    lines = {line.id: line for line in sale.lines}
    at = at or utcnow()
    tz = store_settings.zone(session)
    ret = SaleReturn(sale_id=sale.id, created_by=actor, reason=reason.strip()[:300],
                     net_amount=ZERO, created_at=at, day=day_of(at, tz))
    ret.recorded_day = max(ret.day, day_of(utcnow(), tz))
    returned_now = ZERO
    for line_id, qty in wanted.items():
        line = lines.get(line_id)
        if line is None:
            raise LineNotFound(gettext("{0} has no line with id {1}.").format(sale.number, line_id))
        if qty <= 0 or qty != qty.quantize(Decimal("0.001")):
            raise InvalidQuantity(gettext("Return quantity {0} is not allowed.").format(qty))
        left = line.qty - line.returned_qty
        if qty > left:
            raise ReturnExceedsSold(gettext("Line {0} ({1}): {2:f} can still be returned, "
                                            "not {3:f}.")
                                    .format(line.line_no, line.name, left.normalize(),
                                            qty.normalize()))
        net = rules.returned_line_net(line.net, line.qty, line.returned_qty, qty)
        line.returned_qty += qty
        ret.lines.append(ReturnLine(sale_line_id=line.id, qty=qty, net=net))
        returned_now += net
    returned_before = sale.returned_net
    refund = rules.split_refund(sale.net_total, returned_before, returned_now, {
        m.value: sale.paid_with(m) for m in PaymentMethod
    })
    ret.net_amount = returned_now
    ret.refund_cash, ret.refund_card = refund["cash"], refund["card"]
    ret.refund_bank, ret.refund_bonus = refund["bank"], refund["bonus"]
    ret.refund_setoff = refund["setoff"]
    session.add(ret)
    session.flush()
    if ret.refund_setoff:
        EXTENSIONS.payment_handlers[PaymentMethod.SETOFF].give_back(
            session, sale, ret.refund_setoff, source_type="return", source_id=ret.id, at=at)
    if ret.refund_bonus and sale.customer_id is not None:
        operations.refund_bonus_of_return(session, customer_id=sale.customer_id,
                                          return_id=ret.id, sale_id=sale.id,
                                          amount=ret.refund_bonus, at=at)
    for step in reversed(EXTENSIONS.accrual_steps):
        step.reverse(session, sale, ret, returned_before)
    sale.returned_net = returned_before + returned_now
    audit.record(session, actor=actor, action="sale.return", target_type="sale",
                 target_id=sale.id, return_id=ret.id, net_amount=str(returned_now),
                 refund={k: str(v) for k, v in refund.items()}, reason=ret.reason)
    everything_back = all(line.returned_qty == line.qty for line in sale.lines)
    sale.status = SaleStatus.RETURNED if everything_back else SaleStatus.PARTIALLY_RETURNED
    session.flush()
    webhooks.emit(session, "sale.returned", {
        "sale_id": sale.id, "return_id": ret.id, "customer_id": sale.customer_id,
        "net_amount": str(returned_now), "status": sale.status,
        "refund": {k: str(v) for k, v in refund.items()}, "reason": ret.reason})
    return ret


def _merge(items: list[ReturnItem]) -> dict[int, Decimal]:
    merged: dict[int, Decimal] = {}
    for item in items:
        if item.qty <= 0:
            raise InvalidQuantity(gettext("Return quantity {0} is not allowed.").format(item.qty))
        merged[item.line_id] = merged.get(item.line_id, ZERO) + item.qty
    return merged


def returnable(sale: Sale) -> bool:
    return sale.status in (SaleStatus.PAID, SaleStatus.PARTIALLY_RETURNED)


def returned_lines(session: Session, sale_id: int) -> list[tuple[int, int, Decimal]]:
    """(return, sale line, net given back) of every line returned from the sale."""
    return [(rid, lid, net) for rid, lid, net in session.execute(
        select(ReturnLine.return_id, ReturnLine.sale_line_id, ReturnLine.net)
        .join(SaleReturn, SaleReturn.id == ReturnLine.return_id)
        .where(SaleReturn.sale_id == sale_id)).all()]
