"""Schema upgrades through Alembic, run from code (no alembic.ini needed at run time)."""

from __future__ import annotations

import contextlib
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The head schema of a SQLite database as the statements that make it (see create_from_snapshot).
SQLITE_SNAPSHOT = MIGRATIONS_DIR / "sqlite_head.json"


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(None|'[^']*'|\"[^\"]*\")\s*$", re.MULTILINE)


@functools.cache
def _chain() -> dict[str, str | None] | None:
    """revision → down_revision, read from the scripts' text: opening a current database (every
    launch) needs only the head, and Alembic takes ~0.3 s to import and load every script.
    None when a script says it in a form this does not read (then Alembic answers)."""
    chain: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict((name, value) for name, value in _REVISION.findall(script.read_text(encoding="utf-8")))
        if set(found) != {"revision", "down_revision"} or found["revision"] == "None":
            return None
        chain[found["revision"][1:-1]] = None if found["down_revision"] == "None" else found["down_revision"][1:-1]
    return chain


# The migration scripts ship with the program and do not change while it runs: they are read once.
@functools.cache
def head_revision() -> str:
    chain = _chain()
    if chain is not None:
        heads = sorted(set(chain) - set(chain.values()))
    else:
        from alembic.script import ScriptDirectory

        heads = list(ScriptDirectory.from_config(alembic_config()).get_heads())
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]


@functools.cache
def _known_revisions() -> frozenset[str]:
    chain = _chain()
    if chain is not None:
        return frozenset(chain)
    from alembic.script import ScriptDirectory

    return frozenset(rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def known_revisions() -> set[str]:
    return set(_known_revisions())


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def is_newer_than_app(self) -> bool:
        """The database was written by a newer version of the application than this one."""
        return self.current is not None and self.current not in known_revisions()

    @property
    def needs_upgrade(self) -> bool:
        return self.current != self.head and not self.is_newer_than_app


def schema_state(engine: Engine) -> SchemaState:
    # Imported here: the head alone (head_revision) is read without SQLAlchemy (app/cli_quick.py).
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        # What Alembic's MigrationContext.get_current_revision reads, without importing Alembic.
        current = None
        if inspect(conn).has_table("alembic_version"):
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            if len(versions) > 1:
                raise RuntimeError(f"the database has several schema heads: {versions}")
            current = versions[0] if versions else None
    return SchemaState(current=current, head=head_revision())


def upgrade(engine: Engine, revision: str = "head", *, snapshot: bool = True) -> None:
    """Bring the schema to `revision`. An empty SQLite database gets the head schema from the
    snapshot when it is current (`snapshot=False`: always through Alembic's revisions)."""
    state = schema_state(engine)
    if state.is_newer_than_app:
        raise SchemaTooNewError(
            f"该数据库由更新版本的巡察工作台创建（结构版本 {state.current}），请先升级本软件再打开。"
        )
    if revision == "head" and state.current == state.head:
        # Already current (every open but the first after an update): Alembic's upgrade command
        # would load its runtime and every migration script only to do nothing, while the window
        # is painting (it held the GIL for 100 ms of the start-up).
        return
    if snapshot and revision in ("head", state.head) and create_from_snapshot(engine):
        return
    from alembic import command  # only when there is something to upgrade

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


class SchemaTooNewError(Exception):
    pass


# --- the SQLite head schema as a snapshot -----------------------------------------------------------
# A new SQLite database (every office, laptop and demo starts as one) would otherwise import Alembic
# and run every revision (0.4 s) and then some (0.3–0.9 s to import Alembic on a busy 2-core laptop)
# to arrive at a schema known in advance. The snapshot holds that schema as the exact statements
# SQLite kept in sqlite_master after the revisions ran, with the revision they reach; it is used only
# while that revision is the head, so a snapshot left behind by a new revision costs time, never
# correctness. tests/test_migrations.py proves it equal to the revisions' result and current; after
# adding a revision, rewrite it with `python -m app.models.migrate`.
def _snapshot_order(kind: str) -> int:
    return {"table": 0, "index": 1, "view": 2, "trigger": 3}.get(kind, 4)


def schema_statements(engine: Engine) -> list[str]:
    """The statements that rebuild a SQLite database's schema: tables (virtual ones included, not
    their shadow tables nor SQLite's own), then indexes, views and triggers, each group in the
    order SQLite recorded them."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                    "ORDER BY rowid").all()
        virtual = [name for kind, name, sql in rows if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    def shadow(name: str) -> bool:  # a virtual table's own storage (FTS5 makes it itself)
        return name not in virtual and any(name.startswith(v + "_") for v in virtual)

    kept = [(kind, sql) for kind, name, sql in rows if not name.startswith("sqlite_") and not shadow(name)]
    return [sql for _kind, sql in sorted(kept, key=lambda row: _snapshot_order(row[0]))]


def _snapshot() -> list[str] | None:
    try:
        data = json.loads(SQLITE_SNAPSHOT.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("revision") != head_revision():
        return None
    return [str(s) for s in data.get("statements", [])]


def create_from_snapshot(engine: Engine) -> bool:
    """The head schema in an empty SQLite database, in one transaction, from the snapshot. False
    (nothing done) when the database is not SQLite, not empty, or the snapshot is not current."""
    if engine.dialect.name != "sqlite":
        return False
    statements = _snapshot()
    if not statements:
        return False
    with engine.begin() as conn:
        if conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
            return False
        # On the DB-API cursor: the statements are SQLite's own text, never parameters.
        cursor = conn.connection.cursor()
        try:
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (head_revision(),))
        finally:
            cursor.close()
    return True


def _unordered(statement: str) -> tuple[str, ...]:
    return tuple(sorted(line.strip().rstrip(",").strip() for line in statement.splitlines()))


def same_schema(one: list[str], other: list[str]) -> bool:
    """Whether two lists of statements make the same schema, whatever the order of the statements
    and of the lines within each (the order Alembic's batch operations leave is not fixed)."""
    return sorted(map(_unordered, one)) == sorted(map(_unordered, other))


def write_snapshot(path: Path = SQLITE_SNAPSHOT) -> list[str]:
    """Run every revision on an in-memory SQLite database and write what it made as the snapshot."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool)
    try:
        upgrade(engine, snapshot=False)
        statements = schema_statements(engine)
    finally:
        engine.dispose()
    # Alembic's batch operations rebuild a table with its constraints and indexes in no fixed order:
    # a schema that only came out in another order keeps its old text (no churn in the diff).
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        previous = list(json.loads(path.read_text(encoding="utf-8"))["statements"])
        if same_schema(previous, statements):
            statements = previous
    data = {"revision": head_revision(), "statements": statements}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return statements


if __name__ == "__main__":  # python -m app.models.migrate: rewrite the snapshot after a new revision
    print(f"{SQLITE_SNAPSHOT}: {len(write_snapshot())} statements at revision {head_revision()}")
