"""channels: chat ids as text (Zalo's are strings), remembered choices and seen updates per chat

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Telegram's integer chat ids become their decimal text; the store turns them back per channel.
    with op.batch_alter_table('users') as batch:
        batch.alter_column('chat_id', existing_type=sa.BigInteger(), type_=sa.String(length=64),
                           existing_nullable=True, postgresql_using='chat_id::text')
    op.create_table('channel_choices',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('updated_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'chat_id', name=op.f('pk_channel_choices'))
    )
    op.create_table('channel_inbox',
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('message_id', sa.String(length=80), nullable=False),
    sa.Column('seen_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'message_id', name=op.f('pk_channel_inbox'))
    )
    op.create_index(op.f('ix_channel_inbox_seen_at'), 'channel_inbox', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_channel_inbox_seen_at'), table_name='channel_inbox')
    op.drop_table('channel_inbox')
    op.drop_table('channel_choices')
    with op.batch_alter_table('users') as batch:
        batch.alter_column('chat_id', existing_type=sa.String(length=64), type_=sa.BigInteger(),
                           existing_nullable=True, postgresql_using='chat_id::bigint')
