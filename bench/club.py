"""The daily club review over a large store, against one hand-written SQL statement that
classifies the same customers, on PostgreSQL.

    python -m bench.club [--customers 1000000] [--lines 3000000]

The store: N customers with a year of purchase history (bulk generator); the club started
60 days ago (join: 2 000 within 30 days). The review of today enrols every customer who
bought since, walks their accumulation periods and lists the candidates. The reference, in
the same run, is a recursive SQL query written by hand that computes, for every customer,
the same periods and who reached the amount. Both are timed; their candidate counts must
agree."""

from __future__ import annotations

import argparse
import resource
import time
from decimal import Decimal

from sqlalchemy import text

from bench.common import prepare_database
from wordofmouth import db as database
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.club import service as club
from wordofmouth.demo import bulk

REFERENCE = """
WITH RECURSIVE periods AS (
    SELECT customer_id, MIN(paid_day) AS first_day
    FROM sales
    WHERE customer_id IS NOT NULL AND paid_day BETWEEN :start AND :today
    GROUP BY customer_id
    UNION ALL
    SELECT p.customer_id,
           (SELECT MIN(s.paid_day) FROM sales s WHERE s.customer_id = p.customer_id
            AND s.paid_day BETWEEN p.first_day + :len AND :today)
    FROM periods p
    WHERE p.first_day + :len - 1 < :today
      AND (SELECT SUM(s.net_total) FROM sales s WHERE s.customer_id = p.customer_id
           AND s.paid_day BETWEEN p.first_day AND p.first_day + :len - 1) < :required
      AND EXISTS (SELECT 1 FROM sales s WHERE s.customer_id = p.customer_id
                  AND s.paid_day BETWEEN p.first_day + :len AND :today)
), last_period AS (
    SELECT customer_id, MAX(first_day) AS first_day FROM periods GROUP BY customer_id
)
SELECT COUNT(*) FILTER (WHERE reached >= :required) AS candidates, COUNT(*) AS customers
FROM (
    SELECT l.customer_id,
           (SELECT SUM(s.net_total) FROM sales s WHERE s.customer_id = l.customer_id
            AND s.paid_day BETWEEN l.first_day AND LEAST(l.first_day + :len - 1, :today))
           AS reached
    FROM last_period l
) classified
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=3_000_000)
    args = parser.parse_args()
    prepare_database("wom_bench_club")
    t = time.perf_counter()
    bulk.generate(customers=args.customers, lines=args.lines)
    print(f"data: {args.customers:,} customers, {args.lines // 3:,} sales in "
          f"{time.perf_counter() - t:.0f} s")
    day = today(zone(DEFAULT_ZONE))
    start = day - 60
    required = Decimal("2000")
    with database.transaction() as s:
        club.save_settings(s, actor="bench", enabled=True, discount_percent=Decimal("5"),
                           accumulation_amount=required, accumulation_days=30,
                           confirmation_amount=Decimal("2000"), confirmation_days=60,
                           started_day=start)
    engine = database.get_engine()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
        t = time.perf_counter()
        ref = conn.execute(text(REFERENCE), {"start": start, "today": day, "len": 30,
                                             "required": int(required * 100)}).one()
        ref_s = time.perf_counter() - t
    t = time.perf_counter()
    with database.transaction() as s:
        result = club.run_review(s, day=day, actor="bench")
    review_s = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nclub review benchmark — {args.customers:,} customers, PostgreSQL")
    print(f"hand-written SQL classification   {ref_s:8.2f} s   candidates {ref.candidates:,} "
          f"of {ref.customers:,} buyers")
    print(f"wom club review                   {review_s:8.2f} s   candidates "
          f"{result.counts['candidate_join']:,} of {result.counts['enrolled']:,} enrolled")
    print(f"counts: {result.counts}")
    print(f"ratio review/reference            {review_s / ref_s:8.2f}   (target ≤ 1.5)")
    print(f"same candidates                   {ref.candidates == result.counts['candidate_join']}")
    print(f"peak RSS of the benchmark process {rss:8.0f} MB")


if __name__ == "__main__":
    main()
