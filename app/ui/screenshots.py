"""Screenshots of every page at 1366×768 with demo data: `python -m app.ui.screenshots OUTDIR`.

    python -m app.ui.screenshots OUTDIR [--db FILE] [--lang en] [--size 1366x768]

Without --db a small deterministic demo database is built in a temporary folder (through
app.services.demo). The window's remembered layout is neither used nor changed. Runs offscreen
when there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .page import Page

DEMO: dict[str, Any] = {"seed": 7, "units": 16, "findings": 600, "interviews": 160}


def build_demo_database(path: Path) -> None:
    from app.services.demo import generate_demo
    from app.services.setup import open_database

    db = open_database(path, create=True).db
    try:
        generate_demo(db, **DEMO)
    finally:
        db.dispose()


def busiest_inspection(ctx: Any) -> Any:
    """The inspection in fieldwork with the most findings: the one worth showing."""
    from app.models.enums import Stage
    from app.services import register
    from app.services.inspections import InspectionService

    inspections = InspectionService(ctx).list()
    candidates = [i for i in inspections if i.stage == Stage.FIELDWORK] or inspections
    return max(candidates, key=lambda i: register.count(ctx, register.RegisterFilter(inspection_id=i.id)))


def _settle(app: Any, done: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let background work finish and the widgets repaint (the UI thread keeps turning)."""
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        app.processEvents()
        if done():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 0.3:
                return
        else:
            quiet_since = None
        time.sleep(0.01)


class _Camera:
    """Numbered pictures of one window, each taken once background work has finished."""

    def __init__(self, app: Any, window: Any, ready: dict[str, bool], out: Path) -> None:
        self.app, self.window, self.out = app, window, out
        self.shots: list[Path] = []
        self._ready = ready
        self._runners = [window.tasks]
        for _title, page in window.pages:
            for name in ("tasks", "journal_tasks"):
                if hasattr(page, name):
                    self._runners.append(getattr(page, name))
        self._runners += [window.findings.editor.tasks, window.findings.model.tasks, window.search_box.tasks]

    def idle(self) -> bool:
        return (self._ready["yes"] and not any(r.busy for r in self._runners)
                and not self.window.findings.model.loading)

    def next_path(self, name: str) -> Path:
        return self.out / f"{len(self.shots) + 1:02d}-{name}.png"

    def shot(self, name: str, prepare: Callable[[], None] | None = None) -> None:
        if prepare is not None:
            prepare()
        _settle(self.app, self.idle)
        path = self.next_path(name)
        self.window.grab().save(str(path))
        self.shots.append(path)


def _select_first(page: Any) -> None:
    if page.model.rowCount():
        page.table.selectRow(0)


def take(out: Path, db_path: Path, size: tuple[int, int]) -> list[Path]:
    from app.services.context import ServiceContext
    from app.services.setup import open_database

    from .application import create_application

    settings_dir = _isolate_settings()
    app = create_application()
    ctx = ServiceContext(open_database(db_path).db)
    window, ready = _open_window(ctx, size)
    camera = _Camera(app, window, ready, out)
    _settle(app, camera.idle)
    out.mkdir(parents=True, exist_ok=True)
    _shoot_checklists_and_records(camera)
    _shoot_findings(camera)
    _shoot_documents_and_meetings(camera)
    _shoot_search(camera)
    window.findings.editor.tracker.set_dirty(False)
    shots = camera.shots + _wizard_shots(app, out, len(camera.shots), Path(settings_dir))
    window.close()
    ctx.db.dispose()
    return shots


def _isolate_settings() -> str:
    """Point the settings and the data folder at fresh temporary folders, so the window's remembered
    layout is neither used nor changed; returns the settings folder."""
    from PySide6.QtCore import QSettings

    settings_dir = tempfile.mkdtemp(prefix="xuncha-shots-settings-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    os.environ.setdefault("XUNCHA_DATA_DIR", tempfile.mkdtemp(prefix="xuncha-shots-data-"))
    return settings_dir


def _open_window(ctx: Any, size: tuple[int, int]) -> tuple[Any, dict[str, bool]]:
    """The main window on the busiest inspection, and a flag that turns true once it is ready."""
    from PySide6.QtCore import QSettings

    from .main_window import MainWindow

    QSettings().setValue("workspace/inspection", str(busiest_inspection(ctx).id))
    window = MainWindow()
    window.resize(*size)
    window.show()
    window.set_context(ctx)
    ready = {"yes": False}
    window.ready.connect(lambda: ready.update(yes=True))
    return window, ready


def _shoot_checklists_and_records(camera: _Camera) -> None:
    window = camera.window
    camera.shot("dashboard", lambda: window.show_page(Page.OVERVIEW))
    camera.shot("checklists", lambda: window.show_page(Page.CHECKLISTS))

    def talk_tab() -> None:
        window.checklists.tabs.setCurrentIndex(2)
        window.checklists.list_tabs["must_talk"].table.selectRow(0)

    camera.shot("checklists-must-talk", talk_tab)
    for n, name in ((2, "interviews"), (3, "petitions"), (4, "document-reviews"), (5, "visits")):
        def show_record_page(n: int = n, page: Any = window.pages[n][1]) -> None:
            window.show_page(n)
            _select_first(page)

        camera.shot(name, show_record_page)

    def new_interview() -> None:
        window.show_page(Page.INTERVIEWS)
        window.interviews.new_record()

    camera.shot("interviews-new", new_interview)
    window.interviews.tracker.set_dirty(False)


def _shoot_findings(camera: _Camera) -> None:
    window = camera.window
    findings = window.findings

    def register() -> None:
        window.show_page(Page.FINDINGS)
        findings.table.selectRow(0)

    camera.shot("findings-register", register)

    def classification() -> None:
        findings.editor.tabs.setCurrentIndex(1)

    camera.shot("findings-classification", classification)

    def review_chain() -> None:
        row = _row_with_history(findings)
        findings.table.selectRow(row)
        findings.editor.tabs.setCurrentIndex(3)

    camera.shot("findings-review-chain", review_chain)

    def keyword() -> None:
        findings.editor.tabs.setCurrentIndex(0)
        findings.keyword.setText("资金")
        findings.apply_filters()

    camera.shot("findings-keyword", keyword)

    def unlisted() -> None:
        # A paper with unsaved changes that the next filter leaves out: it stays, marked.
        findings.keyword.clear()
        findings.apply_filters()
        _settle(camera.app, camera.idle)
        findings.table.selectRow(0)
        _settle(camera.app, camera.idle)
        findings.editor.facts.appendPlainText("（补充）")
        findings.keyword.setText("车辆")
        findings.apply_filters()

    camera.shot("findings-unlisted", unlisted)
    findings.editor.tracker.set_dirty(False)


def _shoot_documents_and_meetings(camera: _Camera) -> None:
    window = camera.window
    camera.shot("documents", lambda: window.show_page(Page.DOCUMENTS))
    meetings: Any = window.page(Page.MEETINGS)
    for kind, name in (("briefing", "briefings"), ("group_talk", "group-talks"), ("survey", "surveys"),
                       ("meeting", "meetings")):
        def show_tab(kind: str = kind) -> None:
            window.show_page(Page.MEETINGS)
            _select_first(meetings.show_kind(kind))

        camera.shot(name, show_tab)


def _shoot_search(camera: _Camera) -> None:
    # The search drop-down is a window of its own: paint it onto the main window's picture.
    from PySide6.QtGui import QPainter

    window = camera.window
    window.show_page(Page.INTERVIEWS)
    window.search_box.setText("公车")
    window.search_box.run_search()
    _settle(camera.app, lambda: camera.idle() and window.search_box.results.isVisible())
    picture = window.grab()
    popup = window.search_box.results
    painter = QPainter(picture)
    painter.drawPixmap(popup.mapTo(window, popup.rect().topLeft()) if popup.parent() is window else
                       window.mapFromGlobal(popup.mapToGlobal(popup.rect().topLeft())), popup.grab())
    painter.end()
    path = camera.next_path("global-search")
    picture.save(str(path))
    camera.shots.append(path)
    popup.hide()


def _wizard_shots(app: Any, out: Path, taken: int, folder: Path) -> list[Path]:
    """The first-start wizard: the choice, and each path's first step."""
    from .first_start import FirstStartWizard

    wizard = FirstStartWizard(folder / "first-start.sqlite3")
    wizard.resize(720, 560)
    wizard.show()
    shots: list[Path] = []
    for name, flow in (("first-start", None), ("first-start-office", "office"), ("first-start-laptop", "laptop"),
                       ("first-start-demo", "demo")):
        if flow is not None:
            wizard.choose(flow)
        _settle(app, lambda: True)
        path = out / f"{taken + len(shots) + 1:02d}-{name}.png"
        wizard.grab().save(str(path))
        shots.append(path)
    wizard.close()
    return shots


def _row_with_history(findings: Any) -> int:
    """A finding further along the 三审 chain, so the history has steps to show."""
    column = findings.model.column_of_sort_key("review_state")
    for row in range(min(findings.model.rowCount(), 100)):
        if findings.model.index(row, column).data() in ("已审签", "已退回", "待组长审签", "Approved", "Sent back"):
            return row
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--db", type=Path, help="an existing database (default: build a small demo one)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--tz", default="Asia/Shanghai", help="time zone the times are shown in")
    args = parser.parse_args(argv)
    if args.tz and hasattr(time, "tzset"):
        os.environ["TZ"] = args.tz
        time.tzset()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.lang:
        os.environ["XUNCHA_LANG"] = args.lang
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="xuncha-shots-") as tmp:
        db_path = args.db
        if db_path is None:
            db_path = Path(tmp) / "demo.sqlite3"
            print(f"正在生成演示数据库 {db_path} …", file=sys.stderr)
            build_demo_database(db_path)
        shots = take(args.outdir, db_path, (width, height))
    for path in shots:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
