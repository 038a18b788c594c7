"""The findings register's table model, without any view: rows arrive a page at a time, off the
UI thread, and a new query or sort order replaces the old one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.findings import FindingService
from app.services.register import RegisterFilter
from app.ui.models import register_model
from app.ui.models.record_table import IdRole
from app.ui.models.register_model import PAGE_SIZE, FindingRegisterModel

TITLE = 1  # column of the title


def _many_findings(world, n: int) -> None:
    service = FindingService(world.ctx)
    for i in range(n):
        service.create(inspection_id=world.inspection.id, unit_id=world.unit.id, title=f"问题{i + 1:03d}",
                       facts="账外资金" if i % 10 == 0 else "一般情况", severity=("general", "major", "serious")[i % 3])


def _loaded(qtbot, model: FindingRegisterModel, filt: RegisterFilter, **kw) -> None:
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.set_query(filt, **kw)
    qtbot.waitUntil(lambda: not model.loading, timeout=10_000)


def test_pages_are_fetched_when_first_shown(qtbot, world):
    _many_findings(world, 2 * PAGE_SIZE + 30)
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    _loaded(qtbot, model, RegisterFilter(inspection_id=world.inspection.id))
    assert model.rowCount() == 230
    assert model.keys_complete
    # The first page came with the count; the rest is fetched on demand.
    assert model.index(0, TITLE).data() == "问题001"
    last = model.index(229, TITLE)
    assert last.data() == "正在读取…"
    assert last.data(Qt.ItemDataRole.ForegroundRole) is not None
    qtbot.waitUntil(lambda: model.index(229, TITLE).data() == "问题230", timeout=10_000)
    assert model.index(229, 0).data() == 230
    assert model.index(229, 0).data(IdRole) is not None
    assert model.row_of_id(model.row_id(150)) == 150


def test_only_recent_pages_stay_cached(qtbot, world, monkeypatch):
    monkeypatch.setattr(register_model, "MAX_CACHED_PAGES", 1)
    _many_findings(world, PAGE_SIZE + 5)
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    _loaded(qtbot, model, RegisterFilter(inspection_id=world.inspection.id))
    model.index(PAGE_SIZE + 1, TITLE).data()
    qtbot.waitUntil(lambda: model.cached_row(PAGE_SIZE + 1) is not None, timeout=10_000)
    assert model.cached_row(0) is None
    assert model.index(0, TITLE).data() == "正在读取…"


def test_filter_and_sort_replace_the_query(qtbot, world):
    _many_findings(world, 30)
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    scope = RegisterFilter(inspection_id=world.inspection.id)
    _loaded(qtbot, model, scope.with_(keyword="账外资金"))
    assert model.rowCount() == 3
    assert [model.index(r, TITLE).data() for r in range(3)] == ["问题001", "问题011", "问题021"]

    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == [21, 11, 1]
    assert model.sort_key == "number" and model.descending

    severity_column = model.column_of_sort_key("severity")
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(severity_column, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, severity_column).data() for r in range(3)] == ["一般", "较重", "严重"]


def test_a_newer_query_wins_over_a_slower_older_one(qtbot, world):
    _many_findings(world, 12)
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    scope = RegisterFilter(inspection_id=world.inspection.id)
    model.set_query(scope)
    _loaded(qtbot, model, scope.with_(keyword="账外资金"))
    qtbot.wait(200)
    assert model.rowCount() == 2


def test_rows_deleted_after_listing_show_as_deleted(qtbot, world):
    _many_findings(world, PAGE_SIZE + 3)
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    _loaded(qtbot, model, RegisterFilter(inspection_id=world.inspection.id))
    FindingService(world.ctx).delete(model.row_id(PAGE_SIZE + 2))
    qtbot.waitUntil(lambda: model.index(PAGE_SIZE + 2, TITLE).data() == "（已删除）", timeout=10_000)


def test_errors_arrive_as_a_message(qtbot, world):
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    with qtbot.waitSignal(model.failed, timeout=10_000) as failed:
        model.set_query(RegisterFilter(inspection_id="not-a-uuid"))
    assert "编号格式不正确" in failed.args[0]


def test_a_word_in_most_findings_shows_its_first_page_then_every_row_without_a_reset(qtbot, world, monkeypatch):
    from app.services import search

    # A window of 10 rows and pages of 3 stand in for the thousand rows and pages of 100.
    monkeypatch.setattr(search, "WINDOW", 10)
    monkeypatch.setattr(search, "PROBE", 5)
    monkeypatch.setattr(register_model, "PAGE_SIZE", 3)
    _many_findings(world, 24)  # "一般情况" in 21 of them
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    totals: list[tuple[int, bool]] = []
    model.loaded.connect(lambda n: totals.append((n, model.total_exact)))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    _loaded(qtbot, model, RegisterFilter(keyword="一般情况"), sort_key="created", descending=True)
    # First the newest ten's nine matches, said to be a lower bound; then all 21, appended below.
    assert totals == [(9, False), (21, True)]
    assert resets == [True]  # the new query's; the rest arrived as inserted rows
    assert model.rowCount() == 21 and model.keys_complete
    assert [model.index(r, TITLE).data() for r in range(3)] == ["问题024", "问题023", "问题022"]
    qtbot.waitUntil(lambda: model.index(20, TITLE).data() == "问题002", timeout=10_000)


def test_an_exact_count_equal_to_the_lower_bound_is_still_announced(qtbot, world, monkeypatch):
    from app.services import register, search

    monkeypatch.setattr(search, "WINDOW", 10)
    monkeypatch.setattr(search, "PROBE", 5)
    monkeypatch.setattr(register_model, "PAGE_SIZE", 3)
    service = FindingService(world.ctx)
    for i in range(12):  # the word in the newest ten only: the lower bound is the exact count
        service.create(inspection_id=world.inspection.id, title=f"问题{i + 1:03d}", facts="一般情况" if i >= 2 else "无")
    # The order changed between the two steps (a finding edited meanwhile), the number did not.
    every = register.matching_ids
    monkeypatch.setattr(register, "matching_ids", lambda *a, **kw: list(reversed(every(*a, **kw))))
    model = FindingRegisterModel()
    model.set_context(world.ctx)
    totals: list[tuple[int, bool]] = []
    model.loaded.connect(lambda n: totals.append((n, model.total_exact)))
    _loaded(qtbot, model, RegisterFilter(keyword="一般情况"), sort_key="created", descending=True)
    assert totals == [(10, False), (10, True)]
    qtbot.waitUntil(lambda: model.index(0, TITLE).data() == "问题003", timeout=10_000)
