"""Every command of the command line on a server database: the ones that read and write work as on a
file; the ones made for files (SQLCipher encryption, its backups, a laptop's hand-over) say in one
Chinese line what a server uses instead, never a path made of the URL."""

from __future__ import annotations

import pytest

from app.cli import main

PASSWORD = "巡察办-管理员口令2026"


@pytest.fixture(scope="module")
def server(pg_server):
    """A server database after `init` and a small demo, shared by this module's read-only checks."""
    name = pg_server.create_database()
    url = pg_server.url(name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XUNCHA_PASSWORD", PASSWORD)
        assert main(["--db", url, "init"]) == 0
        assert main(["--db", url, "demo", "--seed", "1", "--units", "8", "--findings", "40", "--interviews", "8"]) == 0
    yield url
    pg_server.drop_database(name)


@pytest.fixture(autouse=True)
def _login(monkeypatch):
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)


@pytest.mark.parametrize("command, shown", [
    (["check"], "检查通过"),
    (["stats"], "违反纪律"),
    (["inspections", "list"], "巡察"),
    (["accounts", "list"], "admin"),
    (["audit", "verify"], "校验通过"),
    (["documents", "list"], "市委巡〔"),
    (["sync", "status"], "未处理的冲突"),
])
def test_what_works_on_a_file_works_on_the_server(server, capsys, command, shown):
    code = main(["--db", server, *command])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert shown in out


@pytest.mark.parametrize("command, said", [
    (["encrypt"], "不用 SQLCipher 加密"),
    (["backup", "--out", "{tmp}/office.bak"], "pg_dump"),
    (["handover", "--out", "{tmp}/handover.pdf"], "只能交接数据库文件"),
    (["sync", "import-kit", "{tmp}/team.xkit"], "不能导入服务器上的数据库"),
])
def test_what_is_made_for_files_says_so_in_one_line(server, capsys, tmp_path, command, said):
    code = main(["--db", server, *(part.format(tmp=tmp_path) for part in command)])
    out, err = capsys.readouterr()
    assert code != 0
    assert err.startswith("xuncha: ") and err.count("\n") == 1 and said in err, err
    assert "postgresql:/x" not in err  # a URL is never folded into a file name
    assert list(tmp_path.iterdir()) == []
