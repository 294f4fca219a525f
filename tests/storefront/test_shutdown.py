"""Clicks are buffered in the server for a moment; a clean shutdown writes every one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.storefront.helpers import keyed
from wordofmouth.storefront.models import Click


def test_a_clean_shutdown_flushes_the_buffered_clicks(committed_url: str) -> None:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        factories.bind(s)
        keyed(s, "Carter", "carter81")
        s.commit()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    wom = Path(sys.executable).with_name("wom")
    proc = subprocess.Popen([str(wom), "serve", "--port", str(port)],
                            env={**os.environ, "WOM_DATABASE_URL": committed_url,
                                 "WOM_MAIL_WORKER": "false", "WOM_SCHEDULER": "false",
                                 "WOM_CLICK_FLUSH_SECONDS": "600"},  # only the shutdown
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/healthz")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        with httpx.Client() as client:
            for _ in range(200):
                r = client.get(f"{base}/r/carter81", follow_redirects=False)
                assert r.status_code == 302
        with Session(engine) as s:  # still in the server's memory
            assert s.scalar(select(func.count()).select_from(Click)) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    with Session(engine) as s:
        recorded = s.scalar(select(func.count()).select_from(Click).where(
            Click.key == "carter81"))
    engine.dispose()
    assert recorded == 200
