"""巡察工作方案: what the team will inspect, how, with whom and when; reported to the leading group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Block, Heading, OfficialDocument, Paragraph, Table, cn_date
from .common import period


@dataclass(frozen=True)
class PlanStep:
    name: str  # 准备阶段
    start: dt.date | None
    end: dt.date | None
    tasks: str


@dataclass(frozen=True)
class WorkPlan:
    team: str
    targets: str
    inspection_kind: str
    leading_group_short: str  # 县委巡察工作领导小组 (主送, and in the text)
    committee: str
    focus: list[tuple[str, str]]  # (小标题, 内容)
    leader: str
    deputies: list[str]  # 姓氏笔画 order
    members: list[str]  # 姓氏笔画 order
    steps: list[PlanStep]
    signature: str
    date: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    round_name: str = ""
    issuer_mark: str | None = None
    doc_number: str | None = None
    signers: list[str] = field(default_factory=list)
    secrecy: str | None = None
    printer: str | None = None
    print_date: dt.date | None = None
    title: str | None = None


def build(p: WorkPlan) -> OfficialDocument:
    span = period(p.start, p.end) if p.start and p.end else "按领导小组确定的时间"
    body: list[Block] = [Paragraph(
        f"根据{p.leading_group_short}统一部署，{p.team}{'在' + p.round_name + '中' if p.round_name else ''}"
        f"对{p.targets}开展{p.inspection_kind}。为确保巡察工作有序开展，制定本方案。"
    )]
    body += [Heading(1, "指导思想"), Paragraph(
        "坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大和二十届历次全会精神，"
        "坚守政治巡察职能定位，聚焦“两个维护”根本任务，发现问题、形成震慑，推动改革、促进发展。")]
    body += [Heading(1, "巡察对象和时间"), Paragraph(f"巡察对象：{p.targets}。巡察时间：{span}。")]
    team = [f"组长：{p.leader or '（待定）'}"]
    if p.deputies:
        team.append(f"副组长：{'、'.join(p.deputies)}")
    if p.members:
        team.append(f"成员（按姓氏笔画排序）：{'、'.join(p.members)}")
    body += [Heading(1, "巡察组组成"), Paragraph("；".join(team) + "。")]
    body.append(Heading(1, "巡察重点"))
    body += [Heading(2, head, body=text) for head, text in p.focus]
    body.append(Heading(1, "方法步骤"))
    rows = []
    for i, s in enumerate(p.steps, 1):
        when = (f"{cn_date(s.start)}—{cn_date(s.end)}" if s.start and s.end and s.start != s.end
                else cn_date(s.start) if s.start else "")
        rows.append([str(i), s.name, when, s.tasks])
    body.append(Table([["序号", "阶段", "时间", "主要任务"]], rows, col_widths=[1, 2.2, 4.2, 7.6],
                      align=["center", "center", "center", "left"], font_size=10.5))
    body += [Heading(1, "工作要求"),
             Heading(2, "严明工作纪律", body="巡察组成员严格遵守中央八项规定及其实施细则精神和巡察工作纪律，"
                     "不干预被巡察单位正常工作，不处理具体问题，严格执行回避制度。"),
             Heading(2, "严格保密纪律", body="谈话内容、信访举报和反映人信息严格保密，巡察资料专人保管，"
                     "工作用计算机不连接互联网。"),
             Heading(2, "及时请示报告", body=f"巡察中发现的重要情况和重大问题，及时向{p.leading_group_short}报告。")]
    return OfficialDocument(
        title=p.title or f"{p.team}关于巡察{p.targets}的工作方案", body=body, issuer_mark=p.issuer_mark,
        doc_number=p.doc_number, signers=list(p.signers), secrecy=p.secrecy, addressee=p.leading_group_short,
        signature=p.signature, date=p.date, printer=p.printer, print_date=p.print_date, author=p.team,
        keep_together=[p.team, p.targets],
    )
