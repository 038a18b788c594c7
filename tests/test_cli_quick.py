"""The commands that read a little (`inspections list`, `sync status`) answer a plain file without
accounts without importing SQLAlchemy, the models or the services (~0.5 s of CPU, DESIGN.md's whole
0.5 s budget for such a command): app/cli_quick.py reads it with sqlite3. Anything that asks who is
working, or a schema of another version, still goes the services' way."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import World

from app import cli_quick
from app.cli import main
from app.models import migrate
from app.services.context import ServiceContext
from app.services.inspections import InspectionService
from app.services.setup import open_database

# Not needed to list the inspections or show this copy's sync status.
DEFERRED = ("sqlalchemy", "alembic", "reportlab", "fontTools", "openpyxl", "docx", "jieba", "rjieba", "pypinyin",
            "argon2", "sqlcipher3", "app.models._registry", "app.models.db", "app.services.context",
            "app.services.setup", "app.services.inspections", "app.services.issuing", "app.services.office",
            "app.reports", "app.sync")


@pytest.fixture
def plain(tmp_path, capsys):
    """A plain file without accounts with an inspection and its sync identity (made the services' way)."""
    path = tmp_path / "plain.sqlite3"
    db = open_database(path, create=True).db
    World(ServiceContext(db))
    db.dispose()
    assert main(["--db", str(path), "sync", "status"]) == 0
    capsys.readouterr()
    return path


def _modules_after(path, *command: str) -> tuple[list[str], str]:
    """Run `xuncha --db path COMMAND` in a new process; the modules it loaded, and what it printed."""
    probe = ("import json, sys\nfrom app.__main__ import main\ncode = main(sys.argv[1:])\n"
             "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", probe, "--db", str(path), *command], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stderr.splitlines()[-1]), result.stdout


@pytest.mark.parametrize("command", [("inspections", "list"), ("inspections", "list", "--json"), ("sync", "status"),
                                     ("sync", "status", "--json")])
def test_reading_a_plain_file_loads_neither_sqlalchemy_nor_the_services(plain, command):
    modules, out = _modules_after(plain, *command)
    assert "市委第一巡察组巡察市财政局党组" in out or "site_id" in out or "本机：" in out
    early = sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in DEFERRED))
    assert early == []


def test_the_inspections_are_the_services_inspections(plain, capsys):
    db = open_database(plain).db
    ctx = ServiceContext(db)
    InspectionService(ctx).create(name="未定日期的专项巡察", kind="special", stage="plan")
    rows = InspectionService(ctx).list()
    db.dispose()
    fields = ("id", "name", "kind", "stage", "team_name", "start_date", "end_date")
    quick = cli_quick.inspections(plain)
    assert quick is not None and len(quick) == 2
    assert [[getattr(r, f) for f in fields] for r in quick] == [[getattr(r, f) for f in fields] for r in rows]
    assert main(["--db", str(plain), "inspections", "list", "--json"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == [str(r.id) for r in rows]


def test_a_file_with_accounts_still_asks_who_is_working(tmp_path, capsys, monkeypatch):
    path = tmp_path / "accounts.sqlite3"
    db = open_database(path, create=True, password="巡察组长口令-2026", username="admin", encrypt=False).db
    World(ServiceContext(db))
    db.dispose()
    monkeypatch.delenv("XUNCHA_PASSWORD", raising=False)
    assert cli_quick.inspections(path) is None and cli_quick.sync_status(path) is None
    for command in (["inspections", "list"], ["sync", "status"]):
        assert main(["--db", str(path), *command]) == 1
        out, err = capsys.readouterr()
        assert out == "" and "XUNCHA_PASSWORD" in err
    monkeypatch.setenv("XUNCHA_PASSWORD", "巡察组长口令-2026")
    assert main(["--db", str(path), "inspections", "list"]) == 0
    assert "市委第一巡察组巡察市财政局党组" in capsys.readouterr().out


def test_an_account_without_a_password_still_makes_the_command_ask(tmp_path, capsys, monkeypatch):
    """Synced accounts carry no password hash: such an account is still an account to the
    services, so the quick answer steps aside and both commands ask alike."""
    import sqlite3

    path = tmp_path / "synced.sqlite3"
    db = open_database(path, create=True, password="巡察组长口令-2026", username="admin", encrypt=False).db
    World(ServiceContext(db))
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE users SET password_hash = NULL")
    monkeypatch.delenv("XUNCHA_PASSWORD", raising=False)
    assert cli_quick.inspections(path) is None and cli_quick.sync_status(path) is None
    for command in (["inspections", "list"], ["sync", "status"]):
        assert main(["--db", str(path), *command]) == 1
        assert "XUNCHA_PASSWORD" in capsys.readouterr().err


def test_an_encrypted_file_still_asks_for_its_password(tmp_path, capsys, monkeypatch):
    from app.services.setup import create_encrypted

    path = tmp_path / "team.sqlite3"
    create_encrypted(path, password="巡察一组-口令2026", username="admin").db.dispose()
    monkeypatch.delenv("XUNCHA_PASSWORD", raising=False)
    assert cli_quick.inspections(path) is None
    assert main(["--db", str(path), "inspections", "list"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "XUNCHA_PASSWORD" in err


def test_an_older_schema_is_upgraded_as_before(tmp_path, capsys):
    from app.models.db import Database

    path = tmp_path / "old.sqlite3"
    db = Database.open_path(path, create=True)
    migrate.upgrade(db.engine, "0011")
    db.dispose()
    assert cli_quick.inspections(path) is None  # not this version's schema: the services' way
    assert main(["--db", str(path), "inspections", "list"]) == 0
    assert "暂无巡察" in capsys.readouterr().out
    db = Database.open_path(path)
    assert db.schema_state().current == migrate.head_revision()
    db.dispose()


def test_the_bench_measures_both_commands_beside_a_bare_process(plain):
    from app.services.benchmark import cli_figures

    figures = {f.id: f for f in cli_figures(plain, repeat=1)}
    assert {"cli_inspections_list", "cli_sync_status", "cli_bare_python"} <= set(figures)
    assert figures["cli_inspections_list"].budget == figures["cli_sync_status"].budget == 500
    assert figures["cli_sync_status_ratio_bare_python"].value == pytest.approx(
        figures["cli_sync_status"].value / figures["cli_bare_python"].value)


def test_the_modules_the_parser_no_longer_imports_load_whole_when_used(plain):
    """`audit` is imported by the commands that use it (cli_security) and ERRORS built on first
    failure (cli_sync): in a new process, as the user runs them, both behave as the eager imports did."""
    probe = ("import sys\nfrom app.cli import build_parser\nbuild_parser()\nimport app.services.audit\n"
             "from app.cli_sync import ERRORS\nfrom app.sync.package import PackageError\n"
             "assert PackageError in ERRORS\nprint(app.services.audit.table_label('findings'))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "问题"
    verify = subprocess.run([sys.executable, "-m", "app", "--db", str(plain), "audit", "verify"], capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr
    assert "校验通过" in verify.stdout
