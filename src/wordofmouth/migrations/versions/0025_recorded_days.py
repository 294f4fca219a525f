"""the store day each sale and return was recorded on, beside the day it counts for

An imported receipt counts for its own past day but is recorded today: the daily club review
finds who could have moved since the last review by the day of recording.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04 20:10:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sales') as batch_op:
        batch_op.add_column(sa.Column('recorded_day', sa.Integer(), nullable=True))
    with op.batch_alter_table('sale_returns') as batch_op:
        batch_op.add_column(sa.Column('recorded_day', sa.Integer(), nullable=True))
    # A live sale was recorded the day it was paid. Imported ones may have come in after the
    # last review: they count as recorded tomorrow (in UTC: on or after the store's today in
    # any zone), so the next reviews look at their customers again.
    later = (datetime.now(UTC).date() - date(1970, 1, 1)).days + 1
    op.execute(sa.text("UPDATE sales SET recorded_day = CASE WHEN channel = 'import' "
                       "THEN :later ELSE paid_day END WHERE paid_day IS NOT NULL")
               .bindparams(later=later))
    op.execute(sa.text(
        "UPDATE sale_returns SET recorded_day = CASE WHEN EXISTS (SELECT 1 FROM sales "
        "WHERE sales.id = sale_returns.sale_id AND sales.channel = 'import') THEN :later "
        "ELSE day END").bindparams(later=later))
    op.create_index('ix_sales_recorded_day', 'sales', ['recorded_day', 'customer_id'])
    op.create_index('ix_sale_returns_recorded_day', 'sale_returns', ['recorded_day', 'sale_id'])


def downgrade() -> None:
    op.drop_index('ix_sale_returns_recorded_day', table_name='sale_returns')
    op.drop_index('ix_sales_recorded_day', table_name='sales')
    with op.batch_alter_table('sale_returns') as batch_op:
        batch_op.drop_column('recorded_day')
    with op.batch_alter_table('sales') as batch_op:
        batch_op.drop_column('recorded_day')
