"""an index to find the sale a history import made of an old receipt

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 22:05:00
"""

from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_sales_channel_note', 'sales', ['channel', 'note'])


def downgrade() -> None:
    op.drop_index('ix_sales_channel_note', table_name='sales')
