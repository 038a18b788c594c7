"""Typed SQLAlchemy models of the whole domain, the engine, and the migrations."""

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


def synced_models() -> list[type[Base]]:
    """Every model whose rows travel between copies, in dependency-safe (table creation) order."""
    by_table = {m.class_.__table__: m.class_ for m in Base.registry.mappers}
    return [by_table[t] for t in Base.metadata.sorted_tables if t in by_table and getattr(by_table[t], "__synced__", False)]
