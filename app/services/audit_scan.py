"""Reading the change log fast for `audit verify`: every event of a site, in order, as plain values.

`audit verify` reads every event (509,000 at the bench's size) to recompute its hash. Read through
SQLAlchemy's typed columns, each event cost ~50 µs of building UUIDs and datetimes and parsing its
fields with the json module, only to turn them back into text for the hash. On SQLite the events
are read here as stored (plain tuples from the driver) and brought to the JSON form they were
hashed in by `bulk.sqlite_decoder` (exactly what reading them typed and encoding gives), their
fields parsed by orjson wherever that gives what the json module would (`loads_exact`). On
PostgreSQL they are read typed, as before. Either way each event becomes a `Scanned` tuple and the
hash is recomputed with `eventhash.canonical_bytes`, the one definition every copy agrees on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

import orjson
from sqlalchemy import Connection, select

from app.eventhash import _SCALARS, _plain, canonical_bytes, event_content
from app.models import ChangeEvent, RowHeads, bulk

CHUNK = 5000


class Scanned(NamedTuple):
    """One event as the audit checks it: its identity and links as text, and the hash recomputed
    from its content (None when its content cannot even be read as an event)."""

    id: str
    seq: int
    hlc: str
    table_name: str
    row_id: str
    op: str
    prev_hash: str
    hash: str
    batch: str | None
    recomputed: str | None


def loads_plain(text: Any) -> tuple[Any, bool]:
    """(json.loads(text), whether it holds only strings, integers within 64 bits, booleans, None,
    lists and dicts: `eventhash._plain`), by orjson when that gives the same value. A value orjson
    reads as plain is what the json module reads; orjson refuses lone surrogates, NaN and deep
    nesting, and makes floats of integers beyond 64 bits: those are read again by the json module,
    as SQLAlchemy's JSON type reads them, and so are floats (parsed by other code)."""
    if text == "[]":  # most events supersede nothing
        return [], True
    if type(text) is str:
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
        else:
            if _plain(value):
                return value, True
    value = json.loads(text)
    return value, _plain(value)


def loads_exact(text: Any) -> Any:
    return loads_plain(text)[0]


def _digest(content: dict[str, Any], plain: bool) -> str | None:
    """`event_hash` of the content. `plain`: every value in it is known to be plain (`_plain`), so
    orjson writes it directly, as canonical_bytes would after checking that itself."""
    try:
        if plain:
            try:
                data = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
            except orjson.JSONEncodeError:  # nested too deep: the json module says so
                data = canonical_bytes(content)
        else:
            data = canonical_bytes(content)
        return hashlib.sha256(data).hexdigest()
    except (TypeError, ValueError, AttributeError):
        return None


_COLUMNS = ("id", "seq", "hlc", "table_name", "row_id", "op", "fields", "supersedes", "schema_version", "author_id",
            "author_name", "recorded_at", "prev_hash", "hash", "batch")


def site_ids(conn: Connection) -> list[tuple[str, Any]]:
    """(site id as text, as stored) of every site with events, by text."""
    if conn.dialect.name != "sqlite":
        return sorted((str(s), s) for s in conn.execute(select(ChangeEvent.site_id).distinct()).scalars())
    to_text = _decoder("site_id", conn)
    found = []
    for (stored,) in conn.exec_driver_sql("SELECT DISTINCT site_id FROM change_events"):
        try:
            found.append((to_text(stored), stored))
        except (TypeError, ValueError, AttributeError):
            found.append((str(stored), stored))
    return sorted(found)


def _decoder(column: str, conn: Connection) -> Callable[[Any], Any]:
    decode = bulk.sqlite_decoder(ChangeEvent.__table__.c[column].type, conn.dialect)
    return decode if decode is not None else (lambda v: v)


def events_of_site(conn: Connection, site: str, stored: Any) -> Iterator[Scanned]:
    """The site's events in sequence order, each with its hash recomputed."""
    if conn.dialect.name == "sqlite":
        yield from _sqlite_events(conn, site, stored)
    else:
        yield from _typed_events(conn, site, stored)


def _sqlite_events(conn: Connection, site: str, stored: Any) -> Iterator[Scanned]:
    to_id, to_time = _decoder("id", conn), _decoder("recorded_at", conn)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(f"SELECT {', '.join(_COLUMNS)} FROM change_events WHERE site_id = ? ORDER BY seq", (stored,))
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                try:
                    content, plain = _content(row, site, to_id, to_time)
                except (TypeError, ValueError, AttributeError):
                    yield Scanned(str(row[0]), row[1], row[2], row[3], str(row[4]), row[5], row[12], row[13], row[14], None)
                    continue
                yield Scanned(content["id"], row[1], row[2], row[3], content["row_id"], row[5], row[12], row[13], row[14],
                              _digest(content, plain))
    finally:
        cursor.close()


def _content(row: tuple[Any, ...], site: str, to_id: Callable[[Any], Any],
             to_time: Callable[[Any], Any]) -> tuple[dict[str, Any], bool]:
    """An event's hashed content from its stored row (`_COLUMNS`), as `event_content` makes it from
    the typed row, and whether all of it is plain."""
    (id_, seq, hlc, table, row_id, op, fields, supersedes, schema, author_id, author_name, recorded_at, prev_hash,
     _hash, _batch) = row
    values, fields_plain = loads_plain(fields)
    listed, listed_plain = loads_plain(supersedes)
    content = {
        "id": str(to_id(id_)), "site_id": site, "seq": seq, "hlc": hlc, "table_name": table,
        "row_id": str(to_id(row_id)), "op": op, "fields": values, "supersedes": sorted(list(listed or [])),
        "schema_version": schema, "author_id": None if author_id is None else str(to_id(author_id)),
        "author_name": author_name, "recorded_at": None if recorded_at is None else to_time(recorded_at),
        "prev_hash": prev_hash,
    }
    plain = fields_plain and listed_plain and _SCALARS.issuperset(
        (type(seq), type(hlc), type(table), type(op), type(schema), type(author_name), type(content["recorded_at"]),
         type(prev_hash)))
    return content, plain


def _typed_events(conn: Connection, site: str, stored: Any) -> Iterator[Scanned]:
    columns = [ChangeEvent.__table__.c[c] for c in _COLUMNS]
    stmt = select(*columns, ChangeEvent.site_id).where(ChangeEvent.site_id == stored).order_by(ChangeEvent.seq)
    for row in conn.execute(stmt.execution_options(yield_per=CHUNK)):
        try:
            content: dict[str, Any] | None = event_content({**row._mapping, "supersedes": list(row.supersedes or [])})
        except (TypeError, ValueError, AttributeError):
            content = None
        yield Scanned(str(row.id), row.seq, row.hlc, row.table_name, str(row.row_id), row.op, row.prev_hash, row.hash,
                      row.batch, None if content is None else _digest(content, False))


def row_heads(conn: Connection) -> Iterator[tuple[str, str, Any]]:
    """(table, row id as text, heads) of every row the log has written."""
    if conn.dialect.name != "sqlite":
        for table, row_id, heads in conn.execute(select(RowHeads.table_name, RowHeads.row_id, RowHeads.heads)):
            yield table, str(row_id), heads
        return
    decode = bulk.sqlite_decoder(RowHeads.__table__.c.row_id.type, conn.dialect)
    to_id = decode if decode is not None else str
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("SELECT table_name, row_id, heads FROM row_heads")
        while rows := cursor.fetchmany(CHUNK):
            for table, row_id, heads in rows:
                try:
                    yield table, to_id(row_id), None if heads is None else loads_exact(heads)
                except (TypeError, ValueError, AttributeError):
                    yield table, str(row_id), None if heads is None else json.loads(heads)
    finally:
        cursor.close()
