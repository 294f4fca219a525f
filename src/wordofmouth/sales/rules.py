"""Pure till arithmetic: one discount per line, line pricing, bonus share, proportional returns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from wordofmouth.money import ZERO, cumulative_part, percent_of, round_money

# When two candidates offer the same percentage, the earlier source names the discount.
SOURCE_ORDER = ("card", "club", "friend_code", "partner_code", "partner_offer")


@dataclass(frozen=True)
class DiscountCandidate:
    source: str
    percent: Decimal
    reference: str = ""  # what names it to a person: a referrer, a promo code, an offer


@dataclass(frozen=True)
class LinePrice:
    gross: Decimal
    discount_percent: Decimal
    discount_source: str
    discount_amount: Decimal
    net: Decimal
    discount_reference: str = ""


def resolve_discount(candidates: Iterable[DiscountCandidate]) -> DiscountCandidate | None:
    """The largest percentage wins; discounts are never summed. None when nothing applies."""
    best: DiscountCandidate | None = None
    for cand in candidates:
        if cand.percent <= 0:
            continue
        if best is None or cand.percent > best.percent or (
            cand.percent == best.percent and _rank(cand.source) < _rank(best.source)
        ):
            best = cand
    return best


def _rank(source: str) -> int:
    return SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER)


def price_line(unit_price: Decimal, qty: Decimal, discount: DiscountCandidate | None) -> LinePrice:
    """Gross = price × quantity; the discount is rounded once, on the line."""
    gross = round_money(unit_price * qty)
    if discount is None:
        return LinePrice(gross, ZERO, "", ZERO, gross)
    amount = percent_of(gross, discount.percent)
    return LinePrice(gross, discount.percent, discount.source, amount, gross - amount,
                     discount.reference[:120])


def bonus_payment_limit(net_total: Decimal, share_percent: Decimal, bonus_paid: Decimal,
                        balance: Decimal, due: Decimal) -> Decimal:
    """The most a receipt can still take in bonuses: the share rule, the balance, the due."""
    by_share = percent_of(net_total, share_percent) - bonus_paid
    return max(ZERO, min(by_share, balance, due))


def returned_line_net(line_net: Decimal, line_qty: Decimal, returned_before: Decimal,
                      qty_now: Decimal) -> Decimal:
    """Net amount given back for `qty_now` more units of a line."""
    return cumulative_part(line_net, returned_before, qty_now, line_qty)


def split_refund(net_total: Decimal, returned_before: Decimal, returned_now: Decimal,
                 paid_by_method: dict[str, Decimal]) -> dict[str, Decimal]:
    """A refund goes back the way the receipt was paid, each method in proportion (computed on
    cumulative figures); cash takes what rounding leaves, so the parts add up exactly."""
    refund = {
        method: cumulative_part(paid, returned_before, returned_now, net_total)
        for method, paid in paid_by_method.items() if method != "cash"
    }
    refund["cash"] = returned_now - sum(refund.values(), ZERO)
    return refund
