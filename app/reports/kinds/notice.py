"""整改通知书: tells a unit which problems to fix, how, and by when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Block, Heading, OfficialDocument, Paragraph, cn_date
from .common import deadline_text, sentence

DEFAULT_REQUIREMENTS = [
    ("提高政治站位", "要把巡察整改作为增强“四个意识”、坚定“四个自信”、做到“两个维护”的具体行动，"
     "党组织主要负责人切实履行整改第一责任人职责，班子成员抓好分管领域整改。"),
    ("逐项对账销号", "要建立整改台账，逐项明确责任领导、责任部门和完成时限，整改完成一项、销号一项，"
     "做到问题不查清不放过、整改不到位不放过。"),
    ("注重标本兼治", "要举一反三，深入剖析问题根源，健全完善相关制度，推动形成长效机制。"),
]


@dataclass(frozen=True)
class RectificationItem:
    problem: str
    requirement: str = ""
    responsible: str = ""  # 责任单位或责任人
    deadline: dt.date | None = None


@dataclass(frozen=True)
class RectificationNotice:
    addressee: str
    unit: str
    basis: str  # why: e.g. 2026年9月15日，县委第二巡察组向你单位反馈了巡察意见
    items: list[RectificationItem]
    report_deadline: dt.date
    signature: str
    date: dt.date
    office: str = "县委巡察办"
    title: str = "关于抓好巡察反馈问题整改的通知"
    requirements: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_REQUIREMENTS))
    contact: str = ""
    phone: str = ""
    issuer_mark: str | None = None
    doc_number: str | None = None
    cc: list[str] = field(default_factory=list)
    printer: str | None = None
    print_date: dt.date | None = None


def build(n: RectificationNotice) -> OfficialDocument:
    body: list[Block] = [Paragraph(
        f"{sentence(n.basis).rstrip('。')}。为切实抓好巡察反馈问题整改落实，现将需要整改的问题和有关要求通知如下。"
    ), Heading(1, "需要整改的问题")]
    for item in n.items:
        parts = []
        if item.requirement:
            parts.append(f"整改要求：{sentence(item.requirement)}")
        if item.responsible:
            parts.append(f"责任单位：{item.responsible}。")
        if item.deadline:
            parts.append(f"整改时限：{deadline_text(item.deadline)}。")
        body.append(Heading(3, item.problem, body="".join(parts)))
    body.append(Heading(1, "有关要求"))
    for head, text in n.requirements:
        body.append(Heading(2, head, body=text))
    body.append(Paragraph(
        f"请于{cn_date(n.report_deadline)}前将整改落实情况书面报送{n.office}，"
        "整改情况报告须经党组织主要负责人签字并加盖单位公章。"
    ))
    if n.contact or n.phone:
        body.append(Paragraph(f"联系人：{n.contact}　　联系电话：{n.phone}"))
    return OfficialDocument(
        title=n.title, body=body, issuer_mark=n.issuer_mark, doc_number=n.doc_number, addressee=n.addressee,
        signature=n.signature, date=n.date, cc=list(n.cc), printer=n.printer, print_date=n.print_date,
        author=n.signature,
    )
