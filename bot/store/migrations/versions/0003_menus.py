"""menus: the command menu last set in each person's chat

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Empty at first: the first start after the upgrade sends every menu once, then only changes.
    op.create_table('menus',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.Column('set_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_menus_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_menus'))
    )


def downgrade() -> None:
    op.drop_table('menus')
