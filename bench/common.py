"""Shared pieces for benchmarks: a fresh PostgreSQL database, a server process, wrk, pgbench."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN = os.environ.get("WOM_BENCH_DATABASE_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def need(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found is None:
        sys.exit(f"{tool} is missing: apt-get install {package}")
    return found


def database_url(name: str) -> str:
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def fresh_database(name: str) -> str:
    """Drop and create `name` on the benchmark server; returns its SQLAlchemy URL."""
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def prepare_database(name: str) -> str:
    """A fresh, migrated database with every capability installed; the process uses it."""
    from wordofmouth import db as database
    from wordofmouth import plugins
    from wordofmouth.migrate import upgrade

    url = fresh_database(name)
    database.configure(url)
    upgrade(url)
    plugins.install()
    return url


def prepare_sqlite(path: Path) -> str:
    """A fresh, migrated SQLite database in a file, as `wom demo` makes one."""
    from wordofmouth import db as database
    from wordofmouth import plugins
    from wordofmouth.migrate import upgrade

    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    database.configure(url)
    upgrade(url)
    plugins.install()
    return url


def libpq_args(url: str) -> list[str]:
    u = make_url(url)
    return ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(*, group: int | None = None, command: str | None = None) -> float:
    """CPU time (user + system) used so far by the live processes of a process group, or by
    the processes of one command name (e.g. every PostgreSQL backend)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        fields = rest.split()
        if (group is not None and int(fields[2]) == group) or name == command:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


@contextmanager
def server(url: str, workers: int | None, procs: list[subprocess.Popen[bytes]] | None = None,
           env: dict[str, str] | None = None) -> Iterator[str]:
    """`wom serve` with production settings (uvicorn, N workers — its own default if None —
    no access log); the process is appended to `procs` for a caller that wants to kill it
    or read its CPU time."""
    port = free_port()
    wom = Path(sys.executable).with_name("wom")
    sized = [] if workers is None else ["--workers", str(workers)]
    proc = subprocess.Popen([str(wom), "serve", "--port", str(port), *sized],
                            env={**os.environ, "WOM_DATABASE_URL": url, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)  # its workers share its process group
    if procs is not None:
        procs.append(proc)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.5)  # let every worker finish importing
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and every worker
            proc.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:  # a background job in hand: no need to wait
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    timeouts: int = 0  # requests wrk gave up on (no answer within its 2 s)


def _ms(value: str) -> float:
    number = float(re.sub(r"[a-z]+$", "", value))
    unit = re.sub(r"^[0-9.]+", "", value)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, script: Path | None, *, clients: int, seconds: int,
        threads: int = 2) -> WrkResult:
    out = subprocess.run(
        [need("wrk", "wrk"), "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s",
         "--latency", *(["-s", str(script)] if script else []), url],
        capture_output=True, text=True, check=True).stdout
    return read_wrk(out)


def read_wrk(out: str) -> WrkResult:
    p50 = re.search(r"^\s+50%\s+([0-9.]+[a-z]+)\s*$", out, re.M)  # Latency Distribution
    p99 = re.search(r"^\s+99%\s+([0-9.]+[a-z]+)\s*$", out, re.M)
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    if not (p50 and p99 and rps and total):
        raise RuntimeError(f"could not read wrk's output:\n{out}")
    return WrkResult(float(rps.group(1)), _ms(p50.group(1)), _ms(p99.group(1)),
                     int(total.group(1)), int(non2xx.group(1)) if non2xx else 0,
                     int(timeouts.group(1)) if timeouts else 0)


def pgbench_tps(clients: int, seconds: int, scale: int = 16) -> float:
    """TPC-B-like pgbench against the same server, on a database of its own."""
    url = fresh_database("wom_bench_pgbench")
    args = libpq_args(url)
    name = make_url(url).database or ""
    pgbench = need("pgbench", "postgresql-contrib")
    subprocess.run([pgbench, *args, "-i", "-q", "-s", str(scale), name], check=True,
                   capture_output=True)
    out = subprocess.run([pgbench, *args, "-c", str(clients), "-j", "2", "-T", str(seconds),
                          "-M", "prepared", name], check=True, capture_output=True,
                         text=True).stdout
    found = re.search(r"tps = ([0-9.]+)", out)
    if not found:
        raise RuntimeError(out)
    return float(found.group(1))
