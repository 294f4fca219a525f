"""the store's clock, search in any script and the user's language: local day numbers,
folded search text, Ukrainian sort keys, phones in E.164, users.language

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 17:30:00
"""

import contextlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from wordofmouth.calendar import DEFAULT_ZONE, day_of, zone
from wordofmouth.customers import rules

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None
BATCH = 5000


def _store_setting(conn: sa.Connection, key: str, default: str) -> str:
    value = conn.scalar(sa.text("SELECT value FROM store_settings WHERE key = :k"), {"k": key})
    return str(value) if value else default


def _local_days(conn: sa.Connection, tz_name: str) -> None:
    """Day numbers were UTC days; they become the store's local days."""
    if conn.dialect.name == "postgresql":
        for table, day, at in (("sales", "paid_day", "paid_at"), ("sale_returns", "day", "created_at")):
            op.execute(sa.text(
                f"UPDATE {table} SET {day} = (({at} AT TIME ZONE :tz)::date - DATE '1970-01-01') "
                f"WHERE {at} IS NOT NULL").bindparams(tz=tz_name))
        return
    tz = zone(tz_name)
    for table, day, at in (("sales", "paid_day", "paid_at"), ("sale_returns", "day", "created_at")):
        t = sa.table(table, sa.column("id"), sa.column(day), sa.column(at, sa.DateTime(timezone=True)))
        last = 0
        while rows := conn.execute(sa.select(t.c.id, t.c[at]).where(t.c.id > last, t.c[at].is_not(None))
                                   .order_by(t.c.id).limit(BATCH)).all():
            conn.execute(t.update().where(t.c.id == sa.bindparam("_id")),
                         [{"_id": i, day: day_of(_aware(moment), tz)} for i, moment in rows])
            last = rows[-1][0]


def _aware(moment: datetime | str) -> datetime:
    """SQLite hands back UTC instants without their zone."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _search_columns(conn: sa.Connection, country: str) -> None:
    c = sa.table("customers", sa.column("id"), sa.column("first_name"), sa.column("last_name"),
                 sa.column("email"), sa.column("phone"), sa.column("search_text"),
                 sa.column("sort_key"))
    last = 0
    while rows := conn.execute(sa.select(c.c.id, c.c.first_name, c.c.last_name, c.c.email, c.c.phone)
                               .where(c.c.id > last).order_by(c.c.id).limit(BATCH)).all():
        changes = []
        for cid, first, last_name, email, phone in rows:
            if phone:
                # a phone that is not one stays as typed; its next edit asks for a good one
                with contextlib.suppress(ValueError):
                    phone = rules.phone_e164(phone, country)
            changes.append({"_id": cid, "phone": phone,
                            "search_text": rules.search_text(first, last_name or "", email, phone),
                            "sort_key": rules.sort_key(last_name or "", first)})
        conn.execute(c.update().where(c.c.id == sa.bindparam("_id")), changes)
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sort_key', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_customers_sort_key'), ['sort_key'], unique=False)
    conn = op.get_bind()
    _local_days(conn, _store_setting(conn, "time_zone", DEFAULT_ZONE))
    _search_columns(conn, _store_setting(conn, "country", "UA"))
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)
        batch_op.alter_column('sort_key', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_sort_key'))
        batch_op.drop_column('sort_key')
        batch_op.drop_column('search_text')
