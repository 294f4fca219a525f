"""a member's confirmation counts the purchases paid from the grant on (what counted toward
joining never counts toward confirming)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 21:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('club_memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_from', sa.DateTime(timezone=True), nullable=True))
    # members count from their last grant or extension, as recorded in the decisions
    op.execute(
        "UPDATE club_memberships SET counts_from = (SELECT max(d.at) FROM club_decisions d "
        "WHERE d.customer_id = club_memberships.customer_id AND d.action IN ('grant', 'extend')) "
        "WHERE status = 'member'")


def downgrade() -> None:
    with op.batch_alter_table('club_memberships', schema=None) as batch_op:
        batch_op.drop_column('counts_from')
