"""A large package's events are authorized in the helper process (app/sync/hashcheck.py) while the
import writes, on a SQLite master and on a PostgreSQL one (the helper reads the import's exported
snapshot there): an honest package is merged, a package with a change outside the laptop's scope is
refused with the master as it was.

`authorize.check` is replaced in this process by one that fails, so every verdict comes from the
helper (a fresh interpreter loads the real gate) and a fall-back to the gate in line fails the test.
"""

from __future__ import annotations

import pytest
from conftest import World

from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.setup import open_database
from app.sync import authorize, hashcheck
from app.sync.exchange import SyncError, export_package, import_package
from app.sync.identity import ensure_identity
from app.sync.kit import export_team_kit, import_team_kit

PASS = "巡察一组-2026"


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
