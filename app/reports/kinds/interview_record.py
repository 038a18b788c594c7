"""谈话笔录: the record of one talk, for the interviewee to read and sign on every page.

Not a 公文: no 版头 or 文号. Every page carries "第 x 页 共 y 页" and the interviewee's signature line;
the record ends with the statement the interviewee signs under.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Blank, Block, OfficialDocument, Paragraph, Table

CLOSING = "以上笔录我已看过，与我所说的一致。"


@dataclass(frozen=True)
class InterviewRecord:
    start: dt.datetime
    end: dt.datetime | None
    place: str
    interviewers: list[str]
    recorder: str
    interviewee: str
    post: str  # 单位职务
    transcript: str  # "问：…\n答：…" lines
    kind: str = "个别谈话"
    team: str = ""
    secrecy: str | None = None


def _when(a: dt.datetime, b: dt.datetime | None) -> str:
    text = f"{a.year}年{a.month}月{a.day}日{a.hour}时{a.minute:02d}分"
    if b is not None:
        same_day = b.date() == a.date()
        text += "至" + ("" if same_day else f"{b.year}年{b.month}月{b.day}日") + f"{b.hour}时{b.minute:02d}分"
    return text


def _qa_paragraphs(transcript: str) -> list[Block]:
    out: list[Block] = []
    for raw in transcript.splitlines():
        line = raw.strip()
        if not line:
            continue
        for lead, full in (("问:", "问："), ("答:", "答："), ("问：", "问："), ("答：", "答：")):
            if line.startswith(lead):
                line = full + line[len(lead):].lstrip()
                break
        out.append(Paragraph(line, indent=not line.startswith(("问：", "答："))))
    return out or [Paragraph("（无谈话内容）", indent=False)]


def build(r: InterviewRecord) -> OfficialDocument:
    header = [
        ["谈话时间", _when(r.start, r.end)],
        ["谈话地点", r.place or ""],
        ["谈话人", "、".join(r.interviewers)],
        ["记录人", r.recorder],
        ["谈话对象", r.interviewee],
        ["单位职务", r.post],
    ]
    body: list[Block] = [
        Table([], header, col_widths=[1.2, 4.8], align=["center", "left"], font_size=14.0),
        Blank(1),
        *_qa_paragraphs(r.transcript),
        Blank(1),
        Paragraph(CLOSING),
        Paragraph("谈话对象（签名）：　　　　　　　　　　", indent=False, align="right"),
        Paragraph("年　　月　　日", indent=False, align="right"),
    ]
    return OfficialDocument(
        title="谈话笔录", body=body, footer="record", record_sign="谈话对象签名：", secrecy=r.secrecy,
        author=r.team, keep_together=[r.interviewee, *r.interviewers],
    )
