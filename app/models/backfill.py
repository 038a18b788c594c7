"""Change events for rows written without the change log (bulk-loaded demo data, or rows from
before the log existed), so that every row can travel in a package and the audit's replay finds it.

Each such row gets one insert event from this copy, chained like any other, written as this copy
itself (no account made them) and signed with its site key in batches of a few thousand.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, select

from app.eventhash import encode_value, event_hash

from . import bulk
from .base import Base, json_text, new_id, utcnow
from .changelog import (
    ALL,
    GENESIS_HASH,
    SITE_SIGNER,
    PendingBatch,
    next_hlc,
    schema_version,
    site_signing_key,
)
from .sync_log import ChangeEvent, RowHeads

_BATCH = 5000


def _missing(conn: Connection, table: Any, only: set[uuid.UUID] | None) -> Any:
    stmt = (
        select(table)
        .outerjoin(RowHeads, and_(RowHeads.table_name == table.name, RowHeads.row_id == table.c.id))
        .where(RowHeads.row_id.is_(None))
        .order_by(table.c.id)
    )
    if only is not None:
        stmt = stmt.where(table.c.id.in_(only))
    return stmt


def _synced_tables() -> list[Any]:
    """Synced tables in creation order (parents before children)."""
    return [t for t in Base.metadata.sorted_tables if _is_synced(t.name)]


def _is_synced(name: str) -> bool:
    from . import synced_models

    return name in {m.__tablename__ for m in synced_models()}


def rows_without_events(conn: Connection, keys: set[tuple[str, uuid.UUID]] | None = None,
                        tables: AbstractSet[str] | None = None) -> int:
    total = 0
    for table in _synced_tables():
        name = table.name
        if tables is not None and name not in tables:
            continue
        only = {r for t, r in keys if t == name} if keys is not None else None
        if only is not None and not only:
            continue
        total += conn.execute(select(func.count()).select_from(_missing(conn, table, only).subquery())).scalar() or 0
    return total


def backfill(conn: Connection, site: uuid.UUID, *, keys: set[tuple[str, uuid.UUID]] | None = None,
             tables: AbstractSet[str] | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Record an insert event for every synced row (limited to `keys`/`tables` when given) that has none."""
    last = conn.execute(
        select(ChangeEvent.seq, ChangeEvent.hash).where(ChangeEvent.site_id == site).order_by(ChangeEvent.seq.desc()).limit(1)
    ).first()
    chain = _Chain(site=str(site), seq=last.seq if last else 0, prev=last.hash if last else GENESIS_HASH,
                   hlc=conn.execute(select(ChangeEvent.hlc).order_by(ChangeEvent.hlc.desc()).limit(1)).scalar(),
                   schema=schema_version(conn), now=encode_value(utcnow()))
    # On SQLite the rows are read and the events written in the form SQLite stores them, without
    # SQLAlchemy's type processing either way (three quarters of the Python time for the demo's
    # 500,000 rows); the server takes the typed path. Both give the same events (tests/test_demo.py).
    raw = conn.dialect.name == "sqlite"
    written = 0
    key = site_signing_key(conn)
    for table in _synced_tables():
        # A plain str: the driver looks for an adapter on a str subclass (SQLAlchemy's quoted_name),
        # twice per event.
        name = str(table.name)
        if tables is not None and name not in tables:
            continue
        only = {r for t, r in keys if t == name} if keys is not None else None
        if only is not None and not only:
            continue
        # Collect the ids first: the loop writes row_heads, which the query itself reads.
        ids = _missing_ids(conn, table, only, raw)
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            rows = _sqlite_fields(conn, table, chunk) if raw else _typed_fields(conn, table, chunk)
            signed = PendingBatch(conn, site, SITE_SIGNER, key)
            events = [chain.insert_event(name, row_id, fields, signed) for row_id, fields in rows]
            (_write_sqlite if raw else _write_typed)(conn, events)
            signed.write(conn)
            written += len(events)
            if progress is not None:
                progress(written)
    return written


@dataclass
class _Chain:
    """Where this copy's chain of events stands: the last number, hash and clock given out."""

    site: str
    seq: int
    prev: str
    hlc: str | None
    schema: str
    now: str

    def insert_event(self, table: str, row_id: str, fields: dict[str, Any], signed: PendingBatch) -> dict[str, Any]:
        """The next event of the chain: the row's insert, in the JSON form events carry."""
        self.seq += 1
        self.hlc = next_hlc(self.hlc)
        event: dict[str, Any] = {
            "id": str(new_id()), "site_id": self.site, "seq": self.seq, "hlc": self.hlc, "table_name": table,
            "row_id": row_id, "op": "insert", "fields": fields,
            # This copy vouches for rows nobody's change made: no account is their author.
            "supersedes": [], "schema_version": self.schema, "author_id": None,
            "author_name": "（导入时补记）", "recorded_at": self.now, "prev_hash": self.prev,
        }
        event["hash"] = self.prev = event_hash(event)
        event["received_at"] = self.now
        event["batch"] = signed.label
        signed.hashes.append(self.prev)
        return event


def _missing_ids(conn: Connection, table: Any, only: set[uuid.UUID] | None, raw: bool) -> list[Any]:
    """The ids of the rows without events, in order: as SQLite stores them (`raw`), or as UUIDs."""
    if raw and only is None:
        return list(conn.exec_driver_sql(
            f'SELECT t.id FROM "{table.name}" AS t LEFT JOIN row_heads AS h ON h.table_name = ? AND h.row_id = t.id '
            "WHERE h.row_id IS NULL ORDER BY t.id", (table.name,)).scalars())
    ids = list(conn.execute(_missing(conn, table, only).with_only_columns(table.c.id)).scalars())
    return [i.hex for i in ids] if raw else ids


def _typed_fields(conn: Connection, table: Any, ids: list[uuid.UUID]) -> list[tuple[str, dict[str, Any]]]:
    rows = conn.execute(select(table).where(table.c.id.in_(ids))).all()
    return [(str(row.id), {k: encode_value(v) for k, v in row._mapping.items() if k != "id"}) for row in rows]


def _sqlite_fields(conn: Connection, table: Any, ids: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The rows `ids` (as stored) as (id, fields) in the JSON form events carry, decoded straight from
    SQLite's storage (bulk.sqlite_decoder: exactly what reading them typed and encoding gives)."""
    columns = [c for c in table.columns if c.key != "id"]
    decoders = [(c.key, bulk.sqlite_decoder(c.type, conn.dialect)) for c in columns]
    to_text = bulk.sqlite_decoder(table.c.id.type, conn.dialect)
    assert to_text is not None
    result = []
    for stored in bulk.select_by_ids(conn, table.name, ["id", *(c.name for c in columns)], ids):
        fields = {}
        for (key, decode), value in zip(decoders, stored[1:], strict=True):
            fields[key] = value if decode is None or value is None else decode(value)
        result.append((to_text(stored[0]), fields))
    return result


def _write_typed(conn: Connection, events: list[dict[str, Any]]) -> None:
    bulk.insert_rows(conn, ChangeEvent.__table__, [
        {**e, "id": uuid.UUID(e["id"]), "site_id": uuid.UUID(e["site_id"]), "row_id": uuid.UUID(e["row_id"]),
         "recorded_at": dt.datetime.fromisoformat(e["recorded_at"]),
         "received_at": dt.datetime.fromisoformat(e["received_at"])}
        for e in events])
    bulk.insert_rows(conn, RowHeads.__table__, [
        {"table_name": e["table_name"], "row_id": uuid.UUID(e["row_id"]), "heads": {ALL: [[e["id"], e["hlc"]]]},
         "pending": None} for e in events])


# Columns every event of one batch shares: converted once per batch, not once per event.
_SHARED = ("site_id", "op", "supersedes", "schema_version", "author_id", "author_name", "recorded_at", "received_at",
           "batch")


def _write_sqlite(conn: Connection, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    first = events[0]
    bulk.insert_json_rows(conn, ChangeEvent.__table__, events, columns=[k for k in first if k not in _SHARED],
                          constants={k: first[k] for k in _SHARED})
    # `pending` as the typed path stores None in a JSON column: the text 'null'.
    conn.exec_driver_sql(
        "INSERT INTO row_heads (table_name, row_id, heads, pending) VALUES (?, ?, ?, 'null')",
        [(e["table_name"], e["row_id"].replace("-", ""), json_text({ALL: [[e["id"], e["hlc"]]]})) for e in events])
