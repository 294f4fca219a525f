"""No usable default secret: a key is made and kept on first start; a published or short key
stops the server (outside the demo); links signed with the old default are worthless."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from tests.live import WOM
from wordofmouth.config import Settings

OLD_DEFAULT = "change-me-in-production-wordofmouth"


def test_a_key_is_made_on_first_start_kept_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "wordofmouth.secret"
    first = Settings(secret_key="", secret_key_file=str(path))
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32 and first.secret_problem() is None
    again = Settings(secret_key="", secret_key_file=str(path))
    assert again.secret_key == first.secret_key
    other = Settings(secret_key="", secret_key_file=str(tmp_path / "elsewhere.secret"))
    assert other.secret_key != first.secret_key


def serve(tmp_path: Path, key: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WOM_SECRET_KEY": key, "WOM_PORT": "1",  # never gets that far
           "WOM_DATABASE_URL": f"sqlite:///{tmp_path / 'never.db'}"}
    return subprocess.run([WOM, "serve", *extra], env=env, capture_output=True, text=True,
                          timeout=60)


def test_the_server_refuses_a_published_or_short_key(tmp_path: Path) -> None:
    for key in (OLD_DEFAULT, "short-key"):
        done = serve(tmp_path, key)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "WOM_SECRET_KEY" in done.stdout and "Traceback" not in done.stderr
    assert not (tmp_path / "never.db").exists()  # refused before touching the database


def test_links_signed_with_the_old_default_key_are_refused(client: object) -> None:
    from fastapi.testclient import TestClient
    from itsdangerous import URLSafeSerializer

    assert isinstance(client, TestClient)
    forged = URLSafeSerializer(OLD_DEFAULT, salt="wordofmouth.unsubscribe").dumps(
        [1, "email", None])
    r = client.post(f"/unsubscribe/{forged}")
    assert r.status_code == 400 and "bad_unsubscribe_link" in r.text
