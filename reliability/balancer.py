"""nginx for the suites and benchmarks: started from a configuration of its own in a
temporary folder. `balancer` puts it in front of several `wom serve` processes: round robin,
keep-alive to the servers, and a request that finds its server gone (refused, reset) sent
to the next one. Writes are safe to resend: the clients put an Idempotency-Key on every one."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

CONF = """
worker_processes {workers};
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{http}
}}
"""

BALANCER = """
    log_format upstream '$upstream_addr $status';
    access_log {tmp}/access.log upstream;
    upstream wom {
SERVERS
        keepalive 16;
    }
    server {
        listen 127.0.0.1:PORT;
        location / {
            proxy_pass http://wom;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_next_upstream error timeout non_idempotent;
            proxy_read_timeout 30s;
        }
    }
"""


def binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


@contextmanager
def nginx(http: str, probe: str, *, workers: int = 1) -> Iterator[Path]:
    """nginx with `http` inside its http block (`{tmp}` stands for its folder), ready once
    `probe` answers; yields the folder."""
    found = binary()
    if found is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    with tempfile.TemporaryDirectory(prefix="wom-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(CONF.format(tmp=tmp, workers=workers, http=http.replace("{tmp}", tmp)))
        proc = subprocess.Popen([found, "-c", str(conf), "-p", tmp, "-g", "daemon off;"],
                                stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                try:
                    httpx.get(probe, timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("nginx did not start")
            yield Path(tmp)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@contextmanager
def balancer(port: int, upstreams: Sequence[int]) -> Iterator[Path]:
    """nginx on `port` over the servers on `upstreams`; yields its folder (access.log)."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=1s;"
                        for p in upstreams)
    http = BALANCER.replace("SERVERS", servers).replace("PORT", str(port))
    with nginx(http, f"http://127.0.0.1:{port}/healthz") as folder:
        yield folder


def served_by(folder: Path) -> dict[str, int]:
    """Requests answered per server, and how many nginx sent on to another server after
    theirs failed (`sent on`)."""
    counts: dict[str, int] = {}
    for line in (folder / "access.log").read_text().splitlines():
        tried = [a.strip() for a in line.rsplit(" ", 1)[0].split(",")]
        counts[tried[-1]] = counts.get(tried[-1], 0) + 1
        if len(tried) > 1:
            counts["sent on"] = counts.get("sent on", 0) + 1
    return counts
