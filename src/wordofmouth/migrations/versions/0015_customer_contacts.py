"""contacts on the customer's record: notes, partner rewards paid

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 21:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'customer_contacts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.String(length=1000), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('source_key', sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(['customer_id'], ['customers.id'],
                                name=op.f('fk_customer_contacts_customer_id_customers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_contacts')),
        sa.UniqueConstraint('customer_id', 'source_key',
                            name=op.f('uq_customer_contacts_customer_id_source_key'))
    )
    with op.batch_alter_table('customer_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_customer_contacts_customer', ['customer_id', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('customer_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_contacts_customer')
    op.drop_table('customer_contacts')
