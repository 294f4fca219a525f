"""Crash suite: the server is killed with SIGKILL in the middle of thousands of checkouts,
restarted, and the clients retry with their Idempotency-Keys; then the database must hold
every acknowledged sale exactly once, every balance must equal its entries, no source may be
posted twice and no friend code used twice.

    python -m reliability.crash [--ops 10000] [--clients 4] [--sqlite | --balanced]

The operations, mixed: a card sale (open, then paid), a sale paid partly with bonuses, a
sale to a partner's customer, a new customer's first purchase with a friend code (open,
code, pay), a storefront order with a referral token. PostgreSQL by default (the server with
2 workers); --sqlite runs the same on an SQLite file in WAL mode (1 worker); --balanced runs
two servers behind nginx, both with the background jobs on (the club review, maturing), and
kills one: the same checks, and exactly one club review of the day."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2 as httpx
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from bench.common import fresh_database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str, clients: int, friends_per_client: int) -> dict[str, Any]:
    """A store for the run: goods, regular customers with cards and bonuses, a partner with
    linked customers, a friend campaign with codes, storefront tokens, an API token."""
    from wordofmouth import db as database
    from wordofmouth import plugins
    from wordofmouth.auth import service as auth
    from wordofmouth.calendar import DEFAULT_ZONE, today, zone
    from wordofmouth.catalog import service as catalog
    from wordofmouth.club import service as club
    from wordofmouth.customers import service as customers
    from wordofmouth.friends import service as friends
    from wordofmouth.ledger import service as ledger
    from wordofmouth.ledger.models import AccountKind
    from wordofmouth.migrate import upgrade
    from wordofmouth.partners import commission
    from wordofmouth.partners import service as partners
    from wordofmouth.storefront import keys, tokens

    upgrade(url)
    database.configure(url)
    plugins.install()
    with database.transaction() as s:
        group = catalog.create_group(s, name="Goods")
        goods = [catalog.create_product(s, sku=f"G{n}", name=f"Item {n}", group_id=group.id,
                                        price=Decimal(p)).sku
                 for n, p in enumerate(("19.99", "100.00", "250.50", "7.35"))]
        p = partners.create_partner(s, actor="crash", name="Crash partner", kind="blogger")
        commission.set_terms(s, p.id, default_rate=Decimal("10"), months=None, rates={},
                             actor="crash")
        keys.add_key(s, p.id, "crash-key", actor="crash")
        regulars, linked = [], []
        for n in range(60):
            c = customers.create_customer(s, first_name=f"Regular{n}")
            card = customers.issue_card(s, c.id, bonus_percent=Decimal("5"))
            ledger.post(s, ledger.Posting(
                account_kind=AccountKind.CUSTOMER_BONUS, owner_id=c.id, amount=Decimal("50"),
                kind="manual_bonus", source_type="seed", source_id=c.id,
                source_key=f"seed:{c.id}"))
            if n % 3 == 0:
                partners.link(s, c.id, p.id, actor="crash")
                linked.append(card.number)
            else:
                regulars.append(card.number)
        campaign = friends.create_campaign(
            s, name="Crash friends", start_day=today(zone(DEFAULT_ZONE)), validity_days=30,
            friend_discount_percent=Decimal("10"), bonus_rule="fixed",
            bonus_amount=Decimal("5"))
        plan: list[dict[str, Any]] = []
        for k in range(clients):
            referrer = customers.create_customer(s, first_name=f"Referrer{k}")
            customers.issue_card(s, referrer.id)
            codes = [c.code for c in friends.issue_codes(
                s, customer_id=referrer.id, campaign_id=campaign.id,
                count=min(friends_per_client, 100), actor="crash")]
            new_cards = []
            for n in range(len(codes)):
                friend = customers.create_customer(s, first_name=f"Friend{k}-{n}")
                new_cards.append(customers.issue_card(s, friend.id).number)
            plan.append({"codes": codes, "friend_cards": new_cards,
                         "token": tokens.issue(p.id, "crash-key")})
        club.save_settings(s, actor="crash", enabled=True, discount_percent=Decimal("5"),
                           accumulation_amount=Decimal("300"), accumulation_days=30,
                           confirmation_amount=Decimal("300"), confirmation_days=30,
                           started_day=today(zone(DEFAULT_ZONE)))
        api = auth.create_token(s, name="crash", actor="crash", scopes=[
            "sales:write", "sales:read", "customers:read", "storefront:orders"])
    return {"goods": goods, "regulars": regulars, "linked": linked, "plan": plan,
            "api": api, "group": group.id}


def start_server(url: str, port: int, workers: int, log: Path,
                 scheduler: bool = False) -> subprocess.Popen[bytes]:
    wom = Path(sys.executable).with_name("wom")
    out = log.open("ab")
    proc = subprocess.Popen([str(wom), "serve", "--port", str(port), "--workers", str(workers)],
                            env={**os.environ, "WOM_DATABASE_URL": url,
                                 "WOM_MAIL_WORKER": "false",
                                 "WOM_SCHEDULER": str(scheduler).lower()},
                            stdout=out, stderr=out, start_new_session=True)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def call(client: httpx.Client, method: str, path: str, body: Any, key: str,
         stats: dict[str, int]) -> httpx.Response:
    """Send until the server gives a definite answer (2xx or 4xx), with the same key."""
    while True:
        try:
            r = client.request(method, path, json=body, headers={"Idempotency-Key": key})
            if r.status_code < 500:
                return r
            stats["server_errors"] += 1
        except httpx.HTTPError:
            stats["retries"] += 1
        time.sleep(0.2)


def client_run(n: int, ops: int, port: int, store: dict[str, Any], out: str) -> None:
    rng = random.Random(n)
    stats = {"retries": 0, "server_errors": 0, "refused": 0}
    acknowledged: list[dict[str, Any]] = []
    mine = store["plan"][n]
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, headers={
            "Authorization": f"Bearer {store['api']}"}) as client:
        for i in range(ops):
            kind = rng.choice(["card", "bonus", "partner", "friend", "storefront"])
            if kind == "friend" and not mine["codes"]:
                kind = "card"
            key = f"{n}-{i}-{uuid.uuid4().hex[:8]}"
            lines = [{"barcode": rng.choice(store["goods"]), "qty": str(rng.randint(1, 3))}]
            if kind == "storefront":
                r = call(client, "POST", "/api/storefront/orders", {
                    "external_id": key, "account": {"external_id": f"acct-{n}-{i % 50}"},
                    "lines": [{"group_id": store["group"], "amount": "30.00",
                               "kind": "one_time"}],
                    "referral_token": mine["token"]}, key, stats)
                if r.status_code == 201:
                    acknowledged.append({"key": key, "order": key, "sale": r.json()["sale_id"]})
                else:
                    stats["refused"] += 1
                continue
            card = (rng.choice(store["linked"]) if kind == "partner" else
                    mine["friend_cards"].pop() if kind == "friend" else
                    rng.choice(store["regulars"]))
            r = call(client, "POST", "/api/sales", {"lines": lines, "card_number": card},
                     key + ":open", stats)
            if r.status_code != 201:
                stats["refused"] += 1
                continue
            sale = r.json()
            if kind == "friend":
                code = mine["codes"].pop()
                r = call(client, "POST", f"/api/sales/{sale['id']}/codes", {"code": code},
                         key + ":code", stats)
                if r.status_code != 200:
                    stats["refused"] += 1
                sale = r.json() if r.status_code == 200 else sale
            total = Decimal(sale["net_total"])
            pays = [{"method": "cash", "amount": str(total)}]
            if kind == "bonus" and total > 2:
                pays = [{"method": "bonus", "amount": "1.00"},
                        {"method": "cash", "amount": str(total - 1)}]
            r = call(client, "POST", f"/api/sales/{sale['id']}/payments", {"payments": pays},
                     key + ":pay", stats)
            if r.status_code == 200 and r.json()["status"] == "paid":
                acknowledged.append({"key": key, "sale": sale["id"]})
            else:
                stats["refused"] += 1
    Path(out).write_text(json.dumps({"stats": stats, "acknowledged": acknowledged}))


def check(url: str, acknowledged: list[dict[str, Any]]) -> dict[str, Any]:
    from wordofmouth import db as database
    from wordofmouth.friends.models import FriendCode, FriendReferral
    from wordofmouth.ledger import service as ledger
    from wordofmouth.ledger.models import LedgerEntry
    from wordofmouth.sales.models import Sale
    from wordofmouth.storefront.models import StorefrontOrder

    database.configure(url)
    engine = create_engine(url)
    with Session(engine) as s:
        sale_ids = [a["sale"] for a in acknowledged]
        found = dict(s.execute(select(Sale.id, Sale.status).where(Sale.id.in_(sale_ids))).all())
        missing = [i for i in sale_ids if i not in found]
        unpaid = [i for i in sale_ids if found.get(i) not in ("paid", "partially_returned",
                                                               "returned")]
        orders = [a["order"] for a in acknowledged if "order" in a]
        order_rows = s.scalar(select(func.count()).select_from(StorefrontOrder)
                              .where(StorefrontOrder.external_id.in_(orders))) or 0
        entries, keys = s.execute(select(func.count(LedgerEntry.id), func.count(
            func.distinct(LedgerEntry.source_key)))).one()
        used = s.scalar(select(func.count(FriendCode.id)).where(FriendCode.status == "used"))
        referrals = s.scalar(select(func.count()).select_from(FriendReferral))
        double_codes = s.scalar(text(
            "SELECT COUNT(*) FROM (SELECT code_id FROM friend_referrals GROUP BY code_id "
            "HAVING COUNT(*) > 1) x"))
        mismatches = ledger.verify(s)
        paid_sales = s.scalar(select(func.count(Sale.id)).where(Sale.paid_at.is_not(None)))
        club_reviews = s.scalar(text("SELECT COUNT(*) FROM club_reviews"))
        club_twice = s.scalar(text(
            "SELECT COUNT(*) FROM (SELECT customer_id, day, action FROM club_decisions "
            "GROUP BY customer_id, day, action HAVING COUNT(*) > 1) x"))
    engine.dispose()
    return {"acknowledged": len(sale_ids), "missing": len(missing),
            "duplicates": len(sale_ids) - len(set(sale_ids)), "not_paid": len(unpaid),
            "orders_acknowledged": len(orders), "orders_found": order_rows,
            "ledger_entries": entries, "distinct_source_keys": keys,
            "balance_mismatches": len(mismatches), "codes_used": used,
            "referrals": referrals, "codes_used_twice": double_codes,
            "paid_sales_in_db": paid_sales, "club_reviews": club_reviews,
            "club_decisions_twice": club_twice}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--balanced", action="store_true",
                        help="two servers (the scheduler on in both) behind nginx; one is "
                             "killed and restarted while the other goes on")
    parser.add_argument("--seed", type=int, default=None, help="when to kill (random)")
    parser.add_argument("--kill-after", type=float, default=None,
                        help="seconds into the run (default: random, 5–25)")
    parser.add_argument("--url", default=None, help="an empty PostgreSQL database to use")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wom-crash-"))
    url = (f"sqlite:///{tmp / 'crash.db'}" if args.sqlite else
           args.url or fresh_database("wom_crash"))
    per = args.ops // args.clients
    store = seed(url, args.clients, friends_per_client=max(per // 5, 1))
    kill_after = (args.kill_after if args.kill_after is not None
                  else random.Random(args.seed).uniform(5, 25))
    if args.balanced:
        run = balanced_run(url, tmp, store, args.clients, per, kill_after)
    else:
        run = single_run(url, tmp, store, args.clients, per, kill_after,
                         workers=1 if args.sqlite else 2)
    results = [json.loads(Path(o).read_text()) for o in run["outs"]]
    acknowledged = [a for r in results for a in r["acknowledged"]]
    stats = {k: sum(r["stats"][k] for r in results) for k in results[0]["stats"]}
    verdict = check(url, acknowledged)
    ok = (verdict["missing"] == verdict["duplicates"] == verdict["not_paid"] ==
          verdict["balance_mismatches"] == verdict["codes_used_twice"] ==
          verdict["club_decisions_twice"] == 0
          and verdict["ledger_entries"] == verdict["distinct_source_keys"]
          and verdict["orders_found"] == verdict["orders_acknowledged"]
          and verdict["codes_used"] == verdict["referrals"]
          and verdict["club_reviews"] == (1 if args.balanced else 0))
    where = ("PostgreSQL, two servers behind nginx" if args.balanced else
             "SQLite (WAL)" if args.sqlite else "PostgreSQL")
    print(f"\ncrash suite — {where}, {args.clients} clients × {per} operations")
    print(f"{run['killed']} killed with SIGKILL after {kill_after:.1f} s; back in "
          f"{run['restart_s']:.1f} s; run took {run['elapsed']:.1f} s")
    if args.balanced:
        print("requests answered per server: " + ", ".join(
            f"{server} {n}" for server, n in sorted(run["served"].items())))
    print(f"client retries {stats['retries']}, 5xx answers {stats['server_errors']}, "
          f"refused by a rule {stats['refused']}")
    for name, value in verdict.items():
        print(f"  {name:24} {value}")
    print("RESULT", "PASS" if ok else "FAIL")
    if not ok:
        sys.exit(1)


def _clients(tmp: Path, store: dict[str, Any], clients: int, per: int,
             port: int) -> tuple[list[str], list[multiprocessing.Process]]:
    outs = [str(tmp / f"client{n}.json") for n in range(clients)]
    procs = [multiprocessing.Process(target=client_run, args=(n, per, port, store, outs[n]))
             for n in range(clients)]
    for p in procs:
        p.start()
    return outs, procs


def _kill_and_restart(server: subprocess.Popen[bytes], restart: Any) -> tuple[Any, float]:
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    down = time.monotonic()
    return restart(), time.monotonic() - down


def single_run(url: str, tmp: Path, store: dict[str, Any], clients: int, per: int,
               kill_after: float, workers: int) -> dict[str, Any]:
    """One server; killed, restarted on the same port while the clients retry."""
    port, log = free_port(), tmp / "server.log"
    server = start_server(url, port, workers, log)
    started = time.monotonic()
    outs, procs = _clients(tmp, store, clients, per, port)
    time.sleep(kill_after)
    server, restart_s = _kill_and_restart(server, lambda: start_server(url, port, workers, log))
    for p in procs:
        p.join()
    elapsed = time.monotonic() - started
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    return {"outs": outs, "killed": "server", "restart_s": restart_s, "elapsed": elapsed}


def balanced_run(url: str, tmp: Path, store: dict[str, Any], clients: int, per: int,
                 kill_after: float) -> dict[str, Any]:
    """Two servers of one worker each, both running the background jobs, behind nginx: the
    clients go through nginx; one server is killed and comes back while the other serves."""
    from reliability.balancer import balancer, served_by

    ports = [free_port(), free_port()]
    logs = [tmp / f"server{n}.log" for n in range(2)]
    servers = [start_server(url, p, 1, log, scheduler=True) for p, log in zip(ports, logs,
                                                                             strict=True)]
    front = free_port()
    with balancer(front, ports) as folder:
        started = time.monotonic()
        outs, procs = _clients(tmp, store, clients, per, front)
        time.sleep(kill_after)
        servers[0], restart_s = _kill_and_restart(
            servers[0], lambda: start_server(url, ports[0], 1, logs[0], scheduler=True))
        for p in procs:
            p.join()
        elapsed = time.monotonic() - started
        served = served_by(folder)
    for server in servers:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return {"outs": outs, "killed": f"server on :{ports[0]}", "restart_s": restart_s,
            "elapsed": elapsed, "served": served}


if __name__ == "__main__":
    main()
