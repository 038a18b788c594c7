"""Sync between any two copies (issue 13): laptop↔laptop exchange that works and stays in scope,
bookkeeping that only moves forward, numbers that stay unique, and an administrator's view that
explains itself."""

from __future__ import annotations

import json
import struct
import uuid
import zlib

import pytest
from sqlalchemy import select

from app.cli import main
from app.models import Finding, Inspection, PeerKnowledge, SyncPeer, synced_models
from app.models.changelog import Head
from app.models.ownership import ATTACHMENTS, OWNED, SHARED
from app.services.findings import FindingService
from app.sync import merge
from app.sync.exchange import AlreadyImportedError, SyncError, import_package
from app.sync.package import MAGIC, PackageError, inflate, parse

from .test_chaos import World, fast_argon2, fingerprint_of  # noqa: F401 - the fixture is used by name


@pytest.fixture
def world(tmp_path):
    import random

    w = World(tmp_path, random.Random(7))
    yield w
    w.close()


def test_every_synced_table_is_in_the_directory_or_belongs_to_an_inspection():
    for model in synced_models():
        table = model.__tablename__
        assert table in SHARED or table in OWNED or table == ATTACHMENTS, f"{table} is in no sync scope"


def test_laptops_of_different_inspections_exchange_without_crash_or_leak(world):
    """The first round's crash: L3 → L1, L1 edits a finding of X, L1 → L3."""
    l1, l2, l3 = world.laptops
    assert world.deliver(world.send(l3, l1)) == "imported"
    made = FindingService(l1.ctx).create(inspection_id=world.x.id, title="一组的问题", facts="事实")
    FindingService(l1.ctx).update(made.id, title="一组改过的问题")
    assert world.deliver(world.send(l1, l3)) == "imported"
    world.check_scope(l3)
    with l3.db.read() as session:
        assert session.scalar(select(Finding.id).where(Finding.inspection_id == world.x.id)) is None
        assert session.get(Inspection, world.x.id) is None
    # Two laptops of one inspection pass each other's work on directly.
    assert world.deliver(world.send(l1, l2)) == "imported"
    assert FindingService(l2.ctx).get(made.id).title == "一组改过的问题"


def test_a_laptop_refuses_records_outside_its_scope_naming_the_inspection(world):
    l1, _, l3 = world.laptops
    FindingService(l1.ctx).create(inspection_id=world.x.id, title="一组的问题", facts="事实")
    # L1's record of L3's scope is lost (as the first round stored relayed laptops): it sends everything.
    with l1.db.write() as session:
        session.get(SyncPeer, l3.me.site_id).scope = None
    _, path = world.send(l1, l3, everything=True)
    before = fingerprint_of(l3.path)
    with pytest.raises(SyncError, match="巡察市财政局.*不在本机的工作范围内"):
        import_package(l3.db, l3.me, path)
    assert fingerprint_of(l3.path) == before


def test_bookkeeping_never_moves_backwards_and_a_replay_changes_nothing(world, capsys, monkeypatch):
    l1 = world.laptops[0]
    FindingService(l1.ctx).create(inspection_id=world.x.id, title="第一个", facts="事实")
    old = world.send(l1, world.office)
    assert world.deliver(old) == "imported"
    FindingService(l1.ctx).create(inspection_id=world.x.id, title="第二个", facts="事实")
    assert world.deliver(world.send(l1, world.office)) == "imported"

    def knowledge():
        with world.office.db.read() as session:
            return {(str(k.origin_site_id)): k.max_seq for k in
                    session.scalars(select(PeerKnowledge).where(PeerKnowledge.peer_site_id == l1.me.site_id))}

    ahead = knowledge()
    before = fingerprint_of(world.office.path)
    with pytest.raises(AlreadyImportedError, match="已导入过"):
        import_package(world.office.db, world.office.me, old[1])
    assert knowledge() == ahead and fingerprint_of(world.office.path) == before
    # From the command line: its own exit status, and the same words.
    world.office.db.dispose()
    monkeypatch.setenv("XUNCHA_USER", "admin")
    monkeypatch.setenv("XUNCHA_PASSWORD", "混沌测试的口令-2026")
    code = main(["--db", str(world.office.path), "sync", "import", str(old[1])])
    out = capsys.readouterr().out
    assert code == 3 and "已导入过" in out and fingerprint_of(world.office.path) == before
    from app.services.setup import open_database

    world.office.opened = open_database(world.office.path, password="混沌测试的口令-2026", username="admin")


def test_a_flipped_byte_in_the_header_is_named_in_chinese(world):
    l1 = world.laptops[0]
    _, path = world.send(l1, world.office)
    data = bytearray(path.read_bytes())
    header_at = len(MAGIC) + 6
    (length,) = struct.unpack_from(">I", data, len(MAGIC) + 2)
    header = data[header_at:header_at + length].decode("utf-8")
    sender = json.loads(header)["sender"]
    start = header.index(sender)
    data[header_at + start] = ord("g")  # no longer a hexadecimal digit
    path.write_bytes(bytes(data))
    with pytest.raises(PackageError, match="文件头已损坏（发送方编号不正确）"):
        parse(path.read_bytes())


def test_an_inflation_bomb_is_refused_before_it_is_inflated():
    bomb = zlib.compress(b"\0" * (200 * 1024 * 1024), 9)
    assert len(bomb) < 300 * 1024
    with pytest.raises(PackageError, match="解压后的大小远超正常范围"):
        inflate(bomb)


def test_the_same_finding_number_taken_on_two_laptops_is_listed_and_renumbered(world, capsys, monkeypatch):
    l1, l2, _ = world.laptops
    a = FindingService(l1.ctx).create(inspection_id=world.x.id, title="一号机的问题", facts="事实")
    b = FindingService(l2.ctx).create(inspection_id=world.x.id, title="二号机的问题", facts="事实")
    assert a.number == b.number
    for laptop in (l1, l2):
        world.deliver(world.send(laptop, world.office))
    world.office.db.dispose()
    monkeypatch.setenv("XUNCHA_USER", "admin")
    monkeypatch.setenv("XUNCHA_PASSWORD", "混沌测试的口令-2026")
    assert main(["--db", str(world.office.path), "sync", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert "同一巡察的问题编号" in out and "巡察市财政局" in out
    assert str(a.id) in out and str(b.id) in out and "一号机的问题" in out
    assert main(["--db", str(world.office.path), "sync", "renumber", "问题", str(b.id)]) == 0
    assert main(["--db", str(world.office.path), "sync", "conflicts"]) == 0
    assert "没有未处理的冲突" in capsys.readouterr().out
    from app.services.setup import open_database

    world.office.opened = open_database(world.office.path, password="混沌测试的口令-2026", username="admin")


def test_a_finding_whose_source_is_gone_stays_editable(world):
    l1 = world.laptops[0]
    finding = FindingService(l1.ctx).create(inspection_id=world.x.id, title="来源已删除的问题", facts="事实")
    # Its source was deleted on another copy (or is of a kind this version does not know).
    with l1.db.write(author_id=l1.ctx.actor.user_id, signing_key=l1.ctx.actor.keys.signing) as session:
        row = session.get(Finding, finding.id)
        row.source_kind, row.source_id = "checklist", uuid.uuid4()
    edited = FindingService(l1.ctx).update(finding.id, title="来源已删除，仍可修改")
    assert edited.title == "来源已删除，仍可修改"


def test_conflicts_of_a_column_an_older_copy_never_wrote_do_not_crash():
    older = {"id": "e1", "fields": {"title": "旧版本写的"}, "supersedes": []}
    newer = {"id": "e2", "fields": {"title": "新版本写的", "severity": "major"}, "supersedes": []}
    heads = {"title": [Head("e1", "1"), Head("e2", "2")], "severity": [Head("e1", "1"), Head("e2", "2")]}
    found = merge.row_conflicts(heads, {"e1": older, "e2": newer}, deleted=False)
    assert {c["field"] for c in found} == {"title", "severity"}


def test_several_packages_import_each_on_its_own(world, tmp_path, capsys, monkeypatch):
    l1, l2, _ = world.laptops
    FindingService(l1.ctx).create(inspection_id=world.x.id, title="一号机", facts="事实")
    FindingService(l2.ctx).create(inspection_id=world.x.id, title="二号机", facts="事实")
    good1, good2 = world.send(l1, world.office)[1], world.send(l2, world.office)[1]
    bad = tmp_path / "bad.xsync"
    bad.write_bytes(good1.read_bytes()[:-10])
    world.office.db.dispose()
    monkeypatch.setenv("XUNCHA_USER", "admin")
    monkeypatch.setenv("XUNCHA_PASSWORD", "混沌测试的口令-2026")
    code = main(["--db", str(world.office.path), "sync", "import", str(good1), str(bad), str(good2)])
    captured = capsys.readouterr()
    assert code == 2  # the worst of them: one refused
    assert captured.out.count("新增变更") == 2 and "拒绝导入" in captured.out
    assert "共 3 个同步包：导入 2 个" in captured.out
    from app.services.setup import open_database

    world.office.opened = open_database(world.office.path, password="混沌测试的口令-2026", username="admin")
    assert {f.title for f in FindingService(world.office.ctx).list(inspection_id=world.x.id)} >= {"一号机", "二号机"}
