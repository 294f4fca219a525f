"""The click path under load: wrk on loopback against (a) nginx answering 302 with a
Set-Cookie — the limit; (b) pinax-referrals 4.5 under gunicorn with 2 workers on the same
PostgreSQL — the Python peer, installed from PyPI into a throw-away environment by this
benchmark; (c) wordofmouth's /r/KEY with the production server settings
(`wom serve --workers 2`) on PostgreSQL. Then the crash phase: wrk against a fresh
`wom serve`, SIGKILLed half-way through; every click it answered with `x-click: recorded`
(counted by a wrk script) must be in the database.

    python -m bench.clicks [--seconds 15] [--clients 32]

Targets: ≥ 10× pinax-referrals and ≥ 0.10× nginx."""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bench.common import (
    PG_ADMIN,
    free_port,
    fresh_database,
    need,
    prepare_database,
    server,
    wrk,
)
from reliability import balancer
from wordofmouth import db as database

NGINX_HTTP = """
    access_log off;
    server {
        listen 127.0.0.1:PORT;
        location /r/ {
            add_header Set-Cookie "COOKIE" always;
            return 302 https://shop.example/;
        }
    }
"""

# A cookie of the same size as wordofmouth's signed token.
COOKIE = ("wom_ref=WzEsImNhcnRlcjgxIl0.aSL2bA.Ou1r0k3cZXW3Qn2Xq8nW4yVh6yA; Max-Age=2592000; "
          "Path=/; HttpOnly; SameSite=Lax")

DJANGO_SETTINGS = """
SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth",
                  "django.contrib.sessions", "django.contrib.sites", "pinax.referrals"]
SITE_ID = 1
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware"]
ROOT_URLCONF = "benchsite.urls"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.postgresql", "NAME": "{name}",
                          "USER": "{user}", "HOST": "{host}", "PORT": "{port}",
                          "CONN_MAX_AGE": 600}}}}
USE_TZ = True
PINAX_REFERRALS_ALLOWED_REDIRECT_HOSTS = ["shop.example"]
PINAX_COOKIE_MAX_AGE = 2592000
"""
DJANGO_URLS = """
from django.urls import include, path
urlpatterns = [path("r/", include("pinax.referrals.urls", namespace="pinax_referrals"))]
"""
DJANGO_SEED = """
from django.contrib.auth.models import User
from pinax.referrals.models import Referral
user = User.objects.create_user("carter", password="x")
Referral.objects.create(user=user, code="carter81", redirect_to="https://shop.example/")
"""


@contextmanager
def nginx(port: int) -> Iterator[str]:
    need("nginx", "nginx")
    target = f"http://127.0.0.1:{port}/r/carter81"
    with balancer.nginx(NGINX_HTTP.replace("PORT", str(port)).replace("COOKIE", COOKIE),
                        target, workers=2):
        yield target


@contextmanager
def pinax(port: int) -> Iterator[str]:
    """pinax-referrals 4.5 in a throw-away virtual environment, under gunicorn (2 workers)
    on a PostgreSQL database of its own."""
    from sqlalchemy.engine import make_url

    name = "wom_bench_pinax"
    fresh_database(name)
    admin = make_url(PG_ADMIN)
    with tempfile.TemporaryDirectory() as tmp:
        env_dir = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        pip = env_dir / "bin" / "pip"
        subprocess.run([str(pip), "install", "--quiet", "--disable-pip-version-check",
                        "pinax-referrals==4.5.0", "gunicorn", "psycopg[binary]"], check=True)
        site = Path(tmp) / "site"
        (site / "benchsite").mkdir(parents=True)
        (site / "benchsite" / "__init__.py").write_text("")
        (site / "benchsite" / "settings.py").write_text(DJANGO_SETTINGS.format(
            name=name, user=admin.username or "postgres", host=admin.host or "127.0.0.1",
            port=admin.port or 5432))
        (site / "benchsite" / "urls.py").write_text(DJANGO_URLS)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchsite.settings",
               "PYTHONPATH": str(site)}
        python = env_dir / "bin" / "python"
        subprocess.run([str(python), "-m", "django", "migrate", "-v", "0"], env=env,
                       check=True, cwd=site)
        subprocess.run([str(python), "-c", "import django; django.setup()\n" + DJANGO_SEED],
                       env=env, check=True, cwd=site)
        proc = subprocess.Popen([str(env_dir / "bin" / "gunicorn"), "-w", "2", "-b",
                                 f"127.0.0.1:{port}",
                                 "django.core.wsgi:get_wsgi_application()"],
                                env=env, cwd=site, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(3)
        try:
            yield f"http://127.0.0.1:{port}/r/carter81/"
        finally:
            proc.terminate()
            proc.wait(timeout=20)


# Counts, across wrk's threads, the answers that said the click was committed.
RECORDED_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) recorded = 0 end
function response(status, headers, body)
  if headers["x-click"] == "recorded" then recorded = recorded + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("recorded") end
  io.write(string.format("acknowledged %d\\n", total))
end
"""


def clicks_recorded() -> int:
    from wordofmouth.storefront.models import Click

    with database.transaction() as s:
        return s.scalar(select(func.count()).select_from(Click)) or 0


def crash_phase(url: str, clients: int, seconds: int) -> tuple[int, int]:
    """wrk for `seconds` against a fresh server, SIGKILLed at half time: (acknowledged,
    recorded by the clicks of this phase)."""
    before = clicks_recorded()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp, server(url, workers=2, procs=procs) as base:
        script = Path(tmp) / "recorded.lua"
        script.write_text(RECORDED_LUA)
        load = subprocess.Popen([need("wrk", "wrk"), "-t", "2", "-c", str(clients), "-d",
                                 f"{seconds}s", "-s", str(script), f"{base}/r/carter81"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(seconds / 2)
        os.killpg(procs[0].pid, signal.SIGKILL)  # server and workers: no hook, no flush
        procs[0].wait(timeout=20)
        out, _ = load.communicate(timeout=seconds * 4)
    found = re.search(r"acknowledged (\d+)", out)
    if found is None:
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return int(found.group(1)), clicks_recorded() - before


def seed_wordofmouth() -> None:
    from wordofmouth.partners import commission
    from wordofmouth.partners import service as partners
    from wordofmouth.storefront import keys

    with database.transaction() as s:
        p = partners.create_partner(s, actor="bench", name="Carter", kind="blogger")
        commission.set_terms(s, p.id, default_rate=Decimal("10"), months=None, rates={},
                             actor="bench")
        keys.add_key(s, p.id, "carter81", actor="bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    need("wrk", "wrk")
    url = prepare_database("wom_bench_clicks")
    seed_wordofmouth()
    results = {}
    with nginx(free_port()) as target:
        results["nginx"] = wrk(target, None, clients=args.clients, seconds=args.seconds)
    with pinax(free_port()) as target:
        results["pinax"] = wrk(target, None, clients=args.clients, seconds=args.seconds)
    with server(url, workers=2) as base:
        results["wom"] = wrk(f"{base}/r/carter81", None, clients=args.clients,
                             seconds=args.seconds)
    with server(url, workers=2, env={"WOM_CLICK_DURABLE_COMMIT": "true"}) as base:
        results["durable"] = wrk(f"{base}/r/carter81", None, clients=args.clients,
                                 seconds=args.seconds)
    recorded = clicks_recorded()
    acknowledged, kept = crash_phase(url, args.clients, args.seconds)
    print(f"\nclick path benchmark — wrk, {args.clients} connections, {args.seconds} s each, "
          "loopback, PostgreSQL")
    for name, label in (("nginx", "nginx 302 + Set-Cookie (the limit)"),
                        ("pinax", "pinax-referrals 4.5, gunicorn × 2"),
                        ("wom", "wordofmouth /r/KEY, wom serve × 2"),
                        ("durable", "  the same, each commit flushed to disk")):
        r = results[name]
        print(f"{label:38} {r.requests_per_s:9.0f} req/s   p50 {r.p50_ms:6.2f} ms   "
              f"p99 {r.p99_ms:6.2f} ms   non-3xx {r.errors}")
    wom, peer, limit = (results[k].requests_per_s for k in ("wom", "pinax", "nginx"))
    print(f"ratio wordofmouth / pinax-referrals  {wom / peer:8.1f}   (target ≥ 10)")
    print(f"ratio wordofmouth / nginx            {wom / limit:8.2f}   (target ≥ 0.10)")
    durable = results["durable"].requests_per_s
    print(f"ratio durable commit / pinax-referrals {durable / peer:6.1f}; / nginx "
          f"{durable / limit:.2f}")
    answered = results["wom"].requests + results["durable"].requests
    print(f"clicks answered {answered:,}, recorded {recorded:,} "
          f"({'all' if recorded >= answered else 'MISSING SOME'})")
    lost = max(0, acknowledged - kept)
    print(f"SIGKILL at {args.seconds / 2:.0f} s: acknowledged {acknowledged:,}, recorded "
          f"{kept:,}, lost {lost:,} ({'none lost' if not lost else 'LOST SOME'})")


if __name__ == "__main__":
    main()
