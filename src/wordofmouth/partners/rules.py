"""Partner rules: commission rates down the group tree, the commission term, first link
wins, milestones."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from wordofmouth.money import ZERO, cumulative_part, round_money

CODE = re.compile(r"^[A-Z0-9-]{3,32}$")
AUTOMATIC_SOURCES = ("partner_code", "storefront", "invoice")


def normal_code(raw: str) -> str:
    """Partner codes match case-insensitively: they are kept and compared upper-case."""
    return raw.strip().upper()


def is_valid_code(raw: str) -> bool:
    return bool(CODE.match(normal_code(raw)))


def rate_for(group_path: Sequence[int], rates: Mapping[int, Decimal],
             default: Decimal) -> Decimal:
    """The rate of the most specific group on the path (root … leaf) that has one, else the
    partner's default rate. A 0 % rate excludes that group (and its sub-groups without a
    rate of their own)."""
    for group_id in reversed(group_path):
        if group_id in rates:
            return rates[group_id]
    return default


def commission(lines: Iterable[tuple[Sequence[int], Decimal]], rates: Mapping[int, Decimal],
               default: Decimal) -> Decimal:
    """Commission on net line amounts, each at its group's rate, rounded once."""
    return commission_of((net, rate_for(path, rates, default)) for path, net in lines)


def commission_of(lines: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """Commission on (net amount, rate %) lines, rounded once."""
    return round_money(sum((net * rate for net, rate in lines), ZERO) / 100)


def line_reversal(accrued: Decimal, lines: Iterable[tuple[Decimal, Decimal, Decimal, Decimal]]
                  ) -> Decimal:
    """What a return takes back of a sale's commission: each line's share is its net amount
    times its own rate, so returning a line takes back what that line earned and nothing of
    the goods the customer kept. `lines` are (net, rate, returned before, returned now),
    amounts net; computed on cumulative figures, so returning everything in any number of
    parts takes back exactly what was accrued."""
    whole = before = now = ZERO
    for net, rate, returned_before, returned_now in lines:
        whole += net * rate
        before += returned_before * rate
        now += returned_now * rate
    if accrued == ZERO or whole == ZERO:
        return ZERO
    return cumulative_part(accrued, before, now, whole)


def add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def within_term(linked_on: date, sale_on: date, months: int | None) -> bool:
    """The term runs from the day of the link: nothing bought before it earns (imported
    history, say); a lifetime term holds from then on, an N-month one until the day before
    the same day N months later — the window [link, link + N months)."""
    if sale_on < linked_on:
        return False
    return months is None or sale_on < add_months(linked_on, months)


def may_link(current_partner: int | None, source: str) -> bool:
    """The first link wins: an automatic path never re-links a linked customer."""
    return current_partner is None or source not in AUTOMATIC_SOURCES


def milestones(count_before: int, count_after: int, every: int) -> int:
    """How many times the count of qualifying new customers crossed a multiple of `every`."""
    if every <= 0:
        return 0
    return count_after // every - count_before // every
