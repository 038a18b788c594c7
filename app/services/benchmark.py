"""`xuncha bench`: the figure of every performance budget in DESIGN.md, beside its budget.

Figures, not pass/fail tests: a slow machine prints slow figures. The database is the DESIGN.md
size (200 units, 100,000 findings, 20,000 interviews), built once and reused from the cache folder.
"""

from __future__ import annotations

import io
import os
import statistics as stats_
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import func, select

from app.models import Finding, Setting
from app.models.enums import ReviewState
from app.paths import APP_AUTHOR, APP_NAME

from . import register, search, statistics
from .context import ServiceContext
from .setup import open_database

SIZE = {"units": 200, "findings": 100_000, "interviews": 20_000}
SEED = 20261121
# Bump when the demo generator or the index layout changes: the cached database is rebuilt.
DEMO_FORMAT = 3
# Common and rare short words, a longer phrase, and two words: what people type into the box.
QUERIES = ("公车", "挪用", "扶贫资金", "违反中央八项规定", "资金 挪用", "招标")
REPEAT = 7


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    budget: float | None = None

    @property
    def within_budget(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "value": round(self.value, 3), "unit": self.unit, "budget": self.budget,
                "within_budget": self.within_budget}

    def render(self, width: int) -> str:
        budget = f"预算 < {self.budget:g} {self.unit}" if self.budget is not None else "（无预算，仅供参考）"
        mark = {True: "✓", False: "✗ 超出预算", None: ""}[self.within_budget]
        return f"{self.name:<{width}}  {self.value:10.1f} {self.unit:<3} {budget} {mark}".rstrip()


def default_bench_path() -> Path:
    # The generator's version is in the name: a changed generator builds a fresh database.
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "bench" / f"demo-{SEED}-100k-v{DEMO_FORMAT}.sqlite3"


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
    from .demo import generate_demo

    if path.exists() and not rebuild:
        ctx = ServiceContext(open_database(path).db)
        with ctx.db.read() as session:
            recorded = session.get(Setting, "bench.demo_seconds")
        if recorded is not None:
            progress(f"复用基准测试数据库 {path}")
            return ctx, None
        ctx.db.dispose()
    # Build beside the final name and move into place, so an interrupted build is never reused.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    progress(f"生成基准测试数据库（{SIZE['findings']} 个问题、{SIZE['interviews']} 次谈话）…")
    db = open_database(partial, create=True).db
    report = generate_demo(db, seed=SEED, **SIZE, progress=progress)
    with db.write() as session:
        session.merge(Setting(key="bench.demo_seconds", value=f"{report.elapsed_seconds:.3f}"))
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
        figures.append(Figure("演示数据生成（10万问题、2万谈话）", built_seconds, "s", 60))
    else:
        with ctx.db.read() as session:
            recorded = session.get(Setting, "bench.demo_seconds")
        assert recorded is not None, "a cached bench database records how long it took to build"
        figures.append(Figure("演示数据生成（10万问题、2万谈话，上次生成时）", float(recorded.value), "s", 60))

    def register_filter(query: str) -> Callable[[], object]:
        # Exactly what the register does for a keyword over all findings: the count and the
        # first screenful, newest first.
        return lambda: register.first_rows(ctx, register.RegisterFilter(keyword=query), sort="created", descending=True)

    worst = 0.0
    for query in QUERIES:
        ms = _timed(register_filter(query))
        worst = max(worst, ms)
        figures.append(Figure(f"关键词筛选问题「{query}」", ms, "ms", 100))
    figures.append(Figure("关键词筛选问题（最慢一词）", worst, "ms", 100))
    figures.append(Figure("全局搜索「资金」（全部记录，前200条）", _timed(lambda: search.search(ctx, "资金")), "ms", 100))

    def first_rows() -> object:
        with ctx.db.read() as session:
            return session.execute(
                select(Finding.id, Finding.number, Finding.title, Finding.status)
                .where(Finding.deleted_at.is_(None))
                .order_by(Finding.created_at.desc())
                .limit(100)
            ).all()

    figures.append(Figure("问题台账首屏数据（查询层）", _timed(first_rows), "ms", 200))
    figures.append(Figure("统计汇总（全库）", _timed(lambda: statistics.compute(ctx), repeat=3), "ms", None))
    figures += document_figures(ctx, progress)
    ctx.db.dispose()
    return figures


# A real 整改通知书 lists a few to a few dozen problems; the bench inspections hold ~1,300 findings each
# (sized for the register), so the letter takes this many of them.
NOTICE_ITEMS = 20
FEEDBACK_FINDINGS = 500


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
            return [Figure("公文字体加载（每个进程一次）", load_ms, "ms", None)]
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
        Figure("公文字体加载（每个进程一次）", load_ms, "ms", None),
        Figure(f"整改通知书 PDF（{len(for_notice)}个问题，从数据库生成）", _timed(preview("notice", for_notice)), "ms", 200),
        Figure(f"巡察反馈意见 PDF（{len(in_feedback)}个问题，从数据库生成）", feedback_ms, "ms", 3000),
        Figure("　同文原生 ReportLab 排版（基线）", raw_ms, "ms", None),
        Figure("　反馈意见 ÷ 原生 ReportLab（比值）", feedback_ms / raw_ms if raw_ms else float("nan"), "×", None),
    ]
