"""Server processes keep who each API token is in memory (auth/token_cache.py), and a token
revoked anywhere — here by a script of the store's in a process of its own — is refused by
every server process at once, though each had it in memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.live import LiveServer, live_server, misses_before
from wordofmouth.auth import service as auth
from wordofmouth.auth.models import ApiToken

REVOKE = """
import sys
from wordofmouth import db, plugins
from wordofmouth.auth import service
plugins.install()
with db.transaction() as session:
    service.revoke_token(session, int(sys.argv[1]), actor="script")
"""


def _answer(server: LiveServer, raw: str) -> int:
    return httpx.get(f"{server.base}/api/customers?limit=1",
                     headers={"Authorization": f"Bearer {raw}"}).status_code


def test_a_token_revoked_elsewhere_is_refused_by_every_server_at_once(
        committed_url: str, tmp_path: Path) -> None:
    engine = create_engine(committed_url)
    with Session(engine) as s:
        raw = auth.create_token(s, name="erp", scopes=["customers:read"], actor="test")
        other = auth.create_token(s, name="shop", scopes=["customers:read"], actor="test")
        s.commit()
        token_id = s.scalars(select(ApiToken.id).where(ApiToken.name == "erp")).one()
    engine.dispose()
    with live_server(committed_url, tmp_path, workers=1) as a, \
            live_server(committed_url, tmp_path, workers=1) as b:
        for server in (a, b):  # each process has both tokens in memory now
            assert [_answer(server, raw) for _ in range(3)] == [200, 200, 200]
            assert _answer(server, other) == 200
        subprocess.run([sys.executable, "-c", REVOKE, str(token_id)], check=True,
                       env={**os.environ, "WOM_DATABASE_URL": committed_url}, timeout=60)
        through = [misses_before(lambda: _answer(a, raw) == 401),
                   misses_before(lambda: _answer(b, raw) == 401)]
        # the revocation reaches a process within milliseconds of its commit (NOTIFY on
        # PostgreSQL, the version row on SQLite): a request sent after the script ended
        # finds it refused, not one still let through from memory
        assert through == [0, 0]
        assert [_answer(a, raw), _answer(b, raw)] == [401, 401]
        assert [_answer(a, other), _answer(b, other)] == [200, 200]  # the other still works
