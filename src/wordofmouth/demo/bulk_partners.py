"""Partners for the bulk data set: partners with employees and terms, a share of the
customers linked to them over the year, and per sale the attribution and the commission
accrued to the partner's pending account — the rows the till writes, set-wise."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wordofmouth.ledger import service as ledger
from wordofmouth.partners import commission
from wordofmouth.partners import service as partners
from wordofmouth.partners.models import CustomerLink, Partner

LINKED_SHARE = 0.3
RATE = 5  # % of the net amount


@dataclass
class BulkPartners:
    """Partner ids → their employees and pending-commission account; who is linked to whom."""

    employees: dict[int, list[int]] = field(default_factory=dict)
    accounts: dict[int, int] = field(default_factory=dict)
    links: dict[int, tuple[int, int | None]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.employees)


def create(session: Session, count: int) -> BulkPartners:
    """Add `count` partners (two employees each, RATE % for life), then load every partner
    and every link, so that appending more data goes on linking and attributing."""
    kinds = ["blogger", "specialist", "media", "company", "store", "other"]
    start = session.scalar(select(func.count(Partner.id))) or 0
    for n in range(start, start + count):
        p = partners.create_partner(session, actor="bulk", name=f"Партнер {n + 1:04d}",
                                    kind=kinds[n % len(kinds)])
        for e in (1, 2):
            partners.add_employee(session, p.id, name=f"Працівник {e}")
        commission.set_terms(session, p.id, default_rate=Decimal(RATE), months=None, rates={},
                             actor="bulk")
    found = BulkPartners()
    for pid in session.scalars(select(Partner.id).order_by(Partner.id)):
        found.employees[pid] = [e.id for e in partners.employees(session, pid)]
        found.accounts[pid] = ledger.account(session, commission.PENDING, pid).id
    if found:
        found.links = {cid: (pid, eid) for cid, pid, eid in session.execute(
            select(CustomerLink.customer_id, CustomerLink.partner_id, CustomerLink.employee_id))}
    return found


def link_rows(found: BulkPartners, customer_ids: list[int], now: datetime, days: int,
              rng: random.Random) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """customer_links and customer_link_changes rows for a share of the customers, linked at
    moments spread over the period."""
    links, changes = [], []
    ids = list(found.employees)
    for cid in customer_ids:
        if not ids or rng.random() >= LINKED_SHARE:
            continue
        pid = rng.choice(ids)
        eid = rng.choice([None, *found.employees[pid]])
        at = now - timedelta(seconds=rng.randrange(days * 86400))
        found.links[cid] = (pid, eid)
        links.append((cid, pid, eid, at, "import"))
        changes.append((cid, pid, eid, None, None, "import", "bulk", "", at))
    return links, changes


LINK_COLUMNS = ["customer_id", "partner_id", "employee_id", "linked_at", "source"]
CHANGE_COLUMNS = ["customer_id", "partner_id", "employee_id", "previous_partner_id",
                  "previous_employee_id", "source", "actor", "reason", "at"]
ATTRIBUTION_COLUMNS = ["sale_id", "partner_id", "employee_id", "reason", "code", "commission"]


def for_sale(found: BulkPartners, sid: int, cid: int | None, net: int, at: datetime,
             entry_id: int) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """The sale's attribution row and, for a partner's customer, its commission entry."""
    link = found.links.get(cid) if cid is not None else None
    if link is None:
        return (sid, None, None, "none", "", 0), None
    pid, eid = link
    amount = (net * RATE + 50) // 100
    entry = (entry_id, found.accounts[pid], amount, commission.STEP, "sale", sid,
             f"sale:{sid}:{commission.STEP}", sid, "", at)
    return (sid, pid, eid, "linked_customer", "", amount), entry
