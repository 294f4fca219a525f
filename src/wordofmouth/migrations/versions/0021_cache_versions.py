"""versions of what the click path caches, for processes to see a change at once

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'cache_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_versions')),
    )
    op.bulk_insert(table, [{'name': 'click_path', 'version': 0}])


def downgrade() -> None:
    op.drop_table('cache_versions')
