"""The command line: exit codes, output and clear one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path, capsys):
    # Plain, so the tests below can damage it with sqlite3 (encrypted ones: tests/security).
    path = tmp_path / "cli.sqlite3"
    assert run(capsys, "--db", str(path), "init", "--plaintext")[0] == 0
    return path


def test_init_creates_the_database_with_reference_data(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XUNCHA_PASSWORD", "管理员口令-2026")
    path = tmp_path / "new" / "x.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert code == 0, err
    assert path.exists()
    assert "已创建数据库" in out and "discipline 6 条" in out
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0 and "已打开现有数据库" in out


def test_check_passes_on_a_healthy_database(dbfile, capsys):
    code, out, _ = run(capsys, "--db", str(dbfile), "check")
    assert code == 0 and "检查通过" in out
    code, out, _ = run(capsys, "--db", str(dbfile), "check", "--json")
    from app.models.migrate import head_revision

    assert json.loads(out) == {"ok": True, "schema": head_revision(), "problems": []}


def test_check_reports_a_damaged_index(dbfile, capsys):
    import sqlite3

    with sqlite3.connect(dbfile) as conn:
        conn.execute("INSERT INTO search_fts(rowid, body) VALUES (424242, '孤立的索引条目')")
    code, out, err = run(capsys, "--db", str(dbfile), "check")
    assert code == 1
    assert "全文索引损坏" in out
    assert err.startswith("xuncha: ") and err.count("\n") == 1


def test_commands_on_a_missing_database_fail_clearly(tmp_path, capsys):
    missing = tmp_path / "nope.sqlite3"
    for command in (["stats"], ["inspections", "list"], ["check"]):
        code, out, err = run(capsys, "--db", str(missing), *command)
        assert code == 1
        assert "数据库文件不存在" in err and "init" in err
    assert not missing.exists()


def test_demo_then_list_and_stats(dbfile, capsys):
    code, out, err = run(capsys, "--db", str(dbfile), "demo", "--seed", "3", "--units", "12",
                         "--findings", "150", "--interviews", "40")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(dbfile), "inspections", "list", "--json")
    inspections = json.loads(out)
    assert code == 0 and inspections
    assert all({"id", "name"} <= set(row) for row in inspections)
    code, out, _ = run(capsys, "--db", str(dbfile), "stats", "--json")
    stats = json.loads(out)
    assert stats["findings"] == 150
    assert stats["inspections"] == len(inspections)
    code, out, _ = run(capsys, "--db", str(dbfile), "stats")
    assert "发现问题 150 个" in out
    code, out, _ = run(capsys, "--db", str(dbfile), "inspections", "list")
    assert inspections[0]["name"] in out


def test_demo_refuses_a_database_with_data(dbfile, capsys):
    run(capsys, "--db", str(dbfile), "demo", "--units", "5", "--findings", "10", "--interviews", "5")
    code, _, err = run(capsys, "--db", str(dbfile), "demo", "--units", "5", "--findings", "10", "--interviews", "5")
    assert code == 1 and "已有巡察数据" in err


def test_stats_for_one_year_and_empty_database(dbfile, capsys):
    code, out, _ = run(capsys, "--db", str(dbfile), "stats", "--year", "2019", "--json")
    assert code == 0 and json.loads(out)["findings"] == 0


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_console_script_runs_in_a_fresh_process(tmp_path):
    env = {**os.environ, "XUNCHA_DATA_DIR": str(tmp_path), "XUNCHA_PASSWORD": "管理员口令-2026"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "inspections", "list", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    # The default database lives in the user's data folder and must exist first.
    assert result.returncode == 1
    assert "不存在" in result.stderr
    result = subprocess.run([sys.executable, "-m", "app", "init"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xuncha.sqlite3").exists()
