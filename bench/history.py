"""A store's history imported from CSV with `wom history import`, against the same
history entered document by document through the sales services (what the till and the
API do), on PostgreSQL: the time of each, their ratio, and whether every balance agrees.

    python -m bench.history [--customers 10000] [--sales 100000] [--side-by-side]

With --side-by-side the two run at once (one core each): their ratio holds, their absolute
times are those of a machine shared by both.
"""

from __future__ import annotations

import argparse
import csv
import io
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from bench.common import fresh_database
from wordofmouth import db as database
from wordofmouth import plugins
from wordofmouth.ledger.models import LedgerAccount
from wordofmouth.migrate import upgrade

SKUS = {"A1": Decimal("100.00"), "B2": Decimal("250.00"), "C3": Decimal("39.90")}


def history(customers: int, sales: int) -> dict[str, list[dict[str, str]]]:
    rnd = random.Random(11)
    people = [{"card": f"20{n:011d}", "first_name": f"Name{n}", "last_name": "Koval",
               "bonus_percent": "5"} for n in range(customers)]
    links = [{"card": p["card"], "partner": "Salon Anna", "date": "2025-01-10"}
             for p in people[: customers // 3]]
    rows = []
    for n in range(sales):
        day = (date(2025, 2, 1) + timedelta(days=rnd.randint(0, 300))).isoformat()
        card = rnd.choice(people)["card"] if n % 4 else ""
        for sku in rnd.sample(list(SKUS), rnd.randint(1, 2)):
            rows.append({"receipt": f"R{n:07d}", "date": day, "card": card, "sku": sku,
                         "qty": "1", "payment": "cash"})
    rows.sort(key=lambda r: r["date"])
    return {"customers": people, "links": links, "sales": rows}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def catalog(url: str) -> None:
    from wordofmouth.catalog import service as catalog_service
    from wordofmouth.partners import commission
    from wordofmouth.partners import service as partners

    upgrade(url)
    database.configure(url)
    with database.transaction() as s:
        group = catalog_service.create_group(s, name="All", parent_id=None)
        for sku, price in SKUS.items():
            catalog_service.create_product(s, sku=sku, name=sku, group_id=group.id,
                                           price=price)
        anna = partners.create_partner(s, actor="bench", name="Salon Anna", kind="company")
        commission.set_terms(s, anna.id, default_rate=Decimal("10"), months=None, rates={},
                             actor="bench")


def entered(url: str, h: dict[str, list[dict[str, str]]]) -> float:
    """The reference: each document through the services, one transaction each."""
    from wordofmouth.customers import service as customers
    from wordofmouth.partners import service as partners
    from wordofmouth.sales import payments, service
    from wordofmouth.sales.models import PaymentMethod

    database.configure(url)
    start = time.perf_counter()
    ids = {}
    for p in h["customers"]:
        with database.transaction() as s:
            c = customers.create_customer(s, first_name=p["first_name"],
                                          last_name=p["last_name"])
            customers.issue_card(s, c.id, number=p["card"], bonus_percent=Decimal("5"))
            ids[p["card"]] = c.id
    with database.transaction() as s:
        anna = partners.partners(s)[0].id
    for link in h["links"]:
        with database.transaction() as s:
            partners.link(s, ids[link["card"]], anna, source="import", actor="bench",
                          at=datetime.combine(date.fromisoformat(link["date"]), clock(10),
                                              tzinfo=UTC))
    receipts: dict[str, list[dict[str, str]]] = {}
    for row in h["sales"]:
        receipts.setdefault(row["receipt"], []).append(row)
    for number, rows in receipts.items():
        at = datetime.combine(date.fromisoformat(rows[0]["date"]), clock(10), tzinfo=UTC)
        with database.transaction() as s:
            sale = service.create_sale(s, service.SaleDraft(
                lines=[service.LineDraft(code=r["sku"]) for r in rows],
                card_number=rows[0]["card"] or None, created_at=at, note=number),
                actor="bench", channel="import")
            payments.pay(s, sale.id, [payments.PaymentDraft(PaymentMethod.CASH,
                                                            sale.net_total)], paid_at=at)
    return time.perf_counter() - start


def imported(url: str, h: dict[str, list[dict[str, str]]]) -> float:
    wom = Path(sys.executable).with_name("wom")
    env = {**os.environ, "WOM_DATABASE_URL": url}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("customers", "links", "sales"):
            path = Path(tmp) / f"{kind}.csv"
            path.write_bytes(_csv(h[kind]))
            done = subprocess.run([str(wom), "history", "import", kind, str(path)], env=env,
                                  capture_output=True, text=True)
            print(f"  wom history import {kind}: {done.stdout.strip().splitlines()[-1]}")
            if done.returncode:
                sys.exit(done.stdout + done.stderr)
    return time.perf_counter() - start


def _entered_alone(url: str, h: dict[str, list[dict[str, str]]]) -> float:
    """`entered` in a process of its own (spawned: nothing of the parent's engine)."""
    plugins.install()
    return entered(url, h)


def balances(url: str) -> list[tuple[str, Decimal]]:
    engine = create_engine(url)
    with Session(engine) as s:
        found = s.execute(select(LedgerAccount.kind, func.sum(LedgerAccount.balance))
                          .group_by(LedgerAccount.kind).order_by(LedgerAccount.kind)).all()
    engine.dispose()
    return [(str(k), v) for k, v in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--side-by-side", action="store_true",
                        help="enter and import at once, one core each")
    args = parser.parse_args()
    plugins.install()
    h = history(args.customers, args.sales)
    receipts = args.sales
    docs = args.customers + len(h["links"]) + receipts
    a, b = fresh_database("wom_bench_entered"), fresh_database("wom_bench_imported")
    catalog(a)
    catalog(b)
    print(f"history: {args.customers} customers, {len(h['links'])} links, {receipts} "
          f"receipts ({len(h['sales'])} lines)")
    if args.side_by_side:
        print("entering and importing side by side")
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pending = pool.apply_async(_entered_alone, (a, h))
            took = imported(b, h)
            reference = pending.get()
    else:
        reference = entered(a, h)
        took = imported(b, h)
    print(f"entered one by one through the services: {reference:.1f} s "
          f"({docs / reference:.0f} documents/s)")
    print(f"imported from CSV with wom:              {took:.1f} s ({docs / took:.0f} documents/s)")
    print(f"ratio import / entered: {took / reference:.2f} ×")
    same = balances(a) == balances(b)
    print("balances (sum per account kind): " + ("the same" if same else "DIFFERENT"))
    for kind, total in balances(b):
        print(f"  {kind:<28} {total}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
