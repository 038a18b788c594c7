"""postgresql server: the keyword index's triggers and trigram index on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10

On SQLite nothing changes (FTS5 and its triggers came with 0001 and 0005). On PostgreSQL the keyword
index is search_docs kept by PL/pgSQL triggers and indexed by pg_trgm (app/models/search_index.py).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from app.models.search_index import postgresql_ddl, postgresql_drop_ddl, postgresql_rebuild_sql

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in postgresql_ddl():
        op.execute(statement)
    # Records written before this revision (none in a new database) get their index rows now.
    for statement in postgresql_rebuild_sql():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in postgresql_drop_ddl():
        op.execute(statement)
