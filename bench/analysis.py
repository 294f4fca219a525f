"""Customer activity analysis over a large store, against hand-written SQL, on PostgreSQL.

    python -m bench.analysis [--customers 1000000] [--lines 10000000] [--partners 200]

The data set is the bulk generator's (customers with cards, a year of sales with three
lines each, 30 % of the customers linked to partners). Two questions for the last year,
each with two filters and a sort, answered by wordofmouth (the page of 50 rows and the
totals row, as the page shows them) and by SQL written by hand that returns the same page
and totals; both are timed (best of 3) and must agree:

  narrow — one partner's customers with at least 2 purchases, by revenue, highest first;
  wide   — customers who agreed to e-mails with at least 5 purchases, by revenue."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import text

from bench.common import database_url, prepare_database
from wordofmouth import db as database
from wordofmouth.analysis import activity
from wordofmouth.calendar import day_of_date
from wordofmouth.demo import bulk

RUNS = 7  # more than psycopg's prepare threshold (5): the steady state of a server
PAGE = """
WITH period AS (
    SELECT s.customer_id, COUNT(*) AS purchases, SUM(s.net_total - s.returned_net) AS revenue
    FROM sales s {restrict}
    WHERE s.paid_day BETWEEN :first AND :last AND s.customer_id IS NOT NULL
    GROUP BY s.customer_id
), chosen AS (
    SELECT c.id, p.purchases, p.revenue
    FROM customers c JOIN period p ON p.customer_id = c.id {where}
    AND p.purchases >= :min_purchases
)
SELECT (SELECT COUNT(*) FROM chosen), (SELECT SUM(purchases) FROM chosen),
       (SELECT SUM(revenue) FROM chosen),
       page.id, page.purchases, page.revenue, d.number, d.discount_percent, pa.name, e.name,
       a.balance, (SELECT MAX(paid_at) FROM sales WHERE customer_id = page.id), m.status
FROM (SELECT * FROM chosen ORDER BY revenue DESC, id DESC LIMIT 50) page
LEFT JOIN discount_cards d ON d.customer_id = page.id AND d.is_main AND d.active
LEFT JOIN customer_links l ON l.customer_id = page.id
LEFT JOIN partners pa ON pa.id = l.partner_id
LEFT JOIN partner_employees e ON e.id = l.employee_id
LEFT JOIN ledger_accounts a ON a.kind = 'customer_bonus' AND a.owner_id = page.id
LEFT JOIN club_memberships m ON m.customer_id = page.id
ORDER BY page.revenue DESC, page.id DESC
"""
NARROW = PAGE.format(
    restrict="JOIN customer_links cl ON cl.customer_id = s.customer_id AND cl.partner_id = :p",
    where="WHERE TRUE")
WIDE = PAGE.format(restrict="", where="WHERE c.consent_email")


def best(run: Callable[[], Any]) -> tuple[float, Any]:
    fastest, result = float("inf"), None
    for _ in range(RUNS):
        t = time.perf_counter()
        result = run()
        fastest = min(fastest, time.perf_counter() - t)
    return fastest, result


def ours(f: activity.Filter) -> tuple[Any, ...]:
    with database.transaction() as s:
        rows, totals = activity.page_and_totals(s, f, limit=50)
    return (totals.customers, totals.purchases, totals.revenue,
            [(r.customer_id, r.purchases, r.revenue) for r in rows])


def reference(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    with database.get_engine().connect() as conn:
        rows = conn.execute(text(sql), params).all()
    if not rows:
        return (0, 0, 0, [])
    from decimal import Decimal

    n, purchases, revenue = rows[0][:3]
    return (int(n), int(purchases or 0), Decimal(int(revenue or 0)) / 100,
            [(int(r[3]), int(r[4]), Decimal(int(r[5])) / 100) for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--reuse", action="store_true",
                        help="measure on the data set left by an earlier run")
    args = parser.parse_args()
    if args.reuse:
        database.configure(database_url("wom_bench_analysis"))
    else:
        prepare_database("wom_bench_analysis")
        t = time.perf_counter()
        bulk.generate(customers=args.customers, lines=args.lines, partners=args.partners)
        print(f"data: {args.customers:,} customers, {args.lines:,} lines, {args.partners} "
              f"partners in {time.perf_counter() - t:.0f} s")
    end = datetime.now(UTC).date()
    start = end - timedelta(days=365)
    with database.get_engine().connect() as conn:
        partner = conn.scalar(text(
            "SELECT partner_id FROM customer_links GROUP BY partner_id "
            "ORDER BY COUNT(*) DESC LIMIT 1"))
    days = {"first": day_of_date(start), "last": day_of_date(end)}
    cases = [
        ("narrow: one partner, ≥ 2 purchases, by revenue",
         activity.Filter(start, end, partner_id=partner, min_purchases=2),
         NARROW, days | {"p": partner, "min_purchases": 2}),
        ("wide: e-mail consent, ≥ 5 purchases, by revenue",
         activity.Filter(start, end, consent="email", min_purchases=5),
         WIDE, days | {"min_purchases": 5}),
    ]
    print(f"\ncustomer activity benchmark — one year, PostgreSQL, best of {RUNS}")
    for label, f, sql, params in cases:
        ref_s, ref = best(partial(reference, sql, params))
        our_s, got = best(partial(ours, f))
        print(f"\n{label}: {got[0]:,} customers match")
        print(f"hand-written SQL                  {ref_s * 1000:8.0f} ms")
        print(f"wom activity page + totals        {our_s * 1000:8.0f} ms")
        print(f"ratio wom/reference               {our_s / ref_s:8.2f}   (target ≤ 1.3)")
        print(f"same page and totals              {got == ref}")


if __name__ == "__main__":
    main()
