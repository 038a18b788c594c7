"""问题台账: every finding of an inspection with its rectification status, as a landscape table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Column, RegisterTable, cn_date

# Widths for rows of about two lines at 小五: a register is read a page at a time, twelve problems
# or more to a page (the description is a summary; the working paper holds the facts).
COLUMNS = [
    Column("序号", 0.5, "center"),
    Column("问题编号", 0.95, "center"),
    Column("问题类别", 2.2, "left"),
    Column("问题描述", 5.2, "left"),
    Column("责任单位（人）", 1.6, "left"),
    Column("整改措施", 3.8, "left"),
    Column("整改时限", 1.35, "center"),
    Column("整改状态", 0.9, "center"),
    Column("备注", 1.45, "left"),
]
FONT_SIZE = 9.0  # 小五


@dataclass(frozen=True)
class RegisterEntry:
    number: str
    category: str
    description: str
    responsible: str = ""
    measures: str = ""
    deadline: dt.date | None = None
    status: str = "整改中"  # 未整改 / 整改中 / 已完成 / 已销号
    remarks: str = ""


@dataclass(frozen=True)
class FindingRegister:
    unit: str
    team: str
    as_of: dt.date
    entries: list[RegisterEntry]
    title: str | None = None
    note: str | None = None


def build(r: FindingRegister) -> RegisterTable:
    rows = [[str(i), e.number, e.category, e.description, e.responsible, e.measures,
             cn_date(e.deadline) if e.deadline else "", e.status, e.remarks] for i, e in enumerate(r.entries, 1)]
    done = sum(1 for e in r.entries if e.status in ("已完成", "已销号"))
    subtitle = (f"被巡察单位：{r.unit}　　巡察组：{r.team}　　统计截至：{cn_date(r.as_of)}　　"
                f"问题总数：{len(r.entries)}个，已完成{done}个")
    return RegisterTable(title=r.title or f"{r.unit}巡察反馈问题整改台账", columns=COLUMNS, rows=rows,
                         subtitle=subtitle, note=r.note, author=r.team, font_size=FONT_SIZE)
