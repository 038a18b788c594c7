"""Opening a database: engine, connection settings, sessions and schema upgrades.

One `Database` per file. Sessions are short: one per service call, results detached
(`expire_on_commit=False`) so the UI can hold them without a live session.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from . import changelog, crypto, migrate
from .base import json_text

SQLITE_BUSY_TIMEOUT_MS = 15_000


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is for the user (Chinese)."""


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path)}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (the pysqlite driver's own
        # implicit BEGIN cannot take the write lock up front).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
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


class Database:
    """One database file (or URL). With `key`, the file is a SQLCipher database opened with that
    raw 256-bit key; the key stays in memory for as long as the database is open."""

    def __init__(self, url: str, *, echo: bool = False, key: bytes | None = None) -> None:
        self.url = url
        self._key = key
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
        else:
            self.engine = create_engine(url, echo=echo, json_serializer=json_text)
        if self.engine.dialect.name == "sqlite":
            _configure_sqlite(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(write=True), expire_on_commit=False)
        changelog.install(self._write)

    @classmethod
    def open_path(cls, path: str | Path, *, create: bool = False, key: bytes | None = None) -> Database:
        path = Path(path)
        if not path.exists() and not create:
            raise DatabaseError(f"数据库文件不存在：{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return cls(sqlite_url(path), key=key)
        except crypto.CryptoError as exc:
            raise DatabaseError(str(exc)) from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

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

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the file under `new_key` (SQLCipher `PRAGMA rekey`, in place).

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
            conn.execute(crypto.key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
        finally:
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
        if not self.is_sqlite:
            return []
        problems: list[str] = []
        with self.engine.connect() as conn:
            if self.encrypted:
                # Every page's HMAC: a flipped byte anywhere in the encrypted file shows up here.
                for (line,) in conn.execute(text("PRAGMA cipher_integrity_check")):
                    problems.append(f"加密页校验：{line}")
                if problems:
                    # Pages that fail their HMAC cannot be read: the checks below would only fail.
                    return problems
            for (line,) in conn.execute(text("PRAGMA integrity_check")):
                if line != "ok":
                    problems.append(f"完整性检查：{line}")
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"外键失效：表 {row[0]} 第 {row[1]} 行引用的 {row[2]} 不存在")
            try:
                conn.execute(text("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"))
            except Exception as exc:  # noqa: BLE001 - any failure here means a damaged index
                problems.append(f"全文索引损坏：{exc}")
        return problems

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
