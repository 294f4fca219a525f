"""Bad input that reaches deep parts gets a clear answer: an absurdly long CSV field, a
database that cannot be written (read-only file, full disk) — never a 500, never "busy"
when it is not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests import factories
from tests.conftest import PG_URL, create_database
from tests.web.pages import login
from wordofmouth import db as database
from wordofmouth.app import create_app
from wordofmouth.auth import service as auth
from wordofmouth.db import make_engine
from wordofmouth.web.deps import get_db
from wordofmouth.web.errors import _trouble


def test_a_csv_field_past_the_csv_limit_is_a_clear_422(client: TestClient) -> None:
    csrf = login(client, "manager")
    sheet = b"first_name;note\nOlena;" + b"x" * 200_000 + b"\n"
    r = client.post("/partners/import", data={"csrf_token": csrf, "what": "customers"},
                    files={"file": ("c.csv", sheet, "text/csv")},
                    headers={"accept": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "bad_import_file", r.text
    assert "Line 2" in r.json()["detail"]


@pytest.mark.skipif(bool(PG_URL), reason="a read-only SQLite file")
def test_a_read_only_database_says_so(tmp_path: Path) -> None:
    """The store's file opened read-only (as when its disk or mount is): a write is told
    so, nothing about being busy."""
    url = create_database(tmp_path)
    engine = create_engine(url)
    with Session(engine) as s:
        factories.bind(s)
        raw = auth.create_token(s, name="t", scopes=["customers:write"], actor="test")
        s.commit()
    engine.dispose()
    read_only = make_engine(f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true")
    application = create_app()

    def sessions() -> Iterator[Session]:
        with database.transaction(lambda: Session(read_only)) as session:
            yield session

    application.dependency_overrides[get_db] = sessions
    with TestClient(application, raise_server_exceptions=False) as client:
        r = client.post("/api/customers", json={"first_name": "Olena"},
                        headers={"Authorization": f"Bearer {raw}"})
    read_only.dispose()
    assert r.status_code == 503 and r.json()["error"] == "database_read_only", r.text
    assert "nothing was saved" in r.json()["detail"]


class FakeDriverError(Exception):
    def __init__(self, text: str, sqlstate: str | None = None) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(("text", "sqlstate", "code", "status"), [
    ("database or disk is full", None, "storage_full", 507),
    ('could not extend file "base/1/2": No space left on device', "53100", "storage_full",
     507),
    ("attempt to write a readonly database", None, "database_read_only", 503),
    ("cannot execute INSERT in a read-only transaction", "25006", "database_read_only", 503),
    ("database is locked", None, "database_busy", 503),
    ("connection refused", None, "database_unavailable", 503),
])
def test_database_troubles_are_named_for_what_they_are(text: str, sqlstate: str | None,
                                                       code: str, status: int) -> None:
    exc = OperationalError("INSERT …", {}, FakeDriverError(text, sqlstate))
    found = _trouble(exc)
    assert (found[0], found[1]) == (status, code)
