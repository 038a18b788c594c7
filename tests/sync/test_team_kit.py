"""Preparing a laptop with a team kit, the laptop's first package to the master, and business keys
that two copies both took surfacing as conflicts."""

from __future__ import annotations

import pytest
from conftest import World

from app.services.context import Actor, ServiceContext
from app.services.documents import IssuedDocumentService
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.setup import open_database
from app.services.units import UnitPersonService
from app.sync.conflicts import list_conflicts
from app.sync.exchange import SyncError, export_package, import_package
from app.sync.identity import ensure_identity
from app.sync.kit import export_team_kit, import_team_kit
from app.sync.package import PackageError

PASS = "巡察一组-2026"


@pytest.fixture
def office(tmp_path, db_location):
    # The master: a file, or (the [pg] variants) a PostgreSQL server; the laptops are always files.
    db = open_database(db_location, create=True).db
    me = ensure_identity(db, name="市委巡察办")
    world = World(ServiceContext(db))
    other = InspectionService(ServiceContext(db)).create(name="另一组巡察市教育局", kind="regular", stage="fieldwork")
    world.finding(title="另一组的问题不应出现在一组笔记本上", inspection_id=other.id)
    world.finding(title="一组发现的问题")
    yield db, me, world, tmp_path
    db.dispose()


def _laptop(office, name):
    db_master, me, world, folder = office
    kit = folder / f"{name}.xkit"
    export_team_kit(db_master, me, [str(world.inspection.id)], PASS, kit, actor=Actor.system())
    laptop = open_database(folder / f"{name}.sqlite3", create=True).db
    import_team_kit(laptop, kit, PASS, fingerprint_confirmed=me.fingerprint)
    return laptop, ensure_identity(laptop)


def test_a_kit_prepares_a_laptop_with_only_its_inspection(office):
    db_master, me, world, folder = office
    laptop, lid = _laptop(office, "laptop1")
    ctx = ServiceContext(laptop)
    assert [i.name for i in InspectionService(ctx).list()] == [world.inspection.name]
    assert [f.title for f in FindingService(ctx).list()] == ["一组发现的问题"]
    assert {p.name for p in UnitPersonService(ctx).list()} == {"张建国", "李红梅", "王志强"}
    assert lid.role == "laptop"


def test_wrong_passphrase_and_short_passphrase(office):
    db_master, me, world, folder = office
    with pytest.raises(SyncError, match="至少需要"):
        export_team_kit(db_master, me, [str(world.inspection.id)], "123", folder / "k.xkit", actor=Actor.system())
    export_team_kit(db_master, me, [str(world.inspection.id)], PASS, folder / "k.xkit", actor=Actor.system())
    laptop = open_database(folder / "l.sqlite3", create=True).db
    with pytest.raises(PackageError, match="口令不正确"):
        import_team_kit(laptop, folder / "k.xkit", "wrong passphrase", fingerprint_confirmed=me.fingerprint)
    assert InspectionService(ServiceContext(laptop)).count() == 0


def test_laptop_work_reaches_the_master_and_back(office):
    db_master, me, world, folder = office
    laptop, lid = _laptop(office, "laptop1")
    lctx = ServiceContext(laptop)
    new = FindingService(lctx).create(inspection_id=world.inspection.id, title="笔记本上新发现的问题",
                                      facts="2026年10月抽查凭证发现白条入账3笔。")
    path = folder / "l2m.xsync"
    export_package(laptop, lid, me.site_id, path)
    summary = import_package(db_master, me, path)
    assert summary.newly_trusted == [lid.name]
    assert FindingService(ServiceContext(db_master)).get(new.id).title == "笔记本上新发现的问题"


def test_a_laptop_not_prepared_by_this_master_is_unknown(office, tmp_path):
    db_master, me, world, folder = office
    stranger = open_database(tmp_path / "stranger.sqlite3", create=True).db
    sid = ensure_identity(stranger)
    from app.models import SyncPeer, utcnow

    with stranger.write() as session:
        session.add(SyncPeer(site_id=me.site_id, name="巡察办", role="master", x25519_public=me.x25519_public,
                             ed25519_public=me.ed25519_public, added_at=utcnow(), trusted_via="relay"))
    path = tmp_path / "s2m.xsync"
    export_package(stranger, sid, me.site_id, path)
    with pytest.raises(SyncError, match="未知的发送方"):
        import_package(db_master, me, path)


def test_the_same_document_number_on_two_laptops_is_a_conflict(office):
    db_master, me, world, folder = office
    laptops = [_laptop(office, f"laptop{i}") for i in (1, 2)]
    for db, _ in laptops:
        IssuedDocumentService(ServiceContext(db)).issue(kind="notice", title="整改通知书", year=2026,
                                                        inspection_id=world.inspection.id)
    for i, (db, lid) in enumerate(laptops):
        path = folder / f"l{i}.xsync"
        export_package(db, lid, me.site_id, path)
        summary = import_package(db_master, me, path)
    assert summary.duplicates == 1
    duplicates = [c for c in list_conflicts(db_master) if c.kind == "duplicate"]
    assert len(duplicates) == 1 and "市委巡办〔2026〕1号" in duplicates[0].key
    # Renumbering one of them (an ordinary edit) settles it.
    IssuedDocumentService(ServiceContext(db_master)).update(duplicates[0].rows[1], number_text="市委巡办〔2026〕2号",
                                                            sequence=2)
    assert [c for c in list_conflicts(db_master) if c.kind == "duplicate"] == []


def test_bulk_loaded_data_travels_in_a_kit(tmp_path):
    """Demo data is written in bulk, outside the change log: the kit still carries it."""
    from sqlalchemy import func, select

    from app.models import Finding, Interview
    from app.services.demo import generate_demo

    master = open_database(tmp_path / "demo.sqlite3", create=True).db
    generate_demo(master, seed=4, units=8, findings=120, interviews=30)
    me = ensure_identity(master)
    with master.read() as session:
        inspection_id, expected = session.execute(
            select(Finding.inspection_id, func.count()).group_by(Finding.inspection_id).order_by(func.count().desc())
        ).first()
        interviews = session.scalar(select(func.count()).where(Interview.inspection_id == inspection_id))
    export_team_kit(master, me, [str(inspection_id)], PASS, tmp_path / "demo.xkit", actor=Actor.system())
    laptop = open_database(tmp_path / "laptop.sqlite3", create=True).db
    import_team_kit(laptop, tmp_path / "demo.xkit", PASS, fingerprint_confirmed=me.fingerprint)
    ctx = ServiceContext(laptop)
    assert FindingService(ctx).count() == expected
    with laptop.read() as session:
        assert session.scalar(select(func.count()).select_from(Interview)) == interviews
    assert laptop.integrity_problems() == []
