"""Does every character the window shows have a glyph? Walks the visible widgets, collects the text
they draw (labels, buttons, fields and their hints, lists, tables, tabs, menus, titles) and lays each
character out in the widget's font, Qt's fallback fonts included: a missing glyph shows as glyph 0.

    python -m app.ui.glyph_check [--json]

builds a small demo database, opens the main window, every page, the office window and the first-
start wizard offscreen, and prints what is missing (exit 1 if anything is). Run it under a
fontconfig configuration without CJK fonts (FONTCONFIG_FILE) to see the shipped font take over.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from .fonts import missing_glyphs

# Rows of a table or list read for their text: what is on screen, not 100,000 findings.
MAX_ROWS = 40


def widget_texts(widget: QWidget) -> list[str]:
    """The text a widget draws (its own, not its children's)."""
    texts: list[str] = []
    if isinstance(widget, QLabel):
        texts.append(widget.text() if widget.textFormat() != Qt.TextFormat.RichText else _strip_tags(widget.text()))
    elif isinstance(widget, QAbstractButton):
        texts.append(widget.text().replace("&", ""))
    elif isinstance(widget, QLineEdit):
        texts += [widget.text(), widget.placeholderText()]
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        texts += [widget.toPlainText()[:2000], widget.placeholderText()]
    elif isinstance(widget, QComboBox):
        texts += [widget.itemText(n) for n in range(min(widget.count(), MAX_ROWS))]
    elif isinstance(widget, QTabBar):
        texts += [widget.tabText(n).replace("&", "") for n in range(widget.count())]
    elif isinstance(widget, QGroupBox):
        texts.append(widget.title())
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        texts += _model_texts(widget.model())
    if isinstance(widget, QMainWindow):
        texts.append(widget.windowTitle())
        for action in widget.menuBar().actions():
            texts.append(action.text().replace("&", ""))
            menu = action.menu()
            if isinstance(menu, QMenu):
                texts += [a.text().replace("&", "") for a in menu.actions()]
    return [t for t in texts if t]


def _model_texts(model: QAbstractItemModel) -> list[str]:
    texts = []
    root = QModelIndex()
    try:
        columns = model.columnCount(root)
    except TypeError:  # a list model: one column, its count not callable from Python
        columns = 1
    for column in range(columns):
        texts.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
    for row in range(min(model.rowCount(root), MAX_ROWS)):
        for column in range(columns):
            value = model.index(row, column).data()
            if value is not None:
                texts.append(str(value))
    return texts


def _strip_tags(text: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", text)


def check(root: QWidget) -> dict[str, set[str]]:
    """Missing characters by widget (class and object name), over the visible widgets under `root`."""
    missing: dict[str, set[str]] = defaultdict(set)
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        text = "".join(widget_texts(widget))
        if not text:
            continue
        gaps = missing_glyphs(text, widget.font())
        if gaps:
            missing[f"{type(widget).__name__}#{widget.objectName()}"] |= gaps
    return dict(missing)


def checked_characters(root: QWidget) -> set[str]:
    chars: set[str] = set()
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isVisible():
            chars |= set("".join(widget_texts(widget)))
    return chars


def run_everything() -> dict[str, Any]:
    """Open every page of both windows and every step of the wizard; check each as it is shown."""
    with tempfile.TemporaryDirectory(prefix="xuncha-glyphs-") as tmp:
        return _run_everything(Path(tmp))


def _run_everything(folder: Path) -> dict[str, Any]:
    from PySide6.QtCore import QSettings

    from app.services.context import ServiceContext
    from app.services.demo import generate_demo
    from app.services.setup import open_database

    from .application import create_application
    from .first_start import FirstStartWizard
    from .main_window import MainWindow
    from .office.window import PAGES, OfficeWindow
    from .screenshots import _settle, busiest_inspection

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder / "settings"))
    app = create_application()
    registered = app.font().families()[0]
    db = open_database(folder / "demo.sqlite3", create=True).db
    generate_demo(db, seed=4, units=10, findings=120, interviews=40)
    ctx = ServiceContext(db)
    QSettings().setValue("workspace/inspection", str(busiest_inspection(ctx).id))
    missing: dict[str, set[str]] = defaultdict(set)
    chars: set[str] = set()

    def take(where: str, root: QWidget) -> None:
        for key, gaps in check(root).items():
            missing[f"{where}: {key}"] |= gaps
        chars.update(checked_characters(root))

    window = MainWindow()
    window.resize(1366, 768)
    window.show()
    ready = {"yes": False}
    window.ready.connect(lambda: ready.update(yes=True))
    window.set_context(ctx)
    _settle(app, lambda: ready["yes"] and not window.tasks.busy)
    for n, (title, page) in enumerate(window.pages):
        window.show_page(n)
        def page_idle(page: Any = page) -> bool:
            return not getattr(page, "tasks", window.tasks).busy

        _settle(app, page_idle)
        if hasattr(page, "tabs"):
            for t in range(page.tabs.count()):
                page.tabs.setCurrentIndex(t)
                _settle(app, lambda: True)
                take(f"{title} / {page.tabs.tabText(t)}", window)
        else:
            take(title, window)

    office = OfficeWindow(ctx)
    office.resize(1366, 768)
    office.show()
    for key, title, _cls in PAGES:
        office.show_page(key)
        _settle(app, lambda: not office.busy)
        take(f"巡察办工作台 / {title}", office)
    office.close()

    wizard = FirstStartWizard(folder / "new.sqlite3")
    wizard.show()
    _settle(app, lambda: True)
    take("首次使用", wizard)
    for flow, steps in wizard.flows.items():
        wizard.flow = flow
        for n in range(len(steps)):
            wizard.index = n
            wizard._show_step()
            _settle(app, lambda: True)
            take(f"首次使用 / {flow} / {n + 1}", wizard)
    wizard.close()
    window.close()
    db.dispose()
    return {"font": registered, "missing": {k: sorted(v) for k, v in missing.items()},
            "checked": len(chars), "han": sum(1 for c in chars if "\u4e00" <= c <= "\u9fff")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.glyph_check", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="xuncha-glyphs-data-") as data:
        os.environ.setdefault("XUNCHA_DATA_DIR", data)
        result = run_everything()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"界面字体：{result['font']}；检查了 {result['checked']} 个不同的字符（汉字 {result['han']} 个）。")
        for where, gaps in result["missing"].items():
            print(f"缺字：{where}：{''.join(gaps)}")
    return 1 if result["missing"] else 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # The verdict is out: skip the interpreter's teardown, where PySide can abort while collecting
    # the windows it already closed.
    os._exit(code)
