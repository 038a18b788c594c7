"""`xuncha bench --bench-db postgresql://…`: the database figures of `xuncha bench` measured on an
office server, to print beside SQLite's.

The server database is the benchmark's own (an empty database the first time: the demo of DESIGN.md's
size is generated into it once, as into the cached SQLite file, and reused). The figures carry the
same names as benchmark.run_benchmarks' so the two columns pair up; the queries are the ones the
register, the global search and the statistics run, whatever the engine.
"""

from __future__ import annotations

from collections.abc import Callable

from app.models import Setting
from app.models.db import display_url

from . import benchmark
from .benchmark import (
    DEMO_SECONDS,
    Figure,
    audit_verify_figure,
    built_demo_figure,
    document_figures,
    query_figures,
    record_demo_build,
    recorded_demo_figure,
)
from .context import ServiceContext
from .errors import ServiceError
from .setup import open_database


def check_server_bench(url: str) -> None:
    """Refuse, before anything is measured or built, a server database that holds real data."""
    from .inspections import InspectionService

    ctx = open_database(url, create=True).ctx
    try:
        with ctx.db.read() as session:
            if session.get(Setting, DEMO_SECONDS) is not None:
                return
        if InspectionService(ctx).count(include_deleted=True):
            raise ServiceError(f"服务器上的数据库 {display_url(url)} 已有巡察数据，不是基准测试数据库；"
                               "请为基准测试新建一个空数据库，以免演示数据混入真实数据")
    finally:
        ctx.db.dispose()


def ensure_server_bench(url: str, progress: Callable[[str], None]) -> tuple[ServiceContext, Figure]:
    """The server's benchmark database, and its `demo_generation` figure: timed now when built, else
    the database's own record of its build."""
    from .demo import generate_demo
    from .inspections import InspectionService

    opened = open_database(url, create=True)
    ctx = opened.ctx
    with ctx.db.read() as session:
        if session.get(Setting, DEMO_SECONDS) is not None:
            progress(f"复用服务器上的基准测试数据库 {display_url(url)}")
            return ctx, recorded_demo_figure(session)
    if InspectionService(ctx).count(include_deleted=True):
        ctx.db.dispose()
        raise ServiceError(f"服务器上的数据库 {display_url(url)} 已有巡察数据，不是基准测试数据库；"
                           "请为基准测试新建一个空数据库，以免演示数据混入真实数据")
    size = benchmark.SIZE
    progress(f"在服务器上生成基准测试数据库（{size['findings']} 个问题、{size['interviews']} 次谈话）…")
    report = generate_demo(ctx.db, seed=benchmark.SEED, **size, progress=progress)
    with ctx.db.write() as session:
        record_demo_build(session, report.elapsed_seconds)
    return ctx, built_demo_figure(report.elapsed_seconds)


def server_figures(url: str, progress: Callable[[str], None] = lambda _m: None) -> list[Figure]:
    ctx, demo = ensure_server_bench(url, progress)
    try:
        figures = [demo]
        progress("在服务器上测量查询…")

        figures += query_figures(ctx)
        figures += document_figures(ctx, progress)
        progress("在服务器上测量审计校验（audit verify）…")
        figures.append(audit_verify_figure(ctx.db))
        return figures
    finally:
        ctx.db.dispose()


def side_by_side(sqlite: list[Figure], server: list[Figure]) -> list[dict[str, object]]:
    """One row per figure (paired by its stable id), SQLite's value beside the server's (None where one
    side lacks it), in the order SQLite's figures came, then those only the server has."""
    by_id = {f.id: f for f in server}
    rows: list[dict[str, object]] = []
    for f in sqlite:
        other = by_id.pop(f.id, None)
        rows.append(_row(f, f.value, other.value if other else None))
    for f in by_id.values():
        rows.append(_row(f, None, f.value))
    return rows


def _row(f: Figure, sqlite: float | None, server: float | None) -> dict[str, object]:
    def within(value: float | None) -> bool | None:
        return None if value is None or f.budget is None else value <= f.budget

    return {"id": f.id, "name": f.name, "unit": f.unit, "budget": f.budget,
            "sqlite": None if sqlite is None else round(sqlite, 3),
            "postgresql": None if server is None else round(server, 3),
            "sqlite_within_budget": within(sqlite), "postgresql_within_budget": within(server)}


def render_rows(rows: list[dict[str, object]]) -> list[str]:
    width = max(len(str(r["name"])) for r in rows)

    def cell(value: object, ok: object) -> str:
        if value is None:
            return f"{'—':>10}  "
        return f"{value:10.1f}{'' if ok is None else (' ✓' if ok else ' ✗')}"

    lines = [f"{'':<{width}}  {'SQLite':>12}  {'PostgreSQL':>12}  预算"]
    for r in rows:
        budget = f"< {r['budget']:g} {r['unit']}" if r["budget"] is not None else f"（{r['unit']}，无预算）"
        lines.append(f"{r['name']:<{width}}  {cell(r['sqlite'], r['sqlite_within_budget'])}  "
                     f"{cell(r['postgresql'], r['postgresql_within_budget'])}  {budget}")
    return lines
