"""Which inspection each synced row belongs to, and which tables only the office changes.

One declaration serves every door: what a team laptop's package may carry and receive (sync scope),
what an import accepts, who may write a row (app.services.permissions) and what a member may read.
A test enumerates the synced models and fails on a table left out.
"""

from __future__ import annotations

from dataclasses import dataclass

INSPECTIONS = "inspections"


@dataclass(frozen=True)
class OwnerPath:
    """How a row finds its inspection: through `column`, which holds the id of a row of `parent`
    (the inspections table itself, or another row that belongs to an inspection)."""

    column: str
    parent: str


# Rows that belong to one inspection. `inspections` belongs to itself.
OWNED: dict[str, OwnerPath | None] = {
    INSPECTIONS: None,
    "inspection_units": OwnerPath("inspection_id", INSPECTIONS),
    "team_assignments": OwnerPath("inspection_id", INSPECTIONS),
    "checklist_items": OwnerPath("inspection_id", INSPECTIONS),
    "checklist_links": OwnerPath("checklist_item_id", "checklist_items"),
    "interviews": OwnerPath("inspection_id", INSPECTIONS),
    "petitions": OwnerPath("inspection_id", INSPECTIONS),
    "document_reviews": OwnerPath("inspection_id", INSPECTIONS),
    "visits": OwnerPath("inspection_id", INSPECTIONS),
    "briefings": OwnerPath("inspection_id", INSPECTIONS),
    "group_talks": OwnerPath("inspection_id", INSPECTIONS),
    "surveys": OwnerPath("inspection_id", INSPECTIONS),
    "inspection_meetings": OwnerPath("inspection_id", INSPECTIONS),
    "findings": OwnerPath("inspection_id", INSPECTIONS),
    "finding_reviews": OwnerPath("finding_id", "findings"),
    "clues": OwnerPath("inspection_id", INSPECTIONS),
    "clue_outcomes": OwnerPath("clue_id", "clues"),
    "rectifications": OwnerPath("inspection_id", INSPECTIONS),
    "rectification_plans": OwnerPath("inspection_id", INSPECTIONS),
    "rectification_close_outs": OwnerPath("rectification_id", "rectifications"),
    "rectification_ledger_imports": OwnerPath("inspection_id", INSPECTIONS),
    # A document issued for no inspection (an office circular) belongs to the office alone.
    "issued_documents": OwnerPath("inspection_id", INSPECTIONS),
}

# Attachments belong to whatever record they are attached to: owner_kind names its table.
ATTACHMENTS = "attachments"
ATTACHMENT_OWNERS: dict[str, str] = {
    "checklist_item": "checklist_items",
    "issued_document": "issued_documents",
    "interview": "interviews",
    "petition": "petitions",
    "document_review": "document_reviews",
    "visit": "visits",
    "finding": "findings",
    "briefing": "briefings",
    "group_talk": "group_talks",
    "survey": "surveys",
    "meeting": "inspection_meetings",
}

# The directory every copy holds whole: units and their people, the inspector pool, templates,
# reference data, accounts, revoked copies, the organization profile (机关信息).
SHARED: frozenset[str] = frozenset({
    "units", "unit_people", "inspectors", "inspector_relations", "inspection_rounds",
    "checklist_templates", "checklist_template_items", "reference_items", "users", "site_revocations",
    "organization_profiles",
})

# Tables only the office's master database changes (as an administrator): the directory, accounts
# and roles, reference data, revocations, and the make-up of inspections and their teams. A change
# to them arriving from any other copy is refused. (Accounts have one exception: a user's own
# password and keys, see app.services.permissions.)
MASTER_ONLY: frozenset[str] = SHARED | {INSPECTIONS, "inspection_units", "team_assignments"}


def is_owned(table: str) -> bool:
    return table in OWNED or table == ATTACHMENTS


def owned_tables() -> frozenset[str]:
    return frozenset(OWNED) | {ATTACHMENTS}


# The inspector-id columns (one id, or a list of ids) that make a row "assigned to" an inspector:
# a 组员 may change the rows they created and the rows assigned to them.
ASSIGNEES: dict[str, tuple[str, ...]] = {
    "findings": ("handler_id", "assignee_id"),
    "interviews": ("interviewer_ids", "recorder_id"),
    "document_reviews": ("reviewer_ids",),
    "visits": ("visitor_ids",),
}
