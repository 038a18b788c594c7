"""Official documents generated from the database: read an inspection, fill the app.reports dataclass,
number it, render it, keep the PDF.

One function per document kind reads what it needs through the models and returns the plain
dataclass the PDF engine takes (app.reports never sees a session). The parts a leader writes rather
than the data — 总体评价, 整改意见, 主送机关, 抄送, 署名, 成文日期 … — come from `DocumentOptions`;
`default_options` proposes them from the data so a dialog can show them for editing, and any field
left as None is filled the same way.

`issue_document` is the one entry point. Issuing a numbered kind is one write transaction: take the
文号, render the PDF with that number printed on it, store the PDF as an attachment and link it to
the IssuedDocument row. Anything failing in between rolls the whole transaction back, and the number
with it, so the register of issued documents never has a gap or a number without its PDF.
`preview=True` renders the same document read-only, with a blank number, and records nothing.

Four kinds take no 文号 and are not recorded: the 巡察公告 is posted publicly without a 版头 or 发文字号
(the engine's Announcement has no number field), the 问题台账 is a working table regenerated whenever it
is needed, and the 谈话笔录 and 问题底稿 are records the team signs, printed from one interview or
finding (DocumentOptions.record_id). The register of issued documents (IssuedDocument: issuer, year,
sequence, 文号 all required) is the 发文登记簿, and a row without a number would be a false entry in
it; these kinds render exactly like a preview.

Who issues what, and under which prefix, comes from the organization profile (app.services.profile);
each kind has the stage it may be issued from (KIND_STAGE), a 成文日期 that never precedes the end of
the fieldwork for the kinds written after it, and a second document of a kind the inspection already
has is refused (AlreadyIssuedError) until it is asked for again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import io
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast, overload

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Attachment,
    Clue,
    DocumentReview,
    Finding,
    FindingReview,
    Inspection,
    InspectionUnit,
    Inspector,
    Interview,
    IssuedDocument,
    Petition,
    Rectification,
    ReferenceItem,
    TeamAssignment,
    Unit,
    UnitPerson,
    Visit,
)
from app.models.enums import (
    ClueStatus,
    FindingStatus,
    InspectionKind,
    RectificationStatus,
    ReviewAction,
    ReviewState,
    SourceKind,
    Stage,
    TeamRole,
    UnitKind,
)
from app.reports import FontSet, Table, cn_date, kinds, snapshot
from app.reports.kinds.common import period
from app.reports.kinds.notice import DEFAULT_REQUIREMENTS as NOTICE_REQUIREMENTS
from app.reports.strokes import by_strokes
from app.reports.wording import clause, flatten_numbering, normalize

from . import permissions, statistics
from .attachments import ISSUING, AttachmentService
from .clues import ClueService
from .context import ServiceContext
from .crud import as_uuid
from .documents import IssuedDocumentService
from .errors import NotFoundError, StateError, ValidationError
from .profile import Profile, load_profile_in
from .rectifications import is_overdue
from .reference import DISCIPLINE, DISPOSITION, PROBLEM_CATEGORY

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

    def over(self, defaults: DocumentOptions) -> ResolvedOptions:
        """These options with every None taken from defaults."""
        return cast("ResolvedOptions", dataclasses.replace(defaults, **{
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None
        }))


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


# --- who and what an inspection is ---------------------------------------------------------------
def party_organisation(unit: Unit) -> str:
    """The party organisation a 巡察 addresses for a unit: 市财政局 → 市财政局党组, 安集镇人民政府 → 安集镇党委."""
    name = unit.name.strip()
    kind = unit.kind
    if kind == UnitKind.PARTY_DEPT:
        return name  # a 党委工作部门 is itself a party organ
    if kind == UnitKind.TOWNSHIP:
        place = _strip_suffix(name, ("人民政府", "办事处")) or unit.short_name or name
        return place + ("党工委" if place.endswith("街道") else "党委")
    if kind == UnitKind.VILLAGE:
        place = _strip_suffix(name, ("村民委员会", "居民委员会")) or unit.short_name or name
        return place + ("党委" if place.endswith("社区") else "党支部")
    if kind in (UnitKind.SOE, UnitKind.PUBLIC_INSTITUTION):
        return name + "党委"
    if kind == UnitKind.OTHER:
        return name.replace("管理委员会", "党工委") if "管理委员会" in name else name + "党委"
    return name + "党组"  # 政府部门, 人民团体


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str | None:
    for s in suffixes:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return None


def _short(unit: Unit | None) -> str:
    if unit is None:
        return ""
    return unit.short_name or unit.name


# How the feedback and the 专题报告 group problems, by the framework the profile names: the top-level
# problem category (reference data) -> the heading of its part.
FOUR_IMPLEMENTATIONS = {
    "leadership": (1, "落实党的路线方针政策和党中央决策部署方面"),
    "strict_governance": (2, "落实全面从严治党战略部署方面"),
    "party_building": (3, "落实新时代党的组织路线方面"),
    "cadre_selection": (3, "落实新时代党的组织路线方面"),
    "rectification": (4, "落实巡视巡察、审计等监督发现问题整改方面"),
}


@dataclass
class _Scope:
    """An inspection with the names every document derives from it."""

    inspection: Inspection
    units: list[Unit]
    orgs: list[str]  # party organisations addressed, in the order the units were added
    team: str  # 市委第一巡察组
    profile: Profile
    leader: str | None
    categories: dict[str, ReferenceItem]
    dispositions: dict[str, str]
    today: dt.date

    @property
    def authority(self) -> str:
        """市委 / 县委: who deployed the inspection (from the organization profile)."""
        return self.profile.committee

    @property
    def target(self) -> str:
        """How the text names the inspected organisations; villages under an inspected township are implied."""
        heads = [o for u, o in zip(self.units, self.orgs, strict=True) if u.kind != UnitKind.VILLAGE] or self.orgs
        if not heads:
            return "被巡察党组织"
        names = "、".join(heads[:3])
        return names if len(heads) <= 3 else f"{names}等{len(heads)}个党组织"

    @property
    def addressee(self) -> str:
        return "、".join(self.orgs) or "被巡察党组织"

    @property
    def kind_label(self) -> str:
        kind = self.inspection.kind
        return "巡察整改“回头看”" if kind == InspectionKind.FOLLOW_UP else InspectionKind.label_of(kind) or "巡察"

    @property
    def leading_group(self) -> str:
        return self.profile.leading_group_short

    @property
    def office_full(self) -> str:
        return self.profile.office_name

    @property
    def office(self) -> str:
        return self.profile.office_short

    @property
    def discipline_body(self) -> str:
        return self.profile.discipline_body

    @property
    def organisation_dept(self) -> str:
        return self.profile.organisation_dept

    @property
    def team_signature(self) -> str:
        return self.profile.team_full_name(self.team)

    @property
    def keep(self) -> list[str]:
        """Names the title and the 主送机关 never break inside."""
        names = [self.team, self.team_signature, *self.orgs, *(u.name for u in self.units),
                 *(u.short_name for u in self.units if u.short_name)]
        if self.leader:
            names.append(self.leader)
        return [n for n in dict.fromkeys(names) if n]

    def issuer(self, kind: str) -> tuple[str, str]:
        """(文号 prefix, 发文机关标志) of a numbered kind, both from the profile: one level throughout."""
        who = ISSUER_OF[kind]
        p = self.profile
        if who == "team":
            code = p.team_code(self.team)
            if code:
                return code, f"{self.team_signature}文件"
            who = "leading_group"  # a team without a number issues under the leading group's name
        if who == "leading_group":
            return p.leading_group_prefix, p.leading_group_mark
        if who == "office":
            return p.office_prefix, p.office_mark
        return p.office_letter_prefix, p.office_name

    def period(self) -> str | None:
        i = self.inspection
        if i.start_date and i.end_date:
            return period(i.start_date, i.end_date)
        return None

    def category_of(self, code: str | None) -> tuple[int, str, str]:
        """(sort key, top-level name, own name) of a problem category code."""
        item = self.categories.get(code or "")
        if item is None:
            return (1_000_000, OTHER_CATEGORY, code or "")
        top = self.categories.get(item.parent_code or "") or item
        return (top.sort_order, top.name, item.name)

    def aspect_of(self, code: str | None) -> tuple[int, str]:
        """(order, heading) of the part a finding goes under, in the profile's framework."""
        item = self.categories.get(code or "")
        top = (self.categories.get(item.parent_code or "") or item) if item is not None else None
        if self.profile.framework == "four_implementations" and top is not None and top.code in FOUR_IMPLEMENTATIONS:
            return FOUR_IMPLEMENTATIONS[top.code]
        order, name, _own = self.category_of(code)
        return order, _aspect(name)


def _load_scope(session: Session, inspection_id: uuid.UUID | str, today: dt.date) -> _Scope:
    try:
        key = as_uuid(inspection_id)
    except NotFoundError:
        key = None
    inspection = session.get(Inspection, key) if key is not None else None
    if inspection is None or inspection.deleted_at is not None:
        raise ValidationError(f"找不到编号为 {inspection_id} 的巡察，可能已被删除。", "inspection_id")
    units = list(session.scalars(
        select(Unit).join(InspectionUnit, InspectionUnit.unit_id == Unit.id)
        .where(InspectionUnit.inspection_id == inspection.id, InspectionUnit.deleted_at.is_(None))
        .order_by(InspectionUnit.created_at, InspectionUnit.id)
    ))
    leader = session.scalar(
        select(Inspector.name).join(TeamAssignment, TeamAssignment.inspector_id == Inspector.id)
        .where(TeamAssignment.inspection_id == inspection.id, TeamAssignment.role == TeamRole.LEADER,
               TeamAssignment.deleted_at.is_(None)).limit(1)
    )
    refs = list(session.scalars(select(ReferenceItem).where(ReferenceItem.kind.in_([PROBLEM_CATEGORY, DISPOSITION]))))
    # Deleted categories still name the old findings filed under them.
    categories = {r.code: r for r in refs if r.kind == PROBLEM_CATEGORY}
    dispositions = {r.code: r.name for r in refs if r.kind == DISPOSITION}
    return _Scope(
        inspection=inspection, units=units, orgs=list(dict.fromkeys(party_organisation(u) for u in units)),
        team=(inspection.team_name or "").strip() or "巡察组", profile=load_profile_in(session),
        leader=leader, categories=categories, dispositions=dispositions, today=today,
    )


def _findings(session: Session, scope: _Scope, *, approved: bool, ids: Sequence[uuid.UUID | str] | None) -> list[Finding]:
    stmt = select(Finding).where(Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Finding.id.in_([as_uuid(i) for i in ids]))
    rows = session.scalars(stmt.order_by(Finding.number, Finding.id))
    # The review state is checked here, not in SQL: with it in the WHERE clause SQLite picks the
    # review-state index (most findings are approved) over the inspection's and reads the whole table.
    return [f for f in rows if not approved or f.review_state == ReviewState.APPROVED]


def _rectifications(
    session: Session, scope: _Scope, findings: Sequence[Finding] | None = None
) -> dict[uuid.UUID, list[Rectification]]:
    """Live rectification items by finding: of the whole inspection, or only of the findings given."""
    out: dict[uuid.UUID, list[Rectification]] = defaultdict(list)
    stmt = select(Rectification).where(
        Rectification.inspection_id == scope.inspection.id, Rectification.deleted_at.is_(None)
    ).order_by(Rectification.deadline, Rectification.id)
    if findings is not None:
        stmt = stmt.where(Rectification.finding_id.in_([f.id for f in findings]))
    for r in session.scalars(stmt):
        out[r.finding_id].append(r)
    return out


def _units_by_id(scope: _Scope, session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Unit]:
    known = {u.id: u for u in scope.units}
    missing = {i for i in ids if i is not None and i not in known}
    if missing:
        known.update({u.id: u for u in session.scalars(select(Unit).where(Unit.id.in_(missing)))})
    return known


def _by_category(scope: _Scope, findings: list[Finding]) -> list[Finding]:
    """Findings in the order of the framework's parts, then of the reference list's categories, then by number."""
    return sorted(findings, key=lambda f: (scope.aspect_of(f.category_code)[0], scope.category_of(f.category_code)[0],
                                           f.number))


def _aspect(top_name: str) -> str:
    """党的领导弱化 → 党的领导弱化方面; 选人用人问题 → 选人用人方面 (how feedback headings read)."""
    if top_name.endswith("方面"):
        return top_name
    return top_name.removesuffix("问题") + "方面"


def _sentence(text: str | None) -> str:
    return clause(text)


def _responsible(unit: Unit | None, person: str | None) -> str:
    """文广旅局（高俊林）: the columns are headed 责任单位, so the unit comes first and the person in brackets."""
    person = (person or "").strip()
    name = _short(unit)
    if name and person:
        return f"{name}（{person}）"
    return name or person


def _measures(rects: Iterable[Rectification]) -> str:
    """The measures of a finding's rectification items as one clause, inner numbering one level down."""
    parts = [normalize(r.measures).rstrip("。；") for r in rects if r.measures]
    return flatten_numbering("；".join(p for p in parts if p))


# --- what every kind of one inspection counts alike ------------------------------------------------
@dataclass
class _Problems:
    """The approved findings of an inspection, split the way every document counts them.

    problems: what is fed back to the unit (the feedback lists them, the 专题报告 and the notice count
    them); as_clues: findings about individuals, handed over as clues instead; held: kept for later or
    found untrue (neither reported nor counted).
    """

    problems: list[Finding]
    as_clues: list[Finding]
    held: list[Finding]
    pending: int  # findings not through the 三审 chain yet

    @property
    def total(self) -> int:
        return len(self.problems)


def _problem_set(session: Session, scope: _Scope) -> _Problems:
    rows = list(session.scalars(select(Finding).where(
        Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None)).order_by(Finding.number, Finding.id)))
    approved = [f for f in rows if f.review_state == ReviewState.APPROVED]
    clue_codes = {"clue_transfer", "transfer_organization"}
    return _Problems(
        problems=_by_category(scope, [f for f in approved if f.disposition_code not in FEEDBACK_EXCLUDED_DISPOSITIONS]),
        as_clues=[f for f in approved if f.disposition_code in clue_codes],
        held=[f for f in approved if f.disposition_code in {"hold", "settle"}],
        pending=len(rows) - len(approved),
    )


def _problem_total(session: Session, scope: _Scope) -> int:
    """How many problems the inspection fed back (the count _problem_set gives), without loading them."""
    excluded = list(FEEDBACK_EXCLUDED_DISPOSITIONS)
    return int(session.scalar(select(func.count()).select_from(Finding).where(
        Finding.inspection_id == scope.inspection.id, Finding.deleted_at.is_(None),
        Finding.review_state == ReviewState.APPROVED,
        Finding.disposition_code.is_(None) | Finding.disposition_code.not_in(excluded))) or 0)


# --- one builder per kind ------------------------------------------------------------------------
@dataclass
class _Prepared:
    data: Any  # the app.reports dataclass, doc_number not yet set
    options: ResolvedOptions  # resolved: nothing left None that the kind uses
    title: str
    recipient: str | None
    inspection_id: uuid.UUID | None = None
    after_issue: Callable[[Session, Any], None] | None = None  # (session, IssuedDocument) → None
    issuer_code: str | None = None  # the 文号 prefix (numbered kinds)
    scope: Any = None
    people: list[str] = dataclasses.field(default_factory=list)  # names the text never breaks inside


def _base_defaults(scope: _Scope, **kw: Any) -> DocumentOptions:
    return DocumentOptions(date=scope.today, **kw)


def _plan_due(session: Session, start: dt.date) -> dt.date:
    """整改方案 due: the office's count of working days (15 by default) after the feedback."""
    from .office.workdays import calendar_in, plan_workdays_in

    return calendar_in(session).add_workdays(start, plan_workdays_in(session))


def _feedback(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    if given.finding_ids is not None:
        chosen = _by_category(scope, _findings(session, scope, approved=True, ids=given.finding_ids))
    else:
        chosen = _problem_set(session, scope).problems
    if not chosen:
        pending = int(session.scalar(select(func.count()).select_from(Finding).where(
            Finding.inspection_id == insp.id, Finding.deleted_at.is_(None),
            Finding.review_state != ReviewState.APPROVED)) or 0)
        more = f"（另有{pending}个问题尚未完成三审）" if pending else ""
        raise ValidationError(f"该巡察还没有经组长审签、需要反馈的问题{more}，无法生成巡察反馈意见。")
    if not (insp.start_date and insp.end_date):
        raise ValidationError("请先填写该巡察的「进驻日期」和「结束日期」，再生成巡察反馈意见。")
    rects = _rectifications(session, scope, chosen)
    aspects = list(dict.fromkeys(scope.aspect_of(f.category_code)[1] for f in chosen))
    # The feedback is dated the day it is delivered: the recorded 反馈日期 when there is one.
    date = given.date or insp.feedback_date or scope.today
    prefix, mark = scope.issuer("feedback")
    defaults = DocumentOptions(
        date=date,
        title=f"{scope.team}关于巡察{scope.target}的反馈意见",
        addressee=scope.addressee,
        assessment=[
            f"{scope.target}能够认真学习贯彻习近平新时代中国特色社会主义思想，贯彻落实党中央决策部署和上级党委"
            "工作要求，围绕中心、服务大局，各项工作取得了一定成效。",
            f"巡察也发现，{scope.target}在{'、'.join(a.removesuffix('方面') for a in aspects)}等方面还存在"
            f"一些问题和不足，共发现问题{len(chosen)}个。",
        ],
        requirements=[
            f"{scope.target}要切实提高政治站位，把巡察整改作为一项重要政治任务，党组织书记要履行整改第一责任人"
            "职责，班子成员要按照“一岗双责”要求抓好分管领域的整改工作。",
            "要对照反馈问题逐项制定整改措施，明确责任领导、责任部门和完成时限，做到整改不到位不放过、"
            "群众不满意不放过。",
            "要坚持举一反三、标本兼治，深入剖析问题根源，健全完善相关制度，推动形成长效机制。对巡察移交的问题"
            "线索和信访件，要认真研究处理，做到件件有着落、事事有回音。",
        ],
        cc=[scope.discipline_body, scope.organisation_dept, scope.office],
        signature=scope.team_signature,
        issuer_mark=mark,
    )
    o = given.over(defaults)
    # Every deadline runs from the 成文日期 the document carries.
    plan_due = _plan_due(session, o.date)
    o = dataclasses.replace(o, deadline=given.deadline or o.date + dt.timedelta(days=REPORT_DAYS))
    items = []
    for f in chosen:
        live = rects.get(f.id, [])
        facts = "".join(p for p in (_sentence(f.facts), _sentence(f.characterisation)) if p)
        if live:
            requirement = _measures(live)
            deadline = max(r.deadline for r in live)
        elif f.disposition_code == IMMEDIATE_FIX and f.status in (FindingStatus.RECTIFIED, FindingStatus.CLOSED):
            requirement, deadline = "巡察期间已立行立改，要巩固整改成果，防止问题反弹", None
        else:
            requirement, deadline = "", None
        items.append(kinds.Finding(category=scope.aspect_of(f.category_code)[1], summary=normalize(f.title),
                                   facts=facts, requirement=requirement, deadline=deadline))
    requirements = [normalize(r) for r in o.requirements or []]
    requirements.append(
        f"请于{cn_date(plan_due)}前（反馈之日起{(_plan_days(session))}个工作日内）将整改方案报送{scope.office}，"
        "整改方案应当逐项明确整改措施、责任领导、责任部门和完成时限。")
    data = kinds.FeedbackReport(
        team=scope.team, unit=scope.target, start=insp.start_date, end=insp.end_date, addressee=o.addressee,
        findings=items, signature=o.signature, date=o.date, authority=scope.authority,
        inspection_kind=scope.kind_label, assessment=[normalize(p) for p in o.assessment or []],
        requirements=requirements, report_deadline=o.deadline, office=scope.office, title=o.title,
        issuer_mark=o.issuer_mark or None, cc=list(o.cc or []), printer=scope.office_full, print_date=o.date,
    )
    people = [r.responsible_person.strip() for rs in rects.values() for r in rs if r.responsible_person]
    return _Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _plan_days(session: Session) -> int:
    from .office.workdays import plan_workdays_in

    return plan_workdays_in(session)


def _notice(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    total = _problem_total(session, scope)
    findings = _findings(session, scope, approved=True, ids=given.finding_ids)
    rects = _rectifications(session, scope, findings if given.finding_ids is not None else None)
    if given.finding_ids is None:
        findings = [f for f in findings if f.disposition_code not in FEEDBACK_EXCLUDED_DISPOSITIONS
                    and (f.disposition_code == NOTICE_DISPOSITION or f.id in rects)]
    if not findings:
        raise ValidationError("该巡察没有需要反馈整改的问题（处置方式为“反馈整改”或已制定整改措施的问题），"
                              "无法生成整改通知书。")
    findings = _by_category(scope, findings)
    units = _units_by_id(scope, session, [f.unit_id for f in findings])
    aspects = {scope.aspect_of(f.category_code)[1] for f in findings}
    # The notice follows the feedback (the stage rule enforces it): it names the feedback's own count,
    # the same number the feedback and the 专题报告 give, and how many of them this notice asks to fix.
    fed_back = insp.feedback_date or scope.today
    basis = (f"{cn_date(fed_back)}，{scope.team}向你单位反馈了巡察意见，指出了{total}个问题，其中"
             f"{len(aspects)}个方面{len(findings)}个问题需要你单位整改落实")
    # Sent with the feedback: dated like it (the recorded 反馈日期), so its deadlines read in its time.
    date = given.date or insp.feedback_date or scope.today
    prefix, mark = scope.issuer("notice")
    defaults = DocumentOptions(
        date=date,
        title=f"关于抓好巡察{scope.target}反馈问题整改工作的通知",
        addressee=scope.addressee,
        requirements=[f"{head}：{text}" for head, text in NOTICE_REQUIREMENTS],
        deadline=date + dt.timedelta(days=REPORT_DAYS),
        cc=[scope.discipline_body, scope.organisation_dept],
        signature=scope.office_full,
        issuer_mark=mark,
        contact="", phone="",
    )
    o = given.over(defaults)
    if given.deadline is None:
        o = dataclasses.replace(o, deadline=o.date + dt.timedelta(days=REPORT_DAYS))
    items = []
    people: list[str] = []
    for f in findings:
        live = rects.get(f.id, [])
        people += [r.responsible_person.strip() for r in live if r.responsible_person]
        names = "、".join(dict.fromkeys(r.responsible_person for r in live if r.responsible_person))
        responsible = _responsible(units.get(f.unit_id) if f.unit_id else None, names)
        deadline = max((r.deadline for r in live), default=None)
        items.append(kinds.RectificationItem(problem=normalize(f.title), requirement=_measures(live),
                                             responsible=responsible, deadline=deadline))
    data = kinds.RectificationNotice(
        addressee=o.addressee, unit=scope.target, basis=basis, items=items, report_deadline=o.deadline,
        signature=o.signature, date=o.date, office=scope.office, title=o.title,
        requirements=[_head_and_text(normalize(r)) for r in o.requirements or []], contact=o.contact or "",
        phone=o.phone or "", issuer_mark=o.issuer_mark or None, cc=list(o.cc or []), printer=scope.office_full,
        print_date=o.date,
    )
    return _Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _head_and_text(requirement: str) -> tuple[str, str]:
    """"提高政治站位：要把……" → ("提高政治站位", "要把……"), the notice's run-in 小标题 and its text."""
    head, sep, text = requirement.partition("：")
    if sep and 0 < len(head) <= 20:
        return head.strip(), text.strip()
    return requirement.strip(), ""


def _supervision(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    date = given.date or scope.today
    as_of = given.as_of or date
    rects = [r for rs in _rectifications(session, scope).values() for r in rs if is_overdue(r, as_of)]
    if not rects:
        raise ValidationError(f"截至{cn_date(as_of)}，该巡察没有逾期未完成的整改事项，无需发出整改督办函。")
    if insp.feedback_date is None:
        raise ValidationError("请先填写该巡察的「反馈日期」，再生成整改督办函。")
    findings = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_({r.finding_id for r in rects})))}
    rects.sort(key=lambda r: (r.deadline, findings[r.finding_id].number if r.finding_id in findings else 0, r.id))
    units = _units_by_id(scope, session, [r.unit_id for r in rects])
    overdue_orgs = list(dict.fromkeys(party_organisation(units[r.unit_id]) for r in rects if r.unit_id in units))
    prefix, mark = scope.issuer("supervision")
    defaults = _base_defaults(
        scope,
        title=f"关于督促加快巡察{scope.target}反馈问题整改进度的函",
        addressee="、".join(overdue_orgs) or scope.addressee,
        deadline=date + dt.timedelta(days=SUPERVISION_REPLY_DAYS),
        as_of=as_of,
        # No 抄送 by default: the letter format's first page is short, and a 版记 alone on page 2 looks
        # like a blank page to the recipient; a leader who wants one adds it.
        cc=[],
        signature=scope.office_full,
        issuer_mark=mark,
        contact="", phone="",
    )
    o = given.over(defaults)
    if given.deadline is None:
        o = dataclasses.replace(o, deadline=o.date + dt.timedelta(days=SUPERVISION_REPLY_DAYS))
    items = []
    for r in rects:
        f = findings.get(r.finding_id)
        problem = normalize(f.title) if f else normalize(r.measures)
        progress = normalize(r.progress) or ("尚未报送整改进展" if r.status == RectificationStatus.PENDING
                                             else RectificationStatus.label_of(r.status))
        items.append(kinds.OverdueItem(
            problem=problem, responsible=_responsible(units.get(r.unit_id) if r.unit_id else None,
                                                      r.responsible_person),
            deadline=r.deadline, progress=progress,
        ))
    data = kinds.SupervisionLetter(
        issuer_mark=o.issuer_mark or "", doc_number="", addressee=o.addressee, unit=scope.target, team=scope.team,
        feedback_date=insp.feedback_date, items=items, reply_deadline=o.deadline, signature=o.signature,
        date=o.date, as_of=o.as_of, title=o.title, contact=o.contact or "", phone=o.phone or "", cc=list(o.cc or []),
    )
    people = [r.responsible_person.strip() for r in rects if r.responsible_person]
    return _Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _clue_transfer(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    clues, findings, addressee = _clues_to_transfer(session, scope, given)
    date = given.date or scope.today
    prefix, mark = scope.issuer("clue-transfer")
    defaults = _base_defaults(
        scope,
        title="关于移交巡察发现问题线索的函",
        addressee=addressee,
        deadline=date + dt.timedelta(days=CLUE_REPLY_DAYS),
        cc=[],
        signature=scope.office_full,
        issuer_mark=mark,
        secrecy="机密",
        contact="", phone="",
    )
    o = given.over(defaults)
    if given.deadline is None:
        o = dataclasses.replace(o, deadline=o.date + dt.timedelta(days=CLUE_REPLY_DAYS))
    units = _units_by_id(scope, session, [f.unit_id for f in findings.values()])
    year = (insp.start_date or date).year
    items = [_clue_item(k, c, findings.get(c.finding_id) if c.finding_id else None, units, scope, year)
             for k, c in enumerate(clues, 1)]
    receiver = "你部" if addressee.endswith("部") else "你委"
    data = kinds.ClueTransferLetter(
        issuer_mark=o.issuer_mark or "", doc_number="", addressee=o.addressee, team=scope.team, unit=scope.target,
        clues=items, signature=o.signature, date=o.date, inspection_kind=scope.kind_label, receiver=receiver,
        reply_deadline=o.deadline, office=scope.office, title=o.title, secrecy=o.secrecy or None,
        contact=o.contact or "", phone=o.phone or "", cc=list(o.cc or []),
    )
    return _Prepared(data, o, o.title, o.addressee, after_issue=_hand_over_clues(ctx, [c.id for c in clues], o),
                     issuer_code=prefix, people=[c.subject_name.strip() for c in clues])


def _clues_to_transfer(session: Session, scope: _Scope,
                       given: DocumentOptions) -> tuple[list[Clue], dict[uuid.UUID, Finding], str]:
    """The clues the letter hands over, the findings they came from, and the body they go to."""
    insp = scope.inspection
    stmt = select(Clue).where(Clue.inspection_id == insp.id, Clue.deleted_at.is_(None))
    if given.clue_ids is not None:
        stmt = stmt.where(Clue.id.in_([as_uuid(i) for i in given.clue_ids]))
    clues = list(session.scalars(stmt.order_by(Clue.created_at, Clue.id)))
    if not clues:
        raise ValidationError("该巡察没有登记问题线索，无法生成问题线索移交函。")
    findings = {f.id: f for f in session.scalars(
        select(Finding).where(Finding.id.in_({c.finding_id for c in clues if c.finding_id})))}
    bodies = Counter(_receiving_body(c, findings, scope) for c in clues)
    default_to = scope.discipline_body if scope.discipline_body in bodies else bodies.most_common(1)[0][0]
    addressee = (given.addressee or default_to).strip()
    if given.clue_ids is None:
        # One letter per receiving body: the others' clues wait for their own letter.
        clues = [c for c in clues if _receiving_body(c, findings, scope) == addressee]
    if not clues:
        raise ValidationError(f"该巡察没有需要移交{addressee}的问题线索，无法生成问题线索移交函。")
    return clues, findings, addressee


def _receiving_body(clue: Clue, findings: dict[uuid.UUID, Finding], scope: _Scope) -> str:
    # Where a clue goes: the body already named on it; else the 组织部 for a finding disposed of as
    # 移交组织部门; else the 纪委监委, where clues about individuals normally go.
    if handed := (clue.handed_to or "").strip():
        return handed
    finding = findings.get(clue.finding_id) if clue.finding_id else None
    if finding is not None and finding.disposition_code == "transfer_organization":
        return scope.organisation_dept
    return scope.discipline_body


def _clue_item(k: int, c: Clue, f: Finding | None, units: dict[uuid.UUID, Unit], scope: _Scope,
               year: int) -> kinds.ClueItem:
    """The letter's row for the k-th clue: who, in what post, what, from where, with which materials."""
    unit = units.get(f.unit_id) if f is not None and f.unit_id else (scope.units[0] if len(scope.units) == 1 else None)
    post = (c.subject_post or "").strip()
    position = f"{_short(unit)}{post}" if unit is not None and not post.startswith(_short(unit)) else post
    if c.subject_rank:
        position += f"（{c.subject_rank}）"
    source = SourceKind.label_of(f.source_kind) if f is not None and f.source_kind else ""
    materials = ["问题线索摘要1份"]
    if f is not None:
        materials.append(f"问题底稿（第{f.number}号）1份")
        if f.source_kind in _MATERIALS:
            materials.append(f"{_MATERIALS[f.source_kind]}1份")
    return kinds.ClueItem(code=f"XS{year}-{k:03d}", person=c.subject_name.strip(), position=position,
                          summary=normalize(c.summary), source=source, materials="、".join(materials))


def _hand_over_clues(ctx: ServiceContext, clue_ids: list[uuid.UUID],
                     o: ResolvedOptions) -> Callable[[Session, Any], None]:
    def link(session: Session, document: Any) -> None:
        # The letter is the hand-over: clues waiting for it are now handed over, and each points at it.
        service = ClueService(ctx)
        for clue in session.scalars(select(Clue).where(Clue.id.in_(clue_ids))):
            values: dict[str, Any] = {}
            if clue.transfer_document_id is None:
                values["transfer_document_id"] = document.id
            if clue.status == ClueStatus.PENDING:
                values.update(status=ClueStatus.HANDED_OVER, handed_to=o.addressee[:120], handed_over_on=o.date)
            if values:
                service.update_in(session, clue.id, **values)

    return link


def _announcement(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    missing = [label for label, value in (("进驻日期", insp.start_date), ("结束日期", insp.end_date),
                                          ("公告电话", insp.announcement_phone)) if not value]
    if missing:
        raise ValidationError(f"请先在巡察信息中填写「{'」「'.join(missing)}」，再生成巡察公告。")
    assert insp.start_date and insp.end_date and insp.announcement_phone  # (checked just above)
    defaults = DocumentOptions(title=f"{scope.team}巡察公告", signature=scope.team_signature, date=insp.start_date)
    o = given.over(defaults)
    data = kinds.Announcement(
        team=scope.team, unit=scope.target, start=insp.start_date, end=insp.end_date,
        phone=insp.announcement_phone.strip(), signature=o.signature, date=o.date, authority=scope.authority,
        inspection_kind=scope.kind_label, postbox=(insp.announcement_mailbox or "").strip(),
        address=(insp.announcement_address or "").strip(), email=(insp.announcement_email or "").strip(),
        title=o.title,
    )
    return _Prepared(data, o, o.title, None)


def _count(session: Session, model: Any, inspection_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.count()).where(model.inspection_id == inspection_id,
                                                         model.deleted_at.is_(None))) or 0)


FRAME_SENTENCE = {"four_implementations": "紧扣“四个落实”监督重点",
                  "three_problems": "聚焦党的领导弱化、党的建设缺失、全面从严治党不力等问题"}


def _special(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    counted = _problem_set(session, scope)
    findings = counted.problems
    stats = statistics.compute(ctx, inspection_id=insp.id, on=given.as_of or given.date or scope.today)
    clues = list(session.scalars(select(Clue).where(Clue.inspection_id == insp.id, Clue.deleted_at.is_(None))))
    counts = {name: _count(session, model, insp.id)
              for name, model in (("interviews", Interview), ("petitions", Petition), ("reviews", DocumentReview),
                                  ("visits", Visit))}
    if not findings and not clues and not any(counts.values()):
        raise ValidationError("该巡察还没有工作记录和经审签的问题，无法生成专题报告。")
    span = scope.period()
    by_aspect: dict[str, list[Finding]] = {}
    for f in findings:
        by_aspect.setdefault(scope.aspect_of(f.category_code)[1], []).append(f)
    prefix, mark = scope.issuer("special")
    defaults = _base_defaults(
        scope,
        title=f"关于巡察{scope.target}情况的专题报告",
        addressee=scope.leading_group,
        assessment=[
            f"{scope.target}能够贯彻落实党中央决策部署和上级党委工作要求，各项工作取得了一定成效。"
            + (f"巡察发现，{scope.target}在{'、'.join(a.removesuffix('方面') for a in by_aspect)}等方面还存在"
               f"一些问题，共发现问题{counted.total}个。" if findings else "巡察期间未发现需要反馈的突出问题。"),
        ],
        requirements=[
            f"建议{scope.authority}责成{scope.target}认真抓好巡察反馈问题整改，{scope.discipline_body}、"
            f"{scope.organisation_dept}加强日常监督，{scope.office}跟踪督办整改进展，适时开展“回头看”。",
        ],
        cc=[],
        signature=scope.team_signature,
        issuer_mark=mark,
        secrecy="机密",
    )
    o = given.over(defaults)
    stats_table = Table(
        [["项目", "数量", "项目", "数量"]],
        [["个别谈话（人次）", str(counts["interviews"]), "受理信访（件）", str(counts["petitions"])],
         ["查阅资料（份）", str(counts["reviews"]), "走访调研（次）", str(counts["visits"])],
         ["发现问题（个）", str(counted.total), "问题线索（件）", str(len(clues))],
         ["整改事项（项）", str(stats.rectifications), "已完成整改（项）", str(stats.rectified)]],
        col_widths=[3, 1.5, 3, 1.5], align=["left", "center", "left", "center"],
    )
    frame = FRAME_SENTENCE.get(scope.profile.framework, FRAME_SENTENCE["four_implementations"])
    sections = [kinds.ReportSection("巡察工作开展情况", [
        f"{span + '，' if span else ''}巡察组{frame}，通过听取汇报、个别谈话、受理信访、查阅资料、"
        f"走访调研等方式开展工作，共个别谈话{counts['interviews']}人次，受理信访{counts['petitions']}件，"
        f"查阅资料{counts['reviews']}份，走访调研{counts['visits']}次，主要情况见下表。"], table=stats_table)]
    if o.assessment:
        sections.append(kinds.ReportSection("总体评价", [normalize(p) for p in o.assessment]))
    if findings:
        subsections = []
        for aspect, items in by_aspect.items():
            own = Counter(scope.category_of(f.category_code)[2] for f in items)
            breakdown = "、".join(f"{name}{n}个" for name, n in own.most_common() if name)
            distinct = list(dict.fromkeys(normalize(f.title).rstrip("。") for f in items))
            titles = "；".join(distinct[:SPECIAL_TITLES])
            more = "等" if len(distinct) > SPECIAL_TITLES else ""
            paragraphs = [f"共{len(items)}个问题{'，其中' + breakdown if breakdown else ''}。主要有：{titles}{more}。"]
            # The most serious problems first: what the leading group most needs to read in full.
            typical = sorted(items, key=lambda f: ({"serious": 0, "major": 1}.get(f.severity, 2), f.number))
            examples = list({f.title.strip(): f for f in reversed(typical)}.values())[::-1][:SPECIAL_EXAMPLES]
            paragraphs += [f"{normalize(f.title).rstrip('。')}。{_sentence(f.facts)}" for f in examples]
            subsections.append(kinds.ReportSection(aspect, paragraphs))
        sections.append(kinds.ReportSection("发现的主要问题", subsections=subsections))
    sections.append(kinds.ReportSection("问题线索情况", [_clue_summary(scope, clues, stats)]))
    if o.requirements:
        sections.append(kinds.ReportSection("意见建议", [normalize(r) for r in o.requirements]))
    intro = [f"根据{scope.leading_group}统一部署，{scope.team}"
             f"{'于' + span if span else ''}对{scope.target}开展了{scope.kind_label}。现将巡察情况报告如下。"]
    data = kinds.SpecialReport(
        title=o.title, addressee=o.addressee, sections=sections, signature=o.signature, date=o.date, intro=intro,
        issuer_mark=o.issuer_mark or None, signers=[scope.leader] if scope.leader else [], secrecy=o.secrecy or None,
        cc=list(o.cc or []), printer=scope.team_signature, print_date=o.date,
    )
    return _Prepared(data, o, o.title, o.addressee, issuer_code=prefix)


def _clue_summary(scope: _Scope, clues: list[Clue], stats: statistics.Statistics) -> str:
    if not clues:
        return "巡察期间未发现需要移交的问题线索。"
    handed = Counter((c.handed_to or "").strip() for c in clues
                     if c.status != ClueStatus.PENDING and (c.handed_to or "").strip())
    planned = Counter((c.handed_to or "").strip() for c in clues
                      if c.status == ClueStatus.PENDING and (c.handed_to or "").strip())
    undecided = len(clues) - sum(handed.values()) - sum(planned.values())
    parts = [f"已移交{body}{n}件" for body, n in handed.most_common()]
    parts += [f"拟移交{body}{n}件" for body, n in planned.most_common()]
    if undecided:
        parts.append(f"{undecided}件待领导小组审定后移交")
    text = f"巡察期间共发现问题线索{len(clues)}件，其中{'，'.join(parts)}。"
    outcomes = [f"立案审查{stats.cases_filed}件" if stats.cases_filed else "",
                f"给予党纪政务处分{stats.people_disciplined}人" if stats.people_disciplined else ""]
    if any(outcomes):
        text += f"已移交的线索中，{'，'.join(o for o in outcomes if o)}。"
    return text


# Characters a register row quotes (problem and facts together; measures): about two lines each, so a
# page holds a dozen problems. The working paper has the rest.
REGISTER_EXCERPT = 34
REGISTER_MEASURES = 22


def _excerpt(text: str, limit: int) -> str:
    text = normalize(text)
    return text if len(text) <= limit else text[:limit].rstrip("，、；：。") + "……"


def _register(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    findings = _findings(session, scope, approved=False, ids=given.finding_ids)
    if not findings:
        raise ValidationError("该巡察还没有登记问题，无法生成问题台账。")
    date = given.date or scope.today
    as_of = given.as_of or date
    defaults = DocumentOptions(
        title=f"{scope.target}巡察发现问题整改台账", date=date, as_of=as_of,
        note="说明：整改状态分为未整改、整改中、已完成、已销号四类；尚无整改事项的问题列其办理或审核状态。"
             "问题描述为摘要，详见问题底稿。",
    )
    o = given.over(defaults)
    rects = _rectifications(session, scope, findings if given.finding_ids is not None else None)
    units = _units_by_id(scope, session, [f.unit_id for f in findings])
    entries = []
    for f in findings:
        live = rects.get(f.id, [])
        unit = units.get(f.unit_id) if f.unit_id else None
        remarks = [scope.dispositions.get(f.disposition_code or "", "")]
        if live:
            worst = min(live, key=lambda r: _RECT_ORDER.get(r.status, 0))
            status = _RECT_LABEL.get(worst.status, RectificationStatus.label_of(worst.status))
            people = "、".join(dict.fromkeys(r.responsible_person for r in live if r.responsible_person))
            responsible = _responsible(unit, people)
            measures = _excerpt(_measures(live), REGISTER_MEASURES)
            deadline = max(r.deadline for r in live)
            if any(is_overdue(r, as_of) for r in live):
                remarks.append("已逾期")
        else:
            approved = f.review_state == ReviewState.APPROVED
            status = (_FINDING_LABEL.get(f.status) or FindingStatus.label_of(f.status) if approved
                      else ReviewState.label_of(f.review_state))
            responsible, measures, deadline = _short(unit), "", None
        entries.append(kinds.RegisterEntry(
            number=str(f.number), category=scope.category_of(f.category_code)[2] or OTHER_CATEGORY,
            description=_excerpt(f"{normalize(f.title).rstrip('。')}。{normalize(f.facts)}", REGISTER_EXCERPT),
            responsible=responsible, measures=measures, deadline=deadline, status=status,
            remarks="；".join(r for r in remarks if r),
        ))
    data = kinds.FindingRegister(unit=scope.target, team=scope.team, as_of=o.as_of, entries=entries, title=o.title,
                                 note=o.note or None)
    return _Prepared(data, o, o.title, None)


# --- the kinds printed from one record, and the planning documents ----------------------------------
def _record_id(given: DocumentOptions, what: str) -> uuid.UUID:
    if given.record_id is None:
        raise ValidationError(f"请选择要打印的{what}。", "record_id")
    try:
        return as_uuid(given.record_id)
    except NotFoundError as exc:
        raise ValidationError(f"找不到该{what}，可能已被删除。", "record_id") from exc


def _inspector_names(session: Session, ids: Iterable[Any]) -> dict[str, str]:
    keys = []
    for i in ids:
        with contextlib.suppress(NotFoundError, ValueError, TypeError):
            keys.append(as_uuid(i))
    if not keys:
        return {}
    return {str(i): n for i, n in session.execute(select(Inspector.id, Inspector.name).where(Inspector.id.in_(keys)))}


@overload
def _local(at: dt.datetime) -> dt.datetime: ...
@overload
def _local(at: dt.datetime | None) -> dt.datetime | None: ...
def _local(at: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time as the wall-clock time it was where it happened (this computer's zone)."""
    return at.astimezone().replace(tzinfo=None) if at is not None else None


def _interview_record(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    interview = session.get(Interview, _record_id(given, "谈话记录"))
    if interview is None or interview.deleted_at is not None or interview.inspection_id != scope.inspection.id:
        raise ValidationError("找不到该谈话记录，可能已被删除或不属于所选巡察。", "record_id")
    names = _inspector_names(session, [*interview.interviewer_ids, interview.recorder_id])
    # 谈话人: the team's leader first when present, the others in 姓氏笔画 order.
    interviewers = [names[str(i)] for i in interview.interviewer_ids if str(i) in names]
    lead = [n for n in interviewers if n == scope.leader]
    interviewers = lead + by_strokes([n for n in interviewers if n != scope.leader])
    post = (interview.interviewee_post or "").strip()
    if interview.interviewee_person_id and not post:
        person = session.get(UnitPerson, interview.interviewee_person_id)
        post = (person.post or "") if person else ""
    unit = session.get(Unit, interview.unit_id) if interview.unit_id else (scope.units[0] if scope.units else None)
    if unit is not None and post and not post.startswith(_short(unit)):
        post = f"{_short(unit)}{post}"
    transcript = interview.transcript or ""
    if not transcript.strip() and interview.summary:
        transcript = f"（谈话摘要）{interview.summary}"
    o = given.over(DocumentOptions(title="谈话笔录", date=scope.today))
    data = kinds.InterviewRecord(
        start=_local(interview.start_at), end=_local(interview.end_at), place=interview.place or "",
        interviewers=interviewers, recorder=names.get(str(interview.recorder_id), "") if interview.recorder_id else "",
        interviewee=interview.interviewee_name, post=post, transcript=normalize_transcript(transcript),
        kind=interview.kind, team=scope.team,
    )
    return _Prepared(data, o, f"谈话笔录（{interview.interviewee_name}）", None)


def normalize_transcript(text: str) -> str:
    return "\n".join(normalize(line) for line in text.splitlines())


_REVIEW_ROLES = (("承办人", ReviewAction.SUBMIT), ("副组长审核", ReviewAction.DEPUTY_APPROVE),
                 ("组长审签", ReviewAction.LEADER_APPROVE))


def _working_paper(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    finding = session.get(Finding, _record_id(given, "问题"))
    if finding is None or finding.deleted_at is not None or finding.inspection_id != scope.inspection.id:
        raise ValidationError("找不到该问题，可能已被删除或不属于所选巡察。", "record_id")
    unit = session.get(Unit, finding.unit_id) if finding.unit_id else None
    discipline = session.scalar(select(ReferenceItem.name).where(
        ReferenceItem.kind == DISCIPLINE, ReferenceItem.code == (finding.discipline_code or ""))) or ""
    steps = list(session.scalars(select(FindingReview).where(
        FindingReview.finding_id == finding.id, FindingReview.deleted_at.is_(None)).order_by(FindingReview.acted_at)))
    # The latest pass through the chain: after a 退回 the earlier signatures no longer stand.
    last_return = max((k for k, r in enumerate(steps) if r.action == ReviewAction.RETURN), default=-1)
    steps = steps[last_return + 1:]
    handler = _inspector_names(session, [finding.handler_id]).get(str(finding.handler_id), "") if finding.handler_id else ""
    reviews = []
    for role, action in _REVIEW_ROLES:
        step = next((r for r in reversed(steps) if r.action == action), None)
        reviews.append(kinds.ReviewStep(
            role=role, name=(step.actor_name or "") if step else (handler if action == ReviewAction.SUBMIT else ""),
            opinion=normalize(step.comment or ("同意。" if action != ReviewAction.SUBMIT else "")) if step else "",
            date=_local(step.acted_at).date() if step and step.acted_at else None))
    evidence = []
    if finding.source_kind and finding.source_kind in _MATERIALS:
        evidence.append(f"{_MATERIALS[finding.source_kind]}（{SourceKind.label_of(finding.source_kind)}）")
    for a in session.scalars(select(Attachment).where(
            Attachment.owner_kind == "finding", Attachment.owner_id == finding.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.created_at)):
        evidence.append(a.filename + (f"（{normalize(a.description)}）" if a.description else ""))
    o = given.over(DocumentOptions(title="问题底稿", date=scope.today))
    data = kinds.WorkingPaper(
        team=scope.team, unit=unit.name if unit else scope.target, number=str(finding.number), title=normalize(finding.title),
        category=scope.category_of(finding.category_code)[2] or OTHER_CATEGORY, discipline=discipline,
        facts=_sentence(finding.facts), characterisation=_sentence(finding.characterisation),
        responsibility=_sentence(finding.responsibility), evidence=evidence, reviews=reviews,
        found_on=finding.found_on, source=SourceKind.label_of(finding.source_kind) if finding.source_kind else "",
        disposition=scope.dispositions.get(finding.disposition_code or "", ""),
        people=[p.strip() for p in (finding.responsible_people or "").split("、") if p.strip()],
    )
    return _Prepared(data, o, f"问题底稿（第{finding.number}号）", None)


def _team(session: Session, scope: _Scope) -> dict[str, list[str]]:
    rows = session.execute(
        select(TeamAssignment.role, Inspector.name).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
        .where(TeamAssignment.inspection_id == scope.inspection.id, TeamAssignment.deleted_at.is_(None))).all()
    out: dict[str, list[str]] = defaultdict(list)
    for role, name in rows:
        out[role].append(name)
    return out


def _authorization(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    from app.models import InspectionRound

    from .office.team_forming import _target_units, recusal_conflicts

    # The leading group authorises the leader: the office issues it, never the team itself.
    ctx.require_admin("出具组长授权书")
    insp = scope.inspection
    row = session.execute(
        select(TeamAssignment, Inspector).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
        .where(TeamAssignment.inspection_id == insp.id, TeamAssignment.role == TeamRole.LEADER,
               TeamAssignment.deleted_at.is_(None))).first()
    if row is None:
        raise ValidationError("该巡察尚未确定组长，不能出具授权书。")
    assignment, leader = row
    if assignment.authorisation_document_id is not None:
        existing = session.get(IssuedDocument, assignment.authorisation_document_id)
        if existing is not None and existing.deleted_at is None and existing.voided_at is None:
            raise StateError(f"已为{leader.name}出具本次巡察的组长授权书（{existing.number_text}），一次一授权，不重复出具；"
                             "如需更换组长，请先作废原授权书。")
    units = [u for i in _target_units(session, insp.id) if (u := session.get(Unit, i)) is not None]
    if not units:
        raise ValidationError("该巡察尚未确定被巡察单位，不能出具授权书。")
    conflicts = recusal_conflicts(session, [leader.id], [u.id for u in units]).get(leader.id)
    if conflicts:
        raise ValidationError(f"{leader.name}应当回避：{'；'.join(conflicts)}。不能授权其担任本次巡察组长。")
    round_ = session.get(InspectionRound, insp.round_id) if insp.round_id else None
    targets = "、".join(u.name for u in units[:5]) + (f"等{len(units)}个单位" if len(units) > 5 else "")
    prefix, mark = scope.issuer("authorization")
    o = given.over(DocumentOptions(title="巡察组组长授权书", date=scope.today, issuer_mark=mark,
                                   signature=scope.profile.leading_group_name, addressee=f"{leader.name}同志"))
    data = kinds.LeaderAuthorization(
        leader=leader.name, team=scope.team, targets=targets, inspection_kind=scope.kind_label,
        leading_group=o.signature, leading_group_short=scope.leading_group, committee=scope.authority,
        issuer_mark=o.issuer_mark or "", doc_number="", date=o.date, round_name=round_.name if round_ else "",
        start=insp.start_date, end=insp.end_date,
    )
    assignment_id = assignment.id

    def link(session: Session, document: Any) -> None:
        from .inspections import TeamService

        TeamService(ctx).update_in(session, assignment_id, authorisation_document_id=document.id)

    title = f"关于授权{leader.name}同志担任{scope.team}组长的授权书"
    return _Prepared(data, o, title, leader.name, after_issue=link, issuer_code=prefix)


_STEP_PLAN = (("准备阶段", -10, -1, "集中学习培训，了解被巡察单位情况，制定巡察工作方案，发布巡察公告。"),
              ("了解情况阶段", 0, None, "召开巡察工作动员会，开展个别谈话，受理信访举报，查阅资料，走访调研，深入了解情况。"),
              ("报告阶段", 1, 15, "梳理问题，形成巡察报告，向巡察工作领导小组汇报。"),
              ("反馈阶段", 16, 30, "向被巡察党组织反馈巡察意见，移交问题线索。"))


def _work_plan(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    team = _team(session, scope)
    leader = (team.get(TeamRole.LEADER) or [""])[0]
    deputies = by_strokes(team.get(TeamRole.DEPUTY, []))
    members = by_strokes(team.get(TeamRole.MEMBER, []) + team.get(TeamRole.LIAISON, []))
    steps = []
    for name, a, b, tasks in _STEP_PLAN:
        if insp.start_date is None:
            steps.append(kinds.PlanStep(name, None, None, tasks))
            continue
        if b is None:  # the fieldwork itself
            steps.append(kinds.PlanStep(name, insp.start_date, insp.end_date, tasks))
            continue
        base = insp.end_date if a > 0 and insp.end_date else insp.start_date
        steps.append(kinds.PlanStep(name, base + dt.timedelta(days=a), base + dt.timedelta(days=b), tasks))
    if scope.profile.framework == "four_implementations":
        focus = [(head.removesuffix("方面") + "情况", text) for head, text in (
            ("落实党的路线方针政策和党中央决策部署方面", "重点了解贯彻落实党中央决策部署和上级党委工作要求、履行职能职责情况。"),
            ("落实全面从严治党战略部署方面", "重点了解落实管党治党政治责任、中央八项规定精神和群众身边腐败问题情况。"),
            ("落实新时代党的组织路线方面", "重点了解领导班子和干部队伍建设、基层党组织建设、选人用人情况。"),
            ("落实巡视巡察、审计等监督发现问题整改方面", "重点了解上轮巡察和审计等监督发现问题的整改情况。"))]
    else:
        focus = [("党的领导弱化问题", "重点了解贯彻落实党中央决策部署和履行职能职责情况。"),
                 ("党的建设缺失问题", "重点了解基层党组织建设、干部队伍建设和选人用人情况。"),
                 ("全面从严治党不力问题", "重点了解落实管党治党政治责任和中央八项规定精神情况。")]
    prefix, mark = scope.issuer("work-plan")
    o = given.over(DocumentOptions(title=f"{scope.team}关于巡察{scope.target}的工作方案", date=scope.today,
                                   addressee=scope.leading_group, signature=scope.team_signature, issuer_mark=mark))
    data = kinds.WorkPlan(
        team=scope.team, targets=scope.target, inspection_kind=scope.kind_label, leading_group_short=o.addressee,
        committee=scope.authority, focus=focus, leader=leader, deputies=deputies, members=members, steps=steps,
        signature=o.signature, date=o.date, start=insp.start_date, end=insp.end_date,
        round_name="", issuer_mark=o.issuer_mark or None, signers=[leader] if leader else [], secrecy=o.secrecy or None,
        printer=scope.team_signature, print_date=o.date, title=o.title,
    )
    return _Prepared(data, o, o.title, o.addressee, issuer_code=prefix)


_BUILDERS: dict[str, Callable[..., _Prepared]] = {
    "feedback": _feedback,
    "notice": _notice,
    "supervision": _supervision,
    "clue-transfer": _clue_transfer,
    "announcement": _announcement,
    "special": _special,
    "register": _register,
    "interview-record": _interview_record,
    "working-paper": _working_paper,
    "authorization": _authorization,
    "work-plan": _work_plan,
}


# --- the entry points ----------------------------------------------------------------------------
class AlreadyIssuedError(StateError):
    """The inspection already has this document; issuing it again (a new 文号) needs to be confirmed."""

    def __init__(self, message: str, existing: list[str]) -> None:
        super().__init__(message)
        self.existing = existing


def _check_kind(kind: str) -> None:
    if kind not in KIND_LABELS:
        raise ValidationError(f"未知的文书种类「{kind}」，可选：{'、'.join(KINDS)}。", "kind")


def stage_refusal(kind: str, stage: str | None) -> str | None:
    """Why a kind may not be issued at this stage (None: it may). A stage this version does not know
    is not judged."""
    needed = KIND_STAGE.get(kind)
    if needed is None or stage is None:
        return None
    order = list(Stage)
    try:
        current = Stage(stage)
    except ValueError:
        return None
    if order.index(current) >= order.index(needed):
        return None
    return (f"{KIND_LABELS[kind]}须在「{needed.label}」阶段及以后印发，该巡察目前处于「{current.label}」阶段；"
            "可先预览，待进入该阶段后再编号印发。")


def _check_date(scope: _Scope, kind: str, date: dt.date) -> None:
    end = scope.inspection.end_date
    if kind in AFTER_FIELDWORK and end is not None and date < end:
        raise ValidationError(f"{KIND_LABELS[kind]}的成文日期（{cn_date(date)}）不能早于巡察结束日期（{cn_date(end)}）。",
                              "date")
    if not 2000 <= date.year <= 2100:
        raise ValidationError("成文日期的年份应在2000年至2100年之间。", "date")


def existing_documents(session: Session, inspection_id: uuid.UUID | None, kind: str, recipient: str | None) -> list[IssuedDocument]:
    """Issued, not voided documents of this kind for the inspection that a new one would repeat."""
    rows = session.scalars(select(IssuedDocument).where(
        IssuedDocument.inspection_id == inspection_id, IssuedDocument.kind == kind,
        IssuedDocument.deleted_at.is_(None), IssuedDocument.voided_at.is_(None)).order_by(IssuedDocument.issued_at))
    return [d for d in rows if kind in SINGLE_KINDS or (d.recipient or "") == (recipient or "")]


def _prepare(ctx: ServiceContext, session: Session, kind: str, inspection_id: uuid.UUID | str,
             options: DocumentOptions, today: dt.date) -> _Prepared:
    scope = _load_scope(session, inspection_id, today)
    # A document shows the inspection's records: only to those who may read them.
    permissions.require_readable(session, ctx.actor, scope.inspection.id)
    prepared = _BUILDERS[kind](ctx, session, scope, options)
    prepared.inspection_id = scope.inspection.id
    prepared.scope = scope
    return prepared


def default_options(
    ctx: ServiceContext, kind: str, inspection_id: uuid.UUID | str, *, today: dt.date | None = None,
    record_id: uuid.UUID | str | None = None,
) -> DocumentOptions:
    """The free-text parts as they would be issued, derived from the data: what a dialog shows for editing.

    Raises ValidationError when the document cannot be made (unknown inspection, nothing to list).
    """
    _check_kind(kind)
    with ctx.db.read() as session:
        return _prepare(ctx, session, kind, inspection_id, DocumentOptions(record_id=record_id),
                        today or dt.date.today()).options


def default_watermark(ctx: ServiceContext, kind: str, now: dt.datetime | None = None) -> str | None:
    """Who exported and when, for the confidential kinds; None for the others."""
    if kind not in CONFIDENTIAL_KINDS:
        return None
    who = ctx.actor.name
    if ctx.actor.user_id is None:
        # The command line acts as the system actor until accounts exist; the login is the best name we have.
        with contextlib.suppress(OSError, KeyError, ImportError):
            who = getpass.getuser() or who
    return f"{who} {(now or dt.datetime.now()).strftime('%Y-%m-%d %H:%M')}"


def _blank_number(prefix: str | None, year: int) -> str:
    """A preview's 文号: the issuer and year with the number left blank, as a draft is circulated."""
    return f"{prefix or ''}〔{year}〕　　号"


@dataclass
class Rendered:
    pdf: bytes
    page_count: int
    font_messages: list[str]
    built: Any  # OfficialDocument or RegisterTable


def render_built(built: Any, fonts: FontSet, watermark: str | None, copies: int | None = None) -> Rendered:
    from app.reports import RegisterTable, render, render_register

    buf = io.BytesIO()
    if isinstance(built, RegisterTable):
        result = render_register(built, buf, fonts=fonts, watermark=watermark)
    else:
        result = render(built, buf, fonts=fonts, watermark=watermark, copies=copies)
    return Rendered(buf.getvalue(), result.page_count, result.font_report.messages(), built)


def _render(data: Any, fonts: FontSet, watermark: str | None, copies: int | None = None,
            keep: Sequence[str] = ()) -> Rendered:
    built = kinds.build(data)
    if keep and hasattr(built, "keep_together"):
        built = dataclasses.replace(built, keep_together=list(dict.fromkeys([*built.keep_together, *keep])))
    return render_built(built, fonts, watermark, copies)


def _keep(prepared: _Prepared) -> list[str]:
    """The names of the inspection (units, organisations, team, leader) and the people the text names."""
    scope = prepared.scope
    return [*(scope.keep if scope is not None else []), *prepared.people]


def docx_bytes(built: Any) -> bytes:
    """The Word version of a built document (same text, same grid)."""
    from app.reports.docx import write_docx

    buf = io.BytesIO()
    write_docx(built, buf)
    return buf.getvalue()


def _filename(number: str, title: str, suffix: str = ".pdf") -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:100]
    return f"{number}{safe}{suffix}"


def issue_document(
    ctx: ServiceContext,
    kind: str,
    inspection_id: uuid.UUID | str,
    options: DocumentOptions | None = None,
    *,
    watermark: str | None = None,
    preview: bool = False,
    fonts: FontSet | None = None,
    today: dt.date | None = None,
    again: bool = False,
    copies: int | None = None,
    docx: bool = False,
) -> IssuedResult:
    """Generate a document of kind for an inspection; unless preview, number it and keep it.

    watermark: None puts the default on the confidential kinds (see default_watermark); "" puts none;
    any other text is drawn as given. fonts defaults to the process-wide set (system fonts by name,
    shipped ones otherwise). copies: print that many copies, each with its own 份号 on a classified
    document (recorded with it). again: issue even though the inspection already has this document
    (otherwise AlreadyIssuedError). docx: also return the Word version. Raises ValidationError (or
    StateError), with a message for the user, when the data, the stage or the date do not allow it.
    """
    _check_kind(kind)
    options = options or DocumentOptions()
    today = today or dt.date.today()
    mark = default_watermark(ctx, kind) if watermark is None else (watermark.strip() or None)
    if copies is not None and not 1 <= copies <= 999:
        raise ValidationError("份数应为 1 至 999。", "copies")
    fonts = fonts or FontSet.default()
    # Font discovery and loading take a few hundred ms once per process: never while holding the write lock.
    fonts.preload()
    numbered = kind not in UNNUMBERED_KINDS

    if preview or not numbered:
        return _render_unstored(ctx, kind, inspection_id, options, today, fonts, mark, copies, docx, numbered=numbered)

    documents = IssuedDocumentService(ctx)
    with ctx.write() as session:
        # Everything is read and checked before the number is taken; a failure after it (the render,
        # storing the PDF) rolls the number back with the rest.
        prepared = _prepare(ctx, session, kind, inspection_id, options, today)
        recipient = _issuable(session, prepared, kind, again)
        record = documents.issue_in(
            session, kind=kind, title=prepared.title[:200], inspection_id=prepared.inspection_id,
            recipient=recipient, year=prepared.options.date.year, issuer_code=prepared.issuer_code,
        )
        data = dataclasses.replace(prepared.data, doc_number=record.number_text)
        out = _render(data, fonts, mark, copies, _keep(prepared))
        _store(ctx, session, record, prepared, out, kind, copies)
        if prepared.after_issue is not None:
            prepared.after_issue(session, record)
        number, document_id = record.number_text, record.id
    word = docx_bytes(out.built) if docx else None
    return IssuedResult(out.pdf, number, out.font_messages, out.page_count, document_id, prepared.title, kind, word,
                        out.built)


def _render_unstored(ctx: ServiceContext, kind: str, inspection_id: uuid.UUID | str, options: DocumentOptions,
            today: dt.date, fonts: FontSet, mark: str | None, copies: int | None, docx: bool, *,
            numbered: bool) -> IssuedResult:
    """A preview, or a kind that is never numbered: rendered from a read, nothing stored."""
    with ctx.db.read() as session:
        prepared = _prepare(ctx, session, kind, inspection_id, options, today)
        _check_date(prepared.scope, kind, prepared.options.date)
        data = prepared.data
        if numbered:
            data = dataclasses.replace(data, doc_number=_blank_number(prepared.issuer_code,
                                                                      prepared.options.date.year))
    out = _render(data, fonts, mark, copies, _keep(prepared))
    word = docx_bytes(out.built) if docx else None
    return IssuedResult(out.pdf, None, out.font_messages, out.page_count, None, prepared.title, kind, word, out.built)


def _issuable(session: Session, prepared: _Prepared, kind: str, again: bool) -> str | None:
    """The recipient the document is recorded with, once the stage, the date and earlier issues allow it."""
    refusal = stage_refusal(kind, prepared.scope.inspection.stage)
    if refusal:
        raise StateError(refusal)
    _check_date(prepared.scope, kind, prepared.options.date)
    recipient = (prepared.recipient or None) and prepared.recipient[:200]
    earlier = existing_documents(session, prepared.inspection_id, kind, recipient)
    if earlier and not again:
        numbers = [d.number_text for d in earlier]
        raise AlreadyIssuedError(
            f"该巡察已印发{KIND_LABELS[kind]}（{'、'.join(numbers)}）。再次印发将编新的文号；"
            "如确需再次印发，请确认后重试，或先作废原文。", numbers)
    return recipient


def _store(ctx: ServiceContext, session: Session, record: IssuedDocument, prepared: _Prepared, out: Rendered,
           kind: str, copies: int | None) -> None:
    """Keep the PDF and the document's data with the numbered record."""
    # Storing the PDF and the snapshot is part of issuing, not an edit of the issued document.
    session.info[ISSUING] = True
    attachments = AttachmentService(ctx)
    attachment = attachments.attach_bytes_in(
        session, ATTACHMENT_OWNER_KIND, record.id, _filename(record.number_text, prepared.title), out.pdf,
        description=f"{KIND_LABELS[kind]}（{record.number_text}）",
    )
    kept = attachments.attach_bytes_in(
        session, ATTACHMENT_OWNER_KIND, record.id, _filename(record.number_text, prepared.title, ".json.z"),
        snapshot.dumps(out.built), description=f"{KIND_LABELS[kind]}（{record.number_text}）的文书数据",
    )
    record.attachment_id = attachment.id
    record.snapshot_attachment_id = kept.id
    record.document_date = prepared.options.date
    # A classified document printed once is copy 000001: its 份数 is recorded as 1.
    record.copies = copies or (1 if getattr(out.built, "secrecy", None) else None)
    session.flush()


__all__ = [
    "ATTACHMENT_OWNER_KIND", "CONFIDENTIAL_KINDS", "KINDS", "KIND_LABELS", "RECORD_KINDS", "UNNUMBERED_KINDS",
    "AlreadyIssuedError", "DocumentOptions", "IssuedResult", "default_options", "default_watermark", "docx_bytes",
    "issue_document", "party_organisation", "render_built", "stage_refusal",
]
