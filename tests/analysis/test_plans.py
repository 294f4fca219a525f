"""Reports are planned for their values every time: the connection a report runs on
prepares nothing (PostgreSQL would switch a prepared statement to a generic plan) until it
is back in the pool, and then it prepares the till's statements again."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.conftest import requires_postgres
from wordofmouth import db as database

PREPARED = text("SELECT count(*) FROM pg_prepared_statements")


@requires_postgres
def test_a_report_prepares_nothing_and_the_pool_prepares_again(committed_url: str) -> None:
    engine = database.make_engine(committed_url, pool_size=1, max_overflow=0)
    try:
        with Session(engine) as report:
            database.custom_plans(report)
            for n in range(8):  # psycopg prepares a statement on its 6th run by default
                report.execute(text("SELECT :n + 1"), {"n": n})
            assert report.scalar(PREPARED) == 0
            report.commit()
        with Session(engine) as till:  # the same connection, back from the pool
            for n in range(8):
                till.execute(text("SELECT :n + 2"), {"n": n})
            assert till.scalar(PREPARED) == 1
    finally:
        engine.dispose()
