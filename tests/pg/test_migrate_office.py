"""`xuncha migrate --from office.sqlite3 --to postgresql://…`: the office moves to its server with its
identity, keys, accounts, change log, signed batches and issued documents; `audit verify` passes on
both sides; the document numbers go on where they were; the team laptop keeps syncing with the server
as it did with the file, both ways; a server database that already holds data is refused untouched."""

from __future__ import annotations

import json

import pytest
from conftest import World

from app.cli import main
from app.services.documents import issue_number
from app.services.findings import FindingService
from app.services.setup import open_database

PASSWORD = "巡察办-管理员口令2026"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office_file(tmp_path, capsys, monkeypatch):
    """An encrypted master with a team, a finding, two issued numbers and a laptop prepared from it."""
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    monkeypatch.setenv("XUNCHA_KIT_PASSPHRASE", "巡察一组口令2026")
    master, laptop, kit = tmp_path / "office.sqlite3", tmp_path / "laptop.sqlite3", tmp_path / "team1.xkit"
    assert run(capsys, "--db", str(master), "init")[0] == 0
    opened = open_database(master, password=PASSWORD)
    world = World(opened.ctx)
    finding = world.finding()
    numbers = [issue_number(opened.ctx, "市委巡", 2026) for _ in range(2)]
    opened.db.dispose()
    code, out, err = run(capsys, "--db", str(master), "sync", "kit", "--inspection", str(world.inspection.id),
                         "--name", "第一组笔记本", "--out", str(kit))
    assert code == 0, err
    fingerprint = out.split("指纹：")[1].split()[0]
    assert run(capsys, "--db", str(laptop), "sync", "import-kit", str(kit), "--fingerprint", fingerprint)[0] == 0
    return master, laptop, finding, numbers


def _status(capsys, db) -> dict:
    code, out, err = run(capsys, "--db", str(db), "sync", "status", "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_office_moves_and_laptops_keep_syncing(office_file, pg_empty_url, capsys, tmp_path):
    master, laptop, finding, numbers = office_file
    assert numbers == ["市委巡〔2026〕1号", "市委巡〔2026〕2号"]
    before = _status(capsys, master)

    code, out, err = run(capsys, "migrate", "--from", str(master), "--to", pg_empty_url)
    assert code == 0, err
    assert "均校验通过" in out and "Traceback" not in err
    # The full audit (chains, signatures, the tables against the replayed log) on both sides.
    for db in (master, pg_empty_url):
        code, out, err = run(capsys, "--db", str(db), "audit", "verify")
        assert code == 0, (db, err, out)

    server = _status(capsys, pg_empty_url)
    # The same copy to everyone who knew it: its site and fingerprint moved with it.
    assert (server["site_id"], server["fingerprint"]) == (before["site_id"], before["fingerprint"])
    opened = open_database(pg_empty_url, password=PASSWORD, username="admin")  # the accounts moved too
    assert issue_number(opened.ctx, "市委巡", 2026) == "市委巡〔2026〕3号"  # numbering goes on, no gap
    opened.db.dispose()

    # The laptop's next package, addressed to the office as before, goes into the server…
    on_laptop = open_database(laptop, password=PASSWORD)
    FindingService(on_laptop.ctx).update(finding.id, title="笔记本上改过的标题")
    on_laptop.db.dispose()
    package = tmp_path / "to-office.xsync"
    code, _, err = run(capsys, "--db", str(laptop), "sync", "export", "--to", before["site_id"][:8],
                       "--out", str(package))
    assert code == 0, err
    code, out, err = run(capsys, "--db", pg_empty_url, "sync", "import", str(package))
    assert code == 0, err
    # …and the server's answer back into the laptop, which checks it against the office's known key.
    opened = open_database(pg_empty_url, password=PASSWORD, username="admin")
    FindingService(opened.ctx).update(finding.id, facts="巡察办在服务器上补充的事实。")
    opened.db.dispose()
    back = tmp_path / "to-laptop.xsync"
    code, _, err = run(capsys, "--db", pg_empty_url, "sync", "export", "--to", _status(capsys, laptop)["name"],
                       "--out", str(back))
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(laptop), "sync", "import", str(back))
    assert code == 0, err
    on_laptop = open_database(laptop, password=PASSWORD)
    moved = FindingService(on_laptop.ctx).get(finding.id)
    assert (moved.title, moved.facts) == ("笔记本上改过的标题", "巡察办在服务器上补充的事实。")
    on_laptop.db.dispose()
    assert run(capsys, "--db", pg_empty_url, "audit", "verify")[0] == 0


def test_a_server_database_that_holds_data_is_refused_untouched(office_file, pg_url, capsys):
    from app.services.context import ServiceContext
    from app.services.units import UnitService

    master, *_ = office_file
    opened = open_database(pg_url)
    UnitService(ServiceContext(opened.db)).create(name="市审计局", kind="gov_dept")
    opened.db.dispose()
    code, out, err = run(capsys, "migrate", "--from", str(master), "--to", pg_url)
    reason = err.splitlines()[-1]
    assert code == 1 and reason.startswith("xuncha: ") and "不是空的" in reason and "Traceback" not in err
    opened = open_database(pg_url)
    assert [u.name for u in UnitService(ServiceContext(opened.db)).list()] == ["市审计局"]
    opened.db.dispose()
