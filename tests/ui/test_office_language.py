"""In English mode the office window follows the language, like the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_the_office_window_in_english(qtbot, world, english):
    from app.ui.office.window import OfficeWindow

    win = OfficeWindow(world.ctx)
    qtbot.addWidget(win)
    win.show()
    titles = [win.navigation.item(n).text() for n in range(win.navigation.count())]
    assert titles[:4] == ["Coverage", "Rounds", "Team forming", "Inspector pool"]
    assert win.windowTitle() == "Xuncha Workbench — Inspection office"
    rounds = win.show_page("rounds")
    qtbot.waitUntil(lambda: not win.busy, timeout=10_000)
    assert rounds.new_inspection_button.text() == "New inspection…"
    headings = [w.text() for w in rounds.findChildren(QLabel) if w.objectName() == "pageHeading"]
    assert headings == ["Rounds and progress"]
    stats = win.show_page("stats")
    qtbot.waitUntil(lambda: not win.busy, timeout=10_000)
    assert stats.excel_button.text() == "Export Excel…"
    win.close()
