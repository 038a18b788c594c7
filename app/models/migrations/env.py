"""Alembic environment: migrations run on a connection handed over by app.models.migrate.

Developers create a new revision with `alembic revision --autogenerate -m "…"` from the project's
root (alembic.ini points here).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from app.models import Base
from app.models.search_index import is_internal_table

config = context.config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # The FTS5 index is created by hand-written DDL in the migration, not described by the models.
    return not (type_ == "table" and name is not None and is_internal_table(name))


def run_migrations(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "alembic.ini names no sqlalchemy.url"
    engine = create_engine(url)
    with engine.begin() as conn:
        run_migrations(conn)
