"""One builder per kind of document about a whole inspection: 反馈意见, 整改通知书, 督办函,
线索移交函, 巡察公告, 专题报告, 问题台账. Names with a leading underscore are internal to the package."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Clue,
    DocumentReview,
    Finding,
    Interview,
    Petition,
    Unit,
    Visit,
)
from app.models.enums import (
    ClueStatus,
    FindingStatus,
    RectificationStatus,
    ReviewState,
    SourceKind,
)
from app.reports import Table, cn_date, kinds
from app.reports.kinds.notice import DEFAULT_REQUIREMENTS as NOTICE_REQUIREMENTS
from app.reports.wording import normalize

from .. import statistics
from ..clues import ClueService
from ..context import ServiceContext
from ..crud import as_uuid
from ..errors import ValidationError
from ..rectifications import is_overdue
from .options import (
    _FINDING_LABEL,
    _MATERIALS,
    _RECT_LABEL,
    _RECT_ORDER,
    CLUE_REPLY_DAYS,
    FEEDBACK_EXCLUDED_DISPOSITIONS,
    IMMEDIATE_FIX,
    NOTICE_DISPOSITION,
    OTHER_CATEGORY,
    REPORT_DAYS,
    SPECIAL_EXAMPLES,
    SPECIAL_TITLES,
    SUPERVISION_REPLY_DAYS,
    DocumentOptions,
    Prepared,
    ResolvedOptions,
)
from .scope import (
    Scope,
    _by_category,
    _findings,
    _measures,
    _problem_set,
    _problem_total,
    _rectifications,
    _responsible,
    _sentence,
    _short,
    _units_by_id,
    party_organisation,
)


def _base_defaults(scope: Scope, **kw: Any) -> DocumentOptions:
    return DocumentOptions(date=scope.today, **kw)


def _plan_due(session: Session, start: dt.date) -> dt.date:
    """整改方案 due: the office's count of working days (15 by default) after the feedback."""
    from ..office.workdays import calendar_in, plan_workdays_in

    return calendar_in(session).add_workdays(start, plan_workdays_in(session))


def _feedback(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    # Every deadline runs from the 成文日期 the document carries.
    o = given.over(defaults, deadline_days=REPORT_DAYS)
    plan_due = _plan_due(session, o.date)
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
    return Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _plan_days(session: Session) -> int:
    from ..office.workdays import plan_workdays_in

    return plan_workdays_in(session)


def _notice(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    o = given.over(defaults, deadline_days=REPORT_DAYS)
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
    return Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _head_and_text(requirement: str) -> tuple[str, str]:
    """"提高政治站位：要把……" → ("提高政治站位", "要把……"), the notice's run-in 小标题 and its text."""
    head, sep, text = requirement.partition("：")
    if sep and 0 < len(head) <= 20:
        return head.strip(), text.strip()
    return requirement.strip(), ""


def _supervision(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    o = given.over(defaults, deadline_days=SUPERVISION_REPLY_DAYS)
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
    return Prepared(data, o, o.title, o.addressee, issuer_code=prefix, people=people)


def _clue_transfer(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    o = given.over(defaults, deadline_days=CLUE_REPLY_DAYS)
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
    return Prepared(data, o, o.title, o.addressee, after_issue=_hand_over_clues(ctx, [c.id for c in clues], o),
                     issuer_code=prefix, people=[c.subject_name.strip() for c in clues])


def _clues_to_transfer(session: Session, scope: Scope,
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


def _receiving_body(clue: Clue, findings: dict[uuid.UUID, Finding], scope: Scope) -> str:
    # Where a clue goes: the body already named on it; else the 组织部 for a finding disposed of as
    # 移交组织部门; else the 纪委监委, where clues about individuals normally go.
    if handed := (clue.handed_to or "").strip():
        return handed
    finding = findings.get(clue.finding_id) if clue.finding_id else None
    if finding is not None and finding.disposition_code == "transfer_organization":
        return scope.organisation_dept
    return scope.discipline_body


def _clue_item(k: int, c: Clue, f: Finding | None, units: dict[uuid.UUID, Unit], scope: Scope,
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


def _announcement(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    return Prepared(data, o, o.title, None)


def _count(session: Session, model: Any, inspection_id: uuid.UUID) -> int:
    return int(session.scalar(select(func.count()).where(model.inspection_id == inspection_id,
                                                         model.deleted_at.is_(None))) or 0)


FRAME_SENTENCE = {"four_implementations": "紧扣“四个落实”监督重点",
                  "three_problems": "聚焦党的领导弱化、党的建设缺失、全面从严治党不力等问题"}


def _special(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    return Prepared(data, o, o.title, o.addressee, issuer_code=prefix)


def _clue_summary(scope: Scope, clues: list[Clue], stats: statistics.Statistics) -> str:
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


def _register(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
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
    return Prepared(data, o, o.title, None)
