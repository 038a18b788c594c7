"""Every spreadsheet export writes users' text as text (OWASP formula injection), and the register's
export carries the rectification columns offices asked for."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from app.reports import spreadsheet
from app.services import register
from app.services.office import dashboard, unit_excel
from app.services.register import RegisterFilter

HYPERLINK = '=HYPERLINK("http://x","y")'
TRIGGERS = [HYPERLINK, "+1+2", "-3+4", "@SUM(1,2)", "\t=1+1", "\r=1+1"]


def formula_cells(path) -> list[str]:
    """Every cell of the workbook stored as a formula (an <f> element), as sheet!cell."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                xml = archive.read(name).decode("utf-8")
                found += [f"{name}!{m}" for m in re.findall(r'<c r="([A-Z]+\d+)"[^>]*>(?:(?!</c>).)*<f[ >]', xml)]
    return found


@pytest.mark.parametrize("text", TRIGGERS)
def test_formula_looking_text_becomes_a_quoted_text_cell(text, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    cell = spreadsheet.put(ws, 1, 1, text)
    spreadsheet.append_row(ws, ["普通文字", text, 3, dt.date(2026, 11, 30)])
    wb.save(tmp_path / "t.xlsx")
    assert cell.data_type == "s" and cell.quotePrefix
    assert formula_cells(tmp_path / "t.xlsx") == []
    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    # XML reads a bare carriage return back as a line feed; openpyxl 3.1 writes it escaped (_x000D_) and
    # reads it back as it was. Either way the text is shown, never computed.
    shown = (text, text.replace("\r", "\n"))
    assert back["A1"].value in shown and back["B2"].value in shown
    assert back["A2"].value == "普通文字" and back["C2"].value == 3 and not back["A2"].quotePrefix


def test_the_check_sees_a_real_formula(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["B3"] = "=1+1"  # what openpyxl does with such text when nobody guards it
    wb.save(tmp_path / "f.xlsx")
    assert formula_cells(tmp_path / "f.xlsx") == ["xl/worksheets/sheet1.xml!B3"]


def test_ordinary_values_are_left_alone_and_text_a_cell_cannot_hold_is_made_to_fit():
    assert not spreadsheet.is_formula_like("问题=不是公式") and not spreadsheet.is_formula_like(-5)
    assert spreadsheet.cell_value("退款\x0b凭证\x01") == "退款凭证"
    long = spreadsheet.cell_value("字" * 40_000)
    assert len(long) == spreadsheet.MAX_CELL_CHARS and long.endswith(spreadsheet.CUT_MARKER)


@pytest.fixture
def risky_register(world):
    from app.services.rectifications import RectificationService

    w = world
    w.link = w.finding(title=HYPERLINK, facts="+86 电话举报：" + "公车私用。" * 2000)
    w.bare = w.finding()  # 违规使用公务用车, not sent for rectification
    w.plain = w.finding(title="违规发放津贴补贴", facts="2025年发放“值班补助”12.6万元。")
    rect = RectificationService(w.ctx)
    w.first = rect.create(finding_id=w.plain.id, measures="清退违规发放的补助", responsible_person="王志强",
                          deadline=dt.date.today() + dt.timedelta(days=30), progress="已清退8人")
    w.second = rect.create(finding_id=w.plain.id, measures="@修订补助发放办法", responsible_person="李红梅",
                           deadline=dt.date.today() + dt.timedelta(days=60))
    rect.create(finding_id=w.link.id, measures="-", responsible_person="张建国", deadline=dt.date.today())
    return w


def test_register_export_keeps_a_hyperlink_title_as_plain_text(risky_register, tmp_path):
    w = risky_register
    ids = register.matching_ids(w.ctx, RegisterFilter(inspection_id=w.inspection.id))
    path = tmp_path / "问题台账.xlsx"
    register.export_xlsx(w.ctx, ids, path)
    assert formula_cells(path) == []
    sheet = openpyxl.load_workbook(path).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert HYPERLINK in titles


def test_register_export_has_the_rectification_columns(risky_register, tmp_path):
    from app.services.rectifications import RectificationService

    w = risky_register
    RectificationService(w.ctx).complete(w.first.id, evidence="银行回单")
    RectificationService(w.ctx).close_out(w.first.id)
    ids = register.matching_ids(w.ctx, RegisterFilter(inspection_id=w.inspection.id))
    path = tmp_path / "问题台账.xlsx"
    register.export_xlsx(w.ctx, ids, path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-6:] == ["问题现象", "整改措施", "整改时限", "责任人", "整改进展", "销号情况"]
    by_title = {r[header.index("问题标题")]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    plain = by_title["违规发放津贴补贴"]
    assert plain["问题现象"] == "2025年发放“值班补助”12.6万元。"
    assert plain["整改措施"] == "1. 清退违规发放的补助\n2. @修订补助发放办法"
    assert plain["责任人"] == "王志强、李红梅"
    assert plain["整改进展"] == "已清退8人"
    assert plain["销号情况"] == "已销号1项，共2项"
    deadlines = sorted([w.first.deadline, w.second.deadline])
    assert plain["整改时限"] == "；".join(d.isoformat() for d in deadlines)
    link = by_title[HYPERLINK]
    # The full 问题现象 (10,000+ characters), a single deadline as a date cell, text "-" kept as text.
    assert link["问题现象"].startswith("+86 电话举报") and len(link["问题现象"]) > 10_000
    assert link["整改时限"] == dt.datetime.combine(dt.date.today(), dt.time())
    assert link["整改措施"] == "-" and link["销号情况"] == "未销号"
    assert by_title["违规使用公务用车"]["销号情况"] is None  # no rectification item at all
    assert formula_cells(path) == []


def test_unit_directory_export_writes_formula_looking_text_as_text_and_reads_it_back(ctx, tmp_path):
    from app.services.units import UnitService

    UnitService(ctx).create(name="@市城投集团", kind="soe", address="-城东路1号", notes=HYPERLINK)
    path = tmp_path / "单位名录.xlsx"
    unit_excel.export_units(ctx, path)
    assert formula_cells(path) == []
    row = list(openpyxl.load_workbook(path).active.iter_rows(min_row=2, values_only=True))[0]
    assert (row[0], row[5], row[6]) == ("@市城投集团", "-城东路1号", HYPERLINK)
    report = unit_excel.import_units(ctx, path)  # the exported sheet imports as it is: nothing changes
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_statistics_export_writes_a_users_category_name_as_text(tmp_path):
    figures = dashboard.Figures(scope="2026年度", on=dt.date(2026, 11, 30), year=2026, findings=3,
                                by_category={HYPERLINK: 2, "+自定义类别": 1})
    path = tmp_path / "统计.xlsx"
    dashboard.export_excel(figures, path)
    assert formula_cells(path) == []
    names = [r[0] for r in openpyxl.load_workbook(path)["按问题类别"].iter_rows(min_row=2, values_only=True)]
    assert names == [HYPERLINK, "+自定义类别"]
