"""问题底稿: one finding's working paper — facts, characterisation, responsibility, evidence — with the
三审 block (承办人 → 副组长审核 → 组长审签) the team signs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Blank, Block, Heading, OfficialDocument, Table, cn_date


@dataclass(frozen=True)
class ReviewStep:
    role: str  # 承办人 / 副组长审核 / 组长审签
    name: str = ""
    opinion: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class WorkingPaper:
    team: str
    unit: str
    number: str  # 问题编号
    title: str
    category: str
    discipline: str
    facts: str
    characterisation: str
    responsibility: str
    evidence: list[str]
    reviews: list[ReviewStep]
    found_on: dt.date | None = None
    source: str = ""
    disposition: str = ""
    secrecy: str | None = None
    people: list[str] = field(default_factory=list)


def build(w: WorkingPaper) -> OfficialDocument:
    info = [
        ["被巡察单位", w.unit, "问题编号", w.number],
        ["问题类别", w.category, "涉及纪律", w.discipline],
        ["发现日期", cn_date(w.found_on) if w.found_on else "", "问题来源", w.source],
    ]
    body: list[Block] = [
        Table([], info, col_widths=[1.6, 3.0, 1.6, 2.4], align=["center", "left", "center", "left"], font_size=12.0),
        Blank(1),
        Table([], [["问题概括", w.title], ["问题事实", w.facts], ["定性依据", w.characterisation or ""],
                   ["责任认定", w.responsibility or ""], ["处置建议", w.disposition]],
              col_widths=[1.6, 7.0], align=["center", "left"], font_size=12.0),
        Blank(1),
        Heading(1, "证据材料清单", numbered=False),  # a heading stays with the table below it
        Table([["序号", "证据材料"]], [[str(i), e] for i, e in enumerate(w.evidence, 1)] or [["", "（无）"]],
              col_widths=[1, 7.6], align=["center", "left"], font_size=12.0),
        Blank(1),
        Heading(1, "审核签批", numbered=False),
        Table([["环节", "意见", "签名", "日期"]],
              [[s.role, s.opinion, s.name, cn_date(s.date) if s.date else "　　年　　月　　日"] for s in w.reviews],
              col_widths=[1.6, 3.8, 1.6, 2.4], align=["center", "left", "center", "center"], font_size=12.0),
    ]
    return OfficialDocument(
        title=f"{w.team}问题底稿" if w.team else "问题底稿", body=body, secrecy=w.secrecy, author=w.team,
        keep_together=[w.unit, w.team, *w.people],
    )
