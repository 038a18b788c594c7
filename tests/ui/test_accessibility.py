"""Every input a user can reach has a name a screen reader says, and text scales with the system."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.ui.page import Page
from app.ui.widgets import accessibility
from app.ui.widgets.look import scale_css, scaled_points


@pytest.fixture
def named(qapp):
    accessibility.install(qapp)


def unnamed_inputs(root: QWidget) -> list[str]:
    return [f"{type(w).__name__} {w.objectName()!r} in {type(w.parentWidget()).__name__}"
            for w in root.findChildren(QWidget)
            if isinstance(w, accessibility.INPUTS) and w.isVisibleTo(root) and not w.accessibleName()
            and not accessibility.is_part_of_another(w)]


def test_every_input_of_every_page_has_a_name(named, qtbot, window):
    missing = {}
    for page in Page:
        window.show_page(page)
        widget = window.page(page)
        qtbot.waitUntil(lambda w=widget: w.isVisible())
        names = unnamed_inputs(widget)
        if names:
            missing[page.name] = names
    assert not missing, "\n".join(f"{page}: {names}" for page, names in missing.items())


def test_a_form_field_is_named_by_its_label(named, qtbot, window):
    window.show_page(Page.PETITIONS)
    page = window.page(Page.PETITIONS)
    qtbot.waitUntil(lambda: page.isVisible())
    said = {name: getattr(page, name).accessibleName() for name in ("received_at", "reporter_name", "unit", "content")}
    assert said == {"received_at": "收到时间", "reporter_name": "举报人", "unit": "涉及单位", "content": "反映内容"}
    assert page.table.accessibleName() == "信访举报列表" or page.table.accessibleName().endswith("列表")


def test_sizes_follow_the_system_text_size(qapp):
    body = qapp.font()
    try:
        for points in (9.0, 12.0):
            font = QApplication.font()
            font.setPointSizeF(points)
            QApplication.setFont(font)
            # A 17-pixel heading beside 9-point text is 12.75 points; at 12-point text, a third larger.
            assert scaled_points(17) == pytest.approx(17 * 0.75 * points / 9.0)
            assert f"font-size: {17 * 0.75 * points / 9.0:.1f}pt" in scale_css("QLabel { font-size: 17px; }")
        label = QLabel("标题")
        label.setObjectName("pageHeading")
        from app.ui.widgets.look import apply_looks

        apply_looks(label)
        assert label.font().pointSizeF() == pytest.approx(17 * 0.75 * 12.0 / 9.0, abs=0.1)
    finally:
        QApplication.setFont(body)


def test_a_tab_built_after_its_page_was_shown_and_a_dialog_opened_later_are_named(named, qtbot, window):
    from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit

    window.show_page(Page.MEETINGS)
    page = window.page(Page.MEETINGS)
    qtbot.waitUntil(page.isVisible)
    page.tabs.setCurrentIndex(2)  # 民主测评: its form is built now, after the page was first shown
    surveys = page.tabs.currentWidget()
    qtbot.waitUntil(surveys.isVisible)
    assert not unnamed_inputs(surveys)
    assert surveys.title.accessibleName() == "名称"

    dialog = QDialog(window)
    form = QFormLayout(dialog)
    edit = QLineEdit(dialog)
    form.addRow("被谈话人姓名(&N)：", edit)
    dialog.show()
    qtbot.waitUntil(lambda: edit.accessibleName() == "被谈话人姓名", timeout=5000)
    dialog.close()


def test_a_page_prepared_in_the_background_is_named_before_it_is_first_shown(named, qtbot, window):
    # Naming a page costs 2-11 ms: done while the window prepares it, not when it is first opened.
    qtbot.waitUntil(lambda: not window._preparing and len(window.built_pages()) == len(Page), timeout=20_000)
    page = window.built_pages()[Page.PETITIONS]
    assert not page.isVisible()
    assert (page.received_at.accessibleName(), page.content.accessibleName()) == ("收到时间", "反映内容")
