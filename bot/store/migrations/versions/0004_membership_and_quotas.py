"""membership and quotas: how members join and leave a cell, quotas per cell and year, who set them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.store.models

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing members keep their rows: no join date means "on the list from the start", and a
    # member who left before keeps `left_on` with an unknown reason ('').
    with op.batch_alter_table('members') as batch:
        batch.add_column(sa.Column('joined_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('joined_how', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('left_how', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('left_note', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('year_quotas') as batch:
        batch.add_column(sa.Column('set_by', sa.String(length=200), nullable=False, server_default=''))
    op.create_table('cell_quotas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cell_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', bot.store.models.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cell_id'], ['cells.id'], name=op.f('fk_cell_quotas_cell_id_cells')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cell_quotas')),
    sa.UniqueConstraint('cell_id', 'year', name=op.f('uq_cell_quotas_cell_id_year'))
    )
    op.create_index(op.f('ix_cell_quotas_cell_id'), 'cell_quotas', ['cell_id'], unique=False)
    # Admissions already recorded by the bot: the member joined their cell at the ceremony.
    op.execute("UPDATE members SET joined_how = 'admitted', joined_on = admitted_on "
               "WHERE id IN (SELECT member_id FROM candidates WHERE member_id IS NOT NULL)")


def downgrade() -> None:
    op.drop_index(op.f('ix_cell_quotas_cell_id'), table_name='cell_quotas')
    op.drop_table('cell_quotas')
    with op.batch_alter_table('year_quotas') as batch:
        batch.drop_column('set_by')
    with op.batch_alter_table('members') as batch:
        batch.drop_column('left_note')
        batch.drop_column('left_how')
        batch.drop_column('joined_how')
        batch.drop_column('joined_on')
