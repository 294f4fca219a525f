"""the rate each sale line earned commission at, so a return reverses that line's
commission and not the sale's average

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'partner_commission_lines',
        sa.Column('sale_line_id', sa.Integer(), nullable=False),
        sa.Column('sale_id', sa.Integer(), nullable=False),
        sa.Column('rate', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['sale_line_id'], ['sale_lines.id'],
                                name=op.f('fk_partner_commission_lines_sale_line_id_sale_lines')),
        sa.PrimaryKeyConstraint('sale_line_id', name=op.f('pk_partner_commission_lines')))
    with op.batch_alter_table('partner_commission_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_commission_lines_sale_id'), ['sale_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('partner_commission_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_commission_lines_sale_id'))
    op.drop_table('partner_commission_lines')
