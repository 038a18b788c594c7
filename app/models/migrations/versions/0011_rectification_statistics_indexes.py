"""statistics: covering indexes for counting rectification items by status and deadline

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Statistics and the office dashboard count the items of the whole database by status, overdue and
due soon, leaving out those a 回头看 took over: ix_rectifications_statistics answers the count and
ix_rectifications_carried the items taken over, without reading a row (app/services/statistics.py).
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_rectifications_statistics', 'rectifications',
                    ['inspection_id', 'deleted_at', 'status', 'deadline', 'id'], unique=False)
    op.create_index('ix_rectifications_carried', 'rectifications', ['deleted_at', 'carried_from_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_rectifications_carried', table_name='rectifications')
    op.drop_index('ix_rectifications_statistics', table_name='rectifications')
