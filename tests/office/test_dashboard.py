"""The statistics the office reports, against counts made here from the rows, on demo data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select

from app.models import (
    Clue,
    ClueOutcome,
    Finding,
    Inspection,
    InspectionRound,
    InspectionUnit,
    Rectification,
    ReferenceItem,
    Unit,
)
from app.models.enums import UnitKind
from app.services.demo import BASE_DATE, generate_demo
from app.services.office import dashboard
from app.services.office.followup import DUE_SOON_DAYS


@pytest.fixture
def demo_ctx(ctx):
    generate_demo(ctx.db, seed=3, units=24, findings=900, interviews=120)
    return ctx


def counted(ctx, year, on):
    with ctx.db.read() as session:
        rows = session.execute(select(Inspection, InspectionRound).outerjoin(
            InspectionRound, InspectionRound.id == Inspection.round_id)).all()
        ids = {i.id for i, r in rows if i.deleted_at is None and (r.year if r else i.start_date.year) == year}
        findings = [f for f in session.scalars(select(Finding)) if f.inspection_id in ids and f.deleted_at is None]
        units = {iu.unit_id for iu in session.scalars(select(InspectionUnit)) if iu.inspection_id in ids and iu.deleted_at is None}
        kinds = {u.id: u.kind for u in session.scalars(select(Unit))}
        clues = [c for c in session.scalars(select(Clue)) if c.inspection_id in ids and c.deleted_at is None]
        clue_ids = {c.id for c in clues}
        outcomes = [o for o in session.scalars(select(ClueOutcome)) if o.clue_id in clue_ids and o.deleted_at is None]
        all_rects = [r for r in session.scalars(select(Rectification)) if r.deleted_at is None]
        taken = {r.carried_from_id for r in all_rects if r.carried_from_id}
        rects = [r for r in all_rects if r.inspection_id in ids and r.id not in taken]
        refs = {(r.kind, r.code): r for r in session.scalars(select(ReferenceItem))}

    def top(code):
        item = refs[("problem_category", code)]
        return refs[("problem_category", item.parent_code)].name if item.parent_code else item.name

    people = Counter()
    for o in outcomes:
        if o.four_form:
            people[refs[("four_form", o.four_form)].name] += o.people_count
    return {
        "inspections": len(ids), "units_inspected": len(units), "findings": len(findings),
        "clues_handed_over": sum(c.status in ("handed_over", "concluded") for c in clues),
        "cases_filed": sum(o.kind == "case_filed" for o in outcomes),
        "people_disciplined": sum(o.people_count for o in outcomes if o.kind == "disciplined"),
        "rectifications": len(rects),
        "rectified": sum(r.status in ("completed", "closed") for r in rects),
        "closed_out": sum(r.status == "closed" for r in rects),
        "overdue": sum(r.status in ("pending", "in_progress") and r.deadline < on for r in rects),
        "due_soon": sum(r.status in ("pending", "in_progress") and on <= r.deadline <= on + dt.timedelta(days=DUE_SOON_DAYS)
                        for r in rects),
        "by_category": dict(Counter(top(f.category_code) for f in findings if f.category_code)),
        "by_discipline": dict(Counter(refs[("discipline", f.discipline_code)].name for f in findings if f.discipline_code)),
        "people_by_four_form": dict(people),
        "units_by_kind": dict(Counter(UnitKind.label_of(kinds[u]) for u in units)),
        "findings_by_unit_kind": dict(Counter(UnitKind.label_of(kinds[f.unit_id]) for f in findings if f.unit_id)),
        "by_round_findings": sum(1 for f in findings),
    }


@pytest.mark.parametrize("year", [BASE_DATE.year, BASE_DATE.year - 1])
def test_dashboard_figures_equal_independent_counts(demo_ctx, year):
    on = BASE_DATE
    figures = dashboard.compute(demo_ctx, year=year, on=on)
    expected = counted(demo_ctx, year, on)
    # Demo data, not an empty comparison.
    assert expected["findings"] > 100 and expected["rectifications"] > 10 and expected["due_soon"] > 0
    for key in ("inspections", "units_inspected", "findings", "clues_handed_over", "cases_filed", "people_disciplined",
                "rectifications", "rectified", "closed_out", "overdue", "due_soon"):
        assert figures.value(key) == expected[key], key
    for key in ("by_category", "by_discipline", "people_by_four_form", "units_by_kind", "findings_by_unit_kind"):
        assert getattr(figures, key) == expected[key], key
    assert sum(r.findings for r in figures.by_round) == expected["findings"]
    assert sum(r.inspections for r in figures.by_round) == expected["inspections"]


def test_year_on_year_change_as_the_reports_write_it(demo_ctx):
    figures = dashboard.compute(demo_ctx, year=BASE_DATE.year, on=BASE_DATE)
    previous = dashboard.compute(demo_ctx, year=BASE_DATE.year - 1, on=dt.date(BASE_DATE.year - 1, 12, 31), compare=False)
    assert figures.previous is not None and figures.previous.findings == previous.findings
    assert figures.change("findings") == dashboard.yoy_text(figures.findings, previous.findings)
    assert f"共开展巡察{figures.inspections}次" in figures.headline
    assert figures.change("findings") in figures.headline


def test_yoy_text():
    assert dashboard.yoy_text(1100, 1000) == "同比增长10.0%"
    assert dashboard.yoy_text(850, 1000) == "同比下降15.0%"
    assert dashboard.yoy_text(1000, 1000) == "同比持平"
    assert dashboard.yoy_text(5, 0) == "同比新增"
    assert dashboard.yoy_text(0, 0) == "同比持平"
    assert dashboard.yoy_text(10647, 9000) == "同比增长18.3%"


def test_export_to_excel_and_pdf(demo_ctx, tmp_path):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    figures = dashboard.compute(demo_ctx, year=BASE_DATE.year, on=BASE_DATE)
    dashboard.export_excel(figures, tmp_path / "stats.xlsx")
    wb = load_workbook(tmp_path / "stats.xlsx")
    assert wb.sheetnames == ["总体情况", "按巡察轮次", "按单位类别", "按问题类别", "按违反纪律", "四种形态"]
    rows = {r[0]: r for r in wb["总体情况"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["发现问题（个）"][1] == figures.findings
    assert rows["发现问题（个）"][3] == figures.change("findings")
    pages = dashboard.export_pdf(figures, tmp_path / "stats.pdf")
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "stats.pdf").pages)
    assert pages >= 1 and "巡察工作统计分析" in text.replace("\n", "")
    assert str(figures.findings) in text
