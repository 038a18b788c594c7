"""Typed SQLAlchemy models of the whole domain, the engine, and the migrations.

The package itself imports nothing: `app.models.enums`, `app.models.crypto` and the like load
without SQLAlchemy (the window's first paint needs them and not SQLAlchemy, which costs the
launch ~0.5 s of CPU), and the models load on the first name asked for (PEP 562)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Base, SyncedMixin, new_id, utcnow
    from .checklist import ChecklistItem, ChecklistLink, ChecklistTemplate, ChecklistTemplateItem
    from .documents import Attachment, AttachmentBlob, DocumentSequence, IssuedDocument
    from .fieldwork import (
        Briefing,
        DocumentReview,
        GroupTalk,
        InspectionMeeting,
        Interview,
        Petition,
        Survey,
        Visit,
    )
    from .findings import Clue, ClueOutcome, Finding, FindingReview, Rectification
    from .inspection import Inspection, InspectionRound, InspectionUnit, TeamAssignment
    from .office import RectificationCloseOut, RectificationPlan
    from .org import Inspector, InspectorRelation, Unit, UnitPerson, User
    from .profile import OrganizationProfile
    from .rectification_ledger import RectificationLedgerImport
    from .reference import ReferenceItem, Setting
    from .search_index import SearchDoc
    from .sync_log import (
        ChangeEvent,
        EventBatch,
        PeerHead,
        PeerKnowledge,
        RowHeads,
        SiteCoverage,
        SiteRevocation,
        SyncConflict,
        SyncEnrollment,
        SyncPeer,
    )

__all__ = [
    "Attachment",
    "ChangeEvent",
    "EventBatch",
    "PeerHead",
    "SiteRevocation",
    "PeerKnowledge",
    "SyncConflict",
    "SyncEnrollment",
    "SyncPeer",
    "AttachmentBlob",
    "Briefing",
    "GroupTalk",
    "InspectionMeeting",
    "Survey",
    "Base",
    "ChecklistItem",
    "ChecklistLink",
    "ChecklistTemplate",
    "ChecklistTemplateItem",
    "Clue",
    "ClueOutcome",
    "DocumentReview",
    "DocumentSequence",
    "Finding",
    "FindingReview",
    "Inspection",
    "InspectionRound",
    "InspectionUnit",
    "Inspector",
    "InspectorRelation",
    "Interview",
    "IssuedDocument",
    "OrganizationProfile",
    "Petition",
    "Rectification",
    "RectificationCloseOut",
    "RectificationLedgerImport",
    "RectificationPlan",
    "ReferenceItem",
    "RowHeads",
    "SearchDoc",
    "SiteCoverage",
    "Setting",
    "SyncedMixin",
    "TeamAssignment",
    "Unit",
    "UnitPerson",
    "User",
    "Visit",
    "new_id",
    "utcnow",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        # A submodule (`from app.models import crypto`): the import system loads it.
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}._registry"), name)
    globals()[name] = value
    return value


def synced_models() -> list[type[Base]]:
    """Every model whose rows travel between copies, in dependency-safe (table creation) order."""
    from ._registry import Base

    by_table = {m.class_.__table__: m.class_ for m in Base.registry.mappers}
    return [by_table[t] for t in Base.metadata.sorted_tables if t in by_table and getattr(by_table[t], "__synced__", False)]
