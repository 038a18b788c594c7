# ruff: noqa: F401 - imported to register every mapper and to be handed out by app.models
"""Every model class imported, so that each mapper is registered (relationships name their targets
by string) and `app.models` can hand them out. Imported on first use of any of them, and by
app.models.db: no session is opened before every table is mapped."""

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
