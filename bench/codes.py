"""Friend codes at scale on PostgreSQL: issue 1 M codes for one campaign, check they are
unique, and show that validating a code at the till stays an index look-up.

    python -m bench.codes [--codes 1000000] [--checks 1000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from decimal import Decimal

from sqlalchemy import func, select

from bench.common import prepare_database
from wordofmouth import db as database
from wordofmouth.calendar import DEFAULT_ZONE, today, zone
from wordofmouth.catalog.models import ProductGroup
from wordofmouth.customers import service as customers
from wordofmouth.friends import bulk
from wordofmouth.friends import service as friends
from wordofmouth.friends.models import FriendCode
from wordofmouth.sales.models import SaleLine
from wordofmouth.scancodes.models import ScanCode


def validation_p50(codes: list[str], checks: int, group_id: int) -> float:
    """Median time of validating a random stored code against a one-line basket."""
    lines = [SaleLine(line_no=1, group_id=group_id, gross=Decimal("100.00"),
                      net=Decimal("100.00"))]
    rng = random.Random(5)
    times = []
    with database.transaction() as s:
        for code in codes:  # warm-up: the same codes, the same caches, before timing
            friends.validate(s, code=code, customer_id=None, lines=lines)
        for _ in range(checks):
            code = rng.choice(codes)
            t = time.perf_counter()
            friends.validate(s, code=code, customer_id=None, lines=lines)
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=1000)
    args = parser.parse_args()
    prepare_database("wom_bench_codes")
    with database.transaction() as s:
        group = ProductGroup(name="All", path="/")
        s.add(group)
        s.flush()
        group.path = f"/{group.id}/"
        holder = customers.create_customer(s, first_name="Campaign", last_name="Holder")
        customers.issue_card(s, holder.id)
        small = friends.create_campaign(
            s, name="small", start_day=today(zone(DEFAULT_ZONE)), validity_days=365,
            friend_discount_percent=Decimal("10"), bonus_rule="fixed",
            bonus_amount=Decimal("50"))
        big = friends.create_campaign(
            s, name="mass mailing", start_day=today(zone(DEFAULT_ZONE)), validity_days=365,
            friend_discount_percent=Decimal("10"), bonus_rule="fixed",
            bonus_amount=Decimal("50"))
        ids = (holder.id, small.id, big.id, group.id)
    holder_id, small_id, big_id, group_id = ids
    with database.transaction() as s:
        bulk.issue_bulk(s, campaign_id=small_id, referrer_id=holder_id, count=1000,
                        actor="bench")
    with database.transaction() as s:
        sample = list(s.scalars(select(FriendCode.code)))
    p50_small = validation_p50(sample, args.checks, group_id)

    t = time.perf_counter()
    marks = [t]
    with database.transaction() as s:
        bulk.issue_bulk(s, campaign_id=big_id, referrer_id=holder_id, count=args.codes,
                        actor="bench", progress=lambda _done: marks.append(time.perf_counter()))
    issue_s = time.perf_counter() - t
    batches = [b - a for a, b in itertools.pairwise(marks)][:args.codes // bulk.BATCH]
    with database.transaction() as s:
        stored = s.scalar(select(func.count(FriendCode.id))) or 0
        distinct = s.scalar(select(func.count(func.distinct(FriendCode.code)))) or 0
        registered = s.scalar(select(func.count()).select_from(ScanCode)
                              .where(ScanCode.kind == "friend_code")) or 0
        s.execute(select(func.count()).select_from(FriendCode))  # warm the index
    p50_big = validation_p50(sample, args.checks, group_id)

    print("\nfriend codes benchmark — PostgreSQL")
    print(f"issued {args.codes:,} codes in {issue_s:.1f} s   {args.codes / issue_s:,.0f} codes/s"
          f"   (target ≤ 20 s)")
    print(f"full batches of {bulk.BATCH:,}: first {batches[0]:.2f} s, median "
          f"{statistics.median(batches):.2f} s, last {batches[-1]:.2f} s")
    print(f"stored {stored:,}, distinct {distinct:,}, registered as scan codes {registered:,}")
    print(f"validation p50 with {1000:,} codes stored     {p50_small:.3f} ms")
    print(f"validation p50 with {stored:,} codes stored {p50_big:.3f} ms")
    print(f"ratio                                   {p50_big / p50_small:.2f}   (target ≤ 1.2)")


if __name__ == "__main__":
    main()
