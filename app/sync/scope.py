"""Which rows a scoped copy (a team's laptop) may receive: its inspections' records and the shared
directory (units, people, inspectors, templates, reference data, accounts).

Which table belongs to an inspection, and how, is declared once in app.models.ownership; a test
fails on any synced table left out.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Base, Inspection
from app.models.ownership import ATTACHMENT_OWNERS, ATTACHMENTS, INSPECTIONS, OWNED, SHARED

SHARED_TABLES = SHARED


def _owned_order() -> list[str]:
    """Owned tables, each after the table its rows hang from."""
    ordered: list[str] = []
    pending = dict(OWNED)
    while pending:
        for table, path in list(pending.items()):
            if path is None or path.parent in ordered:
                ordered.append(table)
                del pending[table]
    return ordered


def scoped_row_keys(session: Session, inspection_ids: Iterable[str]) -> set[tuple[str, uuid.UUID]]:
    """(table, row id) of every inspection-owned row within the given inspections."""
    ids = [uuid.UUID(str(i)) for i in inspection_ids]
    tables = Base.metadata.tables
    owned: dict[str, set[uuid.UUID]] = {}
    for table in _owned_order():
        path = OWNED[table]
        t = tables[table]
        if path is None:
            rows = set(session.scalars(select(t.c.id).where(t.c.id.in_(ids)))) if ids else set()
        else:
            parents = ids if path.parent == INSPECTIONS else sorted(owned.get(path.parent, ()))
            rows = set()
            for start in range(0, len(parents), 500):
                rows |= set(session.scalars(select(t.c.id).where(t.c[path.column].in_(parents[start:start + 500]))))
        owned[table] = rows
    keys = {(table, r) for table, rows in owned.items() for r in rows}
    # Follow-up inspections point at the one they follow: send that row too, not its records.
    keys |= {(INSPECTIONS, r) for r in followed(session, ids)}
    attachments = tables[ATTACHMENTS]
    for kind, owner in ATTACHMENT_OWNERS.items():
        owners = sorted(owned.get(owner, ()))
        for start in range(0, len(owners), 500):
            keys |= {(ATTACHMENTS, r) for r in session.scalars(select(attachments.c.id).where(
                attachments.c.owner_kind == kind, attachments.c.owner_id.in_(owners[start:start + 500])))}
    return keys


def followed(session: Session, inspection_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """The inspections these ones follow up (回头看): their rows travel with them."""
    if not inspection_ids:
        return set()
    return set(session.scalars(select(Inspection.follows_inspection_id).where(
        Inspection.id.in_(inspection_ids), Inspection.follows_inspection_id.is_not(None))))


def in_scope(table: str, row_id: uuid.UUID, scoped_keys: set[tuple[str, uuid.UUID]]) -> bool:
    return table in SHARED_TABLES or (table, row_id) in scoped_keys
