"""The 问题台账 page: filtering by typing and choosing, batch actions on a multi-selection, export
of the shown rows to Excel, and the working paper beside the register."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.services.findings import FindingService
from app.ui.page import Page

from .conftest import wait_idle
from .helpers import choose, click, click_row, type_into


@pytest.fixture
def findings_page(qtbot, window, world):
    world.finding(title="违规使用公务用车")
    world.finding(title="扶贫资金被挪用", facts="2025年拨付的扶贫专项资金中有38万元被挪作办公楼装修。",
                  category_code="gov_finance", discipline_code="work", severity="serious")
    world.finding(title="三重一大事项未经集体决策", facts="两笔大额支出未上党组会。",
                  category_code="lead_major_matters", discipline_code="political", severity="general")
    page = window.findings
    window.show_page(Page.FINDINGS)
    window.workspace.announce("finding")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and not page.model.loading, timeout=10_000)
    return page


def _titles(page) -> list[str]:
    return [page.model.index(r, 1).data() for r in range(page.model.rowCount())]


def test_filters_by_keyword_and_by_choice(qtbot, findings_page):
    page = findings_page
    assert "共 3 个问题" in page.count_label.text()
    type_into(qtbot, page.keyword, "挪用")
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"], timeout=10_000)
    assert "共 1 个问题" in page.count_label.text()

    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert page.keyword.text() == ""

    choose(qtbot, page.category, "党的领导弱化")  # an area: its subcategories match too
    qtbot.waitUntil(lambda: _titles(page) == ["三重一大事项未经集体决策"], timeout=10_000)
    choose(qtbot, page.category, "全部")
    choose(qtbot, page.discipline, "工作纪律")
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"], timeout=10_000)
    choose(qtbot, page.discipline, "全部")
    choose(qtbot, page.review_state, "底稿")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    choose(qtbot, page.status, "已销号")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=10_000)
    assert "共 0 个问题" in page.count_label.text()


def test_the_last_word_typed_wins(qtbot, findings_page):
    """A word sent with Enter, then another typed at once: the rows and the count are the last
    word's, however the two queries' answers arrive."""
    page = findings_page
    type_into(qtbot, page.keyword, "挪用")
    qtbot.keyClick(page.keyword, Qt.Key.Key_Return)  # its query starts now
    type_into(qtbot, page.keyword, "决策")
    qtbot.keyClick(page.keyword, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _titles(page) == ["三重一大事项未经集体决策"] and not page.model.loading, timeout=10_000)
    type_into(qtbot, page.keyword, "公务用车")  # and the typing pause, without Enter
    qtbot.waitUntil(lambda: _titles(page) == ["违规使用公务用车"] and not page.model.loading, timeout=10_000)
    assert "共 1 个问题" in page.count_label.text()
    wait_idle(qtbot, page)  # nothing older arrives later
    assert not page._keyword_timer.isActive()
    assert _titles(page) == ["违规使用公务用车"] and page.keyword.text() == "公务用车"


def test_sorting_by_clicking_a_header(qtbot, findings_page):
    page = findings_page
    header = page.table.horizontalHeader()
    severity = page.model.column_of_sort_key("severity")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_section_centre(header, severity))
    qtbot.waitUntil(lambda: page.model.sort_key == "severity" and not page.model.loading, timeout=10_000)
    values = [page.model.index(r, severity).data() for r in range(3)]
    assert values in (["一般", "较重", "严重"], ["严重", "较重", "一般"])


def _section_centre(header, section):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, header.height() // 2)


def test_batch_assign_and_status_on_a_multi_selection(qtbot, findings_page, world):
    page = findings_page
    assert not page.assign_button.isEnabled()
    click_row(qtbot, page.table, 0)
    qtbot.waitUntil(lambda: page.editor.current is not None, timeout=10_000)
    click_row(qtbot, page.table, 2, modifier=Qt.KeyboardModifier.ControlModifier)
    assert page.selection_label.text() == "已选 2 个问题"
    choose(qtbot, page.batch_assignee, "钱文静")
    click(qtbot, page.assign_button)
    qtbot.waitUntil(lambda: "已对 2 个问题指派" in page.message.text(), timeout=10_000)
    choose(qtbot, page.batch_status, "整改中")
    click(qtbot, page.status_button)
    qtbot.waitUntil(lambda: "已对 2 个问题更改状态" in page.message.text(), timeout=10_000)
    by_number = {f.number: f for f in FindingService(world.ctx).list()}
    assert by_number[1].assignee_id == world.member_a.id and by_number[3].assignee_id == world.member_a.id
    assert by_number[2].assignee_id is None
    assert [by_number[n].status for n in (1, 2, 3)] == ["rectifying", "open", "rectifying"]
    status_column = page.model.column_of_sort_key("status")
    qtbot.waitUntil(lambda: page.model.index(0, status_column).data() == "整改中", timeout=10_000)
    assignee_column = page.model.column_of_sort_key("assignee")
    assert page.model.index(2, assignee_column).data() == "钱文静"


def test_export_of_the_shown_rows(qtbot, findings_page, answers, tmp_path):
    page = findings_page
    type_into(qtbot, page.keyword, "公务用车")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    target = tmp_path / "台账.xlsx"
    answers.save_path = str(target)
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "已导出 1 个问题" in page.message.text(), timeout=20_000)
    assert not page.exporting and page.export_button.isEnabled()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("问题编号", "问题标题", "审核状态", "办理状态", "责任单位")
    assert rows[1][:5] == (1, "违规使用公务用车", "底稿", "待处置", "市财政局")
    assert len(rows) == 2

    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.keys_complete, timeout=10_000)
    answers.save_path = str(tmp_path / "all")  # the extension is added
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "已导出 3 个问题" in page.message.text(), timeout=20_000)
    rows = list(openpyxl.load_workbook(tmp_path / "all.xlsx").active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [1, 2, 3]


def test_new_finding_from_the_register(qtbot, findings_page, world):
    page = findings_page
    click(qtbot, page.new_button)
    editor = page.editor
    type_into(qtbot, editor.title, "会议记录补记")
    type_into(qtbot, editor.facts, "党组会议记录存在事后补记。")
    editor.tabs.setCurrentIndex(1)
    choose(qtbot, editor.category, "三重一大决策制度执行不严")
    choose(qtbot, editor.handler, "钱文静")
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=10_000)
    saved = FindingService(world.ctx).get(editor.current.id)
    assert saved.number == 4 and saved.category_code == "lead_major_matters"
    assert saved.handler_id == world.member_a.id
    assert saved.inspection_id == world.inspection.id
    # A missing title is refused with the service's words.
    click(qtbot, page.new_button)
    type_into(qtbot, page.editor.facts, "只有现象")
    click(qtbot, page.editor.save_button)
    qtbot.waitUntil(lambda: "请填写「问题标题」" in page.editor.message.text(), timeout=10_000)


def _count_labels(page) -> list[str]:
    """Every count the register shows from now on, in order."""
    labels: list[str] = []
    page.model.loaded.connect(lambda _n: labels.append(page.count_label.text()))
    return labels


def test_a_word_in_most_findings_is_counted_at_least_then_exactly(qtbot, findings_page, monkeypatch):
    from app.services import search
    from app.ui.models import register_model

    # A window of 2 rows and pages of 1 stand in for the thousand rows and pages of 100.
    monkeypatch.setattr(search, "WINDOW", 2)
    monkeypatch.setattr(search, "PROBE", 1)
    monkeypatch.setattr(register_model, "PAGE_SIZE", 1)
    page = findings_page
    labels = _count_labels(page)
    type_into(qtbot, page.keyword, "。")  # in all three
    qtbot.keyClick(page.keyword, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(labels) == 2 and not page.model.loading, timeout=10_000)
    assert labels == ["共 2+ 个问题", "共 3 个问题"]
    assert _titles(page)[0] == "违规使用公务用车"


def test_a_count_that_does_not_answer_in_time_shows_the_rows_first(qtbot, findings_page, monkeypatch):
    """A cold disk: the first rows come without waiting for the count; the number follows."""
    from app.services import deadline, register
    from app.ui.models import register_model

    monkeypatch.setattr(register, "COUNT_WITHIN_S", 0.0)
    monkeypatch.setattr(deadline, "_STEPS", 1)
    monkeypatch.setattr(register_model, "PAGE_SIZE", 1)
    page = findings_page
    labels = _count_labels(page)
    page.apply_filters()
    qtbot.waitUntil(lambda: len(labels) == 2 and not page.model.loading, timeout=10_000)
    assert labels == ["共 1+ 个问题", "共 3 个问题"]
    qtbot.waitUntil(lambda: _titles(page) == ["违规使用公务用车", "扶贫资金被挪用", "三重一大事项未经集体决策"],
                    timeout=10_000)


def test_the_register_opens_in_the_order_the_bench_times(qtbot, findings_page):
    """One inspection's findings by number; every inspection's newest first (register.opening_order,
    which the bench's first-rows figure times too), until a person picks a column."""
    from app.services import register

    page = findings_page
    assert (page.model.sort_key, page.model.descending) == ("number", False)
    choose(qtbot, page.scope, "全部巡察")
    qtbot.waitUntil(lambda: page.model.sort_key == "created" and not page.model.loading, timeout=10_000)
    assert page.model.descending
    assert register.opening_order(page.current_filter()) == ("created", True)
    assert page.model.rowCount() == 3


def _selected_id(page):
    rows = page.selected_rows()
    return page.model.row_id(rows[0]) if rows else None


def test_a_filter_that_leaves_out_the_open_finding_says_so_above_its_paper(qtbot, findings_page):
    """The paper beside the register stays as the user left it, but never looks like the row the
    list shows (or like a selection, when the list says nothing is selected)."""
    page = findings_page
    click_row(qtbot, page.table, 0)
    qtbot.waitUntil(lambda: page.editor.current is not None and page.editor.current.number == 1, timeout=10_000)
    assert page.editor.unlisted_hint.isHidden()
    type_into(qtbot, page.keyword, "挪用")
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"] and page.model.keys_complete, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isVisibleTo(page.editor), timeout=10_000)
    assert page.editor.current.number == 1 and page.selection_label.text() == "未选择问题"
    assert page.editor.unlisted_hint.text() == "问题 1 不在左侧台账当前的筛选结果中；这里的修改仍保存到问题 1。"

    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.keys_complete, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isHidden(), timeout=10_000)
    assert _selected_id(page) == page.editor.current_id


def test_a_finding_opened_while_the_rows_reload_stays_on_the_paper(qtbot, findings_page, world):
    page = findings_page
    first = next(f for f in FindingService(world.ctx).list() if f.number == 1)
    type_into(qtbot, page.keyword, "挪用")
    page.apply_filters()  # its rows are on their way
    page.open_record(first.id)  # found among the rows held until they arrive
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"] and page.model.keys_complete
                    and not page.model.loading and page.editor.current_id == first.id, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isVisibleTo(page.editor), timeout=10_000)


def test_an_unsaved_paper_stays_when_the_filter_leaves_it_out_and_says_so(qtbot, findings_page, world):
    page = findings_page
    click_row(qtbot, page.table, 0)
    qtbot.waitUntil(lambda: page.editor.current is not None and page.editor.current.number == 1, timeout=10_000)
    type_into(qtbot, page.editor.facts, "补充：2025年3月起长期私用。")
    assert page.editor.dirty
    type_into(qtbot, page.keyword, "挪用")
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"] and page.model.keys_complete, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isVisibleTo(page.editor), timeout=10_000)
    assert page.editor.current.number == 1
    assert page.editor.facts.toPlainText() == "补充：2025年3月起长期私用。"
    assert "问题 1 不在左侧台账当前的筛选结果中" in page.editor.unlisted_hint.text()
    click(qtbot, page.editor.save_button)  # saved to the finding on the paper, not to the row listed
    qtbot.waitUntil(lambda: "底稿已保存" in page.editor.message.text(), timeout=10_000)
    by_number = {f.number: f for f in FindingService(world.ctx).list()}
    assert by_number[1].facts == "补充：2025年3月起长期私用。"
    assert by_number[2].facts.startswith("2025年拨付的扶贫专项资金")

    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.keys_complete, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isHidden(), timeout=10_000)
    assert _selected_id(page) == page.editor.current_id


def test_a_finding_opened_from_elsewhere_stays_and_is_not_selected_later_over_another(qtbot, findings_page, world):
    """Opened from search while the filter leaves it out: shown, marked as not listed. Once the
    user picks a listed row instead, a later filter that lists the first one does not select it
    beside the other's paper."""
    page = findings_page
    type_into(qtbot, page.keyword, "挪用")
    qtbot.waitUntil(lambda: _titles(page) == ["扶贫资金被挪用"] and page.model.keys_complete, timeout=10_000)
    first = next(f for f in FindingService(world.ctx).list() if f.number == 1)
    page.open_record(first.id)
    qtbot.waitUntil(lambda: page.editor.current_id == first.id, timeout=10_000)
    qtbot.waitUntil(lambda: page.editor.unlisted_hint.isVisibleTo(page.editor), timeout=10_000)

    click_row(qtbot, page.table, 0)
    qtbot.waitUntil(lambda: page.editor.current is not None and page.editor.current.number == 2, timeout=10_000)
    assert page.editor.unlisted_hint.isHidden()
    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.keys_complete
                    and not page.model.loading, timeout=10_000)
    assert page.editor.current.number == 2
    assert _selected_id(page) == page.editor.current_id
