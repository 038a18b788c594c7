"""An import's commit leaves its write-ahead log to be copied into the database file by a thread
beside it (app/sync/wal.py): the import returns without waiting for that disk work, the connection
it used checkpoints as before afterwards, and the thread's checkpoint brings the file up to date."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from app.models import ChangeEvent
from app.services.demo import generate_demo
from app.services.setup import open_database
from app.sync import wal
from app.sync.benchmark import build_laptop_packages
from app.sync.exchange import import_package
from app.sync.identity import ensure_identity


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_import_leaves_its_checkpoint_to_a_thread(tmp_path, monkeypatch):
    path = tmp_path / "master.sqlite3"
    db = open_database(path, create=True).db
    try:
        generate_demo(db, seed=3, units=6, findings=60, interviews=10)
        packages = build_laptop_packages(db, tmp_path, laptops=1, events_per_laptop=3000)
        me = ensure_identity(db)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            before = conn.scalar(select(func.count()).select_from(ChangeEvent))
        settled = _digest(path)
        asked: list = []
        monkeypatch.setattr(wal, "checkpoint_soon", asked.append)

        summary = import_package(db, me, packages.paths[0])

        assert summary.new_events == packages.events
        assert _digest(path) == settled  # the commit did not copy the log into the file
        assert asked == [db.engine]
        with db.engine.connect() as conn:  # the pooled connection checkpoints as before
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        monkeypatch.undo()
        thread = wal.checkpoint_soon(db.engine)
        assert thread is not None
        thread.join(timeout=120)
        assert not thread.is_alive()
        assert _digest(path) != settled
        with db.engine.connect() as conn:
            busy, logged, copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
            assert (busy, logged) == (0, copied)  # every frame of the log is in the file
            assert conn.scalar(select(func.count()).select_from(ChangeEvent)) == before + packages.events
    finally:
        db.dispose()


def test_a_checkpoint_asked_for_while_one_runs_goes_round_once_more(tmp_path):
    db = open_database(tmp_path / "copy.sqlite3", create=True).db
    try:
        first = wal.checkpoint_soon(db.engine)
        second = wal.checkpoint_soon(db.engine)
        assert first is not None
        for thread in (first, second):
            if thread is not None:
                thread.join(timeout=60)
        assert wal._running == {} and wal._again == set()
    finally:
        db.dispose()


def test_waiting_for_checkpoints_returns_once_every_thread_has_finished(tmp_path):
    db = open_database(tmp_path / "copy.sqlite3", create=True).db
    try:
        thread = wal.checkpoint_soon(db.engine)
        assert thread is not None
        wal.wait_for_checkpoints()
        assert not thread.is_alive() and wal._running == {}
        wal.wait_for_checkpoints()  # none running: returns at once
    finally:
        db.dispose()
