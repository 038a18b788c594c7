"""short words on postgresql: an index of each body's characters and character pairs

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

On SQLite nothing changes (FTS5's vocabulary answers one- and two-character words). On PostgreSQL a
word shorter than a trigram scanned every body (60–300 ms at 100,000 findings); a GIN index over the
distinct characters and character pairs of each body answers it exactly
(app/models/search_index.py, PG_GRAMS_INDEX).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from app.models.search_index import postgresql_grams_ddl, postgresql_grams_drop_ddl

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in postgresql_grams_ddl():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in postgresql_grams_drop_ddl():
        op.execute(statement)
