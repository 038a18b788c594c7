"""The unit directory to and from Excel: all or nothing, every bad row named."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from app.services.errors import PermissionDeniedError, ValidationError
from app.services.office import unit_excel
from app.services.units import UnitService


def sheet(rows, header=("单位名称", "单位类别", "简称", "上级单位", "单位代码", "地址", "备注")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def names(ctx):
    return {u.name: u for u in UnitService(ctx).list()}


def test_import_creates_children_before_parents_whatever_the_order(ctx):
    data = sheet([
        ("青石村村民委员会", "行政村（社区）", "青石村", "青石镇人民政府", None, None, None),
        ("青石镇人民政府", "乡镇", "青石镇", None, 1234567890, "青石镇人民路1号", None),
        ("市林业局", "gov_dept", None, None, None, None, "新设"),
        (None, None, None, None, None, None, None),  # blank rows are skipped
    ])
    report = unit_excel.import_units(ctx, data)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    units = names(ctx)
    assert units["青石村村民委员会"].parent_id == units["青石镇人民政府"].id
    assert units["青石镇人民政府"].kind == "township" and units["青石镇人民政府"].code == "1234567890"
    assert units["市林业局"].notes == "新设"
    # The same sheet again changes nothing; an edited row updates its unit.
    assert unit_excel.import_units(ctx, data).unchanged == 3
    edited = sheet([("市林业局", "政府部门", "林业局", None, None, "林业路8号", None)],
                   header=("单位名称", "单位类别", "简称", "上级单位", "单位代码", "地址", "备注"))
    report = unit_excel.import_units(ctx, edited)
    assert report.updated == 1 and names(ctx)["市林业局"].address == "林业路8号"


def test_bad_rows_are_all_reported_with_their_row_numbers_and_nothing_is_written(ctx):
    UnitService(ctx).create(name="市财政局", kind="gov_dept")
    data = sheet([
        ("市审计局", "政府部门", None, None, None, None, None),            # row 2: fine
        (None, "政府部门", None, None, None, None, None),                  # row 3: no name
        ("市水利局", "水利单位", None, None, None, None, None),            # row 4: bad kind
        ("市审计局", "政府部门", None, None, None, None, None),            # row 5: duplicate of row 2
        ("安集村", "行政村", None, "安集镇人民政府", None, None, None),    # row 6: unknown parent
        ("长名单位" * 60, "其他", None, None, None, None, None),           # row 7: too long
    ])
    with pytest.raises(ValidationError) as caught:
        unit_excel.import_units(ctx, data)
    message = caught.value.message
    assert message.startswith("导入失败，未导入任何数据。")
    assert "第3行：缺少「单位名称」。" in message
    assert "第4行：单位类别「水利单位」无效" in message
    assert "第5行：单位名称「市审计局」与第2行重复。" in message
    assert "第6行：上级单位「安集镇人民政府」既不在单位名录中，也不在本表中。" in message
    assert "第7行：「单位名称」不能超过200个字。" in message
    assert set(names(ctx)) == {"市财政局"}


def test_a_loop_in_the_hierarchy_is_refused(ctx):
    data = sheet([("甲单位", "其他", None, "乙单位", None, None, None),
                  ("乙单位", "其他", None, "甲单位", None, None, None)])
    with pytest.raises(ValidationError, match="第2行：上级单位关系形成循环"):
        unit_excel.import_units(ctx, data)
    assert names(ctx) == {}


def test_a_rule_broken_while_writing_rolls_the_whole_sheet_back(ctx, monkeypatch):
    from app.services import units as units_module

    original = units_module.UnitService.check

    def refuse_second(self, session, state, current):
        if state["name"] == "乙单位":
            raise ValidationError("模拟的校验失败。")
        return original(self, session, state, current)

    monkeypatch.setattr(units_module.UnitService, "check", refuse_second)
    with pytest.raises(ValidationError, match="第3行：模拟的校验失败。"):
        unit_excel.import_units(ctx, sheet([("甲单位", "其他", None, None, None, None, None),
                                            ("乙单位", "其他", None, None, None, None, None)]))
    assert names(ctx) == {}


def test_missing_headers_and_unreadable_files(ctx):
    with pytest.raises(ValidationError, match="第1行表头缺少「单位类别」列"):
        unit_excel.import_units(ctx, sheet([("市财政局",)], header=("单位名称",)))
    with pytest.raises(ValidationError, match="无法读取Excel文件"):
        unit_excel.import_units(ctx, b"not an xlsx file")
    with pytest.raises(ValidationError, match="没有单位数据"):
        unit_excel.import_units(ctx, sheet([]))


def test_only_the_office_imports(ctx):
    from app.services.context import Actor

    with pytest.raises(PermissionDeniedError, match="只有管理员可以导入单位名录"):
        unit_excel.import_units(ctx.as_actor(Actor(None, "组长", "leader")), sheet([]))


def test_export_round_trips(ctx, city, tmp_path):
    path = tmp_path / "units.xlsx"
    assert unit_excel.export_units(ctx, path) == 6
    ws = load_workbook(path).active
    header = [c.value for c in ws[1]]
    assert header == ["单位名称", "单位类别", "简称", "上级单位", "单位代码", "地址", "备注"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["安集村村民委员会"][1] == "行政村（社区）" and rows["安集村村民委员会"][3] == "安集镇人民政府"
    report = unit_excel.import_units(ctx, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
