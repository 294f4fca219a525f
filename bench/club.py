"""The daily club review over a large store, against one hand-written SQL statement that
classifies the same customers, on PostgreSQL.

    python -m bench.club [--customers 1000000] [--lines 3000000]
    python -m bench.club --reuse [--steps]   # the last run's store again; time each statement

The store: N customers with a year of purchase history (bulk generator); the club started
60 days ago (join: 2 000 within 30 days). The review of today enrols every customer who
bought since, walks their accumulation periods and lists the candidates. The reference, in
the same run, is one set-based SQL statement written by hand that computes, for every
customer, the same periods and who reached the amount (window functions over each customer's
daily purchases, then a walk over all customers at once). Both are timed; their candidate
counts must agree."""

from __future__ import annotations

import argparse
import resource
import time
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, event, text

from bench.common import database_url, prepare_database
from wordofmouth import db as database
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.club import service as club
from wordofmouth.demo import bulk


def reference(length: int) -> str:
    """The classification in one set-based statement: each customer's purchases summed per
    day once; for every purchase day, window functions give what a period starting that day
    reaches and the day the next period would start (the first purchase after it); the walk
    from each customer's first purchase follows those days for all customers at once (one
    join per step, no sub-select per customer). The bulk history has no returns."""
    last = length - 1  # a window frame's offsets are constants
    return f"""
WITH RECURSIVE daily AS MATERIALIZED (
    SELECT customer_id, paid_day AS day, SUM(net_total) AS total
    FROM sales
    WHERE customer_id IS NOT NULL AND paid_day BETWEEN :start AND :today
    GROUP BY customer_id, paid_day
), periods AS MATERIALIZED (
    SELECT customer_id, day,
           SUM(total) OVER (PARTITION BY customer_id ORDER BY day
                            RANGE BETWEEN CURRENT ROW AND {last} FOLLOWING) AS reached,
           MIN(day) OVER (PARTITION BY customer_id ORDER BY day
                          RANGE BETWEEN {length} FOLLOWING AND UNBOUNDED FOLLOWING) AS next_day,
           MIN(day) OVER (PARTITION BY customer_id) AS first_day
    FROM daily
), walk AS (
    SELECT customer_id, day, reached, next_day, first_day FROM periods WHERE day = first_day
    UNION ALL
    SELECT p.customer_id, p.day, p.reached, p.next_day, p.first_day
    FROM walk w JOIN periods p ON p.customer_id = w.customer_id AND p.day = w.next_day
    WHERE w.reached < :required AND w.day + {last} < :today
)
SELECT COUNT(*) FILTER (WHERE reached >= :required) AS candidates,
       COUNT(*) FILTER (WHERE day = first_day) AS customers
FROM walk
"""


def _time_statements(engine: Engine, steps: list[tuple[float, str]]) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _began(conn: Any, *_: Any) -> None:
        conn.info["bench_began"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        took = time.perf_counter() - conn.info.pop("bench_began")
        steps.append((took, " ".join(statement.split())[:110]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=3_000_000)
    parser.add_argument("--reuse", action="store_true",
                        help="review again the store left by the last run")
    parser.add_argument("--steps", action="store_true",
                        help="print the time of each statement the review sends")
    args = parser.parse_args()
    if args.reuse:  # the last run's store, its club as if it had never been reviewed
        database.configure(database_url("wom_bench_club"))
        with database.transaction() as s:
            for table in ("club_decisions", "club_memberships", "club_reviews"):
                s.execute(text(f"DELETE FROM {table}"))
    else:
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
    steps: list[tuple[float, str]] = []
    if args.steps:
        _time_statements(engine, steps)
    print(f"\nclub review benchmark — {args.customers:,} customers, PostgreSQL")
    ratios = []
    for label, on in (("first review (yesterday): every buyer enrolled", day - 1),
                      ("the next day's review (today)", day)):
        ref_s, ref = _reference(start, on, required)
        steps.clear()
        t = time.perf_counter()
        with database.transaction() as s:
            result = club.run_review(s, day=on, actor="bench")
        review_s = time.perf_counter() - t
        with database.transaction() as s:  # nobody has decided: every candidate is waiting
            waiting = s.scalar(text("SELECT COUNT(*) FROM club_memberships WHERE status = "
                                    "'candidate_join'"))
            members = s.scalar(text("SELECT COUNT(*) FROM club_memberships"))
        for seconds, statement in steps:
            print(f"{seconds:8.3f} s  {statement}")
        print(f"\n{label}")
        print(f"hand-written SQL classification   {ref_s:8.2f} s   candidates "
              f"{ref.candidates:,} of {ref.customers:,} buyers")
        print(f"wom club review                   {review_s:8.2f} s   candidates waiting "
              f"{waiting:,} of {members:,} in the club")
        print(f"counts: {result.counts}")
        print(f"ratio review/reference            {review_s / ref_s:8.2f}   (target ≤ 1.5)")
        print(f"same candidates and buyers        "
              f"{(ref.candidates, ref.customers) == (waiting, members)}")
        ratios.append(review_s / ref_s)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the benchmark process {rss:8.0f} MB")


def _reference(start: int, day: int, required: Decimal) -> tuple[float, Any]:
    with database.get_engine().connect() as conn:
        t = time.perf_counter()
        ref = conn.execute(text(reference(30)), {"start": start, "today": day,
                                                 "required": int(required * 100)}).one()
        return time.perf_counter() - t, ref


if __name__ == "__main__":
    main()
