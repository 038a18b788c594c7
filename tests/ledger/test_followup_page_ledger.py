"""整改督办 in the office window: export the 整改台账, import a returned one (bad cells listed, changes
confirmed before they are written), and record 完成标准 and 责任分工 — by clicking the real widgets."""

from __future__ import annotations

import pytest
from office.cells import cell, column_texts, rows
from PySide6.QtCore import Qt
from ui.helpers import click_row, type_into

from app.models.enums import RectificationStatus
from app.ui import dialogs
from app.ui.office import followup_page
from app.ui.office.ledger_dialogs import LedgerConfirmDialog, LedgerProblemsDialog

from .conftest import TODAY, fill_in, task_rows


@pytest.fixture
def page(qtbot, lw):
    from app.ui.office.window import OfficeWindow

    win = OfficeWindow(lw.ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("followup")
    qtbot.waitUntil(lambda: not win.busy and page.scope.count() > 1, timeout=20_000)
    assert not page.ledger_export_button.isEnabled()  # 全部巡察 is not one inspection
    page.choose_scope(lw.inspection.id)
    qtbot.waitUntil(lambda: not win.busy and rows(page.table) == 4, timeout=20_000)
    page.win = win
    yield page
    win.close()


def click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_export_the_ledger_of_each_unit_into_a_folder(qtbot, page, lw, tmp_path, monkeypatch):
    monkeypatch.setattr(followup_page, "ask_folder", lambda *_a: str(tmp_path / "台账"))
    click(qtbot, page.ledger_export_button)
    qtbot.waitUntil(lambda: page.message.kind == "info", timeout=20_000)
    assert "已导出2个单位的整改台账（市审计局、市财政局），共4项整改事项" in page.message.text()
    assert len(list((tmp_path / "台账").glob("整改台账_*.xlsx"))) == 2


def test_import_a_returned_ledger_after_confirming_its_changes(qtbot, page, lw, tmp_path, monkeypatch):
    from app.services.office import rectification_ledger as ledger

    blank = tmp_path / "blank.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, blank)
    filled = fill_in(blank, tmp_path / "财政局11月.xlsx", {
        (lw.refund.id, "整改进展"): "已清退12人次", (lw.refund.id, "完成情况"): "已完成",
        (lw.refund.id, "完成时间"): TODAY, (lw.refund.id, "佐证材料目录"): "银行回单12份"})
    monkeypatch.setattr(dialogs, "open_file_path", lambda *_a: str(filled))

    click(qtbot, page.ledger_import_button)
    qtbot.waitUntil(lambda: isinstance(page.ledger_dialog, LedgerConfirmDialog) and page.ledger_dialog.isVisible(),
                    timeout=20_000)
    dialog = page.ledger_dialog
    assert rows(dialog.table) == 4
    assert [cell(dialog.table, 1, c) for c in range(4)] == [
        "第1项：清退违规发放的津贴补贴（第1号问题）", "完成情况", "待整改", "已完成"]
    assert "将更新1项整改事项的4处内容" in dialog.summary.text()
    assert lw.rect.get(lw.refund.id).status == RectificationStatus.PENDING  # nothing yet

    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: page.message.kind == "info" and "已导入" in page.message.text(), timeout=20_000)
    assert page.message.text() == "已导入「财政局11月.xlsx」：更新1项整改事项的4处内容。"
    item = lw.rect.get(lw.refund.id)
    assert (item.status, item.progress, item.evidence) == (RectificationStatus.COMPLETED, "已清退12人次", "银行回单12份")
    qtbot.waitUntil(lambda: not page.win.busy and rows(page.table) > 0, timeout=20_000)
    assert "待销号 1 项" in page.summary.text()

    # The same file again: nothing to confirm, nothing changed.
    click(qtbot, page.ledger_import_button)
    qtbot.waitUntil(lambda: "没有需要更新的内容" in page.message.text(), timeout=20_000)
    assert page.ledger_dialog is dialog


def test_cancelling_the_confirmation_imports_nothing(qtbot, page, lw, tmp_path, monkeypatch):
    from app.services.office import rectification_ledger as ledger

    blank = tmp_path / "blank.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, blank)
    filled = fill_in(blank, tmp_path / "f.xlsx", {(lw.rules.id, "整改进展"): "已起草"})
    monkeypatch.setattr(dialogs, "open_file_path", lambda *_a: str(filled))
    click(qtbot, page.ledger_import_button)
    qtbot.waitUntil(lambda: isinstance(page.ledger_dialog, LedgerConfirmDialog) and page.ledger_dialog.isVisible(),
                    timeout=20_000)
    click(qtbot, page.ledger_dialog.cancel_button)
    qtbot.waitUntil(lambda: not page.ledger_dialog.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: not page.win.busy, timeout=5_000)
    assert lw.rect.get(lw.rules.id).progress is None


def test_a_refused_workbook_lists_its_bad_cells(qtbot, page, lw, tmp_path, monkeypatch):
    from app.services.office import rectification_ledger as ledger

    blank = tmp_path / "blank.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, blank)
    bad = fill_in(blank, tmp_path / "bad.xlsx", {(lw.refund.id, "整改措施"): "改过的措施",
                                                 (lw.reception.id, "完成情况"): "基本完成",
                                                 (lw.rules.id, "整改进展"): "已起草"})
    monkeypatch.setattr(dialogs, "open_file_path", lambda *_a: str(bad))
    click(qtbot, page.ledger_import_button)
    qtbot.waitUntil(lambda: isinstance(page.ledger_dialog, LedgerProblemsDialog) and page.ledger_dialog.isVisible(),
                    timeout=20_000)
    table = page.ledger_dialog.table
    sheet_rows = task_rows(blank)
    shown = [[cell(table, r, c) for c in range(4)] for r in range(rows(table))]
    assert shown[0][:3] == ["任务清单", str(sheet_rows[str(lw.refund.id)]), "D 整改措施"]
    assert "锁定内容被改动" in shown[0][3]
    assert shown[1][:3] == ["任务清单", str(sheet_rows[str(lw.reception.id)]), "H 完成情况"]
    assert len(shown) == 2
    assert page.message.kind == "error" and page.message.text() == "整改台账有2处问题，未导入任何数据。"
    assert lw.rect.get(lw.rules.id).progress is None  # the good cell was not imported either
    click(qtbot, page.ledger_dialog.close_button)


def test_a_workbook_of_another_inspection_is_refused(qtbot, page, lw, tmp_path, monkeypatch):
    from app.services.office import rectification_ledger as ledger

    other = tmp_path / "other.xlsx"
    ledger.export_unit(lw.ctx, lw.other.id, lw.finance.id, other)
    monkeypatch.setattr(dialogs, "open_file_path", lambda *_a: str(other))
    click(qtbot, page.ledger_import_button)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=20_000)
    assert "不属于所选的「市委第二巡察组巡察市财政局、市审计局党组」" in page.message.text()


def test_record_the_completion_standard_and_who_is_responsible(qtbot, page, lw):
    row = column_texts(page.table, 5).index("规范公务接待审批和清单管理")
    click_row(qtbot, page.table, row)
    page.tabs.setCurrentIndex(1)
    assert page.standard.toPlainText() == "" and page.leader.text() == ""
    type_into(qtbot, page.standard, "接待审批单、清单、发票三单一致")
    type_into(qtbot, page.leader, "李红梅")
    type_into(qtbot, page.department, "办公室")
    click(qtbot, page.plan_fields_button)
    qtbot.waitUntil(lambda: page.message.text() == "已保存完成标准与责任分工。", timeout=20_000)
    item = lw.rect.get(lw.reception.id)
    assert (item.completion_standard, item.responsible_leader, item.responsible_department) == (
        "接待审批单、清单、发票三单一致", "李红梅", "办公室")
    assert item.measures == "规范公务接待审批和清单管理" and item.responsible_person == "李红梅"


def test_send_for_rectification_with_its_standard_and_responsibility(qtbot, lw):
    from office.conftest import approved_finding

    from app.ui.office.window import OfficeWindow

    finding = approved_finding(lw.ctx, lw.inspection.id, lw.audit.id, title="审计报告质量控制不严", responsible="周建华")
    win = OfficeWindow(lw.ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("followup")
    qtbot.waitUntil(lambda: not win.busy and page.scope.count() > 1, timeout=20_000)
    page.choose_scope(lw.inspection.id)
    qtbot.waitUntil(lambda: not win.busy and rows(page.pending_table) == 1, timeout=20_000)
    page.tabs.setCurrentIndex(2)
    click_row(qtbot, page.pending_table, 0)
    type_into(qtbot, page.measures, "建立审计报告三级复核制度")
    type_into(qtbot, page.send_standard, "制度印发并在2个项目中执行")
    type_into(qtbot, page.send_leader, "刘明")
    type_into(qtbot, page.send_department, "法制审理科")
    click(qtbot, page.send_button)
    qtbot.waitUntil(lambda: page.message.text() == "已下达整改。", timeout=20_000)
    [item] = lw.rect.list(finding_id=finding.id)
    assert (item.measures, item.responsible_person, item.completion_standard, item.responsible_leader,
            item.responsible_department) == ("建立审计报告三级复核制度", "周建华", "制度印发并在2个项目中执行", "刘明", "法制审理科")
    assert page.send_standard.text() == "" and page.send_department.text() == ""
    win.close()
