"""Test databases: SQLite by default, PostgreSQL when WOM_TEST_DATABASE_URL is set.

Each run creates its own database from `alembic upgrade head` and drops it at the end.
Each test runs inside a transaction that is rolled back; the app's requests join it
through savepoints, so what a request commits is still undone after the test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests import factories
from wordofmouth import db as database
from wordofmouth import i18n, plugins
from wordofmouth.app import create_app
from wordofmouth.auth import service as auth
from wordofmouth.migrate import upgrade
from wordofmouth.storefront.click_writer import SessionWriter
from wordofmouth.web.deps import get_db

PG_URL = os.environ.get("WOM_TEST_DATABASE_URL", "")
# One key for the test process and every server it starts (they check each other's links).
os.environ.setdefault("WOM_SECRET_KEY", "tests-only-" + "x" * 40)
plugins.install()  # every capability's till extensions, as the app and the CLI have them


def create_database(tmp_dir: Path, revision: str = "head") -> str:
    """A new, empty database migrated to `revision`; returns its URL."""
    if PG_URL:
        name = f"wom_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_dir / f'wom-{uuid.uuid4().hex[:8]}.db'}"
    upgrade(url, revision)
    return url


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = make_url(url).database
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests read the English messages; the Ukrainian ones have tests of their own
    (tests/i18n), which switch with i18n.use("uk")."""
    with i18n.use("en"):
        yield


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = create_database(tmp_path_factory.mktemp("db"))
    yield url
    database.get_engine().dispose()
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Engine:
    plugins.install()
    return database.configure(database_url)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    factories.bind(session)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(db: Session) -> Iterator[object]:
    application = create_app()
    connection = db.connection()

    def joined_session() -> Iterator[Session]:
        with database.transaction(lambda: Session(
                bind=connection, join_transaction_mode="create_savepoint",
                expire_on_commit=False)) as session:
            yield session

    application.dependency_overrides[get_db] = joined_session
    # A token revoked in the test's transaction is never committed, so no process would
    # hear of it: the app reads every token (tests/auth/test_token_cache.py tests the cache
    # across real server processes).
    application.state.tokens = None
    # Clicks too are written in the test's transaction, so they roll back with it.
    application.state.clicks.writer = SessionWriter(
        lambda: contextmanager(joined_session))
    yield application


@pytest.fixture
def client(app: object) -> TestClient:
    # The tests read the English texts; Ukrainian pages have tests of their own.
    return TestClient(app, raise_server_exceptions=False,  # type: ignore[arg-type]
                      headers={"Accept-Language": "en"})


def make_token(db: Session, *scopes: str) -> dict[str, str]:
    raw = auth.create_token(db, name="test", scopes=list(scopes), actor="test")
    db.flush()
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def writer(db: Session) -> dict[str, str]:
    """Headers of an integration token that may sell and read everything."""
    return make_token(db, "catalog:read", "catalog:write", "customers:read", "customers:write",
                      "sales:read", "sales:write", "ledger:read")


@pytest.fixture(scope="module")
def committed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own for tests that commit from several connections at once."""
    url = create_database(tmp_path_factory.mktemp("committed"))
    yield url
    drop_database(url)


requires_postgres = pytest.mark.skipif(not PG_URL, reason="races need PostgreSQL "
                                                          "(set WOM_TEST_DATABASE_URL)")
