"""special offers for a partner's customers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 22:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partner_offers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('employee_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('discount_percent', sa.BigInteger(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('valid_from_day', sa.Integer(), nullable=True),
        sa.Column('valid_to_day', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['employee_id'], ['partner_employees.id'],
                                name=op.f('fk_partner_offers_employee_id_partner_employees')),
        sa.ForeignKeyConstraint(['group_id'], ['product_groups.id'],
                                name=op.f('fk_partner_offers_group_id_product_groups')),
        sa.ForeignKeyConstraint(['partner_id'], ['partners.id'],
                                name=op.f('fk_partner_offers_partner_id_partners')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_offers')))
    with op.batch_alter_table('partner_offers', schema=None) as batch_op:
        batch_op.create_index('ix_partner_offers_partner', ['partner_id', 'active'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partner_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_partner_offers_partner')
    op.drop_table('partner_offers')
