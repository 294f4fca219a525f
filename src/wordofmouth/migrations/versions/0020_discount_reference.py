"""what names a line's discount: the friend's referrer, the promo code, the offer

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 10:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_reference', sa.String(length=120),
                                      nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_column('discount_reference')
