"""Schema upgrades through Alembic, run from code (no alembic.ini needed at run time)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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
    with engine.connect() as conn:
        # What Alembic's MigrationContext.get_current_revision reads, without importing Alembic.
        current = None
        if inspect(conn).has_table("alembic_version"):
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            if len(versions) > 1:
                raise RuntimeError(f"the database has several schema heads: {versions}")
            current = versions[0] if versions else None
    return SchemaState(current=current, head=head_revision())


def upgrade(engine: Engine, revision: str = "head") -> None:
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
    from alembic import command  # only when there is something to upgrade

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


class SchemaTooNewError(Exception):
    pass
