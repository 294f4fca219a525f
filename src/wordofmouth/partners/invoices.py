"""Invoice profit: net revenue (after returns) − cost of goods kept − linked expenses (the
one-time payments to partners linked to the invoice; commission set off against it is a
payment of the invoice, not an expense)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.money import ZERO, round_money
from wordofmouth.partners.models import Payout
from wordofmouth.sales.models import Sale, SaleLine


@dataclass(frozen=True)
class Profit:
    revenue: Decimal
    cost: Decimal
    expenses: Decimal

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.cost - self.expenses


def profits(session: Session, sale_ids: Iterable[int]) -> dict[int, Profit]:
    """The profit of each of the given invoices, with three set-wise queries."""
    ids = list(sale_ids)
    if not ids:
        return {}
    revenue = dict(session.execute(select(Sale.id, Sale.net_total - Sale.returned_net)
                                   .where(Sale.id.in_(ids))).all())
    cost: dict[int, Decimal] = {}
    for sale_id, qty, returned, unit_cost in session.execute(
            select(SaleLine.sale_id, SaleLine.qty, SaleLine.returned_qty, SaleLine.unit_cost)
            .where(SaleLine.sale_id.in_(ids))):
        cost[sale_id] = cost.get(sale_id, ZERO) + (qty - returned) * unit_cost
    expenses = dict(session.execute(select(Payout.invoice_id, func.sum(Payout.amount))
                                    .where(Payout.invoice_id.in_(ids),
                                           Payout.kind == "one_time")
                                    .group_by(Payout.invoice_id)).all())
    return {i: Profit(revenue.get(i, ZERO), round_money(cost.get(i, ZERO)),
                      expenses.get(i) or ZERO) for i in ids if i in revenue}


def profit(session: Session, sale_id: int) -> Profit:
    return profits(session, [sale_id])[sale_id]
