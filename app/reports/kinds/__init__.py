"""Document kinds: plain dataclasses in, OfficialDocument (or RegisterTable) out.

The database side fills the dataclasses; nothing here knows where the values came from.
"""

from __future__ import annotations

from . import (
    announcement,
    authorization,
    clue_transfer,
    feedback,
    interview_record,
    notice,
    register,
    special_report,
    supervision,
    work_plan,
    working_paper,
)
from .announcement import Announcement
from .authorization import LeaderAuthorization
from .clue_transfer import ClueItem, ClueTransferLetter
from .feedback import FeedbackReport, Finding
from .interview_record import InterviewRecord
from .notice import RectificationItem, RectificationNotice
from .register import FindingRegister, RegisterEntry
from .special_report import ReportSection, SpecialReport
from .supervision import OverdueItem, SupervisionLetter
from .work_plan import PlanStep, WorkPlan
from .working_paper import ReviewStep, WorkingPaper

# KIND names of the command line (`xuncha report KIND`) -> (input dataclass, builder).
BUILDERS = {
    "feedback": (FeedbackReport, feedback.build),
    "notice": (RectificationNotice, notice.build),
    "supervision": (SupervisionLetter, supervision.build),
    "clue-transfer": (ClueTransferLetter, clue_transfer.build),
    "announcement": (Announcement, announcement.build),
    "special": (SpecialReport, special_report.build),
    "register": (FindingRegister, register.build),
    "interview-record": (InterviewRecord, interview_record.build),
    "working-paper": (WorkingPaper, working_paper.build),
    "authorization": (LeaderAuthorization, authorization.build),
    "work-plan": (WorkPlan, work_plan.build),
}

__all__ = [
    "build",
    "BUILDERS", "Announcement", "ClueItem", "ClueTransferLetter", "FeedbackReport", "Finding", "FindingRegister",
    "OverdueItem", "RectificationItem", "InterviewRecord", "LeaderAuthorization", "PlanStep", "ReviewStep",
    "WorkPlan", "WorkingPaper", "RectificationNotice", "RegisterEntry", "ReportSection", "SpecialReport",
    "SupervisionLetter",
]


def build(data):
    """The OfficialDocument (or, for a FindingRegister, the RegisterTable) for any kind's dataclass."""
    for cls, builder in BUILDERS.values():
        if isinstance(data, cls):
            return builder(data)
    raise TypeError(f"not a document kind: {type(data).__name__}")
