"""`xuncha bench --bench-db postgresql://…` prints every database figure for the server beside SQLite's,
at a small size (the real run uses DESIGN.md's 100,000 findings): the search and register filters, the
merge of laptop packages and the re-import, each with both values; the server's benchmark database is
generated once, reused, and left as it was by the merge (measured on a throwaway copy)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import Finding
from app.models.db import Database
from app.services import benchmark
from app.sync import benchmark as sync_benchmark


@pytest.fixture
def small_bench(monkeypatch, tmp_path):
    monkeypatch.setattr(benchmark, "SIZE", {"units": 10, "findings": 300, "interviews": 40})
    monkeypatch.setattr(benchmark, "CREATE_REPEAT", 1)
    monkeypatch.setattr(benchmark, "default_bench_path", lambda: tmp_path / "bench.sqlite3")
    monkeypatch.setattr(sync_benchmark, "LAPTOPS", 2)
    monkeypatch.setattr(sync_benchmark, "EVENTS_PER_LAPTOP", 50)
    monkeypatch.setattr(sync_benchmark.build_laptop_packages, "__kwdefaults__",
                        {"laptops": 2, "events_per_laptop": 50, "seed": 7})
    from app.sync import server_bench

    monkeypatch.setattr(server_bench, "LAPTOPS", 2)
    monkeypatch.setattr(server_bench, "EVENTS_PER_LAPTOP", 50)


def _findings(url: str) -> int:
    db = Database.open_url(url)
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Finding))
    finally:
        db.dispose()


def test_every_figure_on_the_server_beside_sqlite(small_bench, pg_empty_url, capsys):
    code = main(["bench", "--bench-db", pg_empty_url, "--skip-ui", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}  # paired by each figure's stable id
    both = [key for key, r in rows.items() if r["sqlite"] is not None and r["postgresql"] is not None]
    for wanted in ("demo_generation", "register_filter_1", "register_filter_worst", "global_search",
                   "register_first_rows_query", "statistics_all", "office_dashboard", "merge_10_packages",
                   "reimport_merged_package", "feedback_pdf", "audit_verify"):
        assert wanted in both, (wanted, rows.get(wanted))
    assert rows["merge_10_packages"]["postgresql"] > 0 and rows["merge_10_packages"]["budget"] == 20.0
    # Nothing is on one side only but SQLite's own raw baselines for the merge and the audit, and
    # creating and re-keying an encrypted database file (a server's database is made by its
    # administrator, not encrypted by us).
    assert sorted(set(rows) - set(both)) == ["audit_verify_ratio_raw_sqlite", "audit_verify_raw_sqlite",
                                             "create_encrypted", "merge_10_packages_encrypted", "merge_ratio_raw_sqlite", "merge_raw_sqlite",
                                             "rekey", "rekey_copy_baseline", "rekey_cpu", "rekey_ratio_copy"]
    assert rows["create_encrypted"]["sqlite"] > 0 and rows["create_encrypted"]["budget"] == 3.0
    generated = _findings(pg_empty_url)
    assert generated == 300  # the merge ran on a copy: the benchmark database is as generated

    # A second run reuses the server's benchmark database, and prints the table for people.
    code = main(["bench", "--bench-db", pg_empty_url, "--skip-ui", "--skip-sync"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "复用服务器上的基准测试数据库" in err
    header, *lines = out.splitlines()[1:]
    assert "SQLite" in header and "PostgreSQL" in header
    search_line = next(line for line in lines if line.startswith("全局搜索「资金」"))
    assert search_line.count("✓") + search_line.count("✗") == 2  # a value, against its budget, on each side
    assert _findings(pg_empty_url) == generated


def test_a_server_database_with_real_data_is_not_used_for_the_bench(small_bench, pg_url, capsys, tmp_path):
    from app.services.context import ServiceContext
    from app.services.inspections import InspectionService

    db = Database.open_url(pg_url)
    InspectionService(ServiceContext(db)).create(name="市委第一巡察组巡察市财政局党组", kind="regular", stage="fieldwork")
    db.dispose()
    code = main(["bench", "--bench-db", pg_url, "--skip-ui", "--skip-sync"])
    out, err = capsys.readouterr()
    assert code == 1 and err.startswith("xuncha: ") and "已有巡察数据" in err and err.count("\n") == 1
    assert _findings(pg_url) == 0
    assert not (tmp_path / "bench.sqlite3").exists()  # refused before any work
