"""The overview's checklist bars agree with the line below them; an unexpected failure is one
Chinese line (a dialog with 复制详细信息 when nothing else caught it), its traceback is in the log
without any record contents, and the user's unsaved edits stay where they were."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from app import logs
from app.models.enums import ChecklistStatus
from app.services.checklists import ChecklistService
from app.ui.page import Page

from .helpers import choose, click, tick, type_into

MARKER = "绝密谈话内容甲乙丙丁"


def test_the_checklist_bars_count_what_the_line_below_counts(qtbot, window, world):
    world.interview(topics_asked=["duty", "conduct"], talk_category="main_leader")
    service = ChecklistService(world.ctx)
    capability = next(i for i in service.for_inspection(world.inspection.id) if i.code == "capability")
    service.mark(capability.id, ChecklistStatus.DONE)
    window.refresh()
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.progress["must_ask"].value() == 3, timeout=10_000)
    assert dashboard.progress["must_ask"].maximum() == 6
    assert (dashboard.progress["must_talk"].value(), dashboard.progress["must_talk"].maximum()) == (1, 4)
    assert "六必问已问到 3/6 项，四必谈已谈到 1/4 类" in dashboard.coverage_label.text()
    assert "能力建设" not in dashboard.coverage_label.text()  # marked done by the team
    assert "思想道德" in dashboard.coverage_label.text()


@pytest.fixture
def logged():
    path = logs.setup_logging("tests")
    assert path is not None
    return path


def test_a_failing_save_is_one_line_keeps_the_edits_and_logs_no_contents(qtbot, window, world, logged):
    page = window.interviews
    window.show_page(Page.INTERVIEWS)
    # Another program's trigger makes every write of an interview fail (a stand-in for a disk or
    # driver failure): SQLAlchemy's message would carry the statement's values, the transcript too.
    with world.ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER boom BEFORE INSERT ON interviews BEGIN SELECT RAISE(ABORT, 'io trouble'); END")
    click(qtbot, page.new_button)
    choose(qtbot, page.interviewee, "李红梅")
    tick(qtbot, page.interviewers, "赵立新")
    tick(qtbot, page.interviewers, "钱文静")
    type_into(qtbot, page.transcript, f"问：情况？\n答：{MARKER}")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=10_000)
    shown = page.message.text()
    assert shown.startswith("数据库拒绝了这次写入") and "\n" not in shown
    assert str(logged) in shown and MARKER not in shown
    # Nothing typed is lost: the form still holds it, marked unsaved.
    assert page.dirty and MARKER in page.transcript.toPlainText()
    log = logged.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "io trouble" in log
    assert MARKER not in log and "甲乙丙" not in log
    with world.ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER boom")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: not page.dirty and page.model.rowCount() == 1, timeout=10_000)


def test_an_uncaught_exception_opens_a_dialog_with_copyable_details(qtbot, window, world, logged, monkeypatch):
    from app.ui import errors

    monkeypatch.setattr(errors, "qInstallMessageHandler", lambda _handler: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install()
    page = window.petitions
    window.show_page(Page.PETITIONS)
    click(qtbot, page.new_button)
    type_into(qtbot, page.content, f"反映{MARKER}")

    def broken_slot() -> None:
        raise KeyError(f"未预料的键 {MARKER}")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: errors._reporter.dialog is not None and errors._reporter.dialog.isVisible(), timeout=5000)
    dialog = errors._reporter.dialog
    assert dialog.reason.text().startswith("程序内部错误（KeyError）")
    assert MARKER not in dialog.reason.text()
    click(qtbot, dialog.copy_button)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and "broken_slot" in copied and "KeyError" in copied
    assert MARKER not in copied
    # A second failure while the dialog is open is counted, not stacked.
    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: dialog.repeats == 1, timeout=5000)
    dialog.close()
    assert page.dirty and MARKER in page.content.toPlainText()
    assert MARKER not in logged.read_text(encoding="utf-8")


def test_qt_messages_go_to_the_log(logged):
    from PySide6.QtCore import QtMsgType

    from app.ui import errors

    errors._qt_message(QtMsgType.QtWarningMsg, None, "QFont: cannot find font 仿宋")
    text = logged.read_text(encoding="utf-8")
    assert "xuncha.qt" in text and "QFont: cannot find font ＊" in text
