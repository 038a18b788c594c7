"""巡察公告: tells the public how to reach the team while it is at the unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Block, OfficialDocument, Paragraph
from .common import period


@dataclass(frozen=True)
class Announcement:
    team: str  # 县委第二巡察组
    unit: str  # ××镇党委
    start: dt.date
    end: dt.date
    phone: str
    signature: str
    date: dt.date
    authority: str = "县委"
    inspection_kind: str = "常规巡察"
    hours: str = "每日8:00—18:00"
    postbox: str = ""  # 邮政信箱
    mailbox_location: str = ""  # where the 意见箱 hangs
    address: str = ""  # 接访地点
    email: str = ""
    title: str | None = None


def build(a: Announcement) -> OfficialDocument:
    channels = [f"值班电话：{a.phone}（{a.hours}）"]
    if a.postbox:
        channels.append(f"邮政信箱：{a.postbox}")
    if a.mailbox_location:
        channels.append(f"意见箱：设在{a.mailbox_location}")
    if a.email:
        channels.append(f"电子邮箱：{a.email}")
    if a.address:
        channels.append(f"接访地点：{a.address}")
    body: list[Block] = [
        Paragraph(f"根据{a.authority}统一部署，{a.team}于{period(a.start, a.end)}对{a.unit}开展{a.inspection_kind}。"
                  "巡察期间，巡察组设立以下联系方式，受理群众来信来电来访："),
    ]
    body += [Paragraph(f"{i}.{ch}") for i, ch in enumerate(channels, 1)]
    body += [
        Paragraph(f"巡察组主要受理反映{a.unit}领导班子及其成员、下一级党组织领导班子主要负责人和重要岗位领导干部"
                  "问题的来信来电来访，重点是关于违反政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律、生活纪律"
                  "等方面的举报和反映。"),
        Paragraph("根据巡察工作有关规定，巡察组不受理不属于巡察范围的信访问题，此类问题将按规定转交被巡察"
                  "党组织和有关部门处理。反映问题应当实事求是，提倡实名反映。巡察组将对反映人的信息严格保密。"),
        Paragraph(f"巡察组值班电话和邮政信箱受理时间截至{a.end.month}月{a.end.day}日。"),
    ]
    return OfficialDocument(
        title=a.title or f"{a.team}巡察公告", body=body, signature=a.signature, date=a.date, author=a.signature,
    )
