"""Races through the HTTP API against a real server with two worker processes, on
PostgreSQL: each request its own connection, as tills and storefront retries send them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from tests.conftest import PG_URL
from tests.live import LiveServer, live_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def server(committed_url: str, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[LiveServer]:
    if not PG_URL:
        pytest.skip("races need PostgreSQL (set WOM_TEST_DATABASE_URL)")
    with live_server(committed_url, tmp_path_factory.mktemp("live"), workers=2) as s:
        yield s


@pytest.fixture(scope="module")
def store(committed_url: str) -> Iterator[Engine]:
    engine = create_engine(committed_url)
    yield engine
    engine.dispose()


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _root() -> Path:
    return Path(__file__).parent
