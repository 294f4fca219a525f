"""commissions held for review when the buyer looks like the partner (self-referral)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partner_commission_reviews',
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.String(length=120), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'],
                                name=op.f('fk_partner_commission_reviews_partner_id_partners')),
        sa.ForeignKeyConstraint(['sale_id'], ['sales.id'],
                                name=op.f('fk_partner_commission_reviews_sale_id_sales')),
        sa.PrimaryKeyConstraint('sale_id', name=op.f('pk_partner_commission_reviews')))
    with op.batch_alter_table('partner_commission_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_partner_commission_reviews_status', ['status', 'partner_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partner_commission_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_partner_commission_reviews_status')
    op.drop_table('partner_commission_reviews')
