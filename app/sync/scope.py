"""Which rows a scoped copy (a team's laptop) may receive: its inspections' records and the shared
directory (units, people, inspectors, templates, reference data, accounts)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Attachment,
    ChecklistItem,
    ChecklistLink,
    Clue,
    ClueOutcome,
    DocumentReview,
    Finding,
    FindingReview,
    Inspection,
    InspectionUnit,
    Interview,
    IssuedDocument,
    Petition,
    Rectification,
    TeamAssignment,
    Visit,
)

SHARED_TABLES = frozenset(
    {
        "units", "unit_people", "inspectors", "inspector_relations", "inspection_rounds",
        "checklist_templates", "checklist_template_items", "reference_items", "users",
        "organization_profiles",
    }
)
_BY_INSPECTION = (
    InspectionUnit, TeamAssignment, ChecklistItem, Interview, Petition, DocumentReview, Visit, Finding, Clue,
    Rectification, IssuedDocument,
)
_BY_PARENT = ((FindingReview, FindingReview.finding_id, Finding), (ClueOutcome, ClueOutcome.clue_id, Clue),
              (ChecklistLink, ChecklistLink.checklist_item_id, ChecklistItem))


def scoped_row_keys(session: Session, inspection_ids: Iterable[str]) -> set[tuple[str, uuid.UUID]]:
    """(table, row id) of every inspection-owned row within the given inspections."""
    ids = [uuid.UUID(str(i)) for i in inspection_ids]
    keys: set[tuple[str, uuid.UUID]] = {("inspections", i) for i in ids}
    owned: dict[str, set[uuid.UUID]] = {}
    for model in _BY_INSPECTION:
        rows = set(session.scalars(select(model.id).where(model.inspection_id.in_(ids))))
        owned[model.__tablename__] = rows
        keys |= {(model.__tablename__, r) for r in rows}
    for model, column, parent in _BY_PARENT:
        parents = owned[parent.__tablename__]
        rows = session.scalars(select(model.id).where(column.in_(parents))) if parents else []
        keys |= {(model.__tablename__, r) for r in rows}
    # Follow-up inspections point at the one they follow: send that row too, not its records.
    keys |= {("inspections", r) for r in session.scalars(
        select(Inspection.follows_inspection_id).where(Inspection.id.in_(ids), Inspection.follows_inspection_id.is_not(None))
    )}
    owners = {row_id for _, row_id in keys}
    for row_id in session.scalars(select(Attachment.id).where(Attachment.owner_id.in_(owners))) if owners else []:
        keys.add(("attachments", row_id))
    return keys


def in_scope(table: str, row_id: uuid.UUID, scoped_keys: set[tuple[str, uuid.UUID]]) -> bool:
    return table in SHARED_TABLES or (table, row_id) in scoped_keys
