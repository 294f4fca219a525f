"""the monthly statement e-mailed to partners through the outbox

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statement_by_email', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('mailing_messages', schema=None) as batch_op:
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('partner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=160),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('attachment', sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_mailing_messages_partner_id_partners'),
                                    'partners', ['partner_id'], ['id'])
        batch_op.create_unique_constraint(
            op.f('uq_mailing_messages_mailing_id_partner_id'), ['mailing_id', 'partner_id'])


def downgrade() -> None:
    with op.batch_alter_table('mailing_messages', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_mailing_messages_mailing_id_partner_id'),
                                 type_='unique')
        batch_op.drop_constraint(op.f('fk_mailing_messages_partner_id_partners'),
                                 type_='foreignkey')
        batch_op.drop_column('attachment')
        batch_op.drop_column('attachment_name')
        batch_op.drop_column('partner_id')
        batch_op.alter_column('customer_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('statement_by_email')
