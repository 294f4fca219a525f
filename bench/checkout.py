"""Checkout throughput and latency through the HTTP API on PostgreSQL, against pgbench.

Each request is a sale of 3 lines, paid at once; half carry a discount card and a fifth pay
partly with bonuses. The server runs as in production (`wom serve --workers N`). In the same
run pgbench (TPC-B-like, same client count) measures the same PostgreSQL server. Then the
history grows to 10 k and to 1 M sales and the checkout is measured again: the till's
latency must not grow with the history.

    python -m bench.checkout [--clients 16] [--seconds 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from bench.common import WrkResult, need, pgbench_tps, prepare_database, server, wrk
from wordofmouth import db as database
from wordofmouth.auth import service as auth
from wordofmouth.catalog.models import Product
from wordofmouth.customers.models import DiscountCard
from wordofmouth.demo import bulk
from wordofmouth.ledger.models import AccountKind, LedgerAccount
from wordofmouth.sales.models import Sale

LUA = """
local products = {products}
local cards = {cards}
local bonus_cards = {bonus_cards}
local token = "{token}"
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
  return wrk.format("POST", "/api/sales", {{
    ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}}, body)
end
"""


def _lua(items: list[object]) -> str:
    return "{" + ",".join(json.dumps(i) for i in items) + "}"


def prepare(url: str, customers: int) -> Path:
    """Catalog, customers with cards, a first history (for bonus balances), a token."""
    bulk.generate(customers=customers, lines=30_000)  # 10 k sales of history
    with database.transaction() as s:
        products = list(s.scalars(select(Product.id)))
        cards = list(s.scalars(select(DiscountCard.number).limit(5000)))
        rich = list(s.scalars(
            select(DiscountCard.number)
            .join(LedgerAccount, (LedgerAccount.owner_id == DiscountCard.customer_id)
                  & (LedgerAccount.kind == AccountKind.CUSTOMER_BONUS))
            .where(LedgerAccount.balance >= 200).limit(2000)))
        token = auth.create_token(s, name="bench", scopes=["sales:write"], actor="bench")
    rng = random.Random(3)
    rng.shuffle(cards)
    script = Path(tempfile.mkdtemp()) / "checkout.lua"
    script.write_text(LUA.format(products=_lua(products), cards=_lua(cards),
                                 bonus_cards=_lua(rich), token=token))
    return script


def sales_count() -> int:
    with database.transaction() as s:
        return int(s.scalar(select(func.count(Sale.id))) or 0)


def measure(url: str, script: Path, args: argparse.Namespace) -> tuple[WrkResult, int]:
    with server(url, args.workers) as base:
        wrk(base + "/api/sales", script, clients=args.clients, seconds=3)  # warm-up
        mid = sales_count()
        result = wrk(base + "/api/sales", script, clients=args.clients, seconds=args.seconds)
    recorded = sales_count() - mid
    return result, recorded


def show(label: str, r: WrkResult, recorded: int) -> None:
    print(f"{label:<28} {r.requests_per_s:8.1f} sales/s   p50 {r.p50_ms:6.1f} ms   "
          f"p99 {r.p99_ms:6.1f} ms   requests {r.requests}   errors {r.errors}   "
          f"sales recorded {recorded}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--big-history", type=int, default=1_000_000,
                        help="sales of history for the second measurement")
    args = parser.parse_args()
    need("wrk", "wrk")
    url = prepare_database("wom_bench_checkout")
    script = prepare(url, args.customers)

    tps = pgbench_tps(args.clients, args.seconds)
    small, small_rec = measure(url, script, args)
    history_small = sales_count()
    bulk.generate(customers=0, lines=3 * max(args.big_history - history_small, 0))
    big, big_rec = measure(url, script, args)
    history_big = sales_count()

    print(f"\ncheckout benchmark — {args.clients} clients, {args.seconds} s, "
          f"{args.workers} server workers, PostgreSQL")
    print(f"{'pgbench TPC-B-like':<28} {tps:8.1f} tps")
    show(f"checkout, {history_small:,} sales", small, small_rec)
    show(f"checkout, {history_big:,} sales", big, big_rec)
    print(f"\nratio checkout/pgbench        {small.requests_per_s / tps:.3f}   (target ≥ 0.25)")
    print(f"p99 at {args.clients} clients             {small.p99_ms:.1f} ms   (target ≤ 50 ms)")
    print(f"history ratio p50 {history_big:,}/{history_small:,} sales   "
          f"{big.p50_ms / small.p50_ms:.2f}   (target ≤ 1.2)")
    print(f"history ratio p99                {big.p99_ms / small.p99_ms:.2f}")
    lost = (small.requests - small.errors - small_rec, big.requests - big.errors - big_rec)
    print(f"acknowledged but not recorded  {lost[0]} / {lost[1]} (wrk counts requests cut "
          "off at the end as sent)")


if __name__ == "__main__":
    main()
