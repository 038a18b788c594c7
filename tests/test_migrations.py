"""Alembic migrations produce exactly the models' schema, and versions are respected."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from app.models import Base
from app.models.db import Database
from app.models.search_index import is_internal_table
from app.services.setup import OpenError, open_database


def _diff(db: Database) -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, type_, parents: not (type_ == "table" and name and is_internal_table(name)),
            },
        )
        return compare_metadata(context, Base.metadata)


def test_upgrading_an_empty_database_gives_exactly_the_models(tmp_path):
    from app.models import migrate

    db = Database.open_path(tmp_path / "empty.sqlite3", create=True)
    migrate.upgrade(db.engine, snapshot=False)
    assert _diff(db) == []
    assert db.schema_state().current == db.schema_state().head
    assert db.integrity_problems() == []


def test_downgrade_then_upgrade_round_trips(tmp_path):
    from alembic import command

    from app.models.migrate import alembic_config

    db = Database.open_path(tmp_path / "rt.sqlite3", create=True)
    db.upgrade()  # from the snapshot: Alembic's revisions must be able to take it down and up again
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(db.table_names()) <= {"alembic_version"}
    db.upgrade()
    assert _diff(db) == []


def test_connection_settings(db):
    with db.engine.connect() as conn:
        if db.is_server:
            # Timestamps are stored as UTC without a zone, as on SQLite: the session must say UTC.
            assert conn.exec_driver_sql("SHOW TimeZone").scalar() == "UTC"
            assert conn.exec_driver_sql("SHOW application_name").scalar() == "xuncha"
            return
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_database_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(path, create=True).db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(OpenError, match="更新版本"):
        open_database(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_from_the_future"
    assert len(path.read_bytes()) == len(before)


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(OpenError, match="无法打开数据库"):
        open_database(path)
    assert path.read_bytes().startswith(b"this is a text file")


def test_missing_database_is_not_created_unless_asked(tmp_path):
    path = tmp_path / "absent.sqlite3"
    with pytest.raises(OpenError, match="不存在"):
        open_database(path)
    assert not path.exists()


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(
            text(
                "INSERT INTO unit_people (id, unit_id, name, is_principal, is_leadership_member, is_key_post, "
                "created_at, updated_at) VALUES ('00000000000000000000000000000001', "
                "'0000000000000000000000000000dead', 'x', false, false, false, '2026-01-01', '2026-01-01')"
            )
        )


def test_a_current_database_opens_without_running_alembic(tmp_path, monkeypatch):
    """Every open but the first after an update finds nothing to do: no migration run at all."""
    import alembic.command

    from app.models import migrate

    db = Database.open_path(tmp_path / "old.sqlite3", create=True)
    migrate.upgrade(db.engine, "0002")
    calls = []
    real = alembic.command.upgrade
    monkeypatch.setattr(alembic.command, "upgrade", lambda *a, **k: (calls.append(a[1]), real(*a, **k)))
    migrate.upgrade(db.engine)  # an older file is still brought up to date
    assert calls == ["head"] and migrate.schema_state(db.engine).current == migrate.head_revision()
    migrate.upgrade(db.engine)
    assert calls == ["head"]
    db.dispose()


# --- the SQLite head schema snapshot (app/models/migrate.py) ---------------------------------------
def _same_whatever_the_order(sql: str | None) -> tuple[str, ...]:
    """A statement's lines, sorted and without their commas: Alembic's batch operations rebuild a
    table with its constraints in no fixed order, so two runs of the same revisions differ there."""
    return tuple(sorted(line.strip().rstrip(",").strip() for line in (sql or "").splitlines()))


def _master(db: Database) -> list[tuple]:
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    return sorted((kind, name, table, _same_whatever_the_order(sql)) for kind, name, table, sql in rows)


def test_the_snapshot_is_current_and_equals_what_the_revisions_make(tmp_path):
    """After a new revision the snapshot must be rewritten (`python -m app.models.migrate`): until
    then new databases would take the slow way, and this test says so."""
    import json

    from app.models import migrate

    saved = json.loads(migrate.SQLITE_SNAPSHOT.read_text(encoding="utf-8"))
    assert saved["revision"] == migrate.head_revision(), "run `python -m app.models.migrate` to rewrite the snapshot"
    fresh = migrate.write_snapshot(tmp_path / "snapshot.json")
    assert migrate.same_schema(saved["statements"], fresh), "run `python -m app.models.migrate` to rewrite the snapshot"


def test_a_database_made_from_the_snapshot_is_the_one_the_revisions_make(tmp_path, monkeypatch):
    import alembic.command

    from app.models import migrate

    by_revisions = Database.open_path(tmp_path / "revisions.sqlite3", create=True)
    migrate.upgrade(by_revisions.engine, snapshot=False)
    monkeypatch.setattr(alembic.command, "upgrade", lambda *a, **k: pytest.fail("Alembic ran for a new database"))
    by_snapshot = Database.open_path(tmp_path / "snapshot.sqlite3", create=True)
    by_snapshot.upgrade()
    assert _master(by_snapshot) == _master(by_revisions)
    assert by_snapshot.schema_state().current == migrate.head_revision()
    assert _diff(by_snapshot) == []
    assert by_snapshot.integrity_problems() == []
    # The keyword index works in it (its triggers, FTS5 table and vocabulary came from the snapshot).
    with by_snapshot.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO search_docs (entity, entity_id, body) VALUES ('finding', 'x', '违规发放津贴  ')")
        assert conn.exec_driver_sql("SELECT count(*) FROM search_fts WHERE search_fts MATCH '发放津'").scalar() == 1
    for db in (by_revisions, by_snapshot):
        db.dispose()


def test_a_snapshot_behind_the_head_is_not_used(tmp_path, monkeypatch):
    import json

    from app.models import migrate

    stale = tmp_path / "stale.json"
    data = json.loads(migrate.SQLITE_SNAPSHOT.read_text(encoding="utf-8"))
    stale.write_text(json.dumps({**data, "revision": "0001", "statements": data["statements"][:3]}), encoding="utf-8")
    monkeypatch.setattr(migrate, "SQLITE_SNAPSHOT", stale)
    db = Database.open_path(tmp_path / "new.sqlite3", create=True)
    db.upgrade()
    assert _diff(db) == [] and db.schema_state().current == migrate.head_revision()
    db.dispose()
