"""The exported 整改台账 as an office opens it: three sheets laid out for A4 landscape, hidden keys,
locked and unlocked cells, validation, one workbook per unit; and who may export it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from app.models.enums import UserRole
from app.services.context import Actor
from app.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from app.services.office import rectification_ledger as ledger

from .conftest import task_rows


@pytest.fixture
def exported(lw, tmp_path):
    path = tmp_path / "财政局.xlsx"
    result = ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, path)
    return path, result


def test_the_three_lists_are_laid_out_for_printing(lw, exported):
    path, result = exported
    assert (result.problems, result.tasks) == (2, 3)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["问题清单", "任务清单", "责任清单", "校验信息"]
    assert wb["校验信息"].sheet_state == "veryHidden" and wb.active.title == "任务清单"
    assert wb.security.lockStructure
    for ws in (wb["问题清单"], wb["任务清单"], wb["责任清单"]):
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows == "$3:$4"
        assert ws.protection.sheet and ws.protection.password
        assert ws["A1"].font.name == "黑体" and ws["A1"].font.size == 18
        assert ws["A3"].font.name == "黑体" and ws["A5"].font.name == "仿宋"
        assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)  # the title spans the table
    tasks = wb["任务清单"]
    assert tasks["A1"].value == "市财政局巡察反馈问题整改任务清单"
    assert "市委第二巡察组巡察市财政局、市审计局党组" in tasks["A2"].value
    merged = {str(r) for r in tasks.merged_cells.ranges}
    # Group headers over their columns; ungrouped headers span both header rows.
    assert {"A1:J1", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:J3"} <= merged
    assert [tasks.cell(row=4, column=c).value for c in range(4, 12)] == [
        "整改措施", "整改时限", "完成标准", "整改进展", "完成情况", "完成时间", "佐证材料目录", "校验编号"]
    assert tasks.print_area == "'任务清单'!$A$1:$J$7"
    assert tasks.column_dimensions["K"].hidden  # the key column, outside the print area
    assert tasks.column_dimensions["D"].width == 30
    assert tasks.freeze_panes == "A5"


def test_rows_carry_their_key_and_only_what_the_unit_fills_in_is_unlocked(lw, exported):
    path, _ = exported
    wb = openpyxl.load_workbook(path)
    tasks = wb["任务清单"]
    rows = task_rows(path)
    assert set(rows) == {str(lw.refund.id), str(lw.rules.id), str(lw.reception.id)}
    r = rows[str(lw.refund.id)]
    values = [tasks.cell(row=r, column=c).value for c in range(1, 11)]
    assert values[1:7] == [1, "违规发放津贴补贴", "清退违规发放的津贴补贴", dt.datetime.combine(lw.refund.deadline, dt.time()),
                           "违规款项全部清退到位", None]
    assert values[7] == "待整改"
    unlocked = [tasks.cell(row=4, column=c).value for c in range(1, 11) if not tasks.cell(row=r, column=c).protection.locked]
    assert unlocked == ["整改进展", "完成情况", "完成时间", "佐证材料目录"]
    assert tasks.cell(row=r, column=9).number_format == 'yyyy"年"m"月"d"日"'
    # Every cell of the other two lists is locked.
    for name in ("问题清单", "责任清单"):
        ws = wb[name]
        assert all(cell.protection.locked for row in ws.iter_rows(min_row=5) for cell in row)
    duties = wb["责任清单"]
    duty = next(row for row in duties.iter_rows(min_row=5, values_only=True) if row[-1] == str(lw.refund.id))
    assert duty[4:8] == ("张建国", "财务科", "王志强", dt.datetime.combine(lw.refund.deadline, dt.time()))
    problems = list(wb["问题清单"].iter_rows(min_row=5, values_only=True))
    assert [(p[1], p[3], p[5]) for p in problems] == [(1, "违规发放津贴补贴", 2), (2, "公务接待超标准", 1)]
    assert problems[0][4] == "违规发放津贴补贴，涉及金额约3.2万元。" and problems[0][-1] == str(lw.refund.finding_id)


def test_status_and_date_columns_are_validated(lw, exported):
    path, _ = exported
    tasks = openpyxl.load_workbook(path)["任务清单"]
    rows = task_rows(path)
    by_type = {v.type: v for v in tasks.data_validations.dataValidation}
    assert by_type["list"].formula1 == '"待整改,整改中,已完成"' and by_type["list"].showErrorMessage
    assert by_type["date"].operator == "between" and by_type["date"].showErrorMessage
    assert {f"H{r}" for r in rows.values()} == {str(c) for c in by_type["list"].sqref.ranges}
    assert {f"I{r}" for r in rows.values()} == {str(c) for c in by_type["date"].sqref.ranges}


def test_completed_and_closed_items_are_locked_where_the_unit_may_no_longer_change_them(lw, tmp_path):
    lw.rect.complete(lw.refund.id, evidence="银行回单")
    lw.rect.complete(lw.rules.id, evidence="新办法文本")
    lw.rect.close_out(lw.rules.id)
    path = tmp_path / "l.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, path)
    tasks = openpyxl.load_workbook(path)["任务清单"]
    rows = task_rows(path)

    def unlocked(item):
        r = rows[str(item.id)]
        return [tasks.cell(row=4, column=c).value for c in range(1, 11) if not tasks.cell(row=r, column=c).protection.locked]

    assert unlocked(lw.refund) == ["整改进展", "佐证材料目录"]
    assert tasks.cell(row=rows[str(lw.refund.id)], column=8).value == "已完成待销号"
    assert unlocked(lw.rules) == []
    assert tasks.cell(row=rows[str(lw.rules.id)], column=8).value == "已销号"


def test_one_workbook_per_unit_into_a_folder(lw, tmp_path):
    written = ledger.export_all(lw.ctx, lw.inspection.id, tmp_path / "台账", on=dt.date(2026, 12, 1))
    assert sorted(p.path.name for p in written) == ["整改台账_市审计局_20261201.xlsx", "整改台账_市财政局_20261201.xlsx"]
    audit = next(p for p in written if p.unit_name == "市审计局")
    assert audit.tasks == 1 and set(task_rows(audit.path)) == {str(lw.audit_item.id)}
    assert not list((tmp_path / "台账").glob("*.part"))


def test_refusals(lw, tmp_path):
    with pytest.raises(ValidationError, match=".xlsx"):
        ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, tmp_path / "l.csv")
    from app.services.units import UnitService

    idle = UnitService(lw.ctx).create(name="市统计局", kind="gov_dept")
    with pytest.raises(ValidationError, match="没有整改事项"):
        ledger.export_unit(lw.ctx, lw.inspection.id, idle.id, tmp_path / "l.xlsx")
    with pytest.raises(ValidationError, match="文件夹不存在"):
        ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, tmp_path / "missing" / "l.xlsx")
    assert ledger.find_unit(lw.ctx, lw.inspection.id, "财政局").unit_id == lw.finance.id
    with pytest.raises(NotFoundError, match="市审计局、市财政局"):
        ledger.find_unit(lw.ctx, lw.inspection.id, "市统计局")


def test_only_the_office_or_the_inspections_leaders_export(lw, tmp_path):
    from actors import team_actor

    # The leaders of the two inspections' teams (the fixture's 三审 put them there).
    leader = team_actor(lw.ctx, lw.inspection.id, "leader").actor.inspector_id
    outsider = team_actor(lw.ctx, lw.other.id, "leader").actor.inspector_id
    path = tmp_path / "l.xlsx"

    def as_(role, inspector):
        return lw.ctx.as_actor(Actor(user_id=None, name="测试", role=role, inspector_id=inspector))

    with pytest.raises(PermissionDeniedError, match="副组长、组长、管理员"):
        ledger.export_unit(as_(UserRole.MEMBER, leader), lw.inspection.id, lw.finance.id, path)
    with pytest.raises(PermissionDeniedError, match="不在该巡察的巡察组中"):
        ledger.export_unit(as_(UserRole.LEADER, outsider), lw.inspection.id, lw.finance.id, path)
    assert not path.exists()
    ledger.export_unit(as_(UserRole.LEADER, leader), lw.inspection.id, lw.finance.id, path)
    assert path.exists()
