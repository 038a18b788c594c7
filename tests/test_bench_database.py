"""`xuncha bench`'s cached database: reused when current, rebuilt when older, never someone else's file."""

from __future__ import annotations

import sqlite3

import pytest

from app.models import Setting
from app.models.db import Database
from app.models.migrate import head_revision, upgrade
from app.services import benchmark
from app.services.setup import open_database

TINY = {"units": 3, "findings": 12, "interviews": 4}


@pytest.fixture(autouse=True)
def _tiny(monkeypatch):
    monkeypatch.setattr(benchmark, "SIZE", TINY)


def _findings(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    finally:
        conn.close()


def _revision(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def test_a_cache_on_an_older_schema_is_rebuilt_not_upgraded(tmp_path):
    # A cache left by an earlier version: its schema one revision behind, marked as a bench database.
    path = tmp_path / "bench.sqlite3"
    old = Database.open_path(path, create=True)
    upgrade(old.engine, "0005")
    with old.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO settings (key, value) VALUES ('bench.demo_seconds', '21.0')")
    old.dispose()

    messages: list[str] = []
    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=messages.append)
    ctx.db.dispose()

    assert built is not None  # generated anew, with its own time
    assert _revision(path) == head_revision()
    assert _findings(path) == TINY["findings"]
    assert any("过时" in m for m in messages)


def test_a_current_cache_is_reused(tmp_path):
    path = tmp_path / "bench.sqlite3"
    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)
    ctx.db.dispose()
    assert built is not None
    before = path.stat().st_mtime_ns

    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)
    with ctx.db.read() as session:
        assert session.get(Setting, "bench.format").value == str(benchmark.DEMO_FORMAT)
    ctx.db.dispose()
    assert built is None
    assert path.stat().st_mtime_ns == before
    assert benchmark.cached_state(path) == (head_revision(), str(benchmark.DEMO_FORMAT))


def test_a_database_that_is_not_a_bench_cache_is_never_overwritten(tmp_path):
    path = tmp_path / "work.sqlite3"
    open_database(path, create=True).db.dispose()
    content = path.read_bytes()

    with pytest.raises(benchmark.BenchDatabaseError, match="不是基准测试数据库"):
        benchmark.ensure_bench_database(path, rebuild=True, progress=lambda _m: None)
    assert path.read_bytes() == content


def test_the_default_cache_is_named_by_schema(tmp_path):
    # Copies on different schemas (other versions, other branches) keep separate caches.
    assert head_revision() in benchmark.default_bench_path().name


def test_a_reused_cache_says_the_day_its_build_time_was_recorded(tmp_path):
    # A record weeks old is what the machine did then: the figure and the progress line say when.
    path = tmp_path / "bench.sqlite3"
    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)
    ctx.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE settings SET value = '2026-11-21' WHERE key = 'bench.demo_built_on'")
        conn.execute("UPDATE settings SET value = '48.0' WHERE key = 'bench.demo_seconds'")
    conn.close()

    messages: list[str] = []
    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=messages.append)
    with ctx.db.read() as session:
        figure = benchmark.recorded_demo_figure(session)
    ctx.db.dispose()

    assert built is None
    assert (figure.id, figure.value) == ("demo_generation", 48.0)
    assert "2026-11-21" in figure.name
    assert any("2026-11-21" in m and "--rebuild" in m for m in messages)


def test_a_cache_from_before_the_day_was_recorded_says_so(tmp_path):
    path = tmp_path / "bench.sqlite3"
    benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)[0].db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM settings WHERE key = 'bench.demo_built_on'")
    conn.close()

    ctx, built = benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)
    with ctx.db.read() as session:
        figure = benchmark.recorded_demo_figure(session)
    ctx.db.dispose()
    assert built is None
    assert "日期未记录" in figure.name
