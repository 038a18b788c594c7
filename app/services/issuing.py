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

Two kinds take no 文号 and are not recorded: the 巡察公告 is posted publicly without a 版头 or 发文字号
(the engine's Announcement has no number field), and the 问题台账 is a working table regenerated
whenever it is needed, not a 公文. The register of issued documents (IssuedDocument: issuer, year,
sequence, 文号 all required) is the 发文登记簿, and a row without a number would be a false entry in
it; both kinds render exactly like a preview.
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
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Clue,
    DocumentReview,
    Finding,
    Inspection,
    InspectionUnit,
    Inspector,
    Interview,
    Petition,
    Rectification,
    ReferenceItem,
    TeamAssignment,
    Unit,
    Visit,
)
from app.models.enums import (
    ClueStatus,
    FindingStatus,
    InspectionKind,
    RectificationStatus,
    ReviewState,
    SourceKind,
    TeamRole,
    UnitKind,
)
from app.reports import FontSet, Table, cn_date, kinds, render_kind
from app.reports.kinds.common import period
from app.reports.kinds.notice import DEFAULT_REQUIREMENTS as NOTICE_REQUIREMENTS

from . import permissions, statistics
from .attachments import ISSUING, AttachmentService
from .clues import ClueService
from .context import ServiceContext
from .crud import as_uuid
from .documents import IssuedDocumentService, default_issuer
from .errors import NotFoundError, ValidationError
from .rectifications import is_overdue
from .reference import DISPOSITION, PROBLEM_CATEGORY

# The command line's KIND names (app.reports.kinds.BUILDERS) with what a user calls them.
KIND_LABELS: dict[str, str] = {
    "feedback": "巡察反馈意见",
    "notice": "整改通知书",
    "supervision": "整改督办函",
    "clue-transfer": "问题线索移交函",
    "announcement": "巡察公告",
    "special": "专题报告",
    "register": "问题台账",
}
KINDS: tuple[str, ...] = tuple(KIND_LABELS)

# Documents naming problems and people before they are public carry who exported them and when, so a
# leaked copy can be traced. This is the one place that decides which kinds do by default.
CONFIDENTIAL_KINDS = frozenset({"feedback", "clue-transfer", "special", "register"})
# See the module docstring: not 公文 with a 发文字号, so not entered in the register of issued documents.
UNNUMBERED_KINDS = frozenset({"announcement", "register"})
ATTACHMENT_OWNER_KIND = "issued_document"

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
_RECT_ORDER = {RectificationStatus.PENDING: 0, RectificationStatus.IN_PROGRESS: 1,
               RectificationStatus.COMPLETED: 2, RectificationStatus.CLOSED: 3}
_RECT_LABEL = {RectificationStatus.PENDING: "未整改", RectificationStatus.IN_PROGRESS: "整改中",
               RectificationStatus.COMPLETED: "已完成", RectificationStatus.CLOSED: "已销号"}
# The register's own words where a finding's status means the same (its note names four states).
_FINDING_LABEL = {FindingStatus.RECTIFYING: "整改中", FindingStatus.RECTIFIED: "已完成", FindingStatus.CLOSED: "已销号"}
_MATERIALS = {SourceKind.INTERVIEW: "谈话笔录", SourceKind.PETITION: "信访件", SourceKind.DOCUMENT_REVIEW: "查阅资料摘录",
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

    def over(self, defaults: DocumentOptions) -> DocumentOptions:
        """These options with every None taken from defaults."""
        return dataclasses.replace(defaults, **{
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None
        })


@dataclass(frozen=True)
class IssuedResult:
    pdf_bytes: bytes
    number_text: str | None  # the 文号; None for a preview or an unnumbered kind
    font_messages: list[str]  # fonts substituted, characters drawn from another font
    page_count: int
    document_id: uuid.UUID | None  # the IssuedDocument row; None when nothing was recorded
    title: str = ""
    kind: str = ""


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


@dataclass
class _Scope:
    """An inspection with the names every document derives from it."""

    inspection: Inspection
    units: list[Unit]
    orgs: list[str]  # party organisations addressed, in the order the units were added
    team: str  # 市委第一巡察组
    authority: str  # 市委: who deployed the inspection
    leader: str | None
    categories: dict[str, ReferenceItem]
    dispositions: dict[str, str]
    today: dt.date

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
        return f"{self.authority}巡察工作领导小组"

    @property
    def office_full(self) -> str:
        return f"{self.authority}巡察工作领导小组办公室"

    @property
    def office(self) -> str:
        return f"{self.authority}巡察办"

    @property
    def discipline_body(self) -> str:
        # 市委 → 市纪委监委, 县委 → 县纪委监委: the body at the same level as the committee.
        level = self.authority[:-1] if self.authority.endswith("委") else self.authority
        return f"{level}纪委监委"

    @property
    def organisation_dept(self) -> str:
        return f"{self.authority}组织部"

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


_AUTHORITY_RE = re.compile(r"^(.+?委)第.+巡察组$")


def _authority(team_name: str | None, issuer_code: str | None) -> str:
    """市委 from 市委第一巡察组 (or from the 文号 代字 市委巡办); 市委 when nothing says otherwise."""
    m = _AUTHORITY_RE.match(team_name or "")
    if m:
        return m.group(1)
    m = re.match(r"^(.+?委)", issuer_code or "")
    return m.group(1) if m else "市委"


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
    try:
        issuer = default_issuer(session, "feedback")
    except ValidationError:
        issuer = None
    return _Scope(
        inspection=inspection, units=units, orgs=list(dict.fromkeys(party_organisation(u) for u in units)),
        team=(inspection.team_name or "").strip() or "巡察组", authority=_authority(inspection.team_name, issuer),
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
    """Findings in the order of the reference list's top-level categories, then by number."""
    return sorted(findings, key=lambda f: (scope.category_of(f.category_code)[0], f.number))


def _aspect(top_name: str) -> str:
    """党的领导弱化 → 党的领导弱化方面; 选人用人问题 → 选人用人方面 (how feedback headings read)."""
    if top_name.endswith("方面"):
        return top_name
    return top_name.removesuffix("问题") + "方面"


def _sentence(text: str | None) -> str:
    text = (text or "").strip()
    if text and text[-1] not in "。！？；…”":
        text += "。"
    return text


def _responsible(unit: Unit | None, person: str | None) -> str:
    """文广旅局（高俊林）: the columns are headed 责任单位, so the unit comes first and the person in brackets."""
    person = (person or "").strip()
    name = _short(unit)
    if name and person:
        return f"{name}（{person}）"
    return name or person


# --- one builder per kind ------------------------------------------------------------------------
@dataclass
class _Prepared:
    data: Any  # the app.reports dataclass, doc_number not yet set
    options: DocumentOptions  # resolved: nothing left None that the kind uses
    title: str
    recipient: str | None
    inspection_id: uuid.UUID | None = None
    after_issue: Callable[[Session, Any], None] | None = None  # (session, IssuedDocument) → None


def _base_defaults(scope: _Scope, **kw: Any) -> DocumentOptions:
    return DocumentOptions(date=scope.today, **kw)


def _feedback(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    if given.finding_ids is not None:
        chosen = _findings(session, scope, approved=True, ids=given.finding_ids)
    else:
        chosen = [f for f in _findings(session, scope, approved=True, ids=None)
                  if f.disposition_code not in FEEDBACK_EXCLUDED_DISPOSITIONS]
    if not chosen:
        pending = session.scalar(select(func.count()).where(
            Finding.inspection_id == insp.id, Finding.deleted_at.is_(None), Finding.review_state != ReviewState.APPROVED))
        more = f"（另有{pending}个问题尚未完成三审）" if pending else ""
        raise ValidationError(f"该巡察还没有经组长审签、需要反馈的问题{more}，无法生成巡察反馈意见。")
    if not (insp.start_date and insp.end_date):
        raise ValidationError("请先填写该巡察的「进驻日期」和「结束日期」，再生成巡察反馈意见。")
    chosen = _by_category(scope, chosen)
    rects = _rectifications(session, scope, chosen)
    aspects = list(dict.fromkeys(_aspect(scope.category_of(f.category_code)[1]) for f in chosen))
    date = given.date or scope.today
    defaults = _base_defaults(
        scope,
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
        deadline=date + dt.timedelta(days=REPORT_DAYS),
        cc=[scope.discipline_body, scope.organisation_dept, scope.office],
        signature=scope.team,
        issuer_mark=f"{scope.leading_group}文件",
    )
    o = given.over(defaults)
    items = []
    for f in chosen:
        _, top, _own = scope.category_of(f.category_code)
        live = rects.get(f.id, [])
        facts = "".join(p for p in (_sentence(f.facts), _sentence(f.characterisation)) if p)
        if live:
            requirement = "；".join(r.measures.strip().rstrip("。；") for r in live if r.measures)
            deadline = max(r.deadline for r in live)
        elif f.disposition_code == IMMEDIATE_FIX and f.status in (FindingStatus.RECTIFIED, FindingStatus.CLOSED):
            requirement, deadline = "巡察期间已立行立改，要巩固整改成果，防止问题反弹", None
        else:
            requirement, deadline = "", None
        items.append(kinds.Finding(category=_aspect(top), summary=f.title.strip(), facts=facts,
                                   requirement=requirement, deadline=deadline))
    data = kinds.FeedbackReport(
        team=scope.team, unit=scope.target, start=insp.start_date, end=insp.end_date, addressee=o.addressee,
        findings=items, signature=o.signature, date=o.date, authority=scope.authority,
        inspection_kind=scope.kind_label, assessment=list(o.assessment or []), requirements=list(o.requirements or []),
        report_deadline=o.deadline, office=scope.office, title=o.title, issuer_mark=o.issuer_mark or None,
        cc=list(o.cc or []), printer=scope.office_full, print_date=o.date,
    )
    return _Prepared(data, o, o.title, o.addressee)


def _notice(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    findings = _findings(session, scope, approved=True, ids=given.finding_ids)
    rects = _rectifications(session, scope, findings if given.finding_ids is not None else None)
    if given.finding_ids is None:
        findings = [f for f in findings if f.disposition_code == NOTICE_DISPOSITION or f.id in rects]
    if not findings:
        raise ValidationError("该巡察没有需要反馈整改的问题（处置方式为“反馈整改”或已制定整改措施的问题），"
                              "无法生成整改通知书。")
    findings = _by_category(scope, findings)
    units = _units_by_id(scope, session, [f.unit_id for f in findings])
    aspects = {scope.category_of(f.category_code)[1] for f in findings}
    if insp.feedback_date:
        # The feedback may have named more problems (some went as clues or were fixed on the spot):
        # say how many this notice asks the unit to fix, not how many the feedback named.
        basis = (f"{cn_date(insp.feedback_date)}，{scope.team}向你单位反馈了巡察意见，其中"
                 f"{len(aspects)}个方面{len(findings)}个问题需要你单位整改落实")
    else:
        span = scope.period()
        basis = (f"{span + '，' if span else ''}{scope.team}对{scope.target}开展了{scope.kind_label}，"
                 f"发现了{len(aspects)}个方面{len(findings)}个需要整改的问题")
    date = given.date or scope.today
    defaults = _base_defaults(
        scope,
        title=f"关于抓好巡察{scope.target}反馈问题整改工作的通知",
        addressee=scope.addressee,
        requirements=[f"{head}：{text}" for head, text in NOTICE_REQUIREMENTS],
        deadline=date + dt.timedelta(days=REPORT_DAYS),
        cc=[scope.discipline_body, scope.organisation_dept],
        signature=scope.office_full,
        issuer_mark=f"{scope.office_full}文件",
        contact="", phone="",
    )
    o = given.over(defaults)
    items = []
    for f in findings:
        live = rects.get(f.id, [])
        measures = "；".join(r.measures.strip().rstrip("。；") for r in live if r.measures)
        people = "、".join(dict.fromkeys(r.responsible_person for r in live if r.responsible_person))
        responsible = _responsible(units.get(f.unit_id) if f.unit_id else None, people)
        deadline = max((r.deadline for r in live), default=None)
        items.append(kinds.RectificationItem(problem=f.title.strip(), requirement=measures, responsible=responsible,
                                             deadline=deadline))
    data = kinds.RectificationNotice(
        addressee=o.addressee, unit=scope.target, basis=basis, items=items, report_deadline=o.deadline,
        signature=o.signature, date=o.date, office=scope.office, title=o.title,
        requirements=[_head_and_text(r) for r in o.requirements or []], contact=o.contact or "", phone=o.phone or "",
        issuer_mark=o.issuer_mark or None, cc=list(o.cc or []), printer=scope.office_full, print_date=o.date,
    )
    return _Prepared(data, o, o.title, o.addressee)


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
        issuer_mark=scope.office_full,
        contact="", phone="",
    )
    o = given.over(defaults)
    items = []
    for r in rects:
        f = findings.get(r.finding_id)
        problem = f.title.strip() if f else r.measures.strip()
        progress = (r.progress or "").strip() or ("尚未报送整改进展" if r.status == RectificationStatus.PENDING
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
    return _Prepared(data, o, o.title, o.addressee)


def _clue_transfer(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    stmt = select(Clue).where(Clue.inspection_id == insp.id, Clue.deleted_at.is_(None))
    if given.clue_ids is not None:
        stmt = stmt.where(Clue.id.in_([as_uuid(i) for i in given.clue_ids]))
    clues = list(session.scalars(stmt.order_by(Clue.created_at, Clue.id)))
    if not clues:
        raise ValidationError("该巡察没有登记问题线索，无法生成问题线索移交函。")
    findings = {f.id: f for f in session.scalars(
        select(Finding).where(Finding.id.in_({c.finding_id for c in clues if c.finding_id})))}

    def bound_for(clue: Clue) -> str:
        # Where a clue goes: the body already named on it; else the 组织部 for a finding disposed of as
        # 移交组织部门; else the 纪委监委, where clues about individuals normally go.
        if (clue.handed_to or "").strip():
            return clue.handed_to.strip()
        finding = findings.get(clue.finding_id) if clue.finding_id else None
        if finding is not None and finding.disposition_code == "transfer_organization":
            return scope.organisation_dept
        return scope.discipline_body

    bodies = Counter(bound_for(c) for c in clues)
    default_to = scope.discipline_body if scope.discipline_body in bodies else bodies.most_common(1)[0][0]
    addressee = (given.addressee or default_to).strip()
    if given.clue_ids is None:
        # One letter per receiving body: the others' clues wait for their own letter.
        clues = [c for c in clues if bound_for(c) == addressee]
    if not clues:
        raise ValidationError(f"该巡察没有需要移交{addressee}的问题线索，无法生成问题线索移交函。")
    date = given.date or scope.today
    defaults = _base_defaults(
        scope,
        title="关于移交巡察发现问题线索的函",
        addressee=addressee,
        deadline=date + dt.timedelta(days=CLUE_REPLY_DAYS),
        cc=[],
        signature=scope.office_full,
        issuer_mark=scope.office_full,
        secrecy="机密",
        contact="", phone="",
    )
    o = given.over(defaults)
    units = _units_by_id(scope, session, [f.unit_id for f in findings.values()])
    year = (insp.start_date or date).year
    items = []
    for k, c in enumerate(clues, 1):
        f = findings.get(c.finding_id) if c.finding_id else None
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
        items.append(kinds.ClueItem(code=f"XS{year}-{k:03d}", person=c.subject_name.strip(), position=position,
                                    summary=c.summary.strip(), source=source, materials="、".join(materials)))
    receiver = "你部" if addressee.endswith("部") else "你委"
    data = kinds.ClueTransferLetter(
        issuer_mark=o.issuer_mark or "", doc_number="", addressee=o.addressee, team=scope.team, unit=scope.target,
        clues=items, signature=o.signature, date=o.date, inspection_kind=scope.kind_label, receiver=receiver,
        reply_deadline=o.deadline, office=scope.office, title=o.title, secrecy=o.secrecy or None,
        contact=o.contact or "", phone=o.phone or "", cc=list(o.cc or []),
    )
    clue_ids = [c.id for c in clues]

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

    return _Prepared(data, o, o.title, o.addressee, after_issue=link)


def _announcement(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    missing = [label for label, value in (("进驻日期", insp.start_date), ("结束日期", insp.end_date),
                                          ("公告电话", insp.announcement_phone)) if not value]
    if missing:
        raise ValidationError(f"请先在巡察信息中填写「{'」「'.join(missing)}」，再生成巡察公告。")
    defaults = DocumentOptions(title=f"{scope.team}巡察公告", signature=scope.team, date=insp.start_date)
    o = given.over(defaults)
    data = kinds.Announcement(
        team=scope.team, unit=scope.target, start=insp.start_date, end=insp.end_date,
        phone=insp.announcement_phone.strip(), signature=o.signature, date=o.date, authority=scope.authority,
        inspection_kind=scope.kind_label, postbox=(insp.announcement_mailbox or "").strip(),
        address=(insp.announcement_address or "").strip(), email=(insp.announcement_email or "").strip(),
        title=o.title,
    )
    return _Prepared(data, o, o.title, None)


def _count(session: Session, model: type, inspection_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.count()).where(model.inspection_id == inspection_id,
                                                         model.deleted_at.is_(None))) or 0)


def _special(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    insp = scope.inspection
    findings = _by_category(scope, _findings(session, scope, approved=True, ids=None))
    stats = statistics.compute(ctx, inspection_id=insp.id, on=given.as_of or given.date or scope.today)
    clues = list(session.scalars(select(Clue).where(Clue.inspection_id == insp.id, Clue.deleted_at.is_(None))))
    counts = {name: _count(session, model, insp.id)
              for name, model in (("interviews", Interview), ("petitions", Petition), ("reviews", DocumentReview),
                                  ("visits", Visit))}
    if not findings and not clues and not any(counts.values()):
        raise ValidationError("该巡察还没有工作记录和经审签的问题，无法生成专题报告。")
    span = scope.period()
    by_top: dict[str, list[Finding]] = {}
    for f in findings:
        by_top.setdefault(scope.category_of(f.category_code)[1], []).append(f)
    aspects = [_aspect(t) for t in by_top]
    defaults = _base_defaults(
        scope,
        title=f"关于巡察{scope.target}情况的专题报告",
        addressee=scope.leading_group,
        assessment=[
            f"{scope.target}能够贯彻落实党中央决策部署和上级党委工作要求，各项工作取得了一定成效。"
            + (f"巡察发现，{scope.target}在{'、'.join(a.removesuffix('方面') for a in aspects)}等方面还存在"
               f"一些问题，共发现问题{stats.findings}个。" if findings else "巡察期间未发现需要反馈的突出问题。"),
        ],
        requirements=[
            f"建议{scope.authority}责成{scope.target}认真抓好巡察反馈问题整改，{scope.discipline_body}、"
            f"{scope.organisation_dept}加强日常监督，{scope.office}跟踪督办整改进展，适时开展“回头看”。",
        ],
        cc=[],
        signature=scope.team,
        issuer_mark=f"{scope.team}文件",
        secrecy="机密",
    )
    o = given.over(defaults)
    stats_table = Table(
        [["项目", "数量", "项目", "数量"]],
        [["个别谈话（人次）", str(counts["interviews"]), "受理信访（件）", str(counts["petitions"])],
         ["查阅资料（份）", str(counts["reviews"]), "走访调研（次）", str(counts["visits"])],
         ["发现问题（个）", str(stats.findings), "问题线索（件）", str(len(clues))],
         ["整改事项（项）", str(stats.rectifications), "已完成整改（项）", str(stats.rectified)]],
        col_widths=[3, 1.5, 3, 1.5], align=["left", "center", "left", "center"],
    )
    sections = [kinds.ReportSection("巡察工作开展情况", [
        f"{span + '，' if span else ''}巡察组紧扣“四个落实”监督重点，通过听取汇报、个别谈话、受理信访、查阅资料、"
        f"走访调研等方式开展工作，共个别谈话{counts['interviews']}人次，受理信访{counts['petitions']}件，"
        f"查阅资料{counts['reviews']}份，走访调研{counts['visits']}次，主要情况见下表。"], table=stats_table)]
    if o.assessment:
        sections.append(kinds.ReportSection("总体评价", list(o.assessment)))
    if findings:
        subsections = []
        for top, items in by_top.items():
            own = Counter(scope.category_of(f.category_code)[2] for f in items)
            breakdown = "、".join(f"{name}{n}个" for name, n in own.most_common() if name and name != top)
            distinct = list(dict.fromkeys(f.title.strip().rstrip("。") for f in items))
            titles = "；".join(distinct[:SPECIAL_TITLES])
            more = "等" if len(distinct) > SPECIAL_TITLES else ""
            paragraphs = [f"共{len(items)}个问题{'，其中' + breakdown if breakdown else ''}。主要有：{titles}{more}。"]
            # The most serious problems first: what the leading group most needs to read in full.
            typical = sorted(items, key=lambda f: ({"serious": 0, "major": 1}.get(f.severity, 2), f.number))
            examples = list({f.title.strip(): f for f in reversed(typical)}.values())[::-1][:SPECIAL_EXAMPLES]
            paragraphs += [f"{f.title.strip().rstrip('。')}。{_sentence(f.facts)}" for f in examples]
            subsections.append(kinds.ReportSection(_aspect(top), paragraphs))
        sections.append(kinds.ReportSection("发现的主要问题", subsections=subsections))
    sections.append(kinds.ReportSection("问题线索情况", [_clue_summary(scope, clues, stats)]))
    if o.requirements:
        sections.append(kinds.ReportSection("意见建议", list(o.requirements)))
    intro = [f"根据{scope.leading_group}统一部署，{scope.team}"
             f"{'于' + span if span else ''}对{scope.target}开展了{scope.kind_label}。现将巡察情况报告如下。"]
    data = kinds.SpecialReport(
        title=o.title, addressee=o.addressee, sections=sections, signature=o.signature, date=o.date, intro=intro,
        issuer_mark=o.issuer_mark or None, signers=[scope.leader] if scope.leader else [], secrecy=o.secrecy or None,
        cc=list(o.cc or []),
    )
    return _Prepared(data, o, o.title, o.addressee)


def _clue_summary(scope: _Scope, clues: list[Clue], stats: statistics.Statistics) -> str:
    if not clues:
        return "巡察期间未发现需要移交的问题线索。"
    handed = Counter(c.handed_to.strip() for c in clues
                     if c.status != ClueStatus.PENDING and (c.handed_to or "").strip())
    planned = Counter(c.handed_to.strip() for c in clues
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


def _register(ctx: ServiceContext, session: Session, scope: _Scope, given: DocumentOptions) -> _Prepared:
    findings = _findings(session, scope, approved=False, ids=given.finding_ids)
    if not findings:
        raise ValidationError("该巡察还没有登记问题，无法生成问题台账。")
    date = given.date or scope.today
    as_of = given.as_of or date
    defaults = DocumentOptions(
        title=f"{scope.target}巡察发现问题整改台账", date=date, as_of=as_of,
        note="说明：整改状态分为未整改、整改中、已完成、已销号四类；尚无整改事项的问题列其办理或审核状态。",
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
            measures = "；".join(r.measures.strip().rstrip("。；") for r in live if r.measures)
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
            description=f"{f.title.strip().rstrip('。')}。{(f.facts or '').strip()}", responsible=responsible,
            measures=measures, deadline=deadline, status=status, remarks="；".join(r for r in remarks if r),
        ))
    data = kinds.FindingRegister(unit=scope.target, team=scope.team, as_of=o.as_of, entries=entries, title=o.title,
                                 note=o.note or None)
    return _Prepared(data, o, o.title, None)


_BUILDERS: dict[str, Callable[..., _Prepared]] = {
    "feedback": _feedback,
    "notice": _notice,
    "supervision": _supervision,
    "clue-transfer": _clue_transfer,
    "announcement": _announcement,
    "special": _special,
    "register": _register,
}


# --- the entry points ----------------------------------------------------------------------------
def _check_kind(kind: str) -> None:
    if kind not in KIND_LABELS:
        raise ValidationError(f"未知的文书种类「{kind}」，可选：{'、'.join(KINDS)}。", "kind")


def _prepare(ctx: ServiceContext, session: Session, kind: str, inspection_id: uuid.UUID | str,
             options: DocumentOptions, today: dt.date) -> _Prepared:
    scope = _load_scope(session, inspection_id, today)
    # A document shows the inspection's records: only to those who may read them.
    permissions.require_readable(session, ctx.actor, scope.inspection.id)
    prepared = _BUILDERS[kind](ctx, session, scope, options)
    prepared.inspection_id = scope.inspection.id
    return prepared


def default_options(
    ctx: ServiceContext, kind: str, inspection_id: uuid.UUID | str, *, today: dt.date | None = None
) -> DocumentOptions:
    """The free-text parts as they would be issued, derived from the data: what a dialog shows for editing.

    Raises ValidationError when the document cannot be made (unknown inspection, nothing to list).
    """
    _check_kind(kind)
    with ctx.db.read() as session:
        return _prepare(ctx, session, kind, inspection_id, DocumentOptions(), today or dt.date.today()).options


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


def _blank_number(session: Session, kind: str, year: int) -> str:
    """A preview's 文号: the issuer and year with the number left blank, as a draft is circulated."""
    issuer = default_issuer(session, kind) or ""
    return f"{issuer}〔{year}〕　　号"


def _render(data: Any, fonts: FontSet, watermark: str | None) -> tuple[bytes, Any]:
    buf = io.BytesIO()
    result = render_kind(data, buf, fonts=fonts, watermark=watermark)
    return buf.getvalue(), result


def _filename(number: str, title: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:100]
    return f"{number}{safe}.pdf"


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
) -> IssuedResult:
    """Generate a document of kind for an inspection; unless preview, number it and keep it.

    watermark: None puts the default on the confidential kinds (see default_watermark); "" puts none;
    any other text is drawn as given. fonts defaults to the process-wide set (system fonts by name,
    shipped ones otherwise). Raises ValidationError, with a message for the user, when the data does
    not allow the document.
    """
    _check_kind(kind)
    options = options or DocumentOptions()
    today = today or dt.date.today()
    mark = default_watermark(ctx, kind) if watermark is None else (watermark.strip() or None)
    fonts = fonts or FontSet.default()
    # Font discovery and loading take a few hundred ms once per process: never while holding the write lock.
    fonts.preload()
    numbered = kind not in UNNUMBERED_KINDS

    if preview or not numbered:
        with ctx.db.read() as session:
            prepared = _prepare(ctx, session, kind, inspection_id, options, today)
            data = prepared.data
            if numbered:
                data = dataclasses.replace(data, doc_number=_blank_number(session, kind, prepared.options.date.year))
        pdf, result = _render(data, fonts, mark)
        return IssuedResult(pdf, None, result.font_report.messages(), result.page_count, None, prepared.title, kind)

    documents = IssuedDocumentService(ctx)
    with ctx.write() as session:
        # Everything is read and checked before the number is taken; a failure after it (the render,
        # storing the PDF) rolls the number back with the rest.
        prepared = _prepare(ctx, session, kind, inspection_id, options, today)
        record = documents.issue_in(
            session, kind=kind, title=prepared.title[:200], inspection_id=prepared.inspection_id,
            recipient=(prepared.recipient or None) and prepared.recipient[:200], year=prepared.options.date.year,
        )
        data = dataclasses.replace(prepared.data, doc_number=record.number_text)
        pdf, result = _render(data, fonts, mark)
        session.info[ISSUING] = True
        attachment = AttachmentService(ctx).attach_bytes_in(
            session, ATTACHMENT_OWNER_KIND, record.id, _filename(record.number_text, prepared.title), pdf,
            description=f"{KIND_LABELS[kind]}（{record.number_text}）",
        )
        # Part of issuing it, not an edit of the issued document.
        record.attachment_id = attachment.id
        if prepared.after_issue is not None:
            prepared.after_issue(session, record)
        number, document_id = record.number_text, record.id
    return IssuedResult(pdf, number, result.font_report.messages(), result.page_count, document_id, prepared.title, kind)


__all__ = [
    "ATTACHMENT_OWNER_KIND", "CONFIDENTIAL_KINDS", "KINDS", "KIND_LABELS", "UNNUMBERED_KINDS", "DocumentOptions",
    "IssuedResult", "default_options", "default_watermark", "issue_document", "party_organisation",
]
