"""statistics: a covering index for counting findings by category, discipline and form

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_findings_statistics', 'findings',
                    ['inspection_id', 'deleted_at', 'category_code', 'discipline_code', 'four_form', 'unit_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_findings_statistics', table_name='findings')
