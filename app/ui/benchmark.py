"""The interface's performance figures on a big database, beside their budgets (DESIGN.md).

    python -m app.ui.benchmark DBPATH [--json]

`measure_ui(db_path)` returns (id, name, value, unit, budget) tuples:
- launch to a usable main window: from the call (importing Qt and the app included, so run it in
  a fresh process as the command above does) through QApplication, the window, opening the
  database off the UI thread, to the first page showing the chosen inspection's data;
- the first register rows on screen, for the team's own inspection and for every finding;
- a keyword filter over every finding (from the moment the typing pause ends to rows painted);
- the longest the UI thread went without turning its event loop while all this ran, measured by
  a 5 ms heartbeat timer; the longest once the window was usable (the pickers arriving, the other
  pages prepared in the background); and the longest while each page is opened for the first
  time after that (work a page defers until it is shown is still counted there).

It measures and reports; it never fails because a machine is slow. Layout memory and drafts go to
temporary folders, so the user's own settings are neither used nor touched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The launch figure (app.services.benchmark.launch_figures) starts `xuncha --db FILE` with this
# variable set; the window prints USABLE when usable.
LAUNCH_PROBE = "XUNCHA_LAUNCH_PROBE"
USABLE = "xuncha-window-usable"
# Printed instead when the file asks who is working: the login dialog is shown and takes input.
LOGIN_USABLE = "xuncha-login-usable"
# LAUNCH_PROBE set to this: the probe also prints the modules imported by then (as a JSON list).
PROBE_MODULES = "modules"
KEYWORDS = ("公车", "挪用", "扶贫资金", "违反中央八项规定", "资金 挪用", "招标")
HEARTBEAT_MS = 5
# A gap this long is listed as a stall (budget: 100 ms); the watchdog looks every WATCH_MS.
STALL_MS = 50
WATCH_MS = 20
LAUNCH_PHASE = "启动"
VISIT_PHASE = "首次打开页面"
Figure = tuple[str, str, float, str, float | None]


@dataclass
class Stall:
    ms: float
    phase: str
    running: str  # where the UI thread was when the watchdog looked (or what held it up)
    # The UI thread's own CPU time in the gap: near the gap, its own work; far below it, it was
    # waiting (for the interpreter lock a worker held, or for a core on a loaded machine).
    cpu_ms: float = 0.0
    # The whole process's CPU time in the gap (every thread): near the gap while the UI thread's
    # is far below it, a worker ran (and held the interpreter lock); far below the gap too, the
    # process was waiting for a core: the machine was busy with other programs.
    process_ms: float = 0.0


class _Heartbeat:
    """Ticks every few milliseconds; a gap between ticks is a stall of the UI thread. A watchdog
    thread looks at the UI thread's stack while a stall lasts, so each of the longest stalls is
    listed with what was running."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.last = self.last_cpu = self.last_process = 0.0
        self.phase = ""
        self.stalls: list[Stall] = []  # the gaps over STALL_MS
        # The longest gap of each phase, however short: a quiet run reports what it measured
        # (say 23 ms), not a 0 a reader would take for a measured zero.
        self.gaps: dict[str, Stall] = {}
        self._seen = self._seen_phase = ""  # the watchdog's sample of the stall under way
        self._ui = threading.get_ident()
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._watchdog, name="stall-watchdog", daemon=True)

    @property
    def worst(self) -> Stall:
        """The longest gap, listed as a stall or not."""
        return max(self.gaps.values(), key=lambda s: s.ms, default=Stall(0.0, self.phase, ""))

    def longest(self, n: int) -> list[Stall]:
        return sorted(self.stalls, key=lambda s: -s.ms)[:n]

    def start(self) -> None:
        self.last, self.last_cpu, self.last_process = time.perf_counter(), time.thread_time(), time.process_time()
        self.timer.start()
        self._watch.start()

    def _tick(self) -> None:
        now, cpu, process = time.perf_counter(), time.thread_time(), time.process_time()
        gap = (now - self.last) * 1000
        phase = self._seen_phase or self.phase
        longest = self.gaps.get(phase)
        if gap > STALL_MS or longest is None or gap > longest.ms:
            running = self._seen or ("（Qt 内部：布局、绘制或事件处理）" if gap > STALL_MS else "")
            stall = Stall(gap, phase, running, (cpu - self.last_cpu) * 1000, (process - self.last_process) * 1000)
            if gap > STALL_MS:
                self.stalls.append(stall)
            if longest is None or gap > longest.ms:
                self.gaps[phase] = stall
        self._seen = self._seen_phase = ""
        self.last, self.last_cpu, self.last_process = now, cpu, process

    def _watchdog(self) -> None:
        while not self._stop.wait(WATCH_MS / 1000):
            if (time.perf_counter() - self.last) * 1000 > WATCH_MS * 2 and not self._seen:
                self._seen_phase = self.phase  # the phase the stall began in, not the one after it
                self._seen = _sample(self._ui)

    def stop(self) -> None:
        self._tick()
        self.timer.stop()
        self._stop.set()
        self._watch.join(1)


# Frames that say nothing about the stall: the bench's own loop and how it was started.
_PLUMBING = ("__main__", "runpy", "threading", "concurrent.futures")


def _where(frame: Any, *, app_only: bool = False) -> str:
    """The innermost frames of the application's own code on a stack, as `module.function` (else the
    innermost frame of other code, unless `app_only`)."""
    found: list[str] = []
    first = ""
    while frame is not None and len(found) < 3:
        name = frame.f_globals.get("__name__", "")
        if name != __name__ and not name.startswith(_PLUMBING):
            first = first or f"{name}.{frame.f_code.co_name}"
            if name.startswith("app."):
                found.append(f"{name.removeprefix('app.')}.{frame.f_code.co_name}")
        frame = frame.f_back
    return " ← ".join(found) or ("" if app_only else first)


def _sample(ui: int) -> str:
    """Where the UI thread is, and what the application's other threads run meanwhile (a worker
    holding the interpreter lock stalls the UI thread as surely as its own work does)."""
    me = threading.get_ident()
    frames = sys._current_frames()
    here = _where(frames.get(ui)) or "Qt 内部：布局、绘制或事件处理"
    others = [w for ident, f in frames.items() if ident not in (ui, me) and (w := _where(f, app_only=True))]
    return f"{here}；后台：{'、'.join(others[:2])}" if others else here


def probe_launch(window: Any) -> None:
    """In a process the launch figure started (LAUNCH_PROBE set): once the overview shows the
    inspection's data and the event loop has turned again (input is accepted), say so on stdout
    and quit. The bare-window baseline (app.services.benchmark) uses the same test."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    # The modules imported when the window said it was usable (before the worker that opens the
    # database after the first paint has started: tests/test_launch_imports.py pins what they are).
    modules: list[str] = []

    def usable() -> None:
        QApplication.processEvents()
        print(USABLE, flush=True)
        if os.environ.get(LAUNCH_PROBE) == PROBE_MODULES:
            print(json.dumps(modules), flush=True)
        QApplication.quit()

    def became_usable() -> None:
        modules.extend(sorted(sys.modules))
        QTimer.singleShot(0, usable)

    window.usable.connect(became_usable)


def probe_login(dialog: Any) -> None:
    """In a process the launch figure started, on a file that asks who is working: once the login
    dialog is shown and the event loop has turned again (typing is accepted), say so on stdout (with
    the modules imported when it was shown, if asked) and close it, as 退出 does."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def usable() -> None:
        # Before the events below: they start the worker that imports what the login runs.
        modules = sorted(sys.modules)
        QApplication.processEvents()
        print(LOGIN_USABLE, flush=True)
        if os.environ.get(LAUNCH_PROBE) == PROBE_MODULES:
            print(json.dumps(modules), flush=True)
        dialog.reject()

    # Runs once exec() has shown the dialog: the same test as the bare window's baseline.
    QTimer.singleShot(0, usable)


def _wait_for(signal: Any, timeout_ms: int = 120_000) -> bool:
    """Run the event loop until `signal` fires (the UI thread keeps turning meanwhile)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    fired = {"yes": False}

    def done(*_args: Any) -> None:
        fired["yes"] = True
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    return fired["yes"]


def _wait_until(condition: Any, timeout_ms: int = 120_000) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(lambda: loop.quit() if condition() else None)
    poll.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    if not condition():
        loop.exec()
    poll.stop()


def _isolate_user_state() -> None:
    from PySide6.QtCore import QSettings

    folder = tempfile.mkdtemp(prefix="xuncha-ui-bench-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    os.environ["XUNCHA_DATA_DIR"] = folder


def measure_ui(db_path: str | Path) -> list[Figure]:
    started = time.perf_counter()
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from .application import create_application, start_opening
    from .main_window import MainWindow

    app = QApplication.instance()
    if app is None:
        app = create_application(sys.argv[:1])
    _isolate_user_state()
    window = MainWindow()
    window.resize(1366, 768)
    # The order of application.run(): the database opens (a plain file without accounts: its
    # summary is read first, and painted) while the window shows.
    start_opening(window, db_path)
    window.show()
    beat = _Heartbeat()
    beat.phase = LAUNCH_PHASE
    beat.start()
    # Usable as the launch figure counts it: the overview shows the data and takes input.
    if not _wait_for(window.usable):
        raise RuntimeError("主窗口未能在两分钟内就绪")
    figures: list[Figure] = [("ui_launch_in_process", "界面：启动到主窗口可用", (time.perf_counter() - started) * 1000, "ms", 1500)]
    # The pickers follow, then the other pages are prepared in the background; let that finish,
    # as it would while someone reads the overview.
    beat.phase = "后台读取选项、准备其他页面"
    _wait_for(window.ready)
    _wait_until(lambda: not window._preparing)
    _visit_pages(app, window, beat)
    page = window.findings
    beat.phase = "打开问题台账"
    window.show_page_widget(page)
    _wait_until(lambda: not page.model.loading)
    app.processEvents()
    figures += _register_figures(app, page, beat)
    figures += _keyword_figures(app, page, beat)
    beat.stop()
    figures += _stall_figures(beat)
    window.findings.editor.tracker.set_dirty(False)
    window.close()
    window.tasks.wait(30_000)
    if window.workspace.ctx is not None:
        window.workspace.ctx.db.dispose()
    return figures


def _visit_pages(app: Any, window: Any, beat: _Heartbeat) -> None:
    """Open every page in turn, as someone looking around after the launch does, each until the
    work it started (its list, its pickers) is done."""
    from PySide6.QtCore import QThreadPool

    pool = QThreadPool.globalInstance()
    for n, (title, _factory) in enumerate(window.page_specs):
        beat.phase = f"{VISIT_PHASE}「{title}」"
        window.show_page(n)
        settled = time.perf_counter() + 0.1
        _wait_until(lambda settled=settled: pool.activeThreadCount() == 0 and time.perf_counter() > settled)
    window.show_page(0)


def _register_figures(app: Any, page: Any, beat: _Heartbeat) -> list[Figure]:
    """The register's first rows for the team's inspection and for every finding, and scrolling to its end."""
    from .pages.findings import SCOPE_ALL, SCOPE_INSPECTION

    model = page.model

    def first_rows(scope: str, phase: str) -> float:
        beat.phase = phase
        page.scope.blockSignals(True)
        page.scope.set_key(scope)
        page.scope.blockSignals(False)
        t0 = time.perf_counter()
        page.apply_filters()
        _wait_for(model.loaded)
        app.processEvents()  # paint the rows
        elapsed = (time.perf_counter() - t0) * 1000
        _wait_until(lambda: not model.loading)
        return elapsed

    team_rows = first_rows(SCOPE_INSPECTION, "问题台账（本次巡察）")
    figures: list[Figure] = [
        ("ui_register_first_rows_inspection", f"界面：问题台账首屏（本次巡察，{model.total:,} 个问题）", team_rows, "ms", 200)]
    all_rows = first_rows(SCOPE_ALL, "问题台账（全部巡察）")
    figures.append(("ui_register_first_rows_all", f"界面：问题台账首屏（全部巡察，{model.total:,} 个问题）", all_rows, "ms", 200))
    # Scrolling to the far end fetches a page out of the cache's reach.
    beat.phase = "问题台账滚动"
    t0 = time.perf_counter()
    page.table.scrollToBottom()
    last = model.rowCount() - 1
    _wait_until(lambda: model.cached_row(last) is not None)
    app.processEvents()
    figures.append(("ui_register_scroll_end", "界面：问题台账滚动到末尾并显示", (time.perf_counter() - t0) * 1000, "ms", 200))
    page.table.scrollToTop()
    return figures


def _keyword_figures(app: Any, page: Any, beat: _Heartbeat) -> list[Figure]:
    """Each keyword over every finding, from the moment the typing pause ends to the rows painted."""
    model, worst = page.model, 0.0
    figures: list[Figure] = []
    for n, keyword in enumerate(KEYWORDS, 1):
        beat.phase = f"关键词「{keyword}」"
        page.keyword.blockSignals(True)
        page.keyword.setText(keyword)
        page.keyword.blockSignals(False)
        t0 = time.perf_counter()
        page.apply_filters()
        _wait_for(model.loaded)
        app.processEvents()
        elapsed = (time.perf_counter() - t0) * 1000
        worst = max(worst, elapsed)
        # A lower bound until every key follows (as the page says it: "100+").
        found = f"{model.total:,}" + ("" if model.total_exact else "+")
        figures.append((f"ui_keyword_filter_{n}", f"界面：关键词筛选「{keyword}」（{found} 个结果）", elapsed, "ms", 100))
        _wait_until(lambda: not model.loading)
    figures.append(("ui_keyword_filter_worst", "界面：关键词筛选（最慢一词）", worst, "ms", 100))
    return figures


def _stall_figures(beat: _Heartbeat) -> list[Figure]:
    """The longest stall (overall, after the launch, while opening the pages), and the three longest
    with where the UI thread was: what to move off it next."""
    def longest(stalls: list[Stall]) -> Stall:
        return max(stalls, key=lambda s: s.ms, default=Stall(0.0, "", ""))

    def where(stall: Stall, phase: str) -> str:  # a gap too short to be listed says so
        if not stall.phase:
            return "无"
        return phase if stall.ms > STALL_MS else f"{phase}；最长间隔，无超过 {STALL_MS} ms 的停顿"

    gaps = list(beat.gaps.values())
    after = longest([s for s in gaps if s.phase != LAUNCH_PHASE])
    visits = longest([s for s in gaps if s.phase.startswith(VISIT_PHASE)])
    worst = longest(gaps)
    figures: list[Figure] = [
        ("ui_after_launch_stall", f"界面：主窗口可用后最长停顿（{where(after, after.phase)}）", after.ms, "ms", 100),
        ("ui_page_visit_stall",
         f"界面：首次打开各页最长停顿（{where(visits, visits.phase.removeprefix(VISIT_PHASE))}）",
         visits.ms, "ms", 100),
        ("ui_longest_stall", f"界面：UI 线程最长停顿（{where(worst, worst.phase)}）", worst.ms, "ms", 100),
    ]
    for n, stall in enumerate(beat.longest(3), 1):
        at = f"：{stall.running}" if stall.running else ""
        cpu = f"其中 UI 线程 CPU {stall.cpu_ms:.0f} ms，整个进程 CPU {stall.process_ms:.0f} ms"
        figures.append((f"ui_stall_{n}", f"　停顿第{n}长（{stall.phase}{at}；{cpu}）", stall.ms, "ms", None))
    return figures


def use_bytecode_cache() -> None:
    """Measure the application as an installed one runs: from compiled bytecode.

    With PYTHONDONTWRITEBYTECODE set (as in some development shells) every run would compile the
    app's sources again, inside the measured launch, and a worker compiling a large module holds
    the interpreter lock long enough to stall the UI thread. The cache goes to the user's cache
    folder, never beside the sources.
    """
    if not sys.dont_write_bytecode:
        return
    import compileall

    import platformdirs

    from app.paths import APP_AUTHOR, APP_NAME

    sys.pycache_prefix = str(Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "pycache")
    sys.dont_write_bytecode = False
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.ui.benchmark", description="界面性能指标")
    parser.add_argument("db", help="a database to measure on (e.g. a 100,000-finding demo), or a postgresql:// URL")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    from app.models.peek import location_of

    args.db = location_of(args.db)
    if isinstance(args.db, Path) and not args.db.exists():
        print(f"数据库文件不存在：{args.db}", file=sys.stderr)
        return 1
    use_bytecode_cache()
    figures = measure_ui(args.db)
    if args.json:
        data = [
            {"id": i, "name": n, "value": round(v, 3), "unit": u, "budget": b, "within_budget": None if b is None else v <= b}
            for i, n, v, u, b in figures
        ]
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        width = max(len(n) for _i, n, *_ in figures)
        for _i, n, v, u, b in figures:
            if b is None:
                print(f"{n:<{width}}  {v:10.1f} {u}")
                continue
            mark = "✓" if v <= b else "✗ 超出预算"
            print(f"{n:<{width}}  {v:10.1f} {u:<3} 预算 < {b:g} {u} {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
