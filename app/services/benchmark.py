"""`xuncha bench`: the figure of every performance budget in DESIGN.md, beside its budget.

Figures, not pass/fail tests: a slow machine prints slow figures. The database is the DESIGN.md
size (200 units, 100,000 findings, 20,000 interviews), built once and reused from the cache folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sqlite3
import statistics as stats_
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Finding, Setting
from app.models.db import Database
from app.models.enums import ReviewState
from app.paths import APP_AUTHOR, APP_NAME

from . import register, search, statistics
from .context import ServiceContext
from .errors import ServiceError
from .setup import open_database

SIZE = {"units": 200, "findings": 100_000, "interviews": 20_000}
SEED = 20261121
# Bump when the demo generator or the index layout changes: the cached database is rebuilt.
DEMO_FORMAT = 3
# Common and rare short words, a longer phrase, two words, and a character in every finding (its
# first page is read without listing every match): what people type into the box.
QUERIES = ("公车", "挪用", "扶贫资金", "违反中央八项规定", "资金 挪用", "招标", "违")
# The register's second step for that character: every key and the exact count, in the background.
COMMON_WORD = "违"
REPEAT = 7
# What a bench database records about its own build: the seconds it took, and the day.
DEMO_SECONDS = "bench.demo_seconds"
DEMO_BUILT_ON = "bench.demo_built_on"
_DEMO_NAME = "演示数据生成（10万问题、2万谈话{}）"


@dataclass(frozen=True)
class Figure:
    id: str  # stable across runs and versions, for comparing JSON results; the name is for people
    name: str
    value: float
    unit: str
    budget: float | None = None

    @property
    def within_budget(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "value": round(self.value, 3), "unit": self.unit, "budget": self.budget,
                "within_budget": self.within_budget}

    def render(self, width: int) -> str:
        budget = f"预算 < {self.budget:g} {self.unit}" if self.budget is not None else "（无预算，仅供参考）"
        mark = {True: "✓", False: "✗ 超出预算", None: ""}[self.within_budget]
        return f"{self.name:<{width}}  {self.value:10.1f} {self.unit:<3} {budget} {mark}".rstrip()


REFERENCE_LOOP_STEPS = 3_000_000


def reference_loop_seconds(repeat: int = 3) -> float:
    """Seconds a fixed pure-Python loop takes here now (the best of `repeat`): the machine's speed at
    the moment of measuring. A virtual machine can run at half its speed for an hour with nothing
    in its load average (its host is busy): the same merge read 15 s and 24 s on one laptop-sized
    machine, and this figure, taken before and after the bench, says which minute was which."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        total = 0
        for i in range(REFERENCE_LOOP_STEPS):
            total += i
        best = min(best, time.perf_counter() - start)
    return best


def machine_info() -> dict[str, object]:
    """What the figures were measured on: cores, CPU model, how busy the machine was (the load
    average, where the system keeps one: other work running shows there) and how fast it ran then
    (`reference_loop_seconds`)."""
    import platform

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = None
    with contextlib.suppress(OSError, AttributeError):
        load = [round(x, 2) for x in os.getloadavg()]
    return {"cores": os.cpu_count(), "cpu": cpu or platform.processor() or platform.machine(),
            "system": platform.platform(terse=True), "python": platform.python_version(), "load_average": load,
            "reference_loop_s": round(reference_loop_seconds(), 3)}


def describe_machine(info: dict[str, object]) -> str:
    return f"本机：{info['cores']} 核，{info['cpu']}，{info['system']}，Python {info['python']}{_state(info)}"


def describe_after(info: dict[str, object]) -> str:
    """The machine's state when the figures were done (`machine_info` taken then)."""
    return f"测量结束时{_state(info)}"


def _state(info: dict[str, object]) -> str:
    load = info.get("load_average")
    busy = f"，负载（1/5/15 分钟）{' / '.join(str(x) for x in load)}" if isinstance(load, list) else ""
    loop = info.get("reference_loop_s")
    speed = f"，参考循环 {loop:.2f} s（{REFERENCE_LOOP_STEPS // 10_000} 万次纯 Python 加法，越小越快）" \
        if isinstance(loop, float) else ""
    return busy + speed


def default_bench_path() -> Path:
    # The generator's version and the schema are in the name: a changed generator or schema builds
    # a fresh database beside the old one (worktrees or versions on other schemas keep theirs).
    from app.models.migrate import head_revision

    folder = Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "bench"
    return folder / f"demo-{SEED}-100k-v{DEMO_FORMAT}-{head_revision()}.sqlite3"


class BenchDatabaseError(ServiceError):
    """The file given as the benchmark database is something else (never overwritten)."""


def cached_state(path: Path) -> tuple[str | None, str | None]:
    """(schema revision, demo format) of a cached benchmark database, read with bare sqlite3 so that
    nothing is upgraded or written; (None, None) when it is not a benchmark database at all."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None, None
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        marks = dict(conn.execute("SELECT key, value FROM settings WHERE key IN (?, 'bench.format')", (DEMO_SECONDS,)))
    except sqlite3.Error:  # not plain SQLite (encrypted), or not ours
        return None, None
    finally:
        conn.close()
    if DEMO_SECONDS not in marks:
        return None, None
    return (revision[0] if revision else None), marks.get("bench.format", "")


def record_demo_build(session: Session, seconds: float) -> None:
    session.merge(Setting(key=DEMO_SECONDS, value=f"{seconds:.3f}"))
    session.merge(Setting(key=DEMO_BUILT_ON, value=date.today().isoformat()))


def _built_on(session: Session) -> str:
    built_on = session.get(Setting, DEMO_BUILT_ON)
    return f"{built_on.value} 生成" if built_on is not None else "生成日期未记录"


def built_demo_figure(seconds: float) -> Figure:
    """`demo_generation` timed now, by the build this run did."""
    return Figure("demo_generation", _DEMO_NAME.format(""), seconds, "s", 60)


def recorded_demo_figure(session: Session) -> Figure:
    """A reused database's record of its own build, with the day it was built: a record weeks old
    says what the machine did then (a 48 s record read as over the margin while fresh builds took
    27-29 s), and `--rebuild` times it again."""
    recorded = session.get(Setting, DEMO_SECONDS)
    assert recorded is not None, "a cached bench database records how long it took to build"
    return Figure("demo_generation", _DEMO_NAME.format(f"，记录：{_built_on(session)}"), float(recorded.value), "s", 60)


def _timed(fn: Callable[[], object], repeat: int = REPEAT) -> float:
    """Median wall time in milliseconds; the first run warms caches and is not counted."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return stats_.median(samples)


def ensure_bench_database(path: Path, rebuild: bool, progress: Callable[[str], None]) -> tuple[ServiceContext, float | None]:
    """The benchmark database, built if missing; returns how long the build took (None if reused)."""
    from app.models.migrate import head_revision

    from .demo import generate_demo

    if path.exists():
        revision, demo_format = cached_state(path)
        if revision is None and demo_format is None:
            raise BenchDatabaseError(f"{path} 不是基准测试数据库（没有演示数据标记），为免覆盖其中的数据，已停止。"
                                     "请另选一个文件名，或删除该文件后重试。")
        if not rebuild and revision == head_revision() and demo_format == str(DEMO_FORMAT):
            ctx = ServiceContext(open_database(path).db)
            with ctx.db.read() as session:
                progress(f"复用基准测试数据库 {path}（{_built_on(session)}；--rebuild 重新生成并计时）")
            return ctx, None
        if not rebuild:
            # Older schema or generator: upgrading 100,000 findings in place would measure a database
            # the current demo never makes (and an old cache crashed the sync figures); build anew.
            progress(f"基准测试数据库 {path.name} 的数据结构（{revision}）或演示数据版本已过时，重新生成…")
    # Build beside the final name and move into place, so an interrupted build is never reused.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    progress(f"生成基准测试数据库（{SIZE['findings']} 个问题、{SIZE['interviews']} 次谈话）…")
    db = open_database(partial, create=True).db
    report = generate_demo(db, seed=SEED, **SIZE, progress=progress)
    with db.write() as session:
        record_demo_build(session, report.elapsed_seconds)
        session.merge(Setting(key="bench.format", value=str(DEMO_FORMAT)))
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(partial, path)
    return ServiceContext(open_database(path).db), report.elapsed_seconds


def run_benchmarks(
    database: Path | None = None, rebuild: bool = False, progress: Callable[[str], None] = lambda _m: None
) -> list[Figure]:
    path = database or default_bench_path()
    ctx, built_seconds = ensure_bench_database(path, rebuild, progress)
    figures: list[Figure] = []
    if built_seconds is not None:
        figures.append(built_demo_figure(built_seconds))
    else:
        with ctx.db.read() as session:
            figures.append(recorded_demo_figure(session))

    figures += query_figures(ctx)
    figures += document_figures(ctx, progress)
    ctx.db.dispose()
    figures += audit_figures(path, progress)
    figures.append(create_encrypted_figure(progress))
    from .rekey_benchmark import rekey_figures  # imports this module's Figure

    figures += rekey_figures(path, progress)
    return figures


def audit_figures(path: Path, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """`audit verify` on the bench database, read-only (the cached file is never written), beside a
    bare baseline in the same run: raw sqlite3 reading every event's hashed columns and SHA-256 over
    its stored text, the least any verification of the log must do."""
    progress("测量审计校验（audit verify）…")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        for row in conn.execute("SELECT id, site_id, seq, hlc, table_name, row_id, op, fields, supersedes, schema_version, "
                                "author_id, author_name, recorded_at, prev_hash FROM change_events"):
            hashlib.sha256("|".join(map(str, row)).encode("utf-8")).hexdigest()
        bare = time.perf_counter() - start
    finally:
        conn.close()
    db = Database(f"sqlite:///{path}", read_only=True, locking=True)
    try:
        verify = audit_verify_figure(db)
    finally:
        db.dispose()
    return [
        verify,
        Figure("audit_verify_raw_sqlite", "　原生 sqlite3 读出全部变更并 SHA-256（基线）", bare, "s", None),
        Figure("audit_verify_ratio_raw_sqlite", "　审计校验 ÷ 原生读取与散列（比值）",
               verify.value / bare if bare else float("nan"), "×", None),
    ]


def audit_verify_figure(db: Database) -> Figure:
    """`audit verify` as the command runs it (it only reads), on a file or an office server."""
    from . import audit

    start = time.perf_counter()
    report = audit.verify_chains(db)
    seconds = time.perf_counter() - start
    return Figure("audit_verify", f"审计校验 audit verify（{report.events} 条变更，含重放各表）", seconds, "s", 30)


CREATE_BUDGET_S = 3.0
CREATE_REPEAT = 3
CREATE_STEP_NAMES = {"derive": "派生密钥", "schema": "建立数据表", "reference": "写入基础数据", "account": "生成账户密钥"}
_BENCH_PASSWORD = "基准测试-创建-2026"


def create_encrypted_figure(progress: Callable[[str], None] = lambda _m: None, repeat: int | None = None) -> Figure:
    """Creating an encrypted database as the first start and `xuncha init` do, with the real Argon2id
    settings: the median of `repeat` creations, each the first in a fresh process (where the
    libraries and SQLAlchemy's caches are cold, as they are for a user: a process creates once),
    timed from the call to its return. Each step's median goes to `progress`."""
    import json
    import sys
    import tempfile

    progress("测量创建加密数据库…")
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-create-") as folder:
        for n in range(repeat or CREATE_REPEAT):
            result = subprocess.run([sys.executable, "-c", _CREATE_ONCE, str(Path(folder) / f"new-{n}.sqlite3")],
                                    capture_output=True, text=True, timeout=300)
            if result.returncode != 0:
                raise ServiceError(f"创建加密数据库的测量失败：{(result.stderr.strip().splitlines() or ['?'])[-1]}")
            runs.append(json.loads(result.stdout))
    steps = [step for step in runs[0] if step != "total"]
    progress("创建加密数据库各步（中位数）：" + "，".join(
        f"{CREATE_STEP_NAMES.get(step, step)} {stats_.median(r[step] for r in runs):.2f} s" for step in steps))
    return Figure("create_encrypted", "创建加密数据库（密钥派生一次）", stats_.median(r["total"] for r in runs), "s",
                  CREATE_BUDGET_S)


# One creation in a fresh process: the module is imported first (the window has it by then), then
# the call is timed step by step.
_CREATE_ONCE = f"""
import json, sys, time
from app.services.setup import create_encrypted
marks = []
started = time.perf_counter()
opened = create_encrypted(sys.argv[1], password={_BENCH_PASSWORD!r},
                          progress=lambda step: marks.append((step, time.perf_counter())))
ended = time.perf_counter()
opened.db.dispose()
times = {{step: until - at for (step, at), (_n, until) in zip(marks, [*marks[1:], ("", ended)])}}
print(json.dumps({{**times, "total": ended - started}}))
"""


# What a bare PySide6 process does before it counts as usable, by the same test as the
# application's launch probe (app.ui.benchmark.probe_launch): the baseline of the launch figure.
_BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1366, 768)
window.show()
def usable():
    app.processEvents()
    print("%s", flush=True)
    app.quit()
QTimer.singleShot(0, usable)
app.exec()
"""
# What app.ui.benchmark.probe_launch and probe_login print (this layer cannot import the UI's constants).
USABLE = "xuncha-window-usable"
LOGIN_USABLE = "xuncha-login-usable"
_BARE_WINDOW %= USABLE
LAUNCH_REPEAT = 3


def _launch_seconds(command: list[str], env: dict[str, str], timeout: float = 180, until: str = USABLE) -> float:
    """From starting the process to its saying `until`: the window (or the login dialog) is usable
    (the process then quits)."""
    import queue
    import threading

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: queue.Queue[str | None] = queue.Queue()

    def read(stream: Any) -> None:  # a thread, as pipes cannot be polled on Windows
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, start + timeout - time.perf_counter()))
            except queue.Empty:
                raise RuntimeError(f"窗口在 {timeout:.0f} 秒内未能就绪。") from None
            if line is None:
                err = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"窗口未能就绪：{(err.strip().splitlines() or ['（无输出）'])[-1]}")
            if line.strip() == until:
                return time.perf_counter() - start
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(30)
        if process.poll() is None:
            process.kill()
            process.wait()


def _bytecode_env() -> dict[str, str]:
    """The environment of a launch measured as an installed application runs: from compiled byte-code
    (the installer ships it). Where PYTHONDONTWRITEBYTECODE is set (some development shells, CI),
    each measured launch compiled every changed module again (~0.5 s); the unmeasured first launch
    writes the byte-code to the user's cache folder instead, never beside the sources."""
    env = dict(os.environ)
    if env.pop("PYTHONDONTWRITEBYTECODE", ""):
        env["PYTHONPYCACHEPREFIX"] = str(Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "pycache")
    return env


def launch_figures(database: Path, progress: Callable[[str], None] = lambda _m: None,
                   repeat: int = LAUNCH_REPEAT, login: bool = True) -> list[Figure]:
    """Launch as the user feels it: `xuncha --db FILE` started as a new process until its overview
    shows the data and accepts input, beside a bare PySide6 process showing an empty QMainWindow
    (the ratio travels between machines). With `login`, also until the login dialog of an encrypted
    file with an account (made here: what a team laptop opens; its size does not matter, nothing
    of it is read before the password) is shown and accepts input. Medians of `repeat` runs each,
    alternating, after one unmeasured run of each (the disk cache and byte-code warm, as on any
    launch but the first after installing). Offscreen unless QT_QPA_PLATFORM says otherwise; user
    settings isolated."""
    import sys
    import tempfile

    progress("测量启动（新进程，直到主窗口可用）…")
    with tempfile.TemporaryDirectory(prefix="xuncha-launch-") as tmp:
        env = {**_bytecode_env(), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "XUNCHA_ALLOW_HEADLESS": "1", "XUNCHA_LAUNCH_PROBE": "1", "XUNCHA_DATA_DIR": tmp,
               "XDG_CONFIG_HOME": str(Path(tmp) / "config")}
        frozen = getattr(sys, "frozen", False)
        app = [sys.executable] if frozen else [sys.executable, "-m", "app"]
        commands = {"app": ([*app, "--db", str(database)], USABLE)}
        if login:
            commands["login"] = ([*app, "--db", str(_login_database(Path(tmp)))], LOGIN_USABLE)
        if not frozen:
            commands["bare"] = ([sys.executable, "-c", _BARE_WINDOW], USABLE)
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for n in range(repeat + 1):
            for name, (command, until) in commands.items():
                seconds = _launch_seconds(command, env, until=until)
                if n:
                    runs[name].append(seconds * 1000)
    medians = {name: stats_.median(values) for name, values in runs.items()}
    return _launch_results(medians)


def _login_database(folder: Path) -> Path:
    """An encrypted file with its administrator, as the first start makes it."""
    from .setup import create_encrypted

    path = folder / "login" / "xuncha.sqlite3"
    path.parent.mkdir()
    create_encrypted(path, password=_BENCH_PASSWORD, username="bench").db.dispose()
    return path


def _launch_results(medians: dict[str, float]) -> list[Figure]:
    launch, bare_ms, login = medians["app"], medians.get("bare"), medians.get("login")
    figures = [Figure("launch_process", "启动：新进程到主窗口可用（xuncha --db，秒表）", launch, "ms", 1500)]
    if bare_ms:
        figures += [
            Figure("launch_bare_pyside6", "　空白 PySide6 窗口新进程（基线）", bare_ms, "ms", None),
            Figure("launch_ratio_bare_pyside6", "　启动 ÷ 空白 PySide6 窗口（比值，目标 ≤ 4）", launch / bare_ms, "×", 4.0),
        ]
    if login is not None:
        figures.append(Figure("launch_login_dialog", "启动：新进程到登录窗口可用（加密数据库，秒表）", login, "ms", 1500))
        if bare_ms:
            figures.append(Figure("launch_login_ratio_bare_pyside6", "　登录窗口 ÷ 空白 PySide6 窗口（比值，目标 ≤ 4）",
                                  login / bare_ms, "×", 4.0))
    return figures


def cli_figures(database: Path, progress: Callable[[str], None] = lambda _m: None, repeat: int = 5) -> list[Figure]:
    """The commands that read a little (DESIGN.md: < 0.5 s) as the user runs them: `xuncha --db FILE
    inspections list` and `sync status`, each a new process from its start to its exit, beside a bare
    `python -c "import sqlite3"` process (the ratio travels between machines). Medians of `repeat`
    runs each, alternating, after one unmeasured run of each (disk cache and byte-code warm, written
    as the launch's are: _bytecode_env). The database is only read: a plain file without accounts is
    answered read-only without the services (app/cli_quick.py), and its sync identity was made when it
    was built, so even the services' way would write nothing."""
    import sys
    import tempfile

    progress("测量命令行（新进程：inspections list、sync status）…")
    app = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "app"]
    commands = {"cli_inspections_list": [*app, "--db", str(database), "inspections", "list"],
                "cli_sync_status": [*app, "--db", str(database), "sync", "status"],
                "bare": [sys.executable, "-c", "import sqlite3"]}
    runs: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory(prefix="xuncha-cli-") as tmp:
        env = {**_bytecode_env(), "XUNCHA_DATA_DIR": tmp}  # its log, not the user's
        for n in range(repeat + 1):
            for name, command in commands.items():
                start = time.perf_counter()
                result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
                if result.returncode != 0:
                    raise ServiceError(f"命令行的测量失败：{(result.stderr.strip().splitlines() or ['?'])[-1]}")
                if n:
                    runs[name].append((time.perf_counter() - start) * 1000)
    bare = stats_.median(runs["bare"])
    names = {"cli_inspections_list": "命令行：xuncha inspections list（新进程，秒表）",
             "cli_sync_status": "命令行：xuncha sync status（新进程，秒表）"}
    figures = [Figure("cli_bare_python", "　空白 Python 进程（import sqlite3，基线）", bare, "ms", None)]
    for key, name in names.items():
        value = stats_.median(runs[key])
        figures += [Figure(key, name, value, "ms", 500),
                    Figure(f"{key}_ratio_bare_python", "　÷ 空白 Python 进程（比值）", value / bare, "×", None)]
    return figures


# A real 整改通知书 lists a few to a few dozen problems; the bench inspections hold ~1,300 findings each
# (sized for the register), so the letter takes this many of them.
NOTICE_ITEMS = 20
FEEDBACK_FINDINGS = 500


def query_figures(ctx: ServiceContext) -> list[Figure]:
    """The register's keyword filters, global search, first rows, statistics and the office dashboard
    on an open database: the same figures (and ids) for the cached file and for a server."""
    from .office import dashboard

    figures: list[Figure] = []

    def register_filter(query: str) -> Callable[[], object]:
        # Exactly what the register does for a keyword over all findings: the count and the
        # first screenful, newest first.
        return lambda: register.first_rows(ctx, register.RegisterFilter(keyword=query), sort="created", descending=True)

    worst = 0.0
    for n, query in enumerate(QUERIES, 1):
        ms = _timed(register_filter(query))
        worst = max(worst, ms)
        figures.append(Figure(f"register_filter_{n}", f"关键词筛选问题「{query}」", ms, "ms", 100))
    figures.append(Figure("register_filter_worst", "关键词筛选问题（最慢一词）", worst, "ms", 100))
    every_key = _timed(lambda: register.matching_ids(ctx, register.RegisterFilter(keyword=COMMON_WORD), "created", True),
                       repeat=3)
    figures.append(Figure("register_filter_all_keys", f"　「{COMMON_WORD}」全部结果与确切数目（后台，不阻塞界面）",
                          every_key, "ms", None))
    figures.append(Figure("global_search", "全局搜索「资金」（全部记录，前200条）", _timed(lambda: search.search(ctx, "资金")), "ms", 100))
    figures.append(Figure("global_search_common", f"全局搜索「{COMMON_WORD}」（全部记录，前200条）",
                          _timed(lambda: search.search(ctx, COMMON_WORD)), "ms", 100))

    # What the register asks when it opens over every inspection (newest first): the first rows and
    # the count. (This figure once timed a query by created_at that no screen runs.)
    every = register.RegisterFilter()
    sort, descending = register.opening_order(every)
    figures.append(Figure("register_first_rows_query", "问题台账首屏数据（查询层，全部巡察，最新在前）",
                          _timed(lambda: register.first_rows(ctx, every, sort=sort, descending=descending)), "ms", 200))
    figures.append(Figure("statistics_all", "统计汇总（全库，xuncha stats）", _timed(lambda: statistics.compute(ctx), repeat=3),
                          "ms", 300))
    figures.append(Figure("office_dashboard", "巡察办工作台统计（全库）", _timed(lambda: dashboard.compute(ctx), repeat=3),
                          "ms", 300))
    return figures


def document_figures(ctx: ServiceContext, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    """The PDF budgets, measured from the database through app.services.issuing, as previews.

    Previews read and render exactly what issuing does, minus taking the 文号 and storing the PDF, so
    the bench database gets no new documents. Fonts are found and loaded once per process (the
    application does it at start-up, off the UI thread): that is its own figure, and the first render
    (`_timed`'s warm-up) is not counted.
    """
    from app.reports import FontSet

    from .issuing import FEEDBACK_EXCLUDED_DISPOSITIONS, NOTICE_DISPOSITION, DocumentOptions, issue_document

    progress("测量公文生成…")
    start = time.perf_counter()
    fonts = FontSet.default()
    fonts.preload()
    load_ms = (time.perf_counter() - start) * 1000

    approved = (Finding.deleted_at.is_(None), Finding.review_state == ReviewState.APPROVED)
    with ctx.db.read() as session:
        inspection_id = session.scalar(
            select(Finding.inspection_id).where(*approved).group_by(Finding.inspection_id)
            .order_by(func.count().desc()).limit(1)
        )
        if inspection_id is None:
            return [Figure("font_load", "公文字体加载（每个进程一次）", load_ms, "ms", None)]
        in_feedback = session.scalars(
            select(Finding.id).where(
                *approved, Finding.inspection_id == inspection_id,
                Finding.disposition_code.is_(None) | Finding.disposition_code.not_in(FEEDBACK_EXCLUDED_DISPOSITIONS),
            ).order_by(Finding.number).limit(FEEDBACK_FINDINGS)
        ).all()
        for_notice = session.scalars(
            select(Finding.id).where(*approved, Finding.inspection_id == inspection_id,
                                     Finding.disposition_code == NOTICE_DISPOSITION)
            .order_by(Finding.number).limit(NOTICE_ITEMS)
        ).all()

    def preview(kind: str, ids: Sequence[Any]) -> Callable[[], Any]:
        options = DocumentOptions(finding_ids=list(ids))
        return lambda: issue_document(ctx, kind, inspection_id, options, preview=True, fonts=fonts, watermark="")

    from app.reports.bench import raw_reportlab

    feedback_ms = _timed(preview("feedback", in_feedback), repeat=3)
    # The same paragraphs through bare ReportLab (the baseline DESIGN.md asks for): the ratio travels.
    built = preview("feedback", in_feedback)().built
    raw_ms = _timed(lambda: raw_reportlab(built, fonts, io.BytesIO()), repeat=3)
    return [
        Figure("font_load", "公文字体加载（每个进程一次）", load_ms, "ms", None),
        Figure("notice_pdf", f"整改通知书 PDF（{len(for_notice)}个问题，从数据库生成）", _timed(preview("notice", for_notice)), "ms", 200),
        Figure("feedback_pdf", f"巡察反馈意见 PDF（{len(in_feedback)}个问题，从数据库生成）", feedback_ms, "ms", 3000),
        Figure("feedback_raw_reportlab", "　同文原生 ReportLab 排版（基线）", raw_ms, "ms", None),
        Figure("feedback_ratio_reportlab", "　反馈意见 ÷ 原生 ReportLab（比值）", feedback_ms / raw_ms if raw_ms else float("nan"), "×", None),
    ]
