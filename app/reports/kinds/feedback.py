"""巡察反馈意见: the team's findings, grouped by category, delivered to the unit's party organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Attachment, Block, Heading, OfficialDocument, Paragraph, Table, cn_date
from .common import deadline_text, period, sentence


@dataclass(frozen=True)
class Finding:
    category: str  # 问题类别, e.g. 落实党中央重大决策部署方面
    summary: str  # 问题概括, set as a run-in heading
    facts: str = ""  # 具体事实
    requirement: str = ""  # 整改要求
    deadline: dt.date | None = None  # 整改时限


@dataclass(frozen=True)
class FeedbackReport:
    team: str  # 县委第二巡察组
    unit: str  # ××镇党委
    start: dt.date
    end: dt.date
    addressee: str  # 中共××镇委员会
    findings: list[Finding]
    signature: str
    date: dt.date
    authority: str = "县委"  # who deployed the inspection
    inspection_kind: str = "常规巡察"
    assessment: list[str] = field(default_factory=list)  # 总体评价
    requirements: list[str] = field(default_factory=list)  # general 整改要求
    report_deadline: dt.date | None = None  # 整改情况报告 due
    office: str = "县委巡察办"  # where rectification reports go
    title: str | None = None
    issuer_mark: str | None = None
    doc_number: str | None = None
    cc: list[str] = field(default_factory=list)
    printer: str | None = None
    print_date: dt.date | None = None
    attach_list: bool = True  # 附件: 问题清单 as a table


def grouped(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by category, categories in order of first appearance."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.category or "其他方面", []).append(f)
    return list(groups.items())


def build(r: FeedbackReport) -> OfficialDocument:
    body: list[Block] = [Paragraph(
        f"根据{r.authority}统一部署，{period(r.start, r.end)}，{r.team}对{r.unit}开展了{r.inspection_kind}。"
        "巡察组坚持以习近平新时代中国特色社会主义思想为指导，坚守政治巡察职能定位，通过听取汇报、个别谈话、"
        "受理信访、查阅资料、走访调研等方式，深入了解情况，形成了巡察意见。"
        f"现将巡察发现的主要问题反馈如下。"
    )]
    if r.assessment:
        body.append(Heading(1, "总体评价"))
        body += [Paragraph(p) for p in r.assessment]
    body.append(Heading(1, "巡察发现的主要问题"))
    for category, items in grouped(r.findings):
        body.append(Heading(2, category))
        for f in items:
            body.append(Heading(3, f.summary, body=f.facts))
            req = []
            if f.requirement:
                req.append(f"整改要求：{sentence(f.requirement)}")
            if f.deadline:
                req.append(f"整改时限：{deadline_text(f.deadline)}。")
            if req:
                body.append(Paragraph("".join(req)))
    body.append(Heading(1, "整改意见"))
    body += [Paragraph(p) for p in r.requirements]
    if r.report_deadline:
        body.append(Paragraph(
            f"请{r.unit}认真对照反馈意见，制定整改方案，建立问题清单、任务清单、责任清单，明确整改时限，"
            f"逐项抓好整改落实，并于{cn_date(r.report_deadline)}前将整改情况报告和主要负责人组织落实整改情况报告"
            f"报送{r.office}。整改进展情况应当按规定在适当范围内公开。"
        ))
    attachments = []
    if r.attach_list and r.findings:
        rows = [[str(i), f.category, f.summary, cn_date(f.deadline) if f.deadline else ""]
                for i, f in enumerate(r.findings, 1)]
        attachments.append(Attachment("巡察反馈问题清单", [
            Table([["序号", "问题类别", "问题概括", "整改时限"]], rows, col_widths=[1, 3.2, 6.8, 2.6],
                  align=["center", "left", "left", "center"], font_size=10.5),
        ]))
    return OfficialDocument(
        title=r.title or f"{r.team}关于巡察{r.unit}的反馈意见",
        body=body, issuer_mark=r.issuer_mark, doc_number=r.doc_number, addressee=r.addressee,
        signature=r.signature, date=r.date, attachments=attachments, cc=list(r.cc), printer=r.printer,
        print_date=r.print_date, author=r.team,
    )
