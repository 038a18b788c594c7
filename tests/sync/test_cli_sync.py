"""`xuncha sync …` from the command line: kit, export, import, status, conflicts, resolve; with the
master in a file and on a PostgreSQL server."""

from __future__ import annotations

import json

import pytest
from conftest import World

from app.cli import main
from app.services.context import ServiceContext
from app.services.findings import FindingService
from app.services.setup import open_database

# Both copies have accounts: the master by `init` (a file is encrypted too), the laptop by `import-kit`,
# which wraps its key for the account (admin) that the kit brought from the master.
PASSWORD = "巡察办-管理员口令2026"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def setup(tmp_path, capsys, monkeypatch, backend, request):
    monkeypatch.setenv("XUNCHA_KIT_PASSPHRASE", "巡察一组口令2026")
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    # The master: an encrypted file, or (the [pg] variants) an empty database on the office's server,
    # given its schema and administrator by the same `init`; the laptop is always an encrypted file.
    master = request.getfixturevalue("pg_empty_url") if backend == "postgresql" else tmp_path / "master.sqlite3"
    laptop = tmp_path / "laptop.sqlite3"
    assert run(capsys, "--db", str(master), "init")[0] == 0
    db = open_database(master, password=PASSWORD).db
    world = World(ServiceContext(db))
    finding = world.finding()
    db.dispose()
    kit = tmp_path / "team1.xkit"
    code, out, err = run(capsys, "--db", str(master), "sync", "kit", "--inspection", str(world.inspection.id),
                         "--name", "第一组笔记本", "--out", str(kit))
    assert code == 0, err
    shown = out.split("指纹：")[1].split()[0]
    # Without the fingerprint the office read out, the kit is not imported.
    code, out, err = run(capsys, "--db", str(laptop), "sync", "import-kit", str(kit))
    assert code == 1 and "--fingerprint" in err and not laptop.exists()
    code, out, err = run(capsys, "--db", str(laptop), "sync", "import-kit", str(kit), "--fingerprint", "0000-1111")
    assert code == 1 and "不一致" in err and not laptop.exists()
    code, out, err = run(capsys, "--db", str(laptop), "sync", "import-kit", str(kit), "--fingerprint", shown.lower())
    assert code == 0, err
    return master, laptop, finding, tmp_path


def test_round_trip_and_conflict_resolution(setup, capsys):
    master, laptop, finding, folder = setup
    code, out, _ = run(capsys, "--db", str(master), "sync", "status", "--json")
    master_status = json.loads(out)
    for path, title in ((laptop, "笔记本上的标题"), (master, "巡察办的标题")):
        opened = open_database(path, password=PASSWORD)  # the administrator, keys unlocked
        FindingService(opened.ctx).update(finding.id, title=title)
        opened.db.dispose()

    package = folder / "to-master.xsync"
    code, out, err = run(capsys, "--db", str(laptop), "sync", "export", "--to", master_status["site_id"][:8],
                         "--out", str(package))
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(master), "sync", "import", str(package))
    assert code == 0, err
    assert "新冲突 1 个" in out

    code, out, _ = run(capsys, "--db", str(master), "sync", "conflicts", "--json")
    conflicts = json.loads(out)
    assert len(conflicts) == 1 and conflicts[0]["field"] == "title"
    assert {v["value"] for v in conflicts[0]["versions"]} == {"笔记本上的标题", "巡察办的标题"}
    code, out, _ = run(capsys, "--db", str(master), "sync", "conflicts")
    assert "的「问题标题」" in out and "第1号「" in out
    # What it prints can be pasted: the full record number, the table and field by name.
    assert f"xuncha sync resolve findings {finding.id} --field title" in out
    code, out, err = run(capsys, "--db", str(master), "sync", "resolve", "问题", str(finding.id)[:8],
                         "--field", "问题标题", "--value", "x")
    assert code == 1 and "完整编号" in err
    code, out, err = run(capsys, "--db", str(master), "sync", "resolve", "问题", str(finding.id),
                         "--field", "问题标题", "--value", "商定后的标题")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(master), "sync", "conflicts")
    assert "没有未处理的冲突" in out

    back = folder / "to-laptop.xsync"
    code, _, err = run(capsys, "--db", str(master), "sync", "export", "--to", json.loads(
        run(capsys, "--db", str(laptop), "sync", "status", "--json")[1])["name"], "--out", str(back))
    assert code == 0, err
    assert run(capsys, "--db", str(laptop), "sync", "import", str(back))[0] == 0
    db = open_database(laptop, password=PASSWORD).db
    assert FindingService(ServiceContext(db)).get(finding.id).title == "商定后的标题"
    db.dispose()


def test_cli_errors_are_one_line(setup, capsys):
    master, laptop, finding, folder = setup
    damaged = folder / "damaged.xsync"
    damaged.write_bytes(b"XUNCHA-SYNC\n\x00\x01garbage")
    code, out, err = run(capsys, "--db", str(master), "sync", "import", str(damaged))
    assert code == 2 and "不完整或已损坏" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--db", str(master), "sync", "import", str(folder / "missing.xsync"))
    assert code == 1 and "找不到文件" in err and err.count("\n") == 1
    code, out, err = run(capsys, "--db", str(laptop), "sync", "export", "--to", "nobody", "--out", str(folder / "x"))
    assert code == 1 and "找不到唯一的计算机" in err
