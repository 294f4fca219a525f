"""Stateless app processes: two `wom serve` behind nginx on one PostgreSQL, the crash suite's
mix of checkouts through them, one server killed with SIGKILL and restarted mid-run — every
acknowledged sale exactly once, every balance equal to its entries, no friend code used twice,
and the background jobs of both servers reviewing the club once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reliability.balancer import binary
from tests.conftest import requires_postgres

pytestmark = pytest.mark.postgres


@requires_postgres
@pytest.mark.skipif(binary() is None, reason="nginx is not installed")
def test_two_servers_behind_nginx_lose_and_double_nothing_when_one_is_killed(
        committed_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reliability.crash", "--balanced", "--url", committed_url,
         "--ops", "600", "--clients", "4", "--kill-after", "3"],
        capture_output=True, text=True, timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode == 0 and "RESULT PASS" in out, out
    served = next(line for line in out.splitlines() if line.startswith("requests answered"))
    assert served.count("127.0.0.1:") == 2, served  # both servers answered
    assert "club_reviews             1" in out
