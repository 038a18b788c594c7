"""Change events for rows written without the change log (bulk-loaded demo data, or rows from
before the log existed), so that every row can travel in a package and the audit's replay finds it.

Each such row gets one insert event from this copy, chained like any other, written as this copy
itself (no account made them) and signed with its site key in batches of a few thousand.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

from sqlalchemy import Connection, and_, func, select

from app.eventhash import encode_value, event_hash

from . import bulk
from .base import Base, new_id, utcnow
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
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    hlc = conn.execute(select(ChangeEvent.hlc).order_by(ChangeEvent.hlc.desc()).limit(1)).scalar()
    schema = schema_version(conn)
    now = utcnow()
    written = 0
    key = site_signing_key(conn)
    for table in _synced_tables():
        name = table.name
        if tables is not None and name not in tables:
            continue
        only = {r for t, r in keys if t == name} if keys is not None else None
        if only is not None and not only:
            continue
        # Collect the ids first: the loop writes row_heads, which the query itself reads.
        ids = list(conn.execute(_missing(conn, table, only).with_only_columns(table.c.id)).scalars())
        for start in range(0, len(ids), _BATCH):
            batch = conn.execute(select(table).where(table.c.id.in_(ids[start : start + _BATCH]))).all()
            events, heads = [], []
            signed = PendingBatch(conn, site, SITE_SIGNER, key)
            for row in batch:
                data = row._mapping
                seq += 1
                hlc = next_hlc(hlc)
                event = {
                    "id": new_id(), "site_id": site, "seq": seq, "hlc": hlc, "table_name": name,
                    "row_id": data["id"], "op": "insert",
                    "fields": {k: encode_value(v) for k, v in data.items() if k != "id"},
                    # This copy vouches for rows nobody's change made: no account is their author.
                    "supersedes": [], "schema_version": schema, "author_id": None,
                    "author_name": "（导入时补记）", "recorded_at": now, "prev_hash": prev,
                }
                event["hash"] = prev = event_hash(event)
                event["received_at"] = now
                event["batch"] = signed.label
                signed.hashes.append(event["hash"])
                events.append(event)
                heads.append({"table_name": name, "row_id": data["id"], "heads": {ALL: [[str(event["id"]), hlc]]},
                              "pending": None})
            bulk.insert_rows(conn, ChangeEvent.__table__, events)
            bulk.insert_rows(conn, RowHeads.__table__, heads)
            signed.write(conn)
            written += len(events)
            if progress is not None:
                progress(written)
    return written
