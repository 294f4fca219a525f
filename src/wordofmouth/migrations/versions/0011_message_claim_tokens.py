"""mailing messages carry the token of the claim that holds them (fencing a lease)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mailing_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mailing_messages', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
