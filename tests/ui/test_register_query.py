"""The register query (app/services/register.py) without Qt: filters, sort orders, paging by id,
the dashboard overview and the Excel export."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from actors import through_review

from app.services import register
from app.services.errors import ValidationError
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.rectifications import RectificationService
from app.services.register import RegisterFilter


@pytest.fixture
def register_world(world):
    f = world.finding
    w = world
    w.car = f(title="违规使用公务用车")
    w.fund = f(title="扶贫资金被挪用", facts="2025年拨付的扶贫专项资金中有38万元被挪作办公楼装修。",
               category_code="gov_finance", discipline_code="work", severity="serious")
    w.meeting = f(title="三重一大事项未经集体决策", facts="2025年两笔大额支出未上党组会。",
                  category_code="lead_major_matters", discipline_code="political", severity="general")
    w.other_inspection = InspectionService(w.ctx).create(name="另一次巡察", kind="regular", stage="fieldwork")
    w.elsewhere = FindingService(w.ctx).create(inspection_id=w.other_inspection.id, title="另一个问题的公务用车",
                                               facts="与本次巡察无关。")
    FindingService(w.ctx).update(w.meeting.id, four_form="form1", status="rectifying", assignee_id=w.member_a.id)
    return w


def _titles(rows):
    return [r.title for r in rows]


def test_filters_narrow_the_register(register_world):
    w = register_world
    ctx, scope = w.ctx, RegisterFilter(inspection_id=w.inspection.id)
    assert register.count(ctx, scope) == 3
    assert register.count(ctx, RegisterFilter()) == 4
    by = {
        "category_code": ("gov_finance", ["扶贫资金被挪用"]),
        "discipline_code": ("political", ["三重一大事项未经集体决策"]),
        "status": ("rectifying", ["三重一大事项未经集体决策"]),
        "review_state": ("draft", ["违规使用公务用车", "扶贫资金被挪用", "三重一大事项未经集体决策"]),
        "four_form": ("form1", ["三重一大事项未经集体决策"]),
        "unit_id": (w.unit.id, ["违规使用公务用车", "扶贫资金被挪用", "三重一大事项未经集体决策"]),
        "assignee_id": (w.member_a.id, ["三重一大事项未经集体决策"]),
    }
    for field, (value, expected) in by.items():
        rows = register.rows(ctx, register.matching_ids(ctx, scope.with_(**{field: value})))
        assert _titles(rows) == expected, field


def test_a_top_level_category_matches_its_subcategories(register_world):
    w = register_world
    # 三重一大 is a subcategory of 党的领导弱化 (leadership).
    ids = register.matching_ids(w.ctx, RegisterFilter(inspection_id=w.inspection.id, category_code="leadership"))
    assert _titles(register.rows(w.ctx, ids)) == ["三重一大事项未经集体决策"]


def test_keyword_filter_uses_the_search_index(register_world):
    w = register_world
    scope = RegisterFilter(inspection_id=w.inspection.id)
    assert _titles(register.rows(w.ctx, register.matching_ids(w.ctx, scope.with_(keyword="挪用")))) == ["扶贫资金被挪用"]
    assert register.count(w.ctx, scope.with_(keyword="公务用车")) == 1
    assert register.count(w.ctx, RegisterFilter(keyword="公务用车")) == 2
    assert register.count(w.ctx, scope.with_(keyword="没有这个词语")) == 0
    assert register.count(w.ctx, scope.with_(keyword="资金 装修")) == 1


@pytest.mark.parametrize("sort", register.SORT_KEYS)
def test_every_sort_key_orders_all_rows(register_world, sort):
    w = register_world
    scope = RegisterFilter(inspection_id=w.inspection.id)
    ascending = register.matching_ids(w.ctx, scope, sort)
    descending = register.matching_ids(w.ctx, scope, sort, descending=True)
    assert sorted(map(str, ascending)) == sorted(map(str, descending))
    assert len(ascending) == 3


def test_sorting_follows_the_official_order_not_the_codes(register_world):
    w = register_world
    scope = RegisterFilter(inspection_id=w.inspection.id)
    by_severity = register.rows(w.ctx, register.matching_ids(w.ctx, scope, "severity"))
    assert [r.severity for r in by_severity] == ["general", "major", "serious"]
    by_number_desc = register.rows(w.ctx, register.matching_ids(w.ctx, scope, "number", descending=True))
    assert [r.number for r in by_number_desc] == [3, 2, 1]


def test_first_rows_gives_the_count_and_a_first_page(register_world):
    w = register_world
    first = register.first_rows(w.ctx, RegisterFilter(inspection_id=w.inspection.id), "number", limit=2)
    assert first.total == 3
    assert [r.number for r in first.rows] == [1, 2]
    assert first.rows[0].unit_name == "市财政局"
    assert first.rows[0].category_name == "违反中央八项规定精神"
    assert first.rows[0].inspection_name == w.inspection.name


def test_rows_keep_the_given_order_and_skip_deleted(register_world):
    w = register_world
    ids = [w.meeting.id, w.car.id, w.fund.id]
    FindingService(w.ctx).delete(w.car.id)
    assert _titles(register.rows(w.ctx, ids)) == ["三重一大事项未经集体决策", "扶贫资金被挪用"]
    assert register.count(w.ctx, RegisterFilter(inspection_id=w.inspection.id)) == 2


def test_page_by_position(register_world):
    w = register_world
    scope = RegisterFilter(inspection_id=w.inspection.id)
    assert [r.number for r in register.page(w.ctx, scope, offset=1, limit=5)] == [2, 3]


def test_overview_counts_and_queues(register_world):
    w = register_world
    service = FindingService(w.ctx)
    service.update(w.car.id, characterisation="违反中央八项规定精神", responsibility="办公室主任负直接责任")
    through_review(w.ctx, w.car.id, until="submitted")
    RectificationService(w.ctx).create(
        finding_id=w.fund.id, measures="追回资金", responsible_person="张建国",
        deadline=dt.date.today(),
    )
    later = dt.date.today() + dt.timedelta(days=3)
    overview = register.overview(w.ctx, w.inspection.id, on=later)
    assert overview.total == 3
    assert overview.by_status == {"open": 1, "rectifying": 2}
    assert overview.by_review_state == {"draft": 2, "submitted": 1}
    # The system actor is an administrator: it reviews both the deputy's and the leader's step.
    assert [r.title for r in overview.awaiting_review] == ["违规使用公务用车"]
    assert overview.overdue_total == 1
    assert overview.overdue[0].finding_title == "扶贫资金被挪用"
    assert overview.overdue[0].days_overdue == 3


def test_export_writes_the_rows_in_order(register_world, tmp_path):
    w = register_world
    ids = register.matching_ids(w.ctx, RegisterFilter(inspection_id=w.inspection.id), "number", descending=True)
    path = tmp_path / "台账.xlsx"
    seen = []
    assert register.export_xlsx(w.ctx, ids, path, progress=lambda done, total: seen.append((done, total))) == 3
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    # The window's columns, in the window's order (register.REGISTER_FIELDS), then the details.
    header = rows[0]
    assert header[:4] == ("问题编号", "问题标题", "审核状态", "办理状态") and header[13] == "所属巡察"
    assert header[14:] == ("问题现象", "整改措施", "整改时限", "责任人", "整改进展", "销号情况")
    assert [r[0] for r in rows[1:]] == [3, 2, 1]
    assert rows[1][1] == "三重一大事项未经集体决策"
    assert rows[1][3] == "整改中"
    assert seen == [(3, 3)]
    assert not list(tmp_path.glob("*.partial"))


def test_export_can_be_cancelled_and_leaves_no_file(register_world, tmp_path):
    w = register_world
    ids = register.matching_ids(w.ctx, RegisterFilter())
    out = tmp_path / "out"
    out.mkdir()
    path = out / "cancelled.xlsx"
    with pytest.raises(register.Cancelled, match="已取消"):
        register.export_xlsx(w.ctx, ids, path, cancelled=lambda: True)
    assert not list(out.iterdir())
    with pytest.raises(ValidationError, match=".xlsx"):
        register.export_xlsx(w.ctx, ids, tmp_path / "wrong.csv")


def test_units_with_findings(register_world):
    w = register_world
    assert register.units_with_findings(w.ctx, w.inspection.id) == [(w.unit.id, "市财政局")]
    assert register.units_with_findings(w.ctx, w.other_inspection.id) == []


def test_keyword_alone_newest_first_skips_deleted_findings(register_world):
    w = register_world
    general = RegisterFilter(inspection_id=w.inspection.id, keyword="公务用车", status="open")
    alone = RegisterFilter(keyword="公务用车")
    # The keyword-only path answers from the keyword index; it must agree with the general one.
    assert [r.title for r in register.rows(w.ctx, register.matching_ids(w.ctx, alone, "created", True))] == [
        "另一个问题的公务用车", "违规使用公务用车",
    ]
    assert register.matching_ids(w.ctx, general, "created", True) == register.matching_ids(
        w.ctx, RegisterFilter(inspection_id=w.inspection.id, keyword="公务用车"), "created", True
    )
    FindingService(w.ctx).delete(w.car.id)
    first = register.first_rows(w.ctx, alone, "created", True)
    assert first.total == 1 and [r.title for r in first.rows] == ["另一个问题的公务用车"]
    scoped = register.first_rows(w.ctx, alone.with_(inspection_id=w.inspection.id), "created", True)
    assert scoped.total == 0


def test_the_window_and_the_export_show_the_same_columns(qapp):
    from app.ui.models.register_model import register_columns

    window = [(c.header, c.sort_key) for c in register_columns()]
    assert [h for h, _k in window] == [h for h, _v in register.EXPORT_COLUMNS]
    assert all(key in register.SORT_KEYS for _h, key in window if key is not None)
