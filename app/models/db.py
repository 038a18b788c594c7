"""Opening a database: engine, connection settings, sessions and schema upgrades.

One `Database` per file. Sessions are short: one per service call, results detached
(`expire_on_commit=False`) so the UI can hold them without a live session.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from . import _registry, changelog, crypto, migrate  # noqa: F401 - _registry: every table mapped before a session
from .base import json_text
from .peek import SERVER_SCHEMES, is_server_url  # noqa: F401 - is_server_url: part of this module's interface

SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long `check` waits for another program's write to finish before calling the database busy.
CHECK_BUSY_WAIT_MS = 3_000


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is for the user (Chinese)."""


@dataclass
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    # Checks that could not run, and why (not damage).
    skipped: list[str] = field(default_factory=list)
    # Another program held the write lock throughout.
    busy: bool = False


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


# --- PostgreSQL ----------------------------------------------------------------------------------
# The password of a server URL that does not carry one (libpq's ~/.pgpass and PGPASSWORD work too).
DB_PASSWORD_ENV = "XUNCHA_DB_PASSWORD"
# How long a writer waits for the others before giving up with a message (SQLite waits 15 s for a
# lock; a package import on the server holds it for a few seconds, so a save may queue behind one).
SERVER_LOCK_TIMEOUT_MS = 60_000
# A server reached over TCP (not a unix socket) without an sslmode in its URL gets this one.
DEFAULT_SSLMODE = "verify-full"


def server_engine_url(url: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) of a `postgresql://user@host/dbname` URL."""
    for scheme in SERVER_SCHEMES:
        if url.lower().startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    raise DatabaseError(f"不是 PostgreSQL 数据库地址：{url}")


def display_url(url: str) -> str:
    """The URL as shown to people and written to logs: never with its password."""
    from sqlalchemy.engine import make_url

    try:
        shown = make_url(server_engine_url(url) if is_server_url(url) else url)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as typed, less anything after '@'
        return url.split("@")[-1]
    from urllib.parse import unquote

    return unquote(shown.render_as_string(hide_password=True)).replace("postgresql+psycopg://", "postgresql://", 1)


def writer_lock_key() -> int:
    """The advisory lock every writing transaction on a server takes first (see _configure_postgresql)."""
    return changelog.TAIL_LOCK_KEY


def _read_only_uri(path: Path, *, locking: bool = False) -> str:
    """A URI that opens the file for reading only. When its folder cannot be written either, SQLite
    could not create the -shm file a WAL database needs: with no -wal file present nobody can be
    writing it, so it is opened as immutable — unless `locking`: a reader beside a writer must take
    its locks (immutable could read a writer's spilled, uncommitted pages)."""
    query = "mode=ro"
    folder_writable = os.access(path.parent, os.W_OK)
    if not locking and not folder_writable and not path.with_name(path.name + "-wal").exists():
        query += "&immutable=1"
    return f"{path.resolve().as_uri()}?{query}"


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (the pysqlite driver's own
        # implicit BEGIN cannot take the write lock up front).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if read_only:
            # Changing the journal mode is a write: a read-only file keeps the mode it has.
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.close()
            return
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode; a power cut may lose the
        # last commit but never corrupts the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Sorts, temporary indexes and views never spill into (unencrypted) temporary files.
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock when they begin, so two writers queue instead of one failing with
        # "database is locked" halfway through (read-then-write upgrades cannot wait).
        if conn.get_execution_options().get("write", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            # Timestamps are stored as UTC without a zone (UTCDateTime), as on SQLite.
            cursor.execute("SET TIME ZONE 'UTC'")
            cursor.execute("SET application_name = 'xuncha'")
        dbapi_connection.commit()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers queue on one transaction-level advisory lock, taken before anything is read: the
        # change log's per-site sequence, hash chain and signed batches have one tail each, and the
        # services check business keys (a unit's name, an interview at the same minute) by reading
        # before they write, as on SQLite where BEGIN IMMEDIATE serialises writers. Taking it first,
        # rather than at the first logged flush, means no writer ever holds a row lock while waiting
        # for it (no deadlock with the document-number row). Readers are never blocked.
        if conn.get_execution_options().get("write", False):
            try:
                changelog.lock_tail(conn)
            except changelog.TailBusyError as exc:
                raise DatabaseError(str(exc)) from exc


class Database:
    """One database file (or URL). With `key`, the file is a SQLCipher database opened with that
    raw 256-bit key; the key stays in memory for as long as the database is open."""

    def __init__(self, url: str, *, echo: bool = False, key: bytes | None = None, read_only: bool = False,
                 locking: bool = False) -> None:
        """`locking` (with `read_only`): never open the file as immutable (see _read_only_uri)."""
        self.url = url
        self._key = key
        self.read_only = read_only
        if key is not None:
            path = self.path
            if path is None:
                raise DatabaseError("只有数据库文件可以加密。")
            module = crypto.sqlcipher_module()
            self.engine = create_engine(
                # The key is read at each connect: after `rekey` new connections use the new one.
                url, echo=echo, module=module, creator=lambda: crypto.connect_encrypted(path, self._require_key()),
                json_serializer=json_text,
            )
        elif read_only and self.path is not None:
            uri = _read_only_uri(self.path, locking=locking)
            self.engine = create_engine(
                url, echo=echo, json_serializer=json_text,
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
            )
        elif is_server_url(url):
            self.engine = _server_engine(url, echo=echo)
        else:
            self.engine = create_engine(url, echo=echo, json_serializer=json_text)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine, read_only=read_only)
        elif self.engine.dialect.name == "postgresql":
            _configure_postgresql(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(write=True), expire_on_commit=False)
        changelog.install(self._write)

    @classmethod
    def open_path(cls, path: str | Path, *, create: bool = False, key: bytes | None = None,
                  read_only: bool = False) -> Database:
        path = Path(path)
        if not path.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return cls(sqlite_url(path), key=key, read_only=read_only)
        except crypto.CryptoError as exc:
            raise DatabaseError(str(exc)) from exc

    @classmethod
    def open_url(cls, url: str) -> Database:
        """A PostgreSQL database (`postgresql://user@host/dbname`); it must exist on the server."""
        return cls(url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_server(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def location(self) -> str:
        """What to call this database in a message: its file, or its server URL without password."""
        path = self.path
        return str(path) if path is not None else display_url(self.url)

    @property
    def path(self) -> Path | None:
        """The database file, for a SQLite database."""
        prefix = "sqlite:///"
        if not self.url.startswith(prefix) or self.url == prefix or ":memory:" in self.url:
            return None
        return Path(self.url.removeprefix(prefix))

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    def _require_key(self) -> bytes:
        assert self._key is not None
        return self._key

    def rekey(self, new_key: bytes, progress: Callable[[int, int], None] | None = None) -> None:
        """Re-encrypt the file under `new_key` (SQLCipher `PRAGMA rekey`, in place; see
        crypto.rekey, which reports (done, total) to `progress` from a thread of its own).

        Every pooled connection is closed first (they hold the old key); the rekey runs on a
        connection of its own, which waits for other processes' writers like any writer."""
        path = self.path
        if self._key is None or path is None:
            raise DatabaseError("只有加密的数据库文件可以更换密钥。")
        self.engine.dispose()
        conn = crypto.connect_encrypted(path, self._key)
        try:
            conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            crypto.rekey(conn, path, new_key, progress)
        except BaseException:
            # Interrupted after SQLCipher committed (Ctrl-C as the call returned): the file is under
            # the new key, and `key` must say so, or the caller would throw the new key away.
            conn.close()
            if crypto.opens_with(path, new_key):
                self._key = new_key
                # Connections another thread opened meanwhile hold the old key: none may stay pooled.
                self.engine.dispose()
            raise
        conn.close()
        self._key = new_key
        self.engine.dispose()

    @property
    def key(self) -> bytes | None:
        """The raw database key (None for a plain database). Only the security services use it."""
        return self._key

    def subkey(self, purpose: str) -> bytes | None:
        """A key derived from the database key for another file kept beside it (None when plain)."""
        return crypto.subkey(self._key, purpose) if self._key is not None else None

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; it never holds the write lock."""
        with self._read() as session:
            yield session

    @contextlib.contextmanager
    def write(self, author_name: str | None = None, *, author_id: Any = None,
              signing_key: Any = None) -> Iterator[Session]:
        """A session that commits on success and rolls back on any exception.

        Its changes are logged as made by `author_id` (an account; None: this copy itself) under
        `author_name`, and signed at commit with `signing_key` (the account's Ed25519 key; without
        it, the site's key signs and other copies treat the changes as unproven).
        """
        with self._write() as session, session.begin():
            session.info[changelog.AUTHOR_NAME] = author_name
            session.info[changelog.AUTHOR_ID] = author_id
            session.info[changelog.SIGNING_KEY] = signing_key
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest version (creates it in an empty database)."""
        migrate.upgrade(self.engine)

    def schema_state(self) -> migrate.SchemaState:
        return migrate.schema_state(self.engine)

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def integrity_problems(self) -> list[str]:
        """What SQLite's own checks find wrong: page corruption and broken foreign keys."""
        return self.integrity_report().problems

    def integrity_report(self, *, busy_wait_ms: int | None = None) -> IntegrityReport:
        """Problems found, and checks that could not run (the file is read-only, or another program
        holds the write lock for longer than `busy_wait_ms`): neither of those is damage."""
        report = IntegrityReport()
        busy_wait_ms = CHECK_BUSY_WAIT_MS if busy_wait_ms is None else busy_wait_ms
        if self.is_server:
            self._server_integrity(report)
            return report
        if not self.is_sqlite:
            return report
        problems = report.problems
        with self.engine.connect() as conn:
            if self.encrypted:
                # Every page's HMAC: a flipped byte anywhere in the encrypted file shows up here.
                for (line,) in conn.execute(text("PRAGMA cipher_integrity_check")):
                    problems.append(f"加密页校验：{line}")
                if problems:
                    # Pages that fail their HMAC cannot be read: the checks below would only fail.
                    return report
            for (line,) in conn.execute(text("PRAGMA integrity_check")):
                if line != "ok":
                    problems.append(f"完整性检查：{line}")
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"外键失效：表 {row[0]} 第 {row[1]} 行引用的 {row[2]} 不存在")
            conn.rollback()
            # FTS5's own check is phrased as a write: it needs the write lock (waited for briefly
            # here, not for the usual 15 s) and a writable file.
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy_wait_ms)}")
            try:
                conn.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
            except Exception as exc:  # noqa: BLE001 - any other failure here means a damaged index
                reason = str(getattr(exc, "orig", exc)).lower()
                if "readonly" in reason or "read-only" in reason:
                    report.skipped.append("全文索引未检查：数据库文件是只读的。")
                elif "locked" in reason or "busy" in reason:
                    report.busy = True
                    report.skipped.append("全文索引未检查：数据库正被另一个程序写入（例如打开着的巡察工作台窗口）。")
                else:
                    problems.append(f"全文索引损坏：{getattr(exc, 'orig', exc)}")
            finally:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        return report

    def _server_integrity(self, report: IntegrityReport) -> None:
        """On PostgreSQL pages and foreign keys are the server's own business (checksums, constraints
        always enforced); what can drift is the keyword index: its GIN index, its rows against the
        records, and a locale under which pg_trgm cannot see Chinese."""
        from .search_index import INDEXED, PG_GRAMS_INDEX, PG_TRGM_INDEX

        problems = report.problems
        with self.engine.connect() as conn:
            for index, what in ((PG_TRGM_INDEX, "三元组索引"), (PG_GRAMS_INDEX, "单字双字索引")):
                valid = conn.exec_driver_sql(
                    "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = %(n)s",
                    {"n": index}).scalar()
                if valid is not True:
                    problems.append(f"全文索引损坏：{what} {index} 不存在或无效")
            for entity, (table, _title, _columns) in INDEXED.items():
                missing = conn.exec_driver_sql(
                    f"SELECT count(*) FROM {table} r WHERE r.deleted_at IS NULL AND NOT EXISTS "  # noqa: S608 - fixed names
                    f"(SELECT 1 FROM search_docs d WHERE d.entity_id = r.id)").scalar()
                stale = conn.exec_driver_sql(
                    f"SELECT count(*) FROM search_docs d WHERE d.entity = %(e)s AND NOT EXISTS "  # noqa: S608
                    f"(SELECT 1 FROM {table} r WHERE r.id = d.entity_id AND r.deleted_at IS NULL)", {"e": entity}).scalar()
                if missing or stale:
                    problems.append(f"全文索引损坏：{table} 缺 {missing} 条、多 {stale} 条（可运行 search.rebuild_index 重建）")
            ctype = str(conn.exec_driver_sql("SHOW lc_ctype").scalar() or "")
            if "utf" not in ctype.lower().replace("-", ""):
                report.skipped.append(f"数据库的 LC_CTYPE 为 {ctype}：三元组索引看不到汉字，搜索仍然正确但会变慢；"
                                      "请按 README 用 UTF-8 区域设置（如 C.UTF-8）创建数据库")
            conn.rollback()

    def refresh_statistics(self, *, force: bool = False) -> bool:
        """Give SQLite's planner table statistics when it has none, or when findings outgrew them.

        Without statistics SQLite guesses that `deleted_at IS NULL` is selective and scans 100,000
        findings through that index instead of looking up the few a keyword matched (measured:
        200–400 ms instead of 10–60 ms). A sampled ANALYZE takes a fraction of a second.
        """
        if not self.is_sqlite:
            return False
        try:
            return self._refresh_statistics(force)
        except Exception:  # noqa: BLE001 - best effort; SQLCipher's errors are not SQLAlchemy's
            # A damaged page must not stop the database from opening: `xuncha check` has to be able
            # to name it. Queries merely run without statistics.
            return False

    def _refresh_statistics(self, force: bool) -> bool:
        with self.engine.connect() as conn:
            # Best effort: a start never waits long behind another program's write.
            conn.exec_driver_sql("PRAGMA busy_timeout = 200")
            try:
                return self._analyze_if_due(conn, force)
            finally:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")

    @staticmethod
    def _analyze_if_due(conn: Any, force: bool) -> bool:
        has_stats = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
        ).first() is not None
        rows = conn.exec_driver_sql("SELECT count(*) FROM findings").scalar() or 0
        known = 0
        if has_stats:
            stat = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'findings' LIMIT 1").scalar()
            known = int(str(stat).split()[0]) if stat else 0
        # Small databases plan well without statistics; large ones get them once, and again
        # when findings have grown fourfold since.
        if not force and (rows < 1000 or (has_stats and rows <= known * 4)):
            return False
        conn.exec_driver_sql("PRAGMA analysis_limit = 1000")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def _server_engine(url: str, *, echo: bool = False) -> Engine:
    from sqlalchemy.engine import make_url

    try:
        target = make_url(server_engine_url(url))
    except Exception as exc:  # noqa: BLE001 - any parse failure is the user's typo
        raise DatabaseError(f"PostgreSQL 数据库地址无法识别：{display_url(url)}（应为 postgresql://用户@主机/数据库）") from exc
    if target.password is None and os.environ.get(DB_PASSWORD_ENV):
        target = target.set(password=os.environ[DB_PASSWORD_ENV])
    host = target.query.get("host") or target.host
    if host and not str(host).startswith("/") and "sslmode" not in target.query:
        # Over the network, TLS with the server's name checked against its certificate unless the URL
        # says otherwise: libpq's own default ("prefer") would fall back to plain text without a word.
        target = target.update_query_dict({"sslmode": DEFAULT_SSLMODE})
    try:
        import psycopg  # noqa: F401 - checked here so a missing driver is one sentence, not a traceback
    except ImportError as exc:
        raise DatabaseError("缺少 PostgreSQL 驱动 psycopg，请重新安装巡察工作台。") from exc
    # A connection per workstation thread is plenty; pre-ping replaces one the server dropped.
    return create_engine(target, echo=echo, json_serializer=json_text, pool_pre_ping=True,
                         pool_size=5, max_overflow=5, connect_args={"connect_timeout": 10})
