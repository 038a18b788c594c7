"""Schema upgrades through Alembic, run from code (no alembic.ini needed at run time)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


# The migration scripts ship with the program and do not change while it runs: they are read once.
@functools.cache
def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return heads[0]


@functools.cache
def _known_revisions() -> frozenset[str]:
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
        current = MigrationContext.configure(conn).get_current_revision()
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
