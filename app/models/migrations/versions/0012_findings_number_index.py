"""sync: a covering index for counting findings numbered twice in one inspection

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

After every package a merge counts the live findings that share an inspection and a number (two
laptops can both draft 第5号): GROUP BY inspection_id, number over the whole table read every
finding's row (~0.2 s a package on 100,000 findings). ix_findings_number answers it in its own
order without reading a row (app/sync/conflicts.py, duplicate_count).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_findings_number', 'findings', ['inspection_id', 'number', 'deleted_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_findings_number', table_name='findings')
