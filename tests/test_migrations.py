from datetime import UTC, date, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text

import wordofmouth.models  # noqa: F401
from tests.conftest import create_database, drop_database
from wordofmouth.calendar import day_of_date
from wordofmouth.db import Base
from wordofmouth.migrate import upgrade


def test_the_migrations_build_exactly_the_models_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_day_numbers_are_filled_in_for_sales_recorded_before_they_existed(
        tmp_path: Path) -> None:
    url = create_database(tmp_path, revision="0001")
    engine = create_engine(url)
    paid = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # 00:30 on 2 March in Kyiv
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO sales (id, kind, status, created_by, channel, created_at, paid_at, "
                "gross_total, discount_total, net_total, paid_total, returned_net, note) "
                "VALUES (1, 'receipt', 'paid', '', 'pos', :at, :at, 100, 0, 100, 100, 0, '')"),
                {"at": paid})
            conn.execute(text(
                "INSERT INTO sale_returns (id, sale_id, created_at, created_by, reason, "
                "net_amount, refund_cash, refund_card, refund_bank, refund_bonus) "
                "VALUES (1, 1, :at, '', '', 100, 100, 0, 0, 0)"), {"at": paid})
        upgrade(url)
        with engine.connect() as conn:
            kyiv_day = day_of_date(date(2026, 3, 2))  # the store's day, not UTC's 1 March
            assert conn.scalar(text("SELECT paid_day FROM sales")) == kyiv_day
            assert conn.scalar(text("SELECT day FROM sale_returns")) == kyiv_day
    finally:
        engine.dispose()
        drop_database(url)
