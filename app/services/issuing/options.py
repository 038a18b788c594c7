"""What a document says beyond its data (DocumentOptions), the constants every kind shares, and
what a builder hands to the entry points (Prepared)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.orm import Session

from app.models.enums import (
    FindingStatus,
    RectificationStatus,
    SourceKind,
    Stage,
)

# The command line's KIND names (app.reports.kinds.BUILDERS) with what a user calls them.
KIND_LABELS: dict[str, str] = {
    "feedback": "巡察反馈意见",
    "notice": "整改通知书",
    "supervision": "整改督办函",
    "clue-transfer": "问题线索移交函",
    "announcement": "巡察公告",
    "special": "专题报告",
    "register": "问题台账",
    "interview-record": "谈话笔录",
    "working-paper": "问题底稿",
    "authorization": "组长授权书",
    "work-plan": "巡察工作方案",
}
KINDS: tuple[str, ...] = tuple(KIND_LABELS)

# Documents naming problems and people before they are public carry who exported them and when, so a
# leaked copy can be traced. This is the one place that decides which kinds do by default.
CONFIDENTIAL_KINDS = frozenset({"feedback", "clue-transfer", "special", "register", "interview-record",
                                "working-paper"})
# See the module docstring: not 公文 with a 发文字号, so not entered in the register of issued documents.
# The 谈话笔录 and the 问题底稿 are records the team signs, printed from one interview or finding.
UNNUMBERED_KINDS = frozenset({"announcement", "register", "interview-record", "working-paper"})
# Kinds printed from one record rather than from the whole inspection: kind -> what the id names.
RECORD_KINDS = {"interview-record": "interview", "working-paper": "finding"}
ATTACHMENT_OWNER_KIND = "issued_document"
SNAPSHOT_MEDIA = "application/x-xuncha-document+json"

# Who issues each numbered kind (the profile gives the masthead and the 文号 prefix of each):
# the leading group, its office (文件 or 函), or the team itself (its 上行文 to the leading group).
ISSUER_OF = {"feedback": "leading_group", "notice": "office", "supervision": "office_letter",
             "clue-transfer": "office_letter", "special": "team", "authorization": "leading_group",
             "work-plan": "team"}
# The stage from which a kind may be issued: a 整改通知书 follows the 反馈, a 专题报告 the fieldwork.
KIND_STAGE = {"work-plan": Stage.PLAN, "authorization": Stage.PLAN, "announcement": Stage.ANNOUNCE,
              "special": Stage.REPORT, "feedback": Stage.REPORT, "clue-transfer": Stage.REPORT,
              "notice": Stage.FEEDBACK, "supervision": Stage.FEEDBACK}
# Kinds written after the fieldwork: their 成文日期 cannot precede its end.
AFTER_FIELDWORK = frozenset({"special", "feedback", "clue-transfer", "notice", "supervision"})
# Kinds an inspection has once (a second one asks first); the others once per recipient.
SINGLE_KINDS = frozenset({"feedback", "notice", "special", "authorization", "work-plan"})

# Findings the 反馈意见 leaves out: clues about individuals go to the 纪委监委/组织部 under seal (naming
# them in a document read out to the unit would warn the people concerned), and problems held for
# later or found untrue are not problems of the unit.
FEEDBACK_EXCLUDED_DISPOSITIONS = frozenset({"clue_transfer", "transfer_organization", "hold", "settle"})
NOTICE_DISPOSITION = "feedback_rectify"
IMMEDIATE_FIX = "immediate_fix"

# Usual time limits: 整改情况报告 within two months of the feedback (巡视工作条例), a reply to a
# 督办函 within a fortnight, the outcome of transferred clues within three months.
REPORT_DAYS = 60
SUPERVISION_REPLY_DAYS = 15
CLUE_REPLY_DAYS = 90
# How many typical problems the 专题报告 quotes per category; the full list is the register's job.
SPECIAL_EXAMPLES = 2
SPECIAL_TITLES = 8

OTHER_CATEGORY = "其他方面"
_RECT_ORDER: dict[str, int] = {RectificationStatus.PENDING: 0, RectificationStatus.IN_PROGRESS: 1,
               RectificationStatus.COMPLETED: 2, RectificationStatus.CLOSED: 3}
_RECT_LABEL: dict[str, str] = {RectificationStatus.PENDING: "未整改", RectificationStatus.IN_PROGRESS: "整改中",
               RectificationStatus.COMPLETED: "已完成", RectificationStatus.CLOSED: "已销号"}
# The register's own words where a finding's status means the same (its note names four states).
_FINDING_LABEL: dict[str, str] = {FindingStatus.RECTIFYING: "整改中", FindingStatus.RECTIFIED: "已完成", FindingStatus.CLOSED: "已销号"}
_MATERIALS: dict[str, str] = {SourceKind.INTERVIEW: "谈话笔录", SourceKind.PETITION: "信访件", SourceKind.DOCUMENT_REVIEW: "查阅资料摘录",
              SourceKind.VISIT: "走访记录", SourceKind.CHECKLIST: "检查记录"}


@dataclass(frozen=True)
class DocumentOptions:
    """What a leader may edit before issuing. None means "derive it from the data" (see default_options).

    Which fields a kind uses: title, addressee (主送机关), cc (抄送), signature (署名), date (成文日期),
    issuer_mark (发文机关标志) and secrecy (密级) apply to every 公文; assessment (总体评价) to feedback and
    special; requirements to feedback (整改意见), notice (有关要求, one "小标题：正文" per item) and special
    (意见建议); deadline is the date a report or reply is due; as_of (统计截至) applies to supervision,
    special and register; contact/phone to notice, supervision and clue-transfer; note (说明) to the
    register. finding_ids / clue_ids narrow the findings (feedback, notice, register) or clues
    (clue-transfer) to the ones chosen. An empty string or list means "none" (no 抄送, no 版头), not
    "the default".
    """

    title: str | None = None
    addressee: str | None = None
    assessment: list[str] | None = None
    requirements: list[str] | None = None
    cc: list[str] | None = None
    signature: str | None = None
    date: dt.date | None = None
    issuer_mark: str | None = None
    secrecy: str | None = None
    deadline: dt.date | None = None
    as_of: dt.date | None = None
    contact: str | None = None
    phone: str | None = None
    note: str | None = None
    finding_ids: list[uuid.UUID | str] | None = None
    clue_ids: list[uuid.UUID | str] | None = None
    # interview-record: the interview; working-paper: the finding.
    record_id: uuid.UUID | str | None = None

    def over(self, defaults: DocumentOptions, *, deadline_days: int | None = None) -> ResolvedOptions:
        """These options with every None taken from defaults; with `deadline_days`, a deadline not
        given runs that many days from the 成文日期 the document carries (itself perhaps a default)."""
        resolved = dataclasses.replace(defaults, **{
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None
        })
        if deadline_days is not None and self.deadline is None and resolved.date is not None:
            resolved = dataclasses.replace(resolved, deadline=resolved.date + dt.timedelta(days=deadline_days))
        return cast("ResolvedOptions", resolved)


if TYPE_CHECKING:
    class ResolvedOptions(DocumentOptions):
        """DocumentOptions after `over`, as the type checker sees them: each kind's defaults fill the
        fields it reads, so these are never None where they are read. (At run time: DocumentOptions.)"""

        title: str
        addressee: str
        signature: str
        date: dt.date
        deadline: dt.date
        as_of: dt.date
else:
    ResolvedOptions = DocumentOptions


@dataclass(frozen=True)
class IssuedResult:
    pdf_bytes: bytes
    number_text: str | None  # the 文号; None for a preview or an unnumbered kind
    font_messages: list[str]  # fonts substituted, characters drawn from another font
    page_count: int
    document_id: uuid.UUID | None  # the IssuedDocument row; None when nothing was recorded
    title: str = ""
    kind: str = ""
    docx_bytes: bytes | None = None  # the Word version, when asked for
    built: Any = None  # the OfficialDocument (or RegisterTable) rendered


# --- one builder per kind ------------------------------------------------------------------------
@dataclass
class Prepared:
    data: Any  # the app.reports dataclass, doc_number not yet set
    options: ResolvedOptions  # resolved: nothing left None that the kind uses
    title: str
    recipient: str | None
    inspection_id: uuid.UUID | None = None
    after_issue: Callable[[Session, Any], None] | None = None  # (session, IssuedDocument) → None
    issuer_code: str | None = None  # the 文号 prefix (numbered kinds)
    scope: Any = None
    people: list[str] = dataclasses.field(default_factory=list)  # names the text never breaks inside
