"""The demo's change events, made in a helper process while the rows are still being built.

Every bulk-written row gets one signed insert event, chained like any other (app/models/backfill.py
does it by reading the rows back once they are all written). Here the writer hands each chunk of
rows, in the form SQLite stores them, to a helper process as it inserts them: the helper decodes
them to the JSON form events carry (the same `bulk.sqlite_decoder`s the backfill's read-back uses)
and chains and hashes the events, which is most of their cost, on the machine's other core while
this process goes on building rows; this process only inserts what comes back, in order, and signs
its batches. The rows are never read back.

The helper writes the events itself, into a scratch SQLite file beside the demo (tables of the same
columns, no indexes, no fsync), and this process copies them in at the end in two INSERT … SELECT
statements of C: handing the statements back meant pickling ~400 MB of fields JSON across and
binding it again through Python's executemany, in the process that is the demo's bottleneck. An
encrypted or in-memory demo gets the statements back as before (no plain copy of it on disk).

The chain is sequential, so it lives in the helper alone, from the state this copy's log has when
the demo starts (nothing else writes events in the demo's transaction). The helper's results are
written strictly in the order they were asked for, so what the database holds is always a whole
prefix of that chain: when the helper cannot be started or dies, it is dropped and the backfill
gives the rows still without an event theirs, continuing the same chain.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, String, select

from app.eventhash import encode_value
from app.models import Base, backfill, bulk
from app.models.base import utcnow
from app.models.changelog import GENESIS_HASH, SITE_SIGNER, PendingBatch, schema_version, site_signing_key
from app.models.sync_log import ChangeEvent

log = logging.getLogger(__name__)

# Events per signed batch, as the backfill signs them.
BATCH = 5000


@dataclass(frozen=True)
class ChainStart:
    """Where this copy's chain stands before the demo: the helper continues it from here."""

    site: str
    seq: int
    prev: str
    hlc: str | None
    schema: str
    now: str  # recorded_at and received_at of every event (as the backfill's)
    first_batch: int  # the number the next signed batch of this copy gets


@dataclass
class _Label:
    """What backfill's chain asks of a batch while it makes events: its label, and the hashes."""

    label: str
    hashes: list[str] = field(default_factory=list)


# One signed batch's events: (label, hashes, how many, the statements that write them).
Made = list[tuple[str, list[str], int, list[tuple[str, Any]]]]


class _Recorder:
    """Stands for the SQLite connection while the helper runs the backfill's own writer, so that the
    events are stored exactly as the backfill stores them; this process then runs the statements."""

    dialect = SimpleNamespace(name="sqlite")

    def __init__(self) -> None:
        self.statements: list[tuple[str, Any]] = []

    def exec_driver_sql(self, sql: str, params: Any = None) -> None:
        self.statements.append((sql, params))


@dataclass(frozen=True)
class Scratch:
    """The helper's scratch file, and the columns (name, declared type) of the tables it writes
    there: the demo's own, so that SQLite stores every value there exactly as it will in the demo."""

    path: str
    tables: dict[str, list[tuple[str, str]]]


# The name the scratch file is attached under in the demo's connection, for the copy.
SCRATCH_SCHEMA = "demo_events_scratch"
_SCRATCH_TABLES = ("change_events", "row_heads")


class _ScratchWriter:
    """Stands for the SQLite connection while the helper runs the backfill's own writer into its
    scratch file: the statements it would run, run there."""

    dialect = SimpleNamespace(name="sqlite")

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def exec_driver_sql(self, sql: str, params: Any = None) -> None:
        if isinstance(params, list):
            self._db.executemany(sql, params)
        else:
            self._db.execute(sql, params or ())


def _open_scratch(scratch: Scratch) -> sqlite3.Connection:
    """A new, empty scratch file (a leftover of a killed demo is replaced). Scratch: no fsync; its
    rollback journal still keeps each chunk whole should the helper die while writing one."""
    remove_scratch(scratch.path)
    db = sqlite3.connect(scratch.path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous = OFF")
    for table, columns in scratch.tables.items():
        declared = ", ".join(f'"{name}" {kind}' for name, kind in columns)
        db.execute(f'CREATE TABLE "{table}" ({declared})')
    return db


def remove_scratch(path: str) -> None:
    for name in (path, path + "-journal"):
        try:
            os.remove(name)
        except FileNotFoundError:
            pass
        except OSError:  # still open elsewhere (Windows): the next demo's helper replaces it
            log.warning("演示数据：无法删除临时文件 %s", name, exc_info=True)


class EventMaker:
    """The chain, and for each table how to read its stored tuples: lives in the helper process
    (or in this one, in line, where no helper could be started). With a scratch file it writes the
    events there and hands back no statements."""

    def __init__(self, start: ChainStart, scratch: Scratch | None = None) -> None:
        self._chain = backfill._Chain(site=start.site, seq=start.seq, prev=start.prev, hlc=start.hlc,
                                      schema=start.schema, now=start.now)
        self._batch = start.first_batch
        self._readers: dict[tuple[str, tuple[str, ...]], Callable[[tuple[Any, ...]], tuple[str, dict[str, Any]]]] = {}
        self._scratch = _open_scratch(scratch) if scratch is not None else None

    def make(self, table: str, keys: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> Made:
        """Insert events for `rows` of `table` (stored values, in `keys` order), in signed batches."""
        read = self._reader(table, keys)
        if self._scratch is None:
            return self._make(table, read, rows)
        with _SCRATCH_WRITE:
            self._scratch.execute("BEGIN")
            try:
                made = self._make(table, read, rows)
            except BaseException:
                self._scratch.execute("ROLLBACK")
                raise
            # Committed before the results go back: whatever the demo signs is in the file.
            self._scratch.execute("COMMIT")
        return made

    def _make(self, table: str, read: Callable[[tuple[Any, ...]], tuple[str, dict[str, Any]]],
              rows: Sequence[tuple[Any, ...]]) -> Made:
        made: Made = []
        for start in range(0, len(rows), BATCH):
            signed: Any = _Label(f"{SITE_SIGNER}/{self._batch}")  # stands for the PendingBatch written later
            self._batch += 1
            events = [self._chain.insert_event(table, *read(row), signed) for row in rows[start : start + BATCH]]
            target: Any = _Recorder() if self._scratch is None else _ScratchWriter(self._scratch)
            backfill._write_sqlite(target, events)
            made.append((signed.label, signed.hashes, len(events), getattr(target, "statements", [])))
        return made

    def close(self) -> None:
        if self._scratch is not None:
            self._scratch.close()
            self._scratch = None

    def _reader(self, table: str, keys: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[str, dict[str, Any]]]:
        if (table, keys) not in self._readers:
            self._readers[table, keys] = _reader(Base.metadata.tables[table], keys)
        return self._readers[table, keys]


def _reader(table: Any, keys: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[str, dict[str, Any]]]:
    """Stored tuple → (id, fields) in the JSON form events carry: exactly backfill._sqlite_fields'
    decoding, the fields in the table's column order as there (their stored JSON keeps that order)."""
    from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

    dialect = SQLiteDialect_pysqlite()
    position = {k: i for i, k in enumerate(keys)}
    plan = [(c.key, position[c.key], _decoder(c.type, dialect)) for c in table.columns if c.key != "id"]
    id_at = position["id"]
    to_text = bulk.sqlite_decoder(table.c.id.type, dialect)
    assert to_text is not None

    def read(row: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
        fields = {}
        for key, at, decode in plan:
            value = row[at]
            fields[key] = value if decode is None or value is None else decode(value)
        return to_text(row[id_at]), fields

    return read


def _decoder(column_type: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """backfill's decoder; and text as SQLite gives it back: a plain str. The writer hands over its
    enum members (str subclasses, stored as their text), which the events' hash would otherwise
    write through the json module instead of orjson (the same bytes, several times slower)."""
    decode = bulk.sqlite_decoder(column_type, dialect)
    if decode is None and isinstance(column_type, String):
        return _exact_str
    return decode


def _exact_str(value: Any) -> Any:
    return str.__str__(value) if isinstance(value, str) else value


# The helper's one EventMaker (set by its initializer).
_maker: EventMaker | None = None
# Held while a chunk is written to the scratch file, and by a helper leaving for good: the file and
# its journal are removed between two chunks, never under a transaction that would write them again.
_SCRATCH_WRITE = threading.Lock()


def _start_helper(start: ChainStart, scratch: Scratch | None) -> None:
    global _maker
    gc.disable()  # hundreds of thousands of dicts and no cycles among them
    # The scratch file is made before anything may remove it: a demo killed while its helper was
    # still starting left the file behind when the removal came first.
    _maker = EventMaker(start, scratch)
    # A demo killed halfway cannot tell its helper to stop, and the helper would wait for ever to
    # hand back its last results: it goes when its parent does, and takes the scratch file along.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent, scratch), daemon=True).start()


def _exit_with(parent: Any, scratch: Scratch | None) -> None:
    parent.join()
    _SCRATCH_WRITE.acquire()  # never released: the process ends here
    if scratch is not None:
        remove_scratch(scratch.path)
    os._exit(0)


def _make_in_helper(table: str, keys: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> Made:
    assert _maker is not None
    return _maker.make(table, keys, rows)


def _close_in_helper() -> None:
    """Let go of the scratch file, so that the demo can copy from it and then remove it."""
    assert _maker is not None
    _maker.close()


def chain_start(conn: Connection, site: Any) -> ChainStart:
    """This copy's chain as it stands (what backfill.backfill starts from), and its next batch."""
    last = conn.execute(select(ChangeEvent.seq, ChangeEvent.hash).where(ChangeEvent.site_id == site)
                        .order_by(ChangeEvent.seq.desc()).limit(1)).first()
    hlc = conn.execute(select(ChangeEvent.hlc).order_by(ChangeEvent.hlc.desc()).limit(1)).scalar()
    batch = PendingBatch(conn, site, SITE_SIGNER, None)
    return ChainStart(site=str(site), seq=last.seq if last else 0, prev=last.hash if last else GENESIS_HASH, hlc=hlc,
                      schema=schema_version(conn), now=encode_value(utcnow()), first_batch=batch.number)


class DemoEvents:
    """The events of the rows a writer inserts, made as they are inserted (SQLite only).

    `add` after each chunk of a synced table is inserted; `finish` before the index is built. In a
    helper process when one can be started, else in line; if the helper fails, the rows still
    without an event get theirs from the backfill in `finish`. `scratch`: where the helper may write
    its events (a plain file beside the demo; None: they come back as statements)."""

    def __init__(self, conn: Connection, site: Any, *, helper: bool = True, scratch: str | None = None) -> None:
        self._conn, self._site = conn, site
        self._key = site_signing_key(conn)
        start = chain_start(conn, site)
        self._pending: list[Future[Made]] = []
        self._pool: ProcessPoolExecutor | None = None
        self._in_line: EventMaker | None = None
        self._broken = False
        self.written = 0
        self._scratch = _scratch_tables(conn, scratch) if helper and scratch is not None else None
        self._in_scratch = 0  # events signed here whose rows are in the scratch file
        self._row_index = _defer_row_keys(conn)
        if helper:
            try:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_helper, initargs=(start, self._scratch))
            except (OSError, RuntimeError):
                log.warning("演示数据：无法启动辅助进程，变更记录改在本进程生成", exc_info=True)
        if self._pool is None:
            self._in_line = EventMaker(start)
            self._scratch = None

    def __enter__(self) -> DemoEvents:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let the helper go (also when the demo failed halfway: no process is left behind), and
        remove the scratch file (what is copied from it is in the demo's transaction already)."""
        self._give_up_pending()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        if self._scratch is not None:
            remove_scratch(self._scratch.path)

    def add(self, table: str, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """Rows of `table` just inserted, as stored (tuples in `keys` order): their events follow."""
        if self._broken:
            return
        # A plain str: SQLAlchemy's table names are a str subclass, which the events' hash writes
        # through the json module instead of orjson (same bytes, a fifth of the helper's time).
        table = str(table)
        if self._in_line is not None:
            self._write(self._in_line.make(table, tuple(keys), rows))
            return
        assert self._pool is not None
        try:
            self._pending.append(self._pool.submit(_make_in_helper, table, tuple(keys), rows))
        except RuntimeError:  # the pool broke before this chunk
            self._give_up()
            return
        self._drain(wait=False)

    def finish(self) -> int:
        """Write every event still to come; return how many were written in all."""
        if not self._broken:
            self._drain(wait=True)
        self._release_scratch()
        self._copy_scratch()
        self.close()
        _settle_row_keys(self._conn, self._row_index)
        if self._broken:
            self.written += backfill.backfill(self._conn, self._site)
        return self.written

    def _release_scratch(self) -> None:
        """The helper closes the scratch file before it is read here (a dead one has let go of it)."""
        if self._pool is None or self._scratch is None or self._broken:
            return
        try:
            self._pool.submit(_close_in_helper).result()
        except Exception:  # noqa: BLE001 - what it committed is whole either way (see EventMaker.make)
            log.warning("演示数据：辅助进程未能关闭临时文件", exc_info=True)

    def _copy_scratch(self) -> None:
        """The events signed here, and their rows' heads, from the scratch file in one statement each:
        the events in the chain's order, the heads in key order (see _defer_row_keys). Attached for
        the rest of the demo's transaction: SQLite detaches only outside one (let_go_of_scratch)."""
        if self._scratch is None or not self._in_scratch:
            return
        self._conn.exec_driver_sql(f"ATTACH DATABASE ? AS {SCRATCH_SCHEMA}", (self._scratch.path,))
        for table, columns in self._scratch.tables.items():
            names = ", ".join(f'"{name}"' for name, _kind in columns)
            order = "rowid" if table == "change_events" else "table_name, row_id"
            # One row of each table per event, in the chain's order: the first `_in_scratch` are the signed ones.
            self._conn.exec_driver_sql(
                f'INSERT INTO main."{table}" ({names}) SELECT {names} FROM {SCRATCH_SCHEMA}."{table}" '  # noqa: S608
                f"WHERE rowid <= ? ORDER BY {order}", (self._in_scratch,))

    def _drain(self, *, wait: bool) -> None:
        """Write the helper's results in the order asked for (the chain's order), the ready ones
        only unless `wait`."""
        while self._pending and (wait or self._pending[0].done()):
            try:
                made = self._pending[0].result()
            except Exception:  # the helper died or failed: the backfill takes over from the prefix written
                log.warning("演示数据：辅助进程生成变更记录失败，改由补记完成", exc_info=True)
                self._give_up()
                return
            self._pending.pop(0)
            self._write(made)

    def _give_up(self) -> None:
        self._broken = True
        self._give_up_pending()

    def _give_up_pending(self) -> None:
        for pending in self._pending:
            pending.cancel()
        self._pending = []

    def _write(self, made: Made) -> None:
        for label, hashes, count, statements in made:
            signed = PendingBatch(self._conn, self._site, SITE_SIGNER, self._key)
            if signed.label != label:  # another writer's batch in between: never sign a chain with a gap
                raise RuntimeError(f"batch {label} expected, {signed.label} next")
            signed.hashes = hashes
            for sql, params in statements:
                if sql.startswith(_ROW_HEADS):
                    sql = _DEFERRED_HEADS + sql[len(_ROW_HEADS):]
                self._conn.exec_driver_sql(sql, params)
            signed.write(self._conn)
            self.written += count
            if self._scratch is not None:
                self._in_scratch += count


def _scratch_tables(conn: Connection, path: str) -> Scratch:
    tables = {}
    for table in _SCRATCH_TABLES:
        info = conn.exec_driver_sql(f'PRAGMA main.table_info("{table}")').all()
        tables[table] = [(str(row[1]), str(row[2])) for row in info]
    return Scratch(path=path, tables=tables)


def let_go_of_scratch(cursor: Any) -> None:
    """Detach the scratch file from the demo's connection (a DBAPI cursor of it) once its
    transaction is over, and remove the file (where it could not be removed while attached)."""
    attached = [row[2] for row in cursor.execute("PRAGMA database_list").fetchall() if row[1] == SCRATCH_SCHEMA]
    if attached:
        cursor.execute(f"DETACH DATABASE {SCRATCH_SCHEMA}")
        remove_scratch(attached[0])


# The demo's rows reach their events in the order they were made, not by id: their row_heads
# entries and the (table_name, row_id) index of change_events would be written all over two B-trees
# larger than the page cache. Both are filled in key order once the last event is written instead.
_ROW_HEADS = "INSERT INTO row_heads "
_DEFERRED_HEADS = "INSERT INTO temp.demo_row_heads "
_ROW_INDEX = "ix_change_events_row"


def _defer_row_keys(conn: Connection) -> str | None:
    """Drop the events' row index and collect row_heads in a temporary table (in memory: PRAGMA
    temp_store), all inside the demo's transaction; returns the index's own SQL, to build it again."""
    index_sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                     (_ROW_INDEX,)).scalar()
    if index_sql is not None:
        conn.exec_driver_sql(f"DROP INDEX {_ROW_INDEX}")
    conn.exec_driver_sql("CREATE TEMP TABLE demo_row_heads AS SELECT * FROM main.row_heads WHERE 0")
    return index_sql


def _settle_row_keys(conn: Connection, index_sql: str | None) -> None:
    conn.exec_driver_sql("INSERT INTO main.row_heads SELECT * FROM temp.demo_row_heads ORDER BY table_name, row_id")
    conn.exec_driver_sql("DROP TABLE temp.demo_row_heads")
    if index_sql is not None:
        conn.exec_driver_sql(index_sql)
