"""What a checkout asks the database, counted: each thing it needs is read once per
checkout however many steps use it (the store settings, the customer's link, the partner's
terms), a sale and its lines are written once, already priced, and an Idempotency-Key costs
one insert and one update. Counted, not timed: the figures are in docs/benchmarks.md."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.factories import CardFactory, ProductFactory
from tests.partners.helpers import partner
from wordofmouth.partners import service as partners

D = Decimal


@contextmanager
def statements(db: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    engine = db.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _by_table(seen: list[str]) -> Counter[str]:
    """'SELECT store_settings', 'INSERT sale_lines', … for each statement."""
    out: Counter[str] = Counter()
    for s in seen:
        verb = s.split()[0].upper()
        table = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", s, re.I)
        out[f"{verb} {table.group(1) if table else '?'}"] += 1
    return out


def test_a_checkout_reads_each_thing_once_and_writes_the_sale_once(
        client: TestClient, db: Session, writer: dict[str, str]) -> None:
    products = [ProductFactory.create(price=D(p)).id for p in ("100.00", "250.00", "39.90")]
    salon = partner(db, "Salon Lily", rate="10")
    card = CardFactory.create(bonus_percent=D("5"))
    partners.link(db, card.customer_id, salon.id, actor="owner")
    body = {"card_number": card.number,
            "lines": [{"product_id": p, "qty": "1"} for p in products],
            "payments": [{"method": "cash", "amount": "1000.00"}]}
    client.post("/api/sales", json=body, headers=writer)  # the first one warms the caches
    with statements(db) as seen:
        paid = client.post("/api/sales", json=body, headers=writer | {"Idempotency-Key": "s2"})
    assert paid.status_code == 201, paid.text
    assert paid.json()["attribution"]["partner"] == "Salon Lily"
    counted = _by_table(seen)
    for read in ("store_settings", "customer_links", "commission_terms", "partners",
                 "commission_rates"):
        assert counted[f"SELECT {read}"] == 1, (read, counted)
    assert counted["INSERT sales"] == 1 and counted["UPDATE sales"] == 1  # then paid
    assert counted["UPDATE sale_lines"] == 0  # (one INSERT on PostgreSQL, one a line on SQLite)
    assert counted["SELECT idempotency_records"] == 0
    assert counted["INSERT idempotency_records"] == counted["UPDATE idempotency_records"] == 1
    assert len(seen) - counted["INSERT sale_lines"] <= 30, "\n".join(seen)
