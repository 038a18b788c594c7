"""新建巡察 in 巡察办工作台: refused values are explained in the dialog, which stays open with what
was typed; the new inspection is in the main window's chooser at once, and the page in hand keeps
its unsaved edits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from .helpers import click, type_into


def test_new_inspection_validates_before_closing_and_appears_at_once(qtbot, window, world, monkeypatch):
    from app.ui.office.rounds_page import NewInspectionDialog

    # Something unsaved in the main window: a new office inspection must not throw it away.
    window.show_page(3)
    click(qtbot, window.petitions.new_button)
    type_into(qtbot, window.petitions.content, "未保存的信访内容")
    assert window.petitions.dirty

    window.open_office()
    office = window._office_window
    rounds = office.show_page("rounds")
    qtbot.waitUntil(lambda: not office.busy and bool(getattr(rounds, "all_units", [])), timeout=10_000)
    seen: dict[str, object] = {}

    def fill_and_submit(dialog: NewInspectionDialog) -> int:
        dialog.show()
        dialog.name.setText("市委第二巡察组巡察市财政局（二次）")
        dialog.team_name.setText("市委第二巡察组")
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))  # no unit chosen yet
        qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=10_000)
        seen["error"] = dialog.message.text()
        seen["still_open"] = dialog.result() != QDialog.DialogCode.Accepted
        seen["name_kept"] = dialog.name.text()
        dialog.units.item(0).setCheckState(Qt.CheckState.Checked)
        click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Ok))
        qtbot.waitUntil(lambda: dialog.created is not None, timeout=10_000)
        return dialog.result()

    monkeypatch.setattr(NewInspectionDialog, "exec", fill_and_submit)
    rounds.ask_new_inspection()
    assert "请至少选择一个被巡察单位" in seen["error"]
    assert seen["still_open"] and seen["name_kept"] == "市委第二巡察组巡察市财政局（二次）"
    # The main window lists it without F5, and stays on the inspection in hand.
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    names = [window.model.row_object(n).name for n in range(window.model.rowCount())]
    assert "市委第二巡察组巡察市财政局（二次）" in names
    assert window.workspace.inspection_id == world.inspection.id
    assert window.petitions.dirty and window.petitions.content.toPlainText() == "未保存的信访内容"
    window.petitions.tracker.set_dirty(False)
    office.close()
