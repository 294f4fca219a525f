"""Soak suite: a steady mix of checkouts, referral clicks, reports and mailings against a
running server on PostgreSQL for a while; prints throughput, p50 / p99 latency and errors
per kind, and the server's memory at the start and at the end.

    python -m reliability.soak [--minutes 3] [--clients 4]

The server runs with the production settings (`wom serve --workers 2`, the mailing worker
and the click buffer inside). Each client process loops: a checkout (open, then pay) half
of the time, a referral click a third, a report (referrer report, sales list, partner
balance) the rest; client 0 also creates a mailing to 25 customers every 30 seconds through
the pages, as an owner would."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
from sqlalchemy import select

from bench.common import prepare_database, server

WEIGHTS = {"checkout": 50, "click": 35, "report": 15}


def server_rss_mb(port: int) -> float:
    """The resident memory of every process of the server listening on `port`."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if ("wom" in cmd and "serve" in cmd and f"--port {port}" in cmd) or (
                    "multiprocessing" in cmd and _parent_is_server(proc, port)):
                status = (proc / "status").read_text()
                found = re.search(r"VmRSS:\s+(\d+)", status)
                total += int(found.group(1)) if found else 0
        except OSError:
            continue
    return total / 1024


def _parent_is_server(proc: Path, port: int) -> bool:
    try:
        ppid = re.search(r"PPid:\s+(\d+)", (proc / "status").read_text())
        if not ppid:
            return False
        cmd = Path(f"/proc/{ppid.group(1)}/cmdline").read_bytes().replace(b"\0", b" ")
        return f"--port {port}".encode() in cmd
    except OSError:
        return False


def seed() -> dict[str, Any]:
    from wordofmouth import db as database
    from wordofmouth.auth import service as auth
    from wordofmouth.auth.permissions import SCOPES
    from wordofmouth.catalog.models import Product
    from wordofmouth.customers.models import DiscountCard
    from wordofmouth.demo import service as demo
    from wordofmouth.partners import service as partners
    from wordofmouth.storefront import keys

    with database.transaction() as s:
        demo.seed_store(s, customers_count=200, sales_count=300, days=60)
        token = auth.create_token(s, name="soak", scopes=list(SCOPES), actor="soak")
        goods = list(s.scalars(select(Product.sku).limit(20)))
        cards = [c.number for c in s.query(DiscountCard).limit(150)]
        partner = partners.partners(s)[0]
        for n in range(5):
            keys.add_key(s, partner.id, f"soak-{n}", actor="soak")
    return {"token": token, "goods": goods, "cards": cards, "partner": partner.id}


def client(n: int, base: str, store: dict[str, Any], seconds: float, out: str) -> None:
    rng = random.Random(n)
    lat: dict[str, list[float]] = {k: [] for k in (*WEIGHTS, "mailing")}
    errors: dict[str, int] = {k: 0 for k in lat}
    deadline = time.monotonic() + seconds
    api = httpx.Client(base_url=base, timeout=30,
                       headers={"Authorization": f"Bearer {store['token']}"})
    web = httpx.Client(base_url=base, timeout=60)
    csrf = _login(web) if n == 0 else ""
    next_mailing = time.monotonic() + 5
    kinds, weights = zip(*WEIGHTS.items(), strict=True)
    while time.monotonic() < deadline:
        if n == 0 and time.monotonic() >= next_mailing:
            next_mailing += 30
            _timed(lat, errors, "mailing", lambda: web.post("/mailings", data={
                "csrf_token": csrf, "audience": "selected", "channel": "email",
                "subject": "{first_name}, news", "body": "Hello {first_name}",
                "customer": [str(i) for i in rng.sample(range(1, 200), 25)]}))
            continue
        kind = rng.choices(kinds, weights)[0]
        if kind == "checkout":
            _timed(lat, errors, kind, lambda: _checkout(api, rng, store))
        elif kind == "click":
            _timed(lat, errors, kind, lambda: api.get(
                f"/r/soak-{rng.randint(0, 4)}", follow_redirects=False))
        else:
            path = rng.choice(["/api/partners-report?date_from=2026-01-01&date_to=2026-12-31",
                               "/api/sales?limit=50",
                               f"/api/partners/{store['partner']}/balance"])
            _timed(lat, errors, kind, lambda path=path: api.get(path))
    Path(out).write_text(json.dumps({"lat": lat, "errors": errors}))


def _login(web: httpx.Client) -> str:
    page = web.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    web.post("/login", data={"login": "owner", "password": "owner-demo-1",
                             "csrf_token": token.group(1) if token else ""})
    found = re.search(r'data-csrf="([^"]+)"', web.get("/mailings").text)
    return found.group(1) if found else ""


def _checkout(api: httpx.Client, rng: random.Random, store: dict[str, Any]) -> httpx.Response:
    r = api.post("/api/sales", json={
        "lines": [{"barcode": rng.choice(store["goods"]), "qty": "1"}],
        "card_number": rng.choice(store["cards"])})
    if r.status_code != 201:
        return r
    return api.post(f"/api/sales/{r.json()['id']}/payments", json={"payments": [
        {"method": "cash", "amount": r.json()["net_total"]}]})


def _timed(lat: dict[str, list[float]], errors: dict[str, int], kind: str, run: Any) -> None:
    t = time.perf_counter()
    try:
        r = run()
        if r.status_code >= 500 or (kind != "click" and r.status_code >= 400 and
                                    r.status_code != 409):
            errors[kind] += 1
    except httpx.HTTPError:
        errors[kind] += 1
    lat[kind].append((time.perf_counter() - t) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    url = prepare_database("wom_soak")
    store = seed()
    seconds = args.minutes * 60
    tmp = Path(tempfile.mkdtemp(prefix="wom-soak-"))
    with server(url, workers=2) as base:
        port = int(base.rsplit(":", 1)[1])
        time.sleep(2)
        rss_start = server_rss_mb(port)
        outs = [str(tmp / f"c{n}.json") for n in range(args.clients)]
        procs = [multiprocessing.Process(target=client, args=(n, base, store, seconds, outs[n]))
                 for n in range(args.clients)]
        for p in procs:
            p.start()
        samples = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(min(10, max(end - time.monotonic(), 0.1)))
            samples.append(server_rss_mb(port))
        for p in procs:
            p.join()
        rss_end = server_rss_mb(port)
    results = [json.loads(Path(o).read_text()) for o in outs]
    print(f"\nsoak suite — {args.minutes:g} min, {args.clients} client processes, "
          "wom serve × 2 on PostgreSQL")
    total = 0
    for kind in (*WEIGHTS, "mailing"):
        lat = sorted(x for r in results for x in r["lat"][kind])
        errs = sum(r["errors"][kind] for r in results)
        total += len(lat)
        if not lat:
            continue
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(f"{kind:9} {len(lat):7} requests  {len(lat) / seconds:7.1f}/s  "
              f"p50 {statistics.median(lat):7.1f} ms  p99 {p99:7.1f} ms  "
              f"errors {errs} ({100 * errs / len(lat):.2f} %)")
    print(f"all       {total:7} requests  {total / seconds:7.1f}/s")
    from sqlalchemy import func

    from wordofmouth import db as database
    from wordofmouth.mailing.models import Message

    with database.transaction() as s:
        by_status = dict(s.execute(select(Message.status, func.count())
                                   .group_by(Message.status)).all())
    print(f"mailing messages by status at the end: {by_status}")
    print(f"server memory: start {rss_start:.0f} MB, end {rss_end:.0f} MB, "
          f"peak sampled {max(samples or [rss_end]):.0f} MB "
          f"(growth {rss_end - rss_start:+.0f} MB)")


if __name__ == "__main__":
    main()
