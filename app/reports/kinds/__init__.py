"""Document kinds: plain dataclasses in, OfficialDocument (or RegisterTable) out.

The database side fills the dataclasses; nothing here knows where the values came from.
"""

from __future__ import annotations

from . import announcement, clue_transfer, feedback, notice, register, special_report, supervision
from .announcement import Announcement
from .clue_transfer import ClueItem, ClueTransferLetter
from .feedback import FeedbackReport, Finding
from .notice import RectificationItem, RectificationNotice
from .register import FindingRegister, RegisterEntry
from .special_report import ReportSection, SpecialReport
from .supervision import OverdueItem, SupervisionLetter

# KIND names of the command line (`xuncha report KIND`) -> (input dataclass, builder).
BUILDERS = {
    "feedback": (FeedbackReport, feedback.build),
    "notice": (RectificationNotice, notice.build),
    "supervision": (SupervisionLetter, supervision.build),
    "clue-transfer": (ClueTransferLetter, clue_transfer.build),
    "announcement": (Announcement, announcement.build),
    "special": (SpecialReport, special_report.build),
    "register": (FindingRegister, register.build),
}

__all__ = [
    "build",
    "BUILDERS", "Announcement", "ClueItem", "ClueTransferLetter", "FeedbackReport", "Finding", "FindingRegister",
    "OverdueItem", "RectificationItem", "RectificationNotice", "RegisterEntry", "ReportSection", "SpecialReport",
    "SupervisionLetter",
]


def build(data):
    """The OfficialDocument (or, for a FindingRegister, the RegisterTable) for any kind's dataclass."""
    for cls, builder in BUILDERS.values():
        if isinstance(data, cls):
            return builder(data)
    raise TypeError(f"not a document kind: {type(data).__name__}")
