"""整改督办函 (信函格式): chases rectification items past their deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Block, OfficialDocument, Paragraph, Table, cn_date


@dataclass(frozen=True)
class OverdueItem:
    problem: str
    responsible: str
    deadline: dt.date
    progress: str = ""


@dataclass(frozen=True)
class SupervisionLetter:
    issuer_mark: str  # 中共××县委巡察工作领导小组办公室
    doc_number: str  # 县巡办函〔2026〕12号
    addressee: str
    unit: str
    team: str
    feedback_date: dt.date
    items: list[OverdueItem]
    reply_deadline: dt.date
    signature: str
    date: dt.date
    as_of: dt.date | None = None  # 统计截至; defaults to the letter's date
    title: str = "关于督促加快巡察反馈问题整改进度的函"
    contact: str = ""
    phone: str = ""
    cc: list[str] = field(default_factory=list)


def build(s: SupervisionLetter) -> OfficialDocument:
    as_of = s.as_of or s.date
    rows = [[str(i), it.problem, it.responsible, cn_date(it.deadline), str(max(0, (as_of - it.deadline).days)),
             it.progress] for i, it in enumerate(s.items, 1)]
    body: list[Block] = [
        Paragraph(
            f"{cn_date(s.feedback_date)}，{s.team}向你单位反馈巡察意见以来，你单位对整改工作进行了部署，"
            f"取得了一定成效。经跟踪督查，截至{cn_date(as_of)}，仍有{len(s.items)}项问题超过整改时限未完成整改，"
            "具体如下："
        ),
        Table([["序号", "问题", "责任单位", "整改时限", "逾期天数", "目前进展"]], rows,
              col_widths=[1.0, 5.0, 2.4, 2.6, 1.5, 3.0], align=["center", "left", "left", "center", "center", "left"],
              font_size=10.5),
        Paragraph(
            "请你单位高度重视，切实扛起整改主体责任，对上述问题逐项分析原因、明确措施、压实责任，"
            f"加快推进整改，并于{cn_date(s.reply_deadline)}前将整改进展情况书面报送我办。"
            "对整改不力、敷衍整改、虚假整改的，将按照有关规定严肃追责问责。"
        ),
    ]
    if s.contact or s.phone:
        body.append(Paragraph(f"联系人：{s.contact}　　联系电话：{s.phone}"))
    return OfficialDocument(
        title=s.title, body=body, issuer_mark=s.issuer_mark, doc_number=s.doc_number, addressee=s.addressee,
        signature=s.signature, date=s.date, cc=list(s.cc), layout="letter", author=s.signature,
    )
