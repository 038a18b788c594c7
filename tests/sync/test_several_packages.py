"""Several packages imported in one run (the command line's and the window's multi-file import, the
bench): each file read and decrypted ahead while the one before it is written, each imported
exactly as alone, and reported in the same words."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from app import malloc_hold
from app.models import SyncPeer, utcnow
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.units import UnitService
from app.sync.exchange import (
    AlreadyImportedError,
    ImportSummary,
    PackageReadError,
    export_package,
    import_package,
    import_packages,
)
from app.sync.package import PackageError

from .helpers import clone, data_snapshot, introduce, unit_ids


@pytest.fixture
def trio(template, tmp_path):
    """Two laptops (甲, 乙) that each changed units, and the master (丙) both send to."""
    copies = [clone(template, tmp_path / f"{n}.sqlite3", name) for n, name in (("a", "甲"), ("b", "乙"), ("c", "丙"))]
    introduce(copies)
    for (db, _me), note in zip(copies[:2], ("甲改的", "乙改的"), strict=False):
        rows = unit_ids(db)
        UnitService(ServiceContext(db)).update(rows[0], notes=note)
        UnitService(ServiceContext(db)).update(rows[1], address=f"{note}地址")
    (c_db, c) = copies[2]
    paths = []
    for (db, me), name in zip(copies[:2], ("a", "b"), strict=False):
        path = tmp_path / f"{name}-to-c.xsync"
        export_package(db, me, c.site_id, path)
        paths.append(path)
    yield copies, paths, tmp_path
    for db, _me in copies:
        db.dispose()


def _twin(db: Database, path: Path) -> Database:
    """The same copy (its site and keys too) in another file, to import into it another way."""
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return Database.open_path(path)


def test_several_packages_are_each_imported_and_reported_as_alone(trio):
    (_a, _b, (c_db, c)), (from_a, from_b), folder = trio
    twin_db = _twin(c_db, folder / "twin.sqlite3")
    # A byte of the body flipped: read ahead, it also fails to decrypt, but what the user is told is
    # what an import alone says first — the sender's signature does not match.
    tampered = folder / "tampered.xsync"
    data = bytearray(from_b.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    with pytest.raises(PackageError) as alone:
        import_package(twin_db, c, tampered)
    assert "签名无效" in alone.value.message

    outcomes = list(import_packages(c_db, c, [from_a, tampered, folder / "missing.xsync", from_a, from_b]))

    assert [path for path, _ in outcomes] == [from_a, tampered, folder / "missing.xsync", from_a, from_b]
    first, bad, missing, again, second = (outcome for _, outcome in outcomes)
    assert isinstance(first, ImportSummary) and first.new_events == 2 and first.rows == {"units": 2}
    assert isinstance(bad, PackageError) and bad.message == alone.value.message
    assert isinstance(missing, PackageReadError) and "找不到文件" in missing.message
    assert isinstance(again, AlreadyImportedError)
    assert isinstance(second, ImportSummary) and second.new_events == 2
    # The same data, conflicts included, as the two packages imported one by one.
    import_package(twin_db, c, from_a)
    import_package(twin_db, c, from_b)
    try:
        assert data_snapshot(c_db) == data_snapshot(twin_db)
    finally:
        twin_db.dispose()


def test_a_cancelled_run_imports_nothing_more(trio):
    (_a, _b, (c_db, c)), paths, _folder = trio
    before = data_snapshot(c_db)
    outcomes = list(import_packages(c_db, c, paths, cancelled=lambda: True))
    assert [outcome for _, outcome in outcomes] == [None, None]
    assert data_snapshot(c_db) == before


def test_nothing_is_decrypted_ahead_for_a_sender_this_copy_does_not_know(trio, tmp_path, monkeypatch):
    """A package addressed to this copy by a stranger (anyone holding its public key can make one)
    is refused before its body is decrypted or inflated, read ahead or not; a known peer's is
    decrypted ahead as before."""
    from app.sync import exchange

    (_a, _b, (c_db, c)), (from_a, _from_b), folder = trio
    # A copy that knows 丙 (so it can address a package to it); 丙 has never heard of it.
    stranger, stranger_me = clone(folder / "a.sqlite3", tmp_path / "stranger.sqlite3", "陌生")
    with stranger.write() as session:
        session.merge(SyncPeer(site_id=c.site_id, name=c.name, role="master", x25519_public=c.x25519_public,
                               ed25519_public=c.ed25519_public, added_at=utcnow(), trusted_via="relay", scope=None))
    from_stranger = tmp_path / "stranger-to-c.xsync"
    export_package(stranger, stranger_me, c.site_id, from_stranger)
    stranger.dispose()
    opened: list[str] = []
    real = exchange.plain_body
    monkeypatch.setattr(exchange, "plain_body", lambda envelope, me, *a: (opened.append(envelope.header["sender"]),
                                                                         real(envelope, me, *a))[1])
    results = dict(import_packages(c_db, c, [from_stranger, from_a]))
    assert "未知的发送方" in str(results[from_stranger]) and isinstance(results[from_a], ImportSummary)
    assert str(stranger_me.site_id) not in opened and opened


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _churn() -> None:
    """What a package's parse and parameter rows do to memory: ~150 MB taken and freed."""
    blocks = [bytearray(256 * 1024) for _ in range(600)]
    del blocks


@pytest.mark.skipif(malloc_hold._allocator() is None, reason="glibc's allocator only")
def test_a_run_keeps_freed_memory_for_its_next_package_and_returns_it_after(trio):
    """Each package reuses what the one before freed (no page faults to take it again: ~1.5 s of
    the helper's time over the bench's ten), and the desktop does not keep a run's peak after it —
    also when the caller stops reading the run half way."""
    (_a, _b, (c_db, c)), paths, _folder = trio
    # Free pages earlier tests left inside this process's heap would be found again without growing
    # it, hold or not: they go back first, so what is measured is this run's.
    malloc_hold._allocator().malloc_trim(0)
    before = _resident_mb()
    run = import_packages(c_db, c, paths)
    _path, first = next(run)
    assert isinstance(first, ImportSummary)
    _churn()
    assert _resident_mb() - before > 100
    list(run)
    assert _resident_mb() - before < 60

    before = _resident_mb()
    run = import_packages(c_db, c, list(reversed(paths)))
    next(run)
    _churn()
    assert _resident_mb() - before > 100
    run.close()  # the window's import cancelled between two packages
    assert _resident_mb() - before < 60
