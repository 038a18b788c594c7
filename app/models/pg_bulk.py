"""The merge's bulk writes on PostgreSQL: COPY instead of executemany.

An executemany of 20,000 rows is 20,000 INSERTs for the server to bind, plan and run one at a time
(psycopg pipelines them, but each is still a statement of its own, each with its own round of index
and trigger work), and 20,000 sets of parameters for psycopg to adapt. COPY streams the rows as one
statement: the server parses text, the row triggers (the keyword index's) still run for every row,
so search_docs ends exactly as the services would leave it. Updates and upserts go through a
temporary staging table filled by COPY and reach the real table in one UPDATE … FROM or
INSERT … SELECT … ON CONFLICT.

Errors keep SQLAlchemy's types (an IntegrityError stays one), so callers handle them as before; a
failed COPY aborts the transaction like any failed statement, so imports stay all-or-nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, Table, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError

from app.models.base import UTCDateTime, json_text

STAGE = "xuncha_stage"


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _raw(conn: Connection) -> Any:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    return raw


def copy_in(conn: Connection, table: str, columns: Sequence[str], params: Iterable[Sequence[Any]]) -> None:
    """COPY `params` (values psycopg can adapt, as executemany would take them) into `table`."""
    import psycopg

    statement = f'COPY "{table}" ({_quoted(columns)}) FROM STDIN'
    cursor: Any = _raw(conn).cursor()  # psycopg's: COPY is not in DB-API's type
    try:
        with cursor, cursor.copy(statement) as copy:
            for row in params:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error, dialect=conn.dialect) from exc


def any_of(column: Any, values: Sequence[Any]) -> Any:
    """`column = ANY(:values)`: the values travel as one array parameter. An IN list of 2,000 ids is
    2,000 parameters that SQLAlchemy renders into a fresh statement each time and psycopg rewrites
    uncached (an eighth of a merge's own CPU on the server); this statement is compiled once, and
    the server plans it as it plans the IN list (an index scan per value)."""
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))


def _staged(conn: Connection, table: str, columns: Sequence[str], params: Sequence[Sequence[Any]], apply: str) -> None:
    """Load `params` into a temporary table with `table`'s columns, run `apply` (which reads it as
    xuncha_stage), and drop it. Temporary tables are not written to the WAL."""
    conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGE} AS SELECT {_quoted(columns)} FROM \"{table}\" WITH NO DATA")
    try:
        copy_in(conn, STAGE, columns, params)
        # Statistics of the stage, so the planner joins its few thousand rows through the target's
        # primary key rather than guessing their number from an empty table's size.
        conn.exec_driver_sql(f"ANALYZE {STAGE}")
        conn.exec_driver_sql(apply)
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {STAGE}")


def upsert(conn: Connection, table: str, columns: Sequence[str], params: Sequence[Sequence[Any]],
           replace_on: Sequence[str]) -> None:
    """INSERT the rows, or update the row with the same `replace_on` key (each key at most once)."""
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in replace_on)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    _staged(conn, table, columns, params,
            f'INSERT INTO "{table}" ({_quoted(columns)}) SELECT {_quoted(columns)} FROM {STAGE} '
            f"ON CONFLICT ({_quoted(replace_on)}) {action}")


def update_by_id(conn: Connection, table: str, columns: Sequence[str], params: Sequence[Sequence[Any]]) -> None:
    """UPDATE rows by id; `columns` ends with "id", each row sets the others."""
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns if c != "id")
    _staged(conn, table, columns, params, f'UPDATE "{table}" AS t SET {sets} FROM {STAGE} AS s WHERE t.id = s.id')


# --- rows in the JSON form events carry ------------------------------------------------------------
# COPY's text format is parsed by the server with each column's own input function, so UUIDs, ISO
# dates and numbers travel as the text they are; only what PostgreSQL would read differently from
# the ORM is converted: a UTC time (the server drops an offset given for a column without a zone,
# so one that is not +00:00 is converted first) and a JSON value (serialized as SQLAlchemy does,
# None as the JSON null).
def _utc_text(value: str) -> str:
    if len(value) >= 25 and value[10] == "T" and value.endswith("+00:00"):
        return value[:-6]
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive datetime given; use timezone-aware UTC values")
    return parsed.astimezone(dt.UTC).replace(tzinfo=None).isoformat()


def _encoder(column_type: Any) -> tuple[Callable[[Any], Any] | None, bool]:
    """How a JSON value becomes COPY's, and whether None goes through it too."""
    if isinstance(column_type, UTCDateTime):
        return _utc_text, False
    if isinstance(column_type, JSON):
        return json_text, True
    return None, False


def json_params(table: Table, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """Rows of JSON values → COPY's rows: taken a row at a time, converted a column at a time. One
    itemgetter call per row, not one .get per value a column at a time: the rows are 20,000 dicts
    spread over memory, and walking all of them once per column took twice as long."""
    if len(columns) > 1:
        take = itemgetter(*columns)
        try:
            taken = [take(row) for row in rows]
        except KeyError:  # a row without some column (an event that did not carry it): None, as .get
            taken = [tuple(row.get(c) for c in columns) for row in rows]
        values: list[Sequence[Any]] = list(zip(*taken, strict=True)) if taken else [[] for _ in columns]
    else:
        values = [[row.get(c) for row in rows] for c in columns]
    for i, column in enumerate(columns):
        encode, with_none = _encoder(table.c[column].type)
        if encode is None:
            continue
        if with_none:
            values[i] = [encode(v) for v in values[i]]
        else:
            values[i] = [None if v is None else encode(v) for v in values[i]]
    return list(zip(*values, strict=True))


def json_constants(table: Table, constants: dict[str, Any]) -> tuple[Any, ...]:
    return json_params(table, [constants], list(constants))[0]
