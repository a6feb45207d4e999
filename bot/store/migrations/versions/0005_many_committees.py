"""many committees: a province above the wards, users and invites belong to a committee

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _defer_foreign_keys() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Batch mode rebuilds tables others refer to (drop, copy, rename): check at commit.
        op.execute("PRAGMA defer_foreign_keys = ON")


def _add_reference(table: str, column: str) -> None:
    """A nullable integer column referring to committees.id."""
    name = f'fk_{table}_{column}_committees'
    if op.get_bind().dialect.name == "sqlite":
        # Alembic would ask for a batch rebuild, which SQLite cannot do to a table others refer
        # to while it holds rows; ADD COLUMN with an inline reference is allowed (default NULL).
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER '
                   f'CONSTRAINT {name} REFERENCES committees (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, 'committees', [column], ['id'])


def upgrade() -> None:
    # Existing committees are wards; a single-ward database gets no province row (it needs none).
    op.add_column('committees', sa.Column('kind', sa.String(length=20), nullable=False,
                                          server_default='ward'))
    _add_reference('committees', 'parent_id')
    _add_reference('users', 'committee_id')
    op.create_index(op.f('ix_users_committee_id'), 'users', ['committee_id'], unique=False)
    _add_reference('invites', 'committee_id')
    # Everyone and every invite of today's single ward belongs to it: a secretary through their
    # cell, anyone else (admins, committee members) to the one committee there is.
    op.execute("UPDATE users SET committee_id = (SELECT cells.committee_id FROM cells "
               "WHERE cells.id = users.cell_id) WHERE cell_id IS NOT NULL")
    op.execute("UPDATE users SET committee_id = (SELECT MIN(id) FROM committees) "
               "WHERE committee_id IS NULL")
    op.execute("UPDATE invites SET committee_id = (SELECT MIN(id) FROM committees) "
               "WHERE committee_id IS NULL")


def downgrade() -> None:
    # (On SQLite this rebuilds tables: it works on a database whose rows it can copy back.)
    _defer_foreign_keys()
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('invites') as batch:
        if not sqlite:  # there the rebuild leaves the reference out with the column
            batch.drop_constraint(op.f('fk_invites_committee_id_committees'), type_='foreignkey')
        batch.drop_column('committee_id')
    op.drop_index(op.f('ix_users_committee_id'), table_name='users')
    with op.batch_alter_table('users') as batch:
        if not sqlite:  # there the rebuild leaves the reference out with the column
            batch.drop_constraint(op.f('fk_users_committee_id_committees'), type_='foreignkey')
        batch.drop_column('committee_id')
    with op.batch_alter_table('committees') as batch:
        if not sqlite:  # there the rebuild leaves the reference out with the column
            batch.drop_constraint(op.f('fk_committees_parent_id_committees'), type_='foreignkey')
        batch.drop_column('parent_id')
        batch.drop_column('kind')
