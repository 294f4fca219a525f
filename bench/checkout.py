"""Checkout throughput and latency through the HTTP API on PostgreSQL, against pgbench.

Each request is a sale of 3 lines, paid at once, with an Idempotency-Key (as integrations
send it); half carry a discount card — half of those of a customer a partner brought, so
commission accrues — and a fifth pay partly with bonuses from a funded card. The server
runs as in production, `wom serve` with its own defaults (the scheduler off). In the same
run pgbench (TPC-B-like, same client count) measures the same PostgreSQL server. Beside
the ratios: the SQL statements one checkout sends (counted in-process over a sample of the
same mix), and the CPU time per checkout of the server's processes and of PostgreSQL's. Then the
history grows to 1 M sales and the checkout is measured again: the till's latency must not
grow with the history.

    python -m bench.checkout [--clients 16] [--seconds 20] [--workers N]
    python -m bench.checkout --sqlite   # the embedded default: 16 tills on one file

With --sqlite the store is a SQLite file (as `wom demo` makes it) and there is no pgbench to
compare with: the figures are the absolute ones, against the issue's targets (p99 ≤ 100 ms,
no request timed out or lost).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import anyio.from_thread
from sqlalchemy import event, func, select

from bench.common import (
    WrkResult,
    cpu_seconds,
    need,
    pgbench_tps,
    prepare_database,
    prepare_sqlite,
    server,
    wrk,
)
from wordofmouth import db as database
from wordofmouth.auth import service as auth
from wordofmouth.catalog.models import Product
from wordofmouth.customers.models import DiscountCard
from wordofmouth.demo import bulk
from wordofmouth.ledger import service as ledger
from wordofmouth.ledger.models import AccountKind
from wordofmouth.partners.models import CustomerLink
from wordofmouth.sales.models import Sale

LUA = """
local products = {products}
local cards = {cards}
local bonus_cards = {bonus_cards}
local token = "{token}"
local run = tostring(os.time()) .. tostring(math.random(1000000))
local threads = 0
setup = function(thread)  -- in wrk's main state: number each thread (a global of its own)
  threads = threads + 1
  thread:set("tid", threads)
end
counter = 0
local function lines()
  local out = {{}}
  for i = 1, 3 do
    out[i] = string.format('{{"product_id":%d,"qty":"1"}}', products[math.random(#products)])
  end
  return table.concat(out, ",")
end
request = function()
  local r = math.random()
  local body
  if r < 0.2 then
    body = string.format('{{"card_number":"%s","lines":[%s],"payments":[{{"method":"bonus",'
      .. '"amount":"1.00"}},{{"method":"cash","amount":"100000"}}]}}',
      bonus_cards[math.random(#bonus_cards)], lines())
  elseif r < 0.5 then
    body = string.format('{{"card_number":"%s","lines":[%s],"payments":[{{"method":"cash",'
      .. '"amount":"100000"}}]}}', cards[math.random(#cards)], lines())
  else
    body = string.format('{{"lines":[%s],"payments":[{{"method":"cash","amount":"100000"}}]}}',
      lines())
  end
  counter = counter + 1
  return wrk.format("POST", "/api/sales", {{
    ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, tid or 0, counter)}}, body)
end
"""


def _lua(items: Sequence[object]) -> str:
    return "{" + ",".join(json.dumps(i) for i in items) + "}"


@dataclass
class Mix:
    products: list[int]
    cards: list[str]  # half of them of customers a partner brought
    bonus_cards: list[str]  # funded: every bonus payment of the run is covered
    token: str


def prepare(url: str, customers: int) -> Mix:
    """Catalog, customers with cards (a share linked to partners), a first history (for
    bonus balances), funded bonus cards, a token."""
    bulk.generate(customers=customers, lines=30_000, partners=20)  # 10 k sales of history
    with database.transaction() as s:
        products = list(s.scalars(select(Product.id)))
        linked = list(s.scalars(select(DiscountCard.number).join(
            CustomerLink, CustomerLink.customer_id == DiscountCard.customer_id).limit(2500)))
        others = list(s.scalars(select(DiscountCard.number).where(
            DiscountCard.customer_id.not_in(select(CustomerLink.customer_id))).limit(2500)))
        bonus_cards = list(s.scalars(select(DiscountCard.number).where(
            DiscountCard.number.not_in(linked + others)).limit(2000)))
        for number in bonus_cards:  # 1.00 a payment: 500 payments a card
            card = s.scalars(select(DiscountCard).where(DiscountCard.number == number)).one()
            ledger.post(s, ledger.Posting(
                account_kind=AccountKind.CUSTOMER_BONUS, owner_id=card.customer_id,
                amount=Decimal("500"), kind="manual_bonus", source_type="bench",
                source_id=card.customer_id, source_key=f"bench:fund:{card.customer_id}"))
        token = auth.create_token(s, name="bench", scopes=["sales:write"], actor="bench")
    cards = linked + others
    random.Random(3).shuffle(cards)
    return Mix(products, cards, bonus_cards, token)


def script(mix: Mix) -> Path:
    path = Path(tempfile.mkdtemp()) / "checkout.lua"
    path.write_text(LUA.format(products=_lua(mix.products), cards=_lua(mix.cards),
                               bonus_cards=_lua(mix.bonus_cards), token=mix.token))
    return path


def statements_per_checkout(mix: Mix, n: int = 60) -> tuple[float, float]:
    """The SQL statements and the pool checkouts of one checkout of the mix, sent through
    the app in this process: (statements, checkouts)."""
    from fastapi.testclient import TestClient

    from wordofmouth.app import create_app

    counts = {"statements": 0, "checkouts": 0}
    engine = database.get_engine()

    def statement(*_: object) -> None:
        counts["statements"] += 1

    def checkout(*_: object) -> None:
        counts["checkouts"] += 1

    rng = random.Random(5)
    app = create_app()
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {mix.token}"}
    bodies = []
    for _ in range(n):
        lines = [{"product_id": rng.choice(mix.products), "qty": "1"} for _ in range(3)]
        cash = [{"method": "cash", "amount": "100000"}]
        r = rng.random()
        body: dict[str, object] = {"lines": lines, "payments": cash}
        if r < 0.2:
            body |= {"card_number": rng.choice(mix.bonus_cards),
                     "payments": [{"method": "bonus", "amount": "1.00"}, *cash]}
        elif r < 0.5:
            body["card_number"] = rng.choice(mix.cards)
        bodies.append(body)
    # one event loop for every request, as in a server (where the caches listen for
    # changes), without the server's start-up jobs
    with anyio.from_thread.start_blocking_portal() as portal:
        client.portal = portal
        client.post("/api/sales", json=bodies[0], headers=headers)  # warm: imports, caches
        _until_listening(app)
        event.listen(engine, "before_cursor_execute", statement)
        event.listen(engine.pool, "checkout", checkout)
        try:
            for i, body in enumerate(bodies):
                answer = client.post("/api/sales", json=body,
                                     headers=headers | {"Idempotency-Key": f"count-{i}"})
                assert answer.status_code == 201, answer.text
        finally:
            event.remove(engine, "before_cursor_execute", statement)
            event.remove(engine.pool, "checkout", checkout)
            client.portal = None
    return counts["statements"] / n, counts["checkouts"] / n


def _until_listening(app: object) -> None:
    """Wait (at most 3 s) for the app's token cache to hear changes (PostgreSQL's LISTEN
    connection is made on the first request)."""
    listener = getattr(getattr(getattr(app, "state", None), "tokens", None), "listener", None)
    for _ in range(300):
        if listener is None or listener.listening:
            return
        time.sleep(0.01)


def sales_count() -> int:
    with database.transaction() as s:
        return int(s.scalar(select(func.count(Sale.id))) or 0)


@dataclass
class Run:
    wrk: WrkResult
    recorded: int
    server_cpu_ms: float  # per recorded sale
    postgres_cpu_ms: float
    load: tuple[float, float, float]  # the load average after the run


def measure(url: str, lua: Path, args: argparse.Namespace) -> Run:
    procs: list[subprocess.Popen[bytes]] = []
    # the scheduler would mature the bulk history's commission meanwhile (a store's daily
    # job, here thousands of sales at once): off, so that the run measures the tills
    with server(url, args.workers, procs=procs, env={"WOM_SCHEDULER": "false"}) as base:
        wrk(base + "/api/sales", lua, clients=args.clients, seconds=3)  # warm-up
        mid = sales_count()
        cpu = cpu_seconds(group=procs[0].pid), cpu_seconds(command="postgres")
        result = wrk(base + "/api/sales", lua, clients=args.clients, seconds=args.seconds)
        used = (cpu_seconds(group=procs[0].pid) - cpu[0],
                cpu_seconds(command="postgres") - cpu[1])
    recorded = sales_count() - mid
    per = 1000 / max(recorded, 1)
    postgres = 0.0 if url.startswith("sqlite") else used[1] * per
    return Run(result, recorded, used[0] * per, postgres, os.getloadavg())


def database_for(args: argparse.Namespace) -> str:
    if args.sqlite:
        return prepare_sqlite(Path(tempfile.mkdtemp()) / "wordofmouth.db")
    return prepare_database("wom_bench_checkout")


def show(label: str, run: Run) -> None:
    r = run.wrk
    print(f"{label:<28} {r.requests_per_s:8.1f} sales/s   p50 {r.p50_ms:6.1f} ms   "
          f"p99 {r.p99_ms:6.1f} ms   requests {r.requests}   errors {r.errors}   "
          f"sales recorded {run.recorded}")
    print(f"{'':<28} CPU per checkout: server {run.server_cpu_ms:.2f} ms, PostgreSQL "
          f"{run.postgres_cpu_ms:.2f} ms   timed out {r.timeouts}   "
          f"load average {run.load[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: wom serve's own choice)")
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--big-history", type=int, default=None,
                        help="sales of history for the second measurement "
                             "(default 1 000 000; 200 000 with --sqlite)")
    parser.add_argument("--sqlite", action="store_true",
                        help="a SQLite file instead of PostgreSQL (no pgbench)")
    args = parser.parse_args()
    if args.big_history is None:
        args.big_history = 200_000 if args.sqlite else 1_000_000
    need("wrk", "wrk")
    url = database_for(args)
    mix = prepare(url, args.customers)
    lua = script(mix)
    statements, checkouts = statements_per_checkout(mix)

    tps = None if args.sqlite else pgbench_tps(args.clients, args.seconds)
    small = measure(url, lua, args)
    history_small = sales_count()
    bulk.generate(customers=0, lines=3 * max(args.big_history - history_small, 0))
    big = measure(url, lua, args)
    history_big = sales_count()

    workers = "wom serve's default workers" if args.workers is None else \
        f"{args.workers} server workers"
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"\ncheckout benchmark — {args.clients} clients, {args.seconds} s, {workers}, "
          f"{engine}, {os.cpu_count()} CPUs")
    if tps is not None:
        print(f"{'pgbench TPC-B-like':<28} {tps:8.1f} tps")
    show(f"checkout, {history_small:,} sales", small)
    show(f"checkout, {history_big:,} sales", big)
    print(f"statements per checkout       {statements:.1f} ({checkouts:.1f} pool checkouts; "
          "a connection is pinged only after 10 s idle)")
    if tps is not None:
        print(f"\nratio checkout/pgbench        {small.wrk.requests_per_s / tps:.3f}   "
              "(target ≥ 0.25)")
    target = 100 if args.sqlite else 50
    print(f"p99 at {args.clients} clients             {small.wrk.p99_ms:.1f} ms   "
          f"(target ≤ {target} ms)")
    print(f"history ratio p50 {history_big:,}/{history_small:,} sales   "
          f"{big.wrk.p50_ms / small.wrk.p50_ms:.2f}   (target ≤ 1.2)")
    print(f"history ratio p99                {big.wrk.p99_ms / small.wrk.p99_ms:.2f}")
    lost = (small.wrk.requests - small.wrk.errors - small.recorded,
            big.wrk.requests - big.wrk.errors - big.recorded)
    print(f"acknowledged but not recorded  {lost[0]} / {lost[1]} (wrk counts requests cut "
          "off at the end as sent)")
    print(f"timed out (no answer in 2 s)   {small.wrk.timeouts} / {big.wrk.timeouts}")

if __name__ == "__main__":
    main()
