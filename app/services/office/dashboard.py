"""The office's statistics: the figures the 巡察 reports give, by round, unit kind, category, discipline
and four forms, rectification and overdue, with the year-on-year change ("同比增长 x%"), and their
export to Excel and PDF.

Counts of findings, clues, cases and people disciplined come from app.services.statistics. The
rectification figures are counted here because a 回头看 copies open items (see followup): an
item taken over by a 回头看 is counted once, as its copy.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, extract, func, select
from sqlalchemy.orm import Session

from app.models import (
    Finding,
    Inspection,
    InspectionRound,
    InspectionUnit,
    ReferenceItem,
    Unit,
)
from app.models.enums import UnitKind
from app.reports import FontSet, Heading, OfficialDocument, Paragraph, Table, cn_date, render
from app.services import statistics
from app.services.context import ServiceContext
from app.services.crud import as_uuid
from app.services.errors import ValidationError
from app.services.reference import DISCIPLINE, FOUR_FORM, PROBLEM_CATEGORY

from .followup import DUE_SOON_DAYS

NO_ROUND = "未编入轮次"

# The headline metrics, in the order the reports give them, with their Chinese and unit word.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("inspections", "开展巡察", "次"),
    ("units_inspected", "巡察单位", "个"),
    ("findings", "发现问题", "个"),
    ("clues_handed_over", "移交问题线索", "条"),
    ("cases_filed", "立案", "件"),
    ("people_disciplined", "党纪政务处分", "人"),
    ("rectifications", "整改事项", "项"),
    ("rectified", "完成整改", "项"),
    ("closed_out", "已销号", "项"),
    ("overdue", "逾期未完成", "项"),
)


@dataclass
class RoundFigures:
    name: str
    year: int | None
    inspections: int = 0
    units: int = 0
    findings: int = 0


@dataclass(kw_only=True)
class Figures(statistics.Counts):
    scope: str  # "2026年度", "十二届市委第三轮巡察", "全部"
    on: dt.date
    year: int | None
    due_soon: int = 0
    by_round: list[RoundFigures] = field(default_factory=list)
    units_by_kind: dict[str, int] = field(default_factory=dict)  # kind label → units inspected
    findings_by_unit_kind: dict[str, int] = field(default_factory=dict)  # kind label → findings
    by_category: dict[str, int] = field(default_factory=dict)  # top-level category name → findings
    by_discipline: dict[str, int] = field(default_factory=dict)
    findings_by_four_form: dict[str, int] = field(default_factory=dict)
    people_by_four_form: dict[str, int] = field(default_factory=dict)
    previous: Figures | None = None  # the year before, for 同比

    def value(self, metric: str) -> int:
        return int(getattr(self, metric))

    def change(self, metric: str) -> str:
        """"同比增长 12.5%" as the reports write it; "" when there is no previous year to compare."""
        if self.previous is None:
            return ""
        return yoy_text(self.value(metric), self.previous.value(metric))

    @property
    def headline(self) -> str:
        """One sentence in the reports' style: 巡察13个国有企业、38个政府部门，发现问题10647个，立案1529件…"""
        kinds = "、".join(f"{n}个{'其他单位' if label == UnitKind.OTHER.label else label}"
                         for label, n in self.units_by_kind.items() if n)
        head = f"巡察{kinds}" if kinds else f"巡察{self.units_inspected}个单位"
        text = (f"{self.scope}，共开展巡察{self.inspections}次，{head}，发现问题{self.findings}个，"
                f"移交问题线索{self.clues_handed_over}条，立案{self.cases_filed}件，党纪政务处分{self.people_disciplined}人")
        change = self.change("findings")
        if change:
            text += f"，发现问题数{change}"
        text += (f"；下达整改事项{self.rectifications}项，完成整改{self.rectified}项，整改完成率"
                 f"{self.rectification_rate:.1%}，逾期未完成{self.overdue}项。")
        return text


def yoy_text(current: int, previous: int) -> str:
    if previous == 0:
        return "同比新增" if current else "同比持平"
    change = (current - previous) / previous * 100
    if abs(change) < 0.05:
        return "同比持平"
    return f"同比{'增长' if change > 0 else '下降'}{abs(change):.1f}%"


def compute(ctx: ServiceContext, *, year: int | None = None, round_id: uuid.UUID | str | None = None,
            on: dt.date | None = None, compare: bool = True) -> Figures:
    """The dashboard's figures for a year, a round, or everything; with the previous year for 同比."""
    on = on or dt.date.today()
    rid = as_uuid(round_id) if round_id else None
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError("「年度」应为四位年份。", "year")
    with ctx.db.read() as session:
        round_name = session.scalar(select(InspectionRound.name).where(InspectionRound.id == rid)) if rid else None
        ids = statistics.scope(session, ctx, year=year, round_id=rid)
        # The counts statistics gives (rectification included: the same items, carried ones once;
        # see the module docstring), read in the same passes as the breakdowns added here.
        counted = statistics.tally(session, ids, on, due_within=DUE_SOON_DAYS)
        base = counted.stats
        figures = Figures(scope=round_name or (f"{year}年度" if year else "历年累计"), on=on, year=year,
                          inspections=base.inspections, units_inspected=base.units_inspected,
                          findings=base.findings, clues_handed_over=base.clues_handed_over,
                          cases_filed=base.cases_filed, people_disciplined=base.people_disciplined,
                          rectifications=base.rectifications, rectified=base.rectified,
                          closed_out=base.closed_out, overdue=base.overdue, due_soon=counted.due_soon)
        _name_breakdowns(session, base, figures)
        figures.units_by_kind = _units_by_kind(session, ids)
        figures.findings_by_unit_kind = _findings_by_unit_kind(counted.findings_by_unit_kind, figures.findings)
        figures.by_round = _by_round(session, ids)
    if compare and year is not None and rid is None:
        figures.previous = compute(ctx, year=year - 1, on=dt.date(year - 1, 12, 31) if on.year == year else on,
                                   compare=False)
    return figures


def _name_breakdowns(session: Session, base: statistics.Statistics, figures: Figures) -> None:
    """statistics' counts by code, as the reports give them: by name, in the reference lists' order."""
    kinds = [PROBLEM_CATEGORY, DISCIPLINE, FOUR_FORM]
    items = session.execute(select(ReferenceItem.kind, ReferenceItem.code, ReferenceItem.name, ReferenceItem.sort_order)
                            .where(ReferenceItem.kind.in_(kinds))).all()
    names = {(kind, code): name for kind, code, name, _n in items}
    order = {(kind, code): n for kind, code, _name, n in items}

    def named(kind: str, counts: dict[str, int]) -> dict[str, int]:
        ordered = sorted(counts.items(), key=lambda kv: (order.get((kind, kv[0]), 10_000), kv[0]))
        return {names.get((kind, code), code): n for code, n in ordered}

    figures.by_category = named(PROBLEM_CATEGORY, base.findings_by_category)
    figures.by_discipline = named(DISCIPLINE, base.findings_by_discipline)
    figures.findings_by_four_form = named(FOUR_FORM, base.findings_by_four_form)
    figures.people_by_four_form = named(FOUR_FORM, base.people_by_four_form)


_KIND_ORDER = {k.value: n for n, k in enumerate(UnitKind)}


def _units_by_kind(session: Session, ids: Any) -> dict[str, int]:
    """Units inspected by the kind of unit (kind label → count), in UnitKind's order."""
    unit_kinds = session.execute(
        select(Unit.kind, func.count(func.distinct(Unit.id))).join(InspectionUnit, InspectionUnit.unit_id == Unit.id)
        .where(InspectionUnit.inspection_id.in_(ids), InspectionUnit.deleted_at.is_(None)).group_by(Unit.kind)
    ).all()
    return {UnitKind.label_of(k): n for k, n in sorted(unit_kinds, key=lambda r: _KIND_ORDER.get(r[0], 99))}


def _findings_by_unit_kind(counts: dict[str | None, int], findings: int) -> dict[str, int]:
    """statistics' findings by unit kind (kind label → count), in UnitKind's order; those without a
    unit last, as 未指明单位."""
    placed = [(kind, n) for kind, n in counts.items() if kind is not None and n]
    by_kind = {UnitKind.label_of(k): n for k, n in sorted(placed, key=lambda r: _KIND_ORDER.get(r[0], 99))}
    unplaced = findings - sum(by_kind.values())
    if unplaced:
        by_kind["未指明单位"] = unplaced
    return by_kind


def _by_round(session: Session, ids: Any) -> list[RoundFigures]:
    """Inspections, units and findings per round, in the order the rounds took place."""
    scoped = session.execute(
        select(Inspection.id, Inspection.round_id, InspectionRound.name, InspectionRound.year,
               InspectionRound.ordinal, InspectionRound.start_date)
        .outerjoin(InspectionRound, InspectionRound.id == Inspection.round_id)
        .where(Inspection.id.in_(ids))
    ).all()
    findings_per = dict(session.execute(
        select(Finding.inspection_id, func.count()).where(
            and_(Finding.inspection_id.in_(ids), Finding.deleted_at.is_(None))).group_by(Finding.inspection_id)
    ).all())
    units_per = session.execute(
        select(InspectionUnit.inspection_id, InspectionUnit.unit_id).where(
            InspectionUnit.inspection_id.in_(ids), InspectionUnit.deleted_at.is_(None))).all()
    rounds: dict[Any, RoundFigures] = {}
    sort_keys: dict[Any, tuple[Any, ...]] = {}
    round_units: dict[Any, set[Any]] = {}
    round_of = {}
    for insp_id, round_key, name, ryear, ordinal, start in scoped:
        rf = rounds.setdefault(round_key, RoundFigures(name or NO_ROUND, ryear))
        sort_keys[round_key] = (round_key is None, ryear or 0, ordinal or 0, start or dt.date.min, name or "")
        rf.inspections += 1
        rf.findings += findings_per.get(insp_id, 0)
        round_of[insp_id] = round_key
    for insp_id, unit_id in units_per:
        round_units.setdefault(round_of.get(insp_id), set()).add(unit_id)
    for key, rf in rounds.items():
        rf.units = len(round_units.get(key, ()))
    return [rounds[k] for k in sorted(rounds, key=lambda k: sort_keys[k])]


def available_years(ctx: ServiceContext) -> list[int]:
    with ctx.db.read() as session:
        years = set(session.scalars(select(InspectionRound.year).where(InspectionRound.deleted_at.is_(None))))
        years |= {int(y) for y in session.scalars(select(extract("year", Inspection.start_date)).where(
            Inspection.deleted_at.is_(None), Inspection.start_date.is_not(None))) if y is not None}
    return sorted(years, reverse=True)


def rounds_of(ctx: ServiceContext, year: int | None = None) -> list[tuple[uuid.UUID, str]]:
    stmt = select(InspectionRound.id, InspectionRound.name).where(InspectionRound.deleted_at.is_(None))
    if year is not None:
        stmt = stmt.where(InspectionRound.year == year)
    with ctx.db.read() as session:
        return [(r.id, r.name) for r in session.execute(
            stmt.order_by(InspectionRound.year.desc(), InspectionRound.ordinal.desc()))]


# --- export ---------------------------------------------------------------------------------------
def _breakdowns(f: Figures) -> list[tuple[str, list[str], list[list[Any]]]]:
    total = f.findings or 1
    rows = [
        ("按巡察轮次", ["巡察轮次", "巡察次数", "巡察单位（个）", "发现问题（个）"],
         [[r.name, r.inspections, r.units, r.findings] for r in f.by_round]),
        ("按单位类别", ["单位类别", "巡察单位（个）", "发现问题（个）"],
         [[k, f.units_by_kind.get(k, 0), f.findings_by_unit_kind.get(k, 0)]
          for k in dict.fromkeys([*f.units_by_kind, *f.findings_by_unit_kind])]),
        ("按问题类别", ["问题类别", "问题数（个）", "占比"],
         [[k, n, f"{n / total:.1%}"] for k, n in f.by_category.items()]),
        ("按违反纪律", ["违反纪律", "问题数（个）", "占比"],
         [[k, n, f"{n / total:.1%}"] for k, n in f.by_discipline.items()]),
        ("四种形态", ["形态", "处置人数（人）", "涉及问题（个）"],
         [[k, f.people_by_four_form.get(k, 0), f.findings_by_four_form.get(k, 0)]
          for k in dict.fromkeys([*f.people_by_four_form, *f.findings_by_four_form])]),
    ]
    return rows


def _metric_rows(f: Figures) -> list[list[Any]]:
    rows = []
    for key, label, unit in METRICS:
        prev = f.previous.value(key) if f.previous else ""
        rows.append([f"{label}（{unit}）", f.value(key), prev, f.change(key)])
    rows.append(["整改完成率", f"{f.rectification_rate:.1%}",
                 f"{f.previous.rectification_rate:.1%}" if f.previous else "", ""])
    return rows


def export_excel(figures: Figures, out: str | Path | io.BytesIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from app.reports.spreadsheet import put

    wb = Workbook()
    sheet = wb.active
    sheet.title = "总体情况"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")

    def table(ws: Any, start: int, header: list[str], rows: list[list[Any]]) -> int:
        for c, text in enumerate(header, 1):
            cell = put(ws, start, c, text)
            cell.font, cell.fill = bold, fill
        # Names of categories and units are users' text: written as data, never as formulas.
        for r, row in enumerate(rows, start + 1):
            for c, value in enumerate(row, 1):
                put(ws, r, c, value)
        for c in range(1, len(header) + 1):
            width = max(len(str(header[c - 1])), *(len(str(row[c - 1])) for row in rows)) if rows else len(header[c - 1])
            ws.column_dimensions[get_column_letter(c)].width = max(ws.column_dimensions[get_column_letter(c)].width or 0,
                                                                   min(60, width * 2 + 2))
        return start + len(rows) + 2

    put(sheet, 1, 1, f"巡察工作统计（{figures.scope}，截至{cn_date(figures.on)}）").font = Font(bold=True, size=14)
    put(sheet, 2, 1, figures.headline)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells("A2:D2")
    sheet.row_dimensions[2].height = 75
    previous = f"上年（{figures.year - 1}年）" if figures.previous and figures.year else "上年"
    table(sheet, 4, ["指标", "本期", previous, "同比"], _metric_rows(figures))
    for title, header, rows in _breakdowns(figures):
        ws = wb.create_sheet(title)
        table(ws, 1, header, rows)
    wb.save(out)


def export_pdf(figures: Figures, out: str | Path | io.BytesIO, *, office: str = "巡察办",
               fonts: FontSet | None = None, watermark: str | None = None) -> int:
    """The figures as a plain GB/T 9704 document (no 版头: an internal statistical report); returns pages."""
    body: list[Any] = [Paragraph(figures.headline)]
    body.append(Heading(1, "主要指标"))
    body.append(Table(header=[["指标", "本期", "上年", "同比"]],
                      rows=[[str(v) for v in row] for row in _metric_rows(figures)], col_widths=[3, 1.4, 1.4, 2],
                      align=["left", "center", "center", "center"]))
    for title, header, rows in _breakdowns(figures):
        if not rows:
            continue
        body.append(Heading(1, title))
        widths = [3] + [1.4] * (len(header) - 1)
        body.append(Table(header=[header], rows=[[str(v) for v in row] for row in rows], col_widths=widths,
                          align=["left"] + ["center"] * (len(header) - 1)))
    doc = OfficialDocument(title=f"巡察工作统计分析（{figures.scope}）", body=body, signature=office,
                           date=figures.on, sealed=False, author=office)
    return render(doc, out, fonts=fonts, watermark=watermark).page_count

