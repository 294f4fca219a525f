"""A large data set for benchmarks: customers, cards, a year of sales, bonus accruals.

Rows are generated in batches and written set-wise (COPY on PostgreSQL, executemany on
SQLite) with explicit ids; amounts are integer minor units, as the tables store them. The
result obeys the same invariants as data written through the till: every sale's totals
match its lines, every accrual names its sale, every balance equals its entries."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, func, select, text

from wordofmouth import db as database
from wordofmouth.calendar import DEFAULT_ZONE, day_of, zone
from wordofmouth.catalog.models import Product
from wordofmouth.customers import rules as customer_rules
from wordofmouth.customers.models import Customer
from wordofmouth.demo import bulk_partners
from wordofmouth.demo import service as demo
from wordofmouth.ledger.models import AccountKind, LedgerAccount, LedgerEntry
from wordofmouth.sales.models import Payment, Sale, SaleLine
from wordofmouth.scancodes.rules import ean13_check_digit

BulkProgress = Callable[[str, int, int], None]  # (stage, total, done)
BATCH = 20_000
FIRST = ["Олена", "Ірина", "Оксана", "Наталія", "Тарас", "Андрій", "Марія", "Юлія", "Сергій",
         "Катерина", "Дмитро", "Анна", "Вікторія", "Олег", "Софія", "Богдан"]
LAST = ["Коваленко", "Бондаренко", "Ткаченко", "Шевченко", "Мельник", "Кравченко", "Бойко",
        "Коваль", "Олійник", "Лисенко", "Мороз", "Савченко", "Руденко", "Марченко"]


def _next_id(conn: Connection, table: str) -> int:
    return int(conn.scalar(text(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")) or 1)


def _write(conn: Connection, table: str, columns: Sequence[str],
           rows: Iterable[tuple[Any, ...]]) -> None:
    rows = list(rows)
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(  # type: ignore[union-attr]
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(f":{c}" for c in columns)
    conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"),
                 [dict(zip(columns, row, strict=True)) for row in rows])


def _fix_sequences(conn: Connection, tables: Sequence[str]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def generate(*, customers: int, lines: int, days: int = 365, seed: int = 11,
             with_bonus_share: float = 0.4, partners: int = 0,
             progress: BulkProgress | None = None) -> None:
    """Append `customers` customers with cards and about `lines` sale lines (3 per sale);
    with `partners`, that many partners to whom a share of the new customers is linked
    (their sales carry the attribution and the commission)."""
    rng = random.Random(seed)
    note = progress or (lambda stage, total, done: None)
    with database.transaction() as session:
        if demo.is_empty(session):
            demo.seed_staff(session)
        if session.scalar(select(func.count(Product.id))) == 0:
            demo.seed_catalog(session)
        products = [(p.id, p.group_id, p.name, int(p.price * 100), int(p.cost_price * 100))
                    for p in session.scalars(select(Product))]
        found = bulk_partners.create(session, partners)
    engine = database.get_engine()
    with engine.begin() as conn:
        _customers(conn, customers, rng, note, found, days)
        # Sales go to every customer with a bonus account, new and old alike.
        accounts = dict(conn.execute(select(LedgerAccount.owner_id, LedgerAccount.id).where(
            LedgerAccount.kind == AccountKind.CUSTOMER_BONUS)).all())
    customer_ids = list(accounts)
    sales = max(lines // 3, 0)
    done = 0
    start = datetime.now(UTC) - timedelta(days=days)
    while done < sales:
        n = min(BATCH, sales - done)
        with engine.begin() as conn:
            _sales_batch(conn, n, done, sales, start, days, customer_ids, accounts, products,
                         rng, with_bonus_share, found)
        done += n
        note("sales", sales, done)
    with engine.begin() as conn:
        _fix_sequences(conn, ["customers", "discount_cards", "sales", "sale_lines", "payments",
                              "ledger_accounts", "ledger_entries", "customer_link_changes"])
        _settle_balances(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


@cache
def _names(first: str, last: str) -> tuple[str, str]:
    """The folded names and the sort key of a name pair (a few hundred pairs in all)."""
    return (customer_rules.search_text(first, last, None, None),
            customer_rules.sort_key(last, first))


def _customer_row(cid: int, rng: random.Random, now: datetime) -> tuple[object, ...]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    phone, email = f"+38050{cid:07d}", f"c{cid}@example.com"
    names, key = _names(first, last)
    # the search text the model keeps (customers.rules.search_text), its phone forms written
    # out: parsing a million numbers would take longer than the rest of the row
    return (cid, first, last, phone, email, rng.random() < 0.7, rng.random() < 0.5,
            rng.random() < 0.3, "", now, f"{names} {email} 38050{cid:07d} 050{cid:07d}", key)


def _customers(conn: Connection, count: int, rng: random.Random, note: BulkProgress,
               found: bulk_partners.BulkPartners, days: int) -> None:
    first_id = _next_id(conn, "customers")
    first_card = _next_id(conn, "discount_cards")
    first_account = _next_id(conn, "ledger_accounts")
    now = datetime.now(UTC)
    ids = list(range(first_id, first_id + count))
    for offset in range(0, count, BATCH):
        chunk = ids[offset:offset + BATCH]
        _write(conn, Customer.__tablename__,
               ["id", "first_name", "last_name", "phone", "email", "consent_email",
                "consent_sms", "consent_viber", "note", "created_at", "search_text",
                "sort_key"], (_customer_row(cid, rng, now) for cid in chunk))
        cards = []
        for cid in chunk:
            body = f"22{cid:010d}"
            cards.append((first_card + cid - first_id, body + ean13_check_digit(body), cid,
                          rng.choice([0, 0, 300, 500, 1000]), rng.choice([0, 200, 300, 500]),
                          True, True, now))
        _write(conn, "discount_cards",
               ["id", "number", "customer_id", "discount_percent", "bonus_percent", "is_main",
                "active", "issued_at"], cards)
        _write(conn, "scan_codes", ["code", "kind", "target_id"],
               ((c[1], "card", c[0]) for c in cards))
        _write(conn, LedgerAccount.__tablename__, ["id", "kind", "owner_id", "balance"],
               ((first_account + cid - first_id, AccountKind.CUSTOMER_BONUS.value, cid, 0)
                for cid in chunk))
        if found:
            links, changes = bulk_partners.link_rows(found, chunk, now, days, rng)
            _write(conn, "customer_links", bulk_partners.LINK_COLUMNS, links)
            _write(conn, "customer_link_changes", bulk_partners.CHANGE_COLUMNS, changes)
        note("customers", count, min(offset + BATCH, count))


def _sales_batch(conn: Connection, n: int, done: int, total: int, start: datetime, days: int,
                 customer_ids: list[int], accounts: dict[int, int],
                 products: list[tuple[int, int, str, int, int]], rng: random.Random,
                 bonus_share: float, found: bulk_partners.BulkPartners) -> None:
    tz = zone(DEFAULT_ZONE)  # bulk history is counted on the default store calendar
    sale_id = _next_id(conn, "sales")
    line_id = _next_id(conn, "sale_lines")
    entry_id = _next_id(conn, "ledger_entries")
    sales, lines, pays, entries, attributions = [], [], [], [], []
    for i in range(n):
        sid = sale_id + i
        at = start + timedelta(seconds=int(days * 86400 * (done + i) / max(total, 1)))
        cid = rng.choice(customer_ids) if customer_ids and rng.random() < 0.7 else None
        gross = net = 0
        discount_pct = 500 if cid is not None and rng.random() < 0.5 else 0
        for no in range(1, 4):
            pid, gid, name, price, cost = rng.choice(products)
            disc = (price * discount_pct + 5000) // 10000
            lines.append((line_id, sid, no, pid, gid, name, 1000, price, cost, price,
                          discount_pct, "card" if discount_pct else "", disc, price - disc, 0))
            line_id += 1
            gross += price
            net += price - disc
        paid_day = day_of(at, tz)  # a store's year, recorded as it was paid
        sales.append((sid, "receipt", "paid", cid, None, "bulk", "import", at, at, paid_day,
                      paid_day, gross, gross - net, net, net, 0, ""))
        pays.append((sid, rng.choice(["cash", "card"]), net, net, at))
        if cid is not None and rng.random() < bonus_share and cid in accounts:
            entries.append((entry_id, accounts[cid], (net * 3 + 50) // 100, "card_bonus", "sale",
                            sid, f"sale:{sid}:card_bonus", sid, "", at))
            entry_id += 1
        if found:
            attribution, earned = bulk_partners.for_sale(found, sid, cid, net, at, entry_id)
            attributions.append(attribution)
            if earned is not None:
                entries.append(earned)
                entry_id += 1
    _write(conn, Sale.__tablename__,
           ["id", "kind", "status", "customer_id", "card_id", "created_by", "channel",
            "created_at", "paid_at", "paid_day", "recorded_day", "gross_total", "discount_total",
            "net_total", "paid_total", "returned_net", "note"], sales)
    _write(conn, SaleLine.__tablename__,
           ["id", "sale_id", "line_no", "product_id", "group_id", "name", "qty", "unit_price",
            "unit_cost", "gross", "discount_percent", "discount_source", "discount_amount",
            "net", "returned_qty"], lines)
    _write(conn, Payment.__tablename__, ["sale_id", "method", "amount", "tendered",
                                         "created_at"], pays)
    _write(conn, LedgerEntry.__tablename__,
           ["id", "account_id", "amount", "kind", "source_type", "source_id", "source_key",
            "sale_id", "memo", "created_at"], entries)
    _write(conn, "sale_attributions", bulk_partners.ATTRIBUTION_COLUMNS, attributions)


def _settle_balances(conn: Connection) -> None:
    """Running balances = the sum of the entries, set-wise."""
    conn.execute(text(
        "UPDATE ledger_accounts SET balance = COALESCE((SELECT SUM(amount) FROM ledger_entries "
        "WHERE ledger_entries.account_id = ledger_accounts.id), 0)"))
