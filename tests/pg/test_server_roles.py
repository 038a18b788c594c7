"""The README's office-server set-up, run as written: its SQL makes the two roles and the database, the
owner's `init` makes the schema, its grants give the workstations' role (xuncha_app) what the
workbench needs and no more. As xuncha_app the office works (records, an edit, a document number, a
search, a team kit, a laptop's package imported, audit verify); what it cannot do is change the
schema, delete records, or delete or rewrite the change log and its signed batches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import psycopg
import pytest
from conftest import World

from app.cli import main
from app.services import search
from app.services.documents import issue_number
from app.services.findings import FindingService
from app.services.setup import open_database

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "巡察办-管理员口令2026"


def readme_sql(marker: str) -> list[str]:
    """The statements of the ```sql block that follows `<!-- marker -->` in the README."""
    text = README.read_text(encoding="utf-8")
    block = re.search(rf"<!-- {marker} -->\s*```sql\n(.*?)```", text, re.S)
    assert block, f"README lost its {marker} block"
    lines = [line for line in block.group(1).splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(pg_server, capsys, monkeypatch):
    """Steps 2–4 of the README: roles and database, `init` as the owner, the grants."""
    with pg_server.admin_connect() as conn:
        for statement in readme_sql("server-roles-sql"):
            conn.execute(statement)
    owner = pg_server.url("xuncha", user="xuncha_owner")
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--db", owner, "init")
    assert code == 0, err
    with psycopg.connect(host=str(pg_server.socket), user="xuncha_owner", dbname="xuncha", autocommit=True) as conn:
        for statement in readme_sql("server-grants-sql"):
            conn.execute(statement)
    yield pg_server.url("xuncha", user="xuncha_app")
    pg_server.drop_database("xuncha")
    with pg_server.admin_connect() as conn:
        conn.execute("DROP ROLE xuncha_app")
        conn.execute("DROP ROLE xuncha_owner")


def test_the_workstations_role_runs_the_office_and_only_appends_to_the_log(office, pg_server, tmp_path, capsys,
                                                                           monkeypatch):
    app_url = office
    opened = open_database(app_url, password=PASSWORD, username="admin")
    world = World(opened.ctx)
    finding = world.finding()
    FindingService(opened.ctx).update(finding.id, title="违规使用公务用车问题")
    assert issue_number(opened.ctx, "市委巡", 2026) == "市委巡〔2026〕1号"
    assert [hit.entity_id for hit in search.search(opened.ctx, "公务用车")] == [finding.id]
    opened.db.dispose()

    # A team kit, a laptop's work, its package imported into the server as xuncha_app.
    monkeypatch.setenv("XUNCHA_KIT_PASSPHRASE", "巡察一组口令2026")
    kit, laptop = tmp_path / "team1.xkit", tmp_path / "laptop.sqlite3"
    code, out, err = run(capsys, "--db", app_url, "sync", "kit", "--inspection", str(world.inspection.id),
                         "--name", "第一组笔记本", "--out", str(kit))
    assert code == 0, err
    fingerprint = out.split("指纹：")[1].split()[0]
    code, _, err = run(capsys, "--db", str(laptop), "sync", "import-kit", str(kit), "--fingerprint", fingerprint)
    assert code == 0, err
    on_laptop = open_database(laptop, password=PASSWORD)
    FindingService(on_laptop.ctx).update(finding.id, facts="笔记本上补充的事实：共计4200公里。")
    on_laptop.db.dispose()
    master = json.loads(run(capsys, "--db", app_url, "sync", "status", "--json")[1])
    package = tmp_path / "to-office.xsync"
    code, _, err = run(capsys, "--db", str(laptop), "sync", "export", "--to", master["site_id"][:8], "--out", str(package))
    assert code == 0, err
    code, out, err = run(capsys, "--db", app_url, "sync", "import", str(package))
    assert code == 0, err
    code, out, err = run(capsys, "--db", app_url, "audit", "verify")
    assert code == 0, err + out
    opened = open_database(app_url, password=PASSWORD, username="admin")
    assert FindingService(opened.ctx).get(finding.id).facts == "笔记本上补充的事实：共计4200公里。"
    opened.db.dispose()

    # What a workstation's SQL login cannot do, whatever it types.
    with psycopg.connect(host=str(pg_server.socket), user="xuncha_app", dbname="xuncha", autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM change_events").fetchone()[0] > 0
        for statement in ("DELETE FROM change_events", "UPDATE change_events SET author_name = '别人'",
                          "DELETE FROM event_batches", "UPDATE event_batches SET signature = NULL",
                          "TRUNCATE change_events", "DELETE FROM findings", "DROP TABLE findings",
                          "ALTER TABLE findings ADD COLUMN note text", "UPDATE alembic_version SET version_num = 'x'",
                          "CREATE TABLE mine (x int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_upgrading_the_schema_needs_the_owner(office, pg_server):
    """A workstation never migrates the schema itself: the refusal says the owner must."""
    from app.services.setup import OpenError

    with psycopg.connect(host=str(pg_server.socket), user="xuncha_owner", dbname="xuncha", autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0006'")  # as if this version were newer
    with pytest.raises(OpenError, match="建表和升级须用数据库的所有者账户"):
        open_database(office, password=PASSWORD, username="admin")
    with psycopg.connect(host=str(pg_server.socket), user="xuncha_owner", dbname="xuncha") as conn:
        # The half-begun upgrade was rolled back whole (PostgreSQL's DDL is transactional).
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0006"
