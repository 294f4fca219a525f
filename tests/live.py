"""A real `wom serve` process on a test database, for races through the HTTP API and for
crash tests (SIGKILL): what a store sees, not what a TestClient in the same process sees."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx

WOM = str(Path(sys.executable).with_name("wom"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL to the server and its workers at once (their process group): no shutdown
        hook runs, nothing buffered is flushed, no worker lives on."""
        kill_group(self.proc, signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(200):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log.read_text()}")


def misses_before(check: Callable[[], bool], seconds: float = 3) -> int:
    """How many times `check` failed before it held (asking every 5 ms, at most `seconds`):
    how long a server went on with what it had before it heard of a change."""
    start, missed = time.monotonic(), 0
    while not check():
        assert time.monotonic() - start < seconds, "the server never heard of the change"
        missed += 1
        time.sleep(0.005)
    return missed


@contextmanager
def live_server(url: str, log_dir: Path, *, workers: int = 2,
                **settings: str) -> Iterator[LiveServer]:
    """`wom serve` on a free port against `url`; background jobs off unless asked for."""
    port = free_port()
    env = {**os.environ, "WOM_DATABASE_URL": url, "WOM_MAIL_WORKER": "false",
           "WOM_WEBHOOK_WORKER": "false", "WOM_IMPORT_WORKER": "false",
           "WOM_SCHEDULER": "false",
           **{f"WOM_{k.upper()}": v for k, v in settings.items()}}
    log = log_dir / f"server-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([WOM, "serve", "--port", str(port), "--workers", str(workers)],
                                env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", proc, log)
    try:
        wait_healthy(server.base, proc, log)
        yield server
    finally:
        kill_group(proc, signal.SIGTERM)


def kill_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Signal a server started in its own session and every worker it forked; SIGKILL them
    all if a SIGTERM is not done within 20 s."""
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while group_alive(proc.pid) and time.monotonic() < deadline:  # workers leave after it
        time.sleep(0.05)
    if group_alive(proc.pid):
        os.killpg(proc.pid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (a zombie waiting to be reaped does not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def login(base: str, user: str, password: str) -> tuple[httpx.Client, str]:
    """A client logged in through the real login form, and the session's CSRF token."""
    client = httpx.Client(base_url=base, timeout=60, headers={"Accept-Language": "en"})
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None, page.text
    r = client.post("/login", data={"login": user, "password": password,
                                    "csrf_token": token.group(1)})
    assert r.status_code == 303, r.text
    csrf = re.search(r'data-csrf="([^"]+)"', client.get("/").text)
    assert csrf is not None
    return client, csrf.group(1)


def race(count: int, request: Callable[[httpx.Client, int], httpx.Response],
         timeout: float = 60, clients: list[httpx.Client] | None = None
         ) -> list[httpx.Response]:
    """Fire `count` requests at once (each thread its own connection, released together by a
    barrier) and return the answers in thread order."""
    barrier = threading.Barrier(count)
    answers: list[Any] = [None] * count

    def one(i: int) -> None:
        client = clients[i] if clients else httpx.Client(timeout=timeout)
        try:
            barrier.wait()
            answers[i] = request(client, i)
        except httpx.HTTPError as exc:  # kept, so the test shows what went wrong
            answers[i] = exc
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = [a for a in answers if not isinstance(a, httpx.Response)]
    assert not failed, failed
    return answers


def statuses(answers: list[httpx.Response]) -> list[int]:
    return sorted(a.status_code for a in answers)


def codes(answers: list[httpx.Response]) -> set[str]:
    return {a.json().get("error", "") for a in answers if a.status_code >= 400}
