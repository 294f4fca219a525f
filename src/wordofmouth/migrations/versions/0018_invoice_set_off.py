"""an invoice the intermediary pays, by setting off their due commission

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 07:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sale_attributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_pays', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('sale_returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_setoff', sa.BigInteger(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('sale_returns', schema=None) as batch_op:
        batch_op.drop_column('refund_setoff')
    with op.batch_alter_table('sale_attributions', schema=None) as batch_op:
        batch_op.drop_column('partner_pays')
