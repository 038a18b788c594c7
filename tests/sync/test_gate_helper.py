"""A large package's events are authorized in the helper process (app/sync/hashcheck.py) while the
import writes, on a SQLite master and on a PostgreSQL one (the helper reads the import's exported
snapshot there): an honest package is merged, a package with a change outside the laptop's scope is
refused with the master as it was.

`authorize.check` is replaced in this process by one that fails, so every verdict comes from the
helper (a fresh interpreter loads the real gate) and a fall-back to the gate in line fails the test.
"""

from __future__ import annotations

import json

import pytest
from conftest import World
from sqlalchemy import text

from app.models import db as db_module
from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.setup import open_database
from app.sync import authorize, exchange, hashcheck
from app.sync.exchange import SyncError, export_package, import_package
from app.sync.identity import ensure_identity
from app.sync.kit import export_team_kit, import_team_kit

from .test_kept_helper import payloads_in_helper

PASS = "巡察一组-2026"
_REAL_CHECK = authorize.check


def _not_here(*args, **kwargs):
    raise AssertionError("the gate ran in the importing process, not in the helper")


@pytest.fixture
def office(tmp_path, db_location, monkeypatch):
    """The master (a file, or a PostgreSQL server), a laptop made from a kit for its first inspection;
    from then on every import's gate runs in the helper."""
    db = open_database(db_location, create=True).db
    me = ensure_identity(db, name="市委巡察办")
    world = World(ServiceContext(db))
    world.finding(title="一组发现的问题")
    kit = tmp_path / "team1.xkit"
    export_team_kit(db, me, [str(world.inspection.id)], PASS, kit, actor=Actor.system())
    laptop = open_database(tmp_path / "laptop.sqlite3", create=True).db
    import_team_kit(laptop, kit, PASS, fingerprint_confirmed=me.fingerprint)
    monkeypatch.setattr(hashcheck, "PARALLEL_FROM", 1)
    monkeypatch.setattr(authorize, "check", _not_here)
    yield db, me, world, laptop, tmp_path
    laptop.dispose()
    db.dispose()


def _package(office) -> tuple:
    db, me, world, laptop, folder = office
    path = folder / "l2m.xsync"
    export_package(laptop, ensure_identity(laptop), me.site_id, path)
    return path


def test_an_honest_package_is_merged_with_the_gate_in_the_helper(office):
    db, me, world, laptop, folder = office
    new = FindingService(ServiceContext(laptop)).create(inspection_id=world.inspection.id, title="笔记本上的新问题",
                                                        facts="抽查凭证发现白条入账3笔。")
    summary = import_package(db, me, _package(office))
    assert summary.rows.get("findings") == 1
    assert FindingService(ServiceContext(db)).get(new.id).title == "笔记本上的新问题"


def test_a_change_outside_the_laptops_scope_is_refused_by_the_helper(office):
    db, me, world, laptop, folder = office
    FindingService(ServiceContext(laptop)).create(inspection_id=world.inspection.id, title="合规的新问题", facts="事实")
    # A laptop holds one inspection; a new one it makes is outside what it may send.
    InspectionService(ServiceContext(laptop)).create(name="笔记本私自新建的巡察", kind="regular", stage="fieldwork")
    inspections = InspectionService(ServiceContext(db)).count()
    findings = FindingService(ServiceContext(db)).count()
    with pytest.raises(SyncError, match="不在计算机「.*」的工作范围内") as refused:
        import_package(db, me, _package(office))
    assert "未导入任何数据" in refused.value.message
    assert InspectionService(ServiceContext(db)).count() == inspections
    assert FindingService(ServiceContext(db)).count() == findings


def _gated_here(monkeypatch) -> list[int]:
    """The real gate in this process, counting its runs."""
    runs: list[int] = []

    def counted(*args, **kwargs):
        runs.append(1)
        return _REAL_CHECK(*args, **kwargs)

    monkeypatch.setattr(authorize, "check", counted)
    return runs


def _new_finding(office) -> None:
    db, me, world, laptop, folder = office
    FindingService(ServiceContext(laptop)).create(inspection_id=world.inspection.id, title="笔记本上的新问题",
                                                  facts="谈话记录：某科长称报销单据由其本人签字。")


def test_when_the_snapshot_cannot_be_shared_the_import_is_gated_in_line(office, monkeypatch):
    db, me, world, laptop, folder = office
    monkeypatch.setattr(hashcheck, "gate_in_helper", True)

    def no_snapshot(self, session, database):
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_export_snapshot_refused()"))  # a server error aborts the transaction
        raise OSError("no snapshot")

    monkeypatch.setattr(exchange._GateHelper, "__init__", no_snapshot)
    runs = _gated_here(monkeypatch)
    _new_finding(office)
    summary = import_package(db, me, _package(office))
    assert summary.rows.get("findings") == 1
    assert runs  # the gate ran here instead
    assert hashcheck._Shared.users == 0  # the helper is free to leave when idle
    assert payloads_in_helper() == 0  # and holds no decrypted package


def test_a_package_gated_in_line_leaves_no_plaintext_in_the_helper(office, monkeypatch):
    db, me, world, laptop, folder = office
    monkeypatch.setattr(hashcheck, "gate_in_helper", False)
    runs = _gated_here(monkeypatch)
    _new_finding(office)
    summary = import_package(db, me, _package(office))
    assert summary.rows.get("findings") == 1 and runs
    assert hashcheck._Shared.pool is not None  # the hashes were checked there
    assert payloads_in_helper() == 0


def test_a_file_in_rollback_journal_mode_is_gated_in_line(office, backend, monkeypatch):
    """The demo writes so: a large import would lock the helper out of the file until it fails."""
    if backend != "sqlite":
        pytest.skip("a journal mode is SQLite's")
    db, me, world, laptop, folder = office
    monkeypatch.setattr(hashcheck, "gate_in_helper", True)
    runs = _gated_here(monkeypatch)
    _new_finding(office)
    path = _package(office)
    db.engine.dispose()
    raw = db.engine.raw_connection()  # the pool's one connection, which the import then uses
    raw.cursor().execute("PRAGMA journal_mode = DELETE")
    raw.close()
    summary = import_package(db, me, path)
    assert summary.rows.get("findings") == 1
    assert runs  # gated here, not in a helper that could not read the file
    assert hashcheck.gate_in_helper  # and the helper is still used for later imports


def test_the_helper_reads_the_file_with_locks_never_as_immutable(tmp_path, monkeypatch):
    """A reader beside a writer must take the file's locks; immutable could read uncommitted pages."""
    opened: list[dict] = []

    class Opened(Exception):
        pass

    def record(url, **kwargs):
        opened.append(kwargs)
        raise Opened()

    monkeypatch.setattr(db_module, "Database", record)
    monkeypatch.setitem(hashcheck._KEPT, "token", json.dumps({"events": []}).encode())
    with pytest.raises(Opened):
        hashcheck._gate(hashcheck.GateRequest("token", "sqlite:///x.sqlite3", None, None, [], None, {}, {}))
    assert opened == [{"key": None, "read_only": True, "locking": True}]
    # In a folder this process cannot write, with no -wal file: others get immutable, the helper not.
    path = tmp_path / "master.sqlite3"
    monkeypatch.setattr(db_module.os, "access", lambda *args: False)
    assert "immutable=1" in db_module._read_only_uri(path)
    assert db_module._read_only_uri(path, locking=True).endswith("?mode=ro")


def test_the_signed_batches_are_proven_in_the_helper(office, monkeypatch):
    """The importing process only reads what the batches claim (batches.claimed); the digests, the
    chains and the signatures are checked in the helper, before its gate."""
    from app.sync import batches

    monkeypatch.setattr(batches, "verify", _not_here)
    db, me, world, laptop, folder = office
    _new_finding(office)
    summary = import_package(db, me, _package(office))
    assert summary.rows.get("findings") == 1


def test_a_forged_batch_signature_is_refused_by_the_helper(office):
    db, me, world, laptop, folder = office
    _new_finding(office)
    # The newest batch's signature, which proves its whole chain, replaced by another valid-looking one.
    with laptop.write() as session:
        conn = session.connection()
        site, label = conn.execute(text("SELECT site_id, batch FROM change_events WHERE batch IS NOT NULL"
                                        " ORDER BY recorded_at DESC, seq DESC")).first()
        signer, _, number = label.rpartition("/")
        changed = conn.execute(text("UPDATE event_batches SET signature = :s WHERE site_id = :site AND signer = :signer"
                                    " AND number = :n"), {"s": "A" * 86 + "==", "site": site, "signer": signer,
                                                          "n": int(number)})
        assert changed.rowcount == 1
    findings = FindingService(ServiceContext(db)).count()
    with pytest.raises(SyncError, match="签名批次签名无效"):
        import_package(db, me, _package(office))
    assert FindingService(ServiceContext(db)).count() == findings
