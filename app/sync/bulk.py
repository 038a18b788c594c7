"""Fast executemany for the merge's hot path.

SQLAlchemy's own bind processors convert each value exactly as the ORM would (UUIDs, UTC times,
JSON); only the per-statement overhead is skipped, which dominates when a package writes a
hundred thousand rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _processors(conn: Connection, table: Table, columns: Sequence[str]) -> list[Any]:
    return [table.c[c].type._cached_bind_processor(conn.dialect) for c in columns]


def _params(rows: Sequence[dict[str, Any]], columns: Sequence[str], processors: list[Any]) -> list[tuple[Any, ...]]:
    return [
        tuple(p(row.get(c)) if p is not None else row.get(c) for c, p in zip(columns, processors, strict=True))
        for row in rows
    ]


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, replace_on: Sequence[str] = ()) -> None:
    """INSERT many rows that share one set of columns (upsert on `replace_on` when given)."""
    if not rows:
        return
    columns = list(rows[0])
    mark = _placeholder(conn)
    quoted = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join([mark] * len(columns))})'
    if replace_on:
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in replace_on)
        sql += f" ON CONFLICT ({', '.join(replace_on)}) DO UPDATE SET {updates}"
    conn.exec_driver_sql(sql, _params(rows, columns, _processors(conn, table, columns)))


def update_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE many rows by id, each setting the same columns."""
    if not rows:
        return
    columns = [c for c in rows[0] if c != "id"]
    if not columns:
        return
    mark = _placeholder(conn)
    sets = ", ".join(f'"{c}" = {mark}' for c in columns)
    sql = f'UPDATE "{table.name}" SET {sets} WHERE id = {mark}'
    conn.exec_driver_sql(sql, _params(rows, [*columns, "id"], _processors(conn, table, [*columns, "id"])))
