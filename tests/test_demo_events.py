"""The demo's change events, made while its rows are written (app/services/demo_events.py): every
synced row gets exactly one insert event, the log verifies, with or without the helper process."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.models import backfill
from app.models.changelog import GENESIS_HASH
from app.models.db import Database
from app.services import audit, demo_events
from app.services.context import ServiceContext
from app.services.demo import generate_demo
from app.services.reference import load_reference_data

SIZES = {"units": 12, "findings": 300, "interviews": 120}


def _build(path: Path) -> tuple[Database, int]:
    db = Database.open_path(path, create=True)
    db.upgrade()
    load_reference_data(ServiceContext(db))
    report = generate_demo(db, seed=7, **SIZES)
    return db, report.counts["change_events"]


def _assert_one_event_per_row_and_verified(db: Database, written: int) -> None:
    verified = audit.verify_chains(db)
    assert verified.ok, audit.describe(verified)
    with db.engine.connect() as conn:
        assert backfill.rows_without_events(conn) == 0
        rows = sum(conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar() or 0  # noqa: S608 - our names
                   for t in backfill._synced_tables())
        inserts = conn.execute(text("SELECT count(*) FROM change_events WHERE op = 'insert'")).scalar()
        twice = conn.execute(text("SELECT count(*) FROM (SELECT table_name, row_id FROM change_events "
                                  "WHERE op = 'insert' GROUP BY 1, 2 HAVING count(*) > 1)")).scalar()
        demo_batches = conn.execute(text("SELECT count(*) FROM event_batches WHERE signer = 's'")).scalar() or 0
        # The events' row index, set aside during the load, is back exactly as the migrations made it.
        index = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'ix_change_events_row'")).scalar()
    assert index == "CREATE INDEX ix_change_events_row ON change_events (table_name, row_id)"
    assert twice == 0
    assert inserts == rows and rows > written > SIZES["findings"]  # the reference data had its own
    assert 0 < demo_batches < written // 20  # signed in batches, not event by event


def test_the_demo_makes_its_events_as_it_writes_never_reading_its_rows_back(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the demo's rows were read back to make their events")

    monkeypatch.setattr(backfill, "backfill", refuse)
    monkeypatch.setattr(backfill, "_sqlite_fields", refuse)
    db, written = _build(tmp_path / "demo.sqlite3")
    try:
        _assert_one_event_per_row_and_verified(db, written)
    finally:
        db.dispose()


def test_the_helper_writes_the_events_itself_and_its_scratch_file_goes(tmp_path):
    """The events reach the demo by two INSERT … SELECT from the helper's scratch file, not as
    hundreds of thousands of parameter rows bound here; nothing of the scratch file remains."""
    from sqlalchemy import event

    db = Database.open_path(tmp_path / "demo.sqlite3", create=True)
    db.upgrade()
    load_reference_data(ServiceContext(db))
    bound: list[str] = []
    copied: list[str] = []

    def watch(_conn, _cursor, statement, _params, _context, executemany):
        if "change_events" in statement or "row_heads" in statement:
            (bound if executemany else copied).append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        written = generate_demo(db, seed=7, **SIZES).counts["change_events"]
        _assert_one_event_per_row_and_verified(db, written)
        assert not bound
        assert any(s.startswith('INSERT INTO main."change_events"') and demo_events.SCRATCH_SCHEMA in s for s in copied)
        assert not [p.name for p in tmp_path.iterdir() if "demo-events" in p.name]
        with db.engine.connect() as conn:  # and the demo's connection is back to its own file alone
            assert demo_events.SCRATCH_SCHEMA not in [r[1] for r in conn.exec_driver_sql("PRAGMA database_list")]
    finally:
        db.dispose()


def test_without_a_helper_process_the_events_are_made_in_line(tmp_path, monkeypatch):
    def no_process(*_args, **_kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(demo_events, "ProcessPoolExecutor", no_process)
    monkeypatch.setattr(backfill, "_sqlite_fields", lambda *_a: (_ for _ in ()).throw(AssertionError("read back")))
    db, written = _build(tmp_path / "demo.sqlite3")
    try:
        _assert_one_event_per_row_and_verified(db, written)
    finally:
        db.dispose()


def test_when_the_helper_fails_midway_the_backfill_gives_the_rest_their_events(tmp_path, monkeypatch):
    """The events written before the failure stay (a whole prefix of the chain); the backfill
    continues that chain for the rows still without one: still one event per row, verified."""
    real_add = demo_events.DemoEvents.add
    calls = {"n": 0}

    def add_then_fail(self, table, keys, rows):
        calls["n"] += 1
        # The fourth chunk names a table the helper does not know: a KeyError there.
        real_add(self, "no_such_table" if calls["n"] == 4 else table, keys, rows)

    monkeypatch.setattr(demo_events.DemoEvents, "add", add_then_fail)
    used = {"n": 0}
    real_backfill = backfill.backfill

    def counted_backfill(*args, **kwargs):
        written = real_backfill(*args, **kwargs)
        used["n"] += written
        return written

    monkeypatch.setattr(backfill, "backfill", counted_backfill)
    db, written = _build(tmp_path / "demo.sqlite3")
    try:
        _assert_one_event_per_row_and_verified(db, written)
        assert 0 < used["n"] < written  # some came from the helper, the rest from the backfill
    finally:
        db.dispose()


def test_a_demo_that_fails_halfway_writes_nothing_and_leaves_no_helper_behind(tmp_path, monkeypatch):
    import multiprocessing
    import time

    import pytest

    from app.services import demo

    def boom(*_args):
        raise RuntimeError("disk full")

    db = Database.open_path(tmp_path / "demo.sqlite3", create=True)
    db.upgrade()
    load_reference_data(ServiceContext(db))
    # After every record is written: the helper has had chunks to work on by then.
    monkeypatch.setattr(demo, "_write_sequences", boom)
    started = []
    real_add = demo_events.DemoEvents.add
    monkeypatch.setattr(demo_events.DemoEvents, "add", lambda self, *a: (started.append(1), real_add(self, *a)))
    try:
        with pytest.raises(RuntimeError):
            generate_demo(db, seed=7, **SIZES)
        assert started
        assert not (tmp_path / "demo.sqlite3-demo-events").exists()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM units")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'ix_change_events_row'")).scalar() == 1
        # The helper was told to stop; it goes as soon as it has read that (generous bound, not a timing).
        deadline = time.monotonic() + 120
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert multiprocessing.active_children() == []
    finally:
        db.dispose()


_KILLED_MIDWAY = """
import multiprocessing, os, signal, sys
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.demo import generate_demo
from app.services.reference import load_reference_data

def progress(message):
    if message.startswith("正在登记变更记录"):  # every chunk handed to the helper, not all written back
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

if __name__ == "__main__":
    db = Database.open_path(sys.argv[1], create=True)
    db.upgrade()
    load_reference_data(ServiceContext(db))
    generate_demo(db, seed=7, units=12, findings=300, interviews=120, progress=progress)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_demo_killed_halfway_takes_its_helper_with_it(tmp_path):
    import subprocess
    import sys
    import time

    script = tmp_path / "killed.py"
    script.write_text(_KILLED_MIDWAY, encoding="utf-8")
    # Output to files, not pipes: a helper left behind would hold a pipe open and hang the run.
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:
        code = subprocess.run([sys.executable, str(script), str(tmp_path / "demo.sqlite3")], stdout=stdout,
                              stderr=stderr, timeout=600, check=False).returncode
    assert code == -9, err.read_text()
    helpers = [int(p) for p in out.read_text().split()]
    assert helpers
    deadline = time.monotonic() + 120  # a generous bound for a loaded machine, not a timing
    while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in helpers)
    assert not (tmp_path / "demo.sqlite3-demo-events").exists()  # the helper took its scratch file along


class _InProcess:
    """Stands for the helper's process pool, running the helper's own code here (so that the test's
    fixed ids and clocks reach it)."""

    def __init__(self, *, max_workers, mp_context, initializer, initargs):
        initializer(*initargs)

    def submit(self, fn, *args):
        from concurrent.futures import Future

        done: Future = Future()
        done.set_result(fn(*args))
        return done

    def shutdown(self, **_kwargs):
        pass


def _events_as_stored(path: Path, monkeypatch, *, scratch: bool) -> dict[str, list[tuple]]:
    """Events for every stored row of three synced tables, with fixed ids and clocks, through the
    scratch file (`scratch`) or the statements; what the database then holds, in storage order."""
    import gc
    import itertools
    import uuid

    from app.models.changelog import site_id

    ids, clock = itertools.count(1), itertools.count(1)
    monkeypatch.setattr(backfill, "new_id", lambda: uuid.UUID(int=next(ids)))
    monkeypatch.setattr(backfill, "next_hlc", lambda _prev: f"{next(clock):013d}-0000")
    monkeypatch.setattr(demo_events, "utcnow", lambda: __import__("datetime").datetime(2026, 1, 2, 3, 4, 5, 6))
    monkeypatch.setattr(demo_events, "BATCH", 7)  # several signed batches per chunk
    monkeypatch.setattr(demo_events, "ProcessPoolExecutor", _InProcess)
    db = Database.open_path(path)
    try:
        with db.write() as session:
            conn = session.connection()
            conn.exec_driver_sql("DELETE FROM row_heads")  # the rows get their heads anew here
            made = demo_events.DemoEvents(conn, site_id(conn), helper=scratch, scratch=f"{path}-demo-events")
            with made:
                for table in [t for t in backfill._synced_tables() if conn.exec_driver_sql(
                        f'SELECT count(*) FROM "{t.name}"').scalar()][:3]:  # noqa: S608 - our names
                    keys = [c.name for c in table.columns]
                    rows = conn.exec_driver_sql(f'SELECT * FROM "{table.name}"').all()  # noqa: S608
                    made.add(table.name, keys, [tuple(r) for r in rows])
                assert made.finish() > 14
        with db.engine.connect() as conn:
            return {t: conn.exec_driver_sql(f"SELECT rowid, * FROM {t} ORDER BY rowid").all()  # noqa: S608
                    for t in ("change_events", "row_heads", "event_batches")}
    finally:
        gc.enable()  # the helper's initializer turned it off, here in this process
        db.dispose()


def test_events_through_the_scratch_file_are_stored_exactly_as_the_statements_store_them(tmp_path, monkeypatch):
    """Same chain start, ids and clocks: every column of every event, row head and signed batch, and
    the order they are stored in, is the same whichever way the events reached the database."""
    import shutil

    db = Database.open_path(tmp_path / "a.sqlite3", create=True)  # one site, one key: copied
    db.upgrade()
    load_reference_data(ServiceContext(db))
    db.dispose()
    assert not (tmp_path / "a.sqlite3-wal").exists()
    shutil.copy(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    through_scratch = _events_as_stored(tmp_path / "a.sqlite3", monkeypatch, scratch=True)
    assert not (tmp_path / "a.sqlite3-demo-events").exists()
    through_statements = _events_as_stored(tmp_path / "b.sqlite3", monkeypatch, scratch=False)
    assert through_scratch == through_statements
    assert len(through_scratch["change_events"]) > 14


def test_the_demos_events_are_hashed_by_the_fast_encoder(tmp_path, monkeypatch):
    """Every event's canonical JSON comes from orjson, none from the json module's fallback (which
    writes the same bytes several times slower): a table name must reach the hash as a plain str."""
    from app import eventhash

    def no_process(*_args, **_kwargs):
        raise OSError("in line, so that the hashing is watched here")

    monkeypatch.setattr(demo_events, "ProcessPoolExecutor", no_process)
    db = Database.open_path(tmp_path / "demo.sqlite3", create=True)
    db.upgrade()
    load_reference_data(ServiceContext(db))
    slow: list[object] = []
    real = eventhash._CANONICAL
    monkeypatch.setattr(eventhash, "_CANONICAL", lambda data: (slow.append(data), real(data))[1])
    try:
        written = generate_demo(db, seed=7, **SIZES).counts["change_events"]
        assert written > SIZES["findings"]
        assert slow == []
    finally:
        db.dispose()


class _GoneParent:
    """A helper's parent that has already died (multiprocessing.parent_process's join returns)."""

    def join(self) -> None:
        return None


def _scratch(tmp_path: Path) -> demo_events.Scratch:
    return demo_events.Scratch(path=str(tmp_path / "demo.sqlite3-demo-events"),
                               tables={"change_events": [("id", "CHAR(32)")], "row_heads": [("row_id", "CHAR(32)")]})


def test_a_helper_makes_its_scratch_file_before_it_watches_its_parent(tmp_path, monkeypatch):
    """A demo killed while its helper was still starting: the watch on the parent removes the scratch
    file and ends the helper, so the file must exist before the watch begins (made after it, it was
    left behind)."""
    import gc

    scratch = _scratch(tmp_path)
    at_watch: list[bool] = []

    class Watch:
        def __init__(self, target: object, args: tuple[object, ...], daemon: bool) -> None:
            assert target is demo_events._exit_with and daemon

        def start(self) -> None:
            at_watch.append(Path(scratch.path).exists())

    monkeypatch.setattr(demo_events, "_maker", None)
    monkeypatch.setattr(demo_events.multiprocessing, "parent_process", lambda: _GoneParent())
    monkeypatch.setattr(demo_events.threading, "Thread", Watch)
    monkeypatch.setattr(gc, "disable", lambda: None)  # (the helper's own choice, not the test process's)
    start = demo_events.ChainStart(site="0" * 32, seq=0, prev=GENESIS_HASH, hlc=None, schema="head",
                                   now="2026-01-01T00:00:00+00:00", first_batch=1)
    demo_events._start_helper(start, scratch)
    try:
        assert at_watch == [True]
    finally:
        assert demo_events._maker is not None
        demo_events._maker.close()


def test_a_helper_leaving_waits_for_the_chunk_it_is_writing(tmp_path, monkeypatch):
    """The parent gone while a chunk is being written: the file and its journal are removed once that
    chunk's transaction is over, not under it (SQLite would write its journal again)."""
    import threading

    scratch = _scratch(tmp_path)
    Path(scratch.path).write_bytes(b"")
    exits: list[int] = []
    monkeypatch.setattr(demo_events.os, "_exit", exits.append)
    demo_events._SCRATCH_WRITE.acquire()  # a chunk being written
    leaving = threading.Thread(target=demo_events._exit_with, args=(_GoneParent(), scratch))
    leaving.start()
    try:
        leaving.join(0.3)
        assert leaving.is_alive() and Path(scratch.path).exists() and exits == []
    finally:
        demo_events._SCRATCH_WRITE.release()  # the chunk committed
    leaving.join(60)
    assert not leaving.is_alive()
    assert not Path(scratch.path).exists() and exits == [0]
    demo_events._SCRATCH_WRITE.release()  # (taken for good by a real helper, which ends there)
