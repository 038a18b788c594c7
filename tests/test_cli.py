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

    assert json.loads(out) == {"ok": True, "schema": head_revision(), "problems": [], "skipped": [], "busy": False,
                               "read_only": False}


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


# --- files that are not (or not writable) workbench databases ------------------------------------
def _as_nobody() -> dict:
    """Run a child as an unprivileged user when the tests run as root (root writes any file, so a
    read-only file is only read-only for someone else)."""
    if os.geteuid() != 0:
        return {}
    return {"preexec_fn": lambda: (os.setgid(65534), os.setuid(65534))}


@pytest.fixture
def shared_folder():
    """A folder another user can enter (pytest's own are private to root), removed afterwards."""
    import shutil
    import tempfile

    # The system's temporary folder: the program's own (app/tempfiles.py) is private to this user.
    system = Path(tempfile.gettempdir())
    if system.name.startswith("xuncha-run-"):
        system = system.parent
    folder = Path(tempfile.mkdtemp(prefix="xuncha-ro-", dir=system))
    folder.chmod(0o755)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    shutil.rmtree(folder, ignore_errors=True)


def _cli(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd="/", env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


def test_a_directory_given_as_database_is_named_a_folder(tmp_path, capsys):
    code, _, err = run(capsys, "--db", str(tmp_path), "check")
    assert code == 1
    assert "是一个文件夹，不是数据库文件" in err and "密钥文件" not in err
    assert err.count("\n") == 1


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, capsys):
    import sqlite3

    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('张三', '13800000000')")
    conn.close()
    before = path.read_bytes()
    for command in (["check"], ["inspections", "list"], ["demo", "--units", "3"], ["init", "--plaintext"]):
        code, _, err = run(capsys, "--db", str(path), *command)
        assert code == 1, command
        assert "不是巡察工作台数据库" in err and "未做任何修改" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.db"]


def test_check_while_another_program_writes_says_busy_not_damaged(dbfile, capsys, monkeypatch):
    import sqlite3
    import time

    from app.models import db as db_module

    monkeypatch.setattr(db_module, "CHECK_BUSY_WAIT_MS", 300)
    writer = sqlite3.connect(dbfile, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO settings(key, value) VALUES ('held.by.test', '1')")
    try:
        started = time.monotonic()
        code, out, err = run(capsys, "--db", str(dbfile), "check")
        elapsed = time.monotonic() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 75
    assert "损坏" not in out + err
    assert "正被另一个程序写入" in out and "稍后再试" in err
    assert elapsed < 5
    code, out, _ = run(capsys, "--db", str(dbfile), "check")
    assert code == 0 and "全文索引完好" in out


def test_read_only_database_is_checked_without_a_false_alarm_and_refuses_writes(shared_folder):
    folder = shared_folder
    path = folder / "ro.sqlite3"
    env = dict(os.environ)
    from app.services.demo import generate_demo
    from app.services.setup import open_database

    db = open_database(path, create=True).db
    generate_demo(db, seed=1, units=4, findings=20, interviews=8)
    db.dispose()
    (folder / "data").mkdir()
    os.chmod(folder / "data", 0o777)
    for p in folder.glob("ro.sqlite3*"):
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = path.read_bytes()
        child_env = {**env, "XUNCHA_DATA_DIR": str(folder / "data")}
        result = _cli(["--db", str(path), "check"], child_env, **_as_nobody())
        assert "损坏" not in result.stdout + result.stderr, result.stdout + result.stderr
        assert "只读" in result.stdout and "检查通过" in result.stdout
        assert result.returncode == 0
        result = _cli(["--db", str(path), "demo", "--units", "4"], child_env, **_as_nobody())
        assert result.returncode == 1
        assert "只读" in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1
        assert path.read_bytes() == before
    finally:
        folder.chmod(0o755)


# --- unexpected failures and the log -------------------------------------------------------------
def test_an_unexpected_failure_is_one_chinese_line_and_a_logged_traceback(dbfile, capsys, monkeypatch, tmp_path):
    import sqlite3

    from app import cli, logs

    marker = "绝密谈话内容甲乙丙"

    def explode(_args):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (x TEXT CHECK (length(x) < 3))")
        from sqlalchemy import create_engine, text

        engine = create_engine("sqlite://")
        with engine.begin() as c:
            c.execute(text("CREATE TABLE t (x TEXT CHECK (length(x) < 3))"))
            c.execute(text("INSERT INTO t VALUES (:x)"), {"x": marker})
        return 0

    monkeypatch.setattr(cli, "cmd_stats", explode)
    code, out, err = run(capsys, "--db", str(dbfile), "stats")
    assert code == 1
    assert err.startswith("xuncha: 数据库拒绝了这次写入") and err.count("\n") == 1
    assert "Traceback" not in err and marker not in err
    log = logs.log_path()
    assert log is not None and log.parent == Path(os.environ["XUNCHA_DATA_DIR"]) / "logs"
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "IntegrityError" in text and "explode" in text
    assert marker not in text and "甲乙丙" not in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_argparse_speaks_chinese_and_every_option_has_chinese_help(capsys):
    import argparse

    from app.cli import build_parser

    with pytest.raises(SystemExit) as exc:
        main(["stats", "--year", "二〇二六"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "用法：" in err and "错误" in err and "无效的取值" in err
    with pytest.raises(SystemExit):
        main(["--no-such-option", "check"])
    assert "无法识别的参数" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["sync", "import"])
    assert "缺少必需的参数" in capsys.readouterr().err

    missing = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help or not any("\u4e00" <= c <= "\u9fff" for c in action.help):
                missing.append(f"{path} {action.option_strings or action.dest}")

    walk(build_parser(), "xuncha")
    assert missing == []
