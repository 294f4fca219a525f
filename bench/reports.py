"""The referrer report over a large store, against hand-written SQL that computes the same
numbers, on PostgreSQL.

    python -m bench.reports [--customers 1000000] [--lines 10000000] [--partners 200]

The data set (the bulk generator, `wom demo --bulk --partners N`): customers with cards, a
year of sales with three lines each, 30 % of the customers linked to partners over the year
(some to an employee), every sale's attribution and the partners' commission in the ledger.
It is built in two steps — a tenth first, then the rest — and after each the report for the
last year runs in a fresh process that prints its peak memory, next to the reference: one
SQL statement written by hand that returns the same figures — two of them, the faster one
counts. All must agree.

    python -m bench.reports --reuse wom_bench_analysis   # once, on a data set already there"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, text

from bench.common import database_url, prepare_database
from wordofmouth.calendar import DEFAULT_ZONE, bounds, today_date, zone
from wordofmouth.db import UTCDateTime
from wordofmouth.demo import bulk

REFERENCE = text("""
WITH attracted AS (
    SELECT partner_id, employee_id, COUNT(*) AS attracted
    FROM customer_links WHERE linked_at >= :lo AND linked_at < :hi
    GROUP BY partner_id, employee_id
), bought AS (
    SELECT a.partner_id, a.employee_id, COUNT(DISTINCT s.customer_id) AS buyers,
           COUNT(*) AS purchases, SUM(s.net_total - s.returned_net) AS revenue,
           SUM(s.discount_total) AS discounts
    FROM sale_attributions a JOIN sales s ON s.id = a.sale_id
    WHERE a.partner_id IS NOT NULL AND s.paid_at >= :lo AND s.paid_at < :hi
    GROUP BY a.partner_id, a.employee_id
), accrued AS (
    SELECT a.partner_id, a.employee_id, SUM(e.amount) AS accrued
    FROM ledger_entries e
    JOIN ledger_accounts acc ON acc.id = e.account_id
    JOIN sale_attributions a ON a.sale_id = e.sale_id
    WHERE acc.kind = 'partner_commission_pending'
      AND e.kind IN ('partner_commission', 'partner_commission_reversal')
      AND e.created_at >= :lo AND e.created_at < :hi
    GROUP BY a.partner_id, a.employee_id
), keys AS (
    SELECT partner_id, employee_id FROM attracted UNION
    SELECT partner_id, employee_id FROM bought UNION
    SELECT partner_id, employee_id FROM accrued
)
SELECT k.partner_id, k.employee_id, COALESCE(t.attracted, 0), COALESCE(b.buyers, 0),
       COALESCE(b.purchases, 0), COALESCE(b.revenue, 0), COALESCE(b.discounts, 0),
       COALESCE(c.accrued, 0)
FROM keys k
LEFT JOIN attracted t ON t.partner_id = k.partner_id
     AND t.employee_id IS NOT DISTINCT FROM k.employee_id
LEFT JOIN bought b ON b.partner_id = k.partner_id
     AND b.employee_id IS NOT DISTINCT FROM k.employee_id
LEFT JOIN accrued c ON c.partner_id = k.partner_id
     AND c.employee_id IS NOT DISTINCT FROM k.employee_id
WHERE k.partner_id IS NOT NULL
""").bindparams(bindparam("lo", type_=UTCDateTime), bindparam("hi", type_=UTCDateTime))

# The same figures, written for speed: each aggregate reads its rows once and the three are
# stacked (UNION ALL) and summed per partner and employee — no key list joined back with
# IS NOT DISTINCT FROM; buyers are counted by grouping per customer first (a hash
# aggregate) instead of COUNT(DISTINCT), which sorts.
TUNED = text("""
SELECT partner_id, employee_id, SUM(attracted), SUM(buyers), SUM(purchases), SUM(revenue),
       SUM(discounts), SUM(accrued)
FROM (
    SELECT partner_id, employee_id, COUNT(*) AS attracted, 0 AS buyers, 0 AS purchases,
           0 AS revenue, 0 AS discounts, 0 AS accrued
    FROM customer_links WHERE linked_at >= :lo AND linked_at < :hi
    GROUP BY partner_id, employee_id
    UNION ALL
    SELECT partner_id, employee_id, 0, COUNT(*), SUM(n), SUM(revenue), SUM(discounts), 0
    FROM (SELECT a.partner_id, a.employee_id, s.customer_id, COUNT(*) AS n,
                 SUM(s.net_total - s.returned_net) AS revenue,
                 SUM(s.discount_total) AS discounts
          FROM sale_attributions a JOIN sales s ON s.id = a.sale_id
          WHERE a.partner_id IS NOT NULL AND s.paid_at >= :lo AND s.paid_at < :hi
          GROUP BY a.partner_id, a.employee_id, s.customer_id) per_customer
    GROUP BY partner_id, employee_id
    UNION ALL
    SELECT a.partner_id, a.employee_id, 0, 0, 0, 0, 0, SUM(e.amount)
    FROM ledger_entries e
    JOIN ledger_accounts acc ON acc.id = e.account_id
    JOIN sale_attributions a ON a.sale_id = e.sale_id
    WHERE acc.kind = 'partner_commission_pending'
      AND e.kind IN ('partner_commission', 'partner_commission_reversal')
      AND e.created_at >= :lo AND e.created_at < :hi
    GROUP BY a.partner_id, a.employee_id
) stacked
WHERE partner_id IS NOT NULL
GROUP BY partner_id, employee_id
""").bindparams(bindparam("lo", type_=UTCDateTime), bindparam("hi", type_=UTCDateTime))

RUNS = 7  # more than psycopg's prepare threshold (5): the steady state of a server
Figures = dict[str, list[Any]]  # "partner_id/employee_id" (employee "" = partner total)


def period(end: date) -> tuple[date, date, datetime, datetime]:
    """A year to `end`, with the instants the report uses: the store's local midnights (the
    bulk store keeps the default time zone)."""
    start = end - timedelta(days=365)
    lo, hi = bounds(start, end, zone(DEFAULT_ZONE))
    return start, end, lo, hi


def reference(conn: Connection, lo: datetime, hi: datetime, sql: Any = REFERENCE) -> Figures:
    """A hand-written statement's figures, per employee and summed per partner."""
    out: Figures = {}
    for pid, eid, *values in conn.execute(sql, {"lo": lo, "hi": hi}):
        money = [int(v) for v in values[:3]] + [Decimal(int(v)) / 100 for v in values[3:]]
        if eid is not None:
            out[f"{pid}/{eid}"] = money
        total = out.setdefault(f"{pid}/", [0, 0, 0, Decimal(0), Decimal(0), Decimal(0)])
        out[f"{pid}/"] = [a + b for a, b in zip(total, money, strict=True)]
    return out


def figures_of_report(rows: list[Any]) -> Figures:
    """The same figures read off wordofmouth's report (partner totals and employee rows)."""
    out: Figures = {}
    for r in rows:
        for e in (r, *r.employees):
            key = f"{r.partner_id}/{e.employee_id if e is not r else ''}"
            out[key] = [e.attracted, e.buyers, e.purchases, e.revenue, e.discounts, e.accrued]
    return {k: v for k, v in out.items() if any(v)}


def peak_rss_mb() -> float:
    """This process's own peak memory (VmHWM; getrusage's maximum would include the parent's
    pages from before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child() -> None:
    """Run in a fresh process: the report (best of RUNS), its figures and peak memory."""
    from wordofmouth import db as database
    from wordofmouth.partners import report

    start, end, _lo, _hi = period(date.fromisoformat(sys.argv[2]))
    best = float("inf")
    for _ in range(RUNS):
        t = time.perf_counter()
        with database.transaction() as s:
            rows = report.referrer_report(s, start, end)
        best = min(best, time.perf_counter() - t)
    seconds = best
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "rows": len(rows),
        "figures": {k: [str(x) for x in v] for k, v in figures_of_report(rows).items()}}))


def measure(url: str, end: date, label: str) -> None:
    from wordofmouth import db as database

    _start, _end, lo, hi = period(end)
    engine = database.get_engine()
    with engine.connect() as conn:
        sales = conn.scalar(text("SELECT COUNT(*) FROM sales"))
        lines = conn.scalar(text("SELECT COUNT(*) FROM sale_lines"))
        took = {}
        for name, sql in (("joined", REFERENCE), ("tuned", TUNED)):
            took[name] = float("inf")
            for _ in range(RUNS):
                t = time.perf_counter()
                ref = reference(conn, lo, hi, sql)
                took[name] = min(took[name], time.perf_counter() - t)
            if name == "joined":
                joined = ref
        ref_s = min(took.values())  # the reference is the faster of the two
    agree = joined == ref
    out = subprocess.run([sys.executable, "-m", "bench.reports", "--child", end.isoformat()],
                         env={**os.environ, "WOM_DATABASE_URL": url, "WOM_SCHEDULER": "false"},
                         capture_output=True, text=True, check=True).stdout
    got = json.loads(out.strip().splitlines()[-1])
    same = {k: [Decimal(x) for x in v] for k, v in got["figures"].items()} == ref
    print(f"\n{label}: {sales:,} sales, {lines:,} lines — referrer report for one year, "
          f"{len(ref)} partner/employee rows")
    print(f"hand-written SQL, key list joined     {took['joined']:8.2f} s")
    print(f"hand-written SQL, stacked aggregates  {took['tuned']:8.2f} s   "
          f"(the two agree: {agree})")
    print(f"wom referrer report (best of {RUNS})    {got['seconds']:8.2f} s   peak RSS "
          f"{got['rss_mb']:.0f} MB (a fresh process)")
    print(f"ratio report/faster reference     {got['seconds'] / ref_s:8.2f}   (target ≤ 1.3)")
    print(f"same figures                      {same}")
    if not same:
        sys.exit("the report and the reference disagree")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child()
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--partners", type=int, default=200)
    parser.add_argument("--reuse", metavar="DATABASE",
                        help="measure once on a bulk data set left by an earlier run (this "
                             "one's wom_bench_reports, or bench/analysis' wom_bench_analysis)")
    args = parser.parse_args()
    end = today_date(zone(DEFAULT_ZONE))
    if args.reuse:
        from wordofmouth import db as database

        url = database_url(args.reuse)
        database.configure(url)
        measure(url, end, args.reuse)
        return
    url = prepare_database("wom_bench_reports")
    first = (args.customers // 10, args.lines // 10)
    t = time.perf_counter()
    bulk.generate(customers=first[0], lines=first[1], partners=args.partners)
    print(f"data, step 1: {first[0]:,} customers, {first[1]:,} lines, {args.partners} partners "
          f"in {time.perf_counter() - t:.0f} s")
    measure(url, end, "step 1")
    t = time.perf_counter()
    bulk.generate(customers=args.customers - first[0], lines=args.lines - first[1], seed=12,
                  partners=0)  # the same partners go on attracting customers
    print(f"\ndata, step 2: up to {args.customers:,} customers, {args.lines:,} lines in "
          f"{time.perf_counter() - t:.0f} s")
    measure(url, end, "step 2")


if __name__ == "__main__":
    main()
