"""组长授权书: the leading group authorises the team leader for this one inspection (一次一授权)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Block, OfficialDocument, Paragraph, cn_date


@dataclass(frozen=True)
class LeaderAuthorization:
    leader: str
    team: str  # 市委第一巡察组
    targets: str  # 市财政局党组、…
    inspection_kind: str  # 常规巡察
    leading_group: str  # 中共云川市委巡察工作领导小组 (署名)
    leading_group_short: str  # 市委巡察工作领导小组 (in the text)
    committee: str  # 市委
    issuer_mark: str  # 中共云川市委巡察工作领导小组文件
    doc_number: str
    date: dt.date
    round_name: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def build(a: LeaderAuthorization) -> OfficialDocument:
    if a.start:
        until = f"至{cn_date(a.end)}" if a.end else "起至本次巡察工作结束"
        period = f"自{cn_date(a.start)}{until}"
    else:
        period = "自本授权书印发之日起至本次巡察工作结束"
    scope = f"{a.round_name}对" if a.round_name else "对"
    body: list[Block] = [
        Paragraph(f"根据《中国共产党巡视工作条例》和{a.committee}巡察工作有关规定，经{a.leading_group_short}研究，"
                  f"授权你担任{a.team}组长，负责{scope}{a.targets}开展{a.inspection_kind}的组织实施工作。"),
        Paragraph("授权事项：（一）主持巡察组全面工作，对巡察工作负总责；（二）按照巡察工作方案组织开展个别谈话、"
                  "受理信访举报、查阅资料、走访调研等工作；（三）审签问题底稿，组织起草巡察报告和反馈意见；"
                  "（四）按程序向领导小组报告工作，提出问题线索处置和整改建议。"),
        Paragraph(f"授权期限：{period}。本授权仅对本次巡察有效，巡察任务完成即自行终止（一次一授权）。"),
    ]
    return OfficialDocument(
        title="巡察组组长授权书", body=body, issuer_mark=a.issuer_mark, doc_number=a.doc_number,
        addressee=f"{a.leader}同志", signature=a.leading_group, date=a.date, author=a.leading_group,
        keep_together=[a.leader, a.team],
    )
