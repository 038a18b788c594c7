"""问题线索移交函 with its 移交清单: hands clues about individuals to the 纪委监委 or 组织部."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Attachment, Block, OfficialDocument, Paragraph, Table, cn_date


@dataclass(frozen=True)
class ClueItem:
    code: str  # 线索编号
    person: str  # 被反映人
    position: str  # 单位及职务
    summary: str  # 主要问题
    source: str = ""  # 信访举报 / 个别谈话 / 查阅资料
    materials: str = ""  # 移交材料, e.g. 信访件2份、谈话笔录1份


@dataclass(frozen=True)
class ClueTransferLetter:
    issuer_mark: str
    doc_number: str
    addressee: str  # 县纪委监委
    team: str
    unit: str
    clues: list[ClueItem]
    signature: str
    date: dt.date
    inspection_kind: str = "常规巡察"
    receiver: str = "你委"  # how the letter addresses the receiving body
    reply_deadline: dt.date | None = None
    office: str = "县委巡察办"
    title: str = "关于移交巡察发现问题线索的函"
    secrecy: str | None = "机密"
    contact: str = ""
    phone: str = ""
    cc: list[str] = field(default_factory=list)


def build(c: ClueTransferLetter) -> OfficialDocument:
    reply = (f"，并于{cn_date(c.reply_deadline)}前将办理情况书面反馈{c.office}" if c.reply_deadline
             else f"，并及时将办理情况书面反馈{c.office}")
    body: list[Block] = [
        Paragraph(
            f"根据巡察工作有关规定，现将{c.team}在对{c.unit}开展{c.inspection_kind}中发现的"
            f"{len(c.clues)}件问题线索移交{c.receiver}，请按照干部管理权限和有关规定认真研究处置{reply}。"
        ),
        Paragraph("移交的问题线索涉及党员干部个人，请严格遵守保密纪律，严禁泄露线索内容和反映人信息。"),
    ]
    if c.contact or c.phone:
        body.append(Paragraph(f"联系人：{c.contact}　　联系电话：{c.phone}"))
    rows = [[str(i), k.code, k.person, k.position, k.summary, k.source, k.materials] for i, k in enumerate(c.clues, 1)]
    listing = Attachment("问题线索移交清单", [
        Table([["序号", "线索编号", "被反映人", "单位及职务", "主要问题", "线索来源", "移交材料"]], rows,
              col_widths=[0.9, 1.9, 1.5, 2.4, 5.2, 1.6, 2.0],
              align=["center", "center", "center", "left", "left", "center", "left"], font_size=10.5),
        Paragraph("移交人（签字）：　　　　　　　接收人（签字）：", indent=False),
        Paragraph("移交时间：　　　　年　　月　　日", indent=False),
    ])
    return OfficialDocument(
        title=c.title, body=body, issuer_mark=c.issuer_mark, doc_number=c.doc_number, addressee=c.addressee,
        signature=c.signature, date=c.date, attachments=[listing], secrecy=c.secrecy, cc=list(c.cc),
        layout="letter", author=c.signature,
    )
