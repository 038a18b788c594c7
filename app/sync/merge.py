"""Applying change events: the value of every field and the open conflicts, derived from the set
of events alone (so every copy holding the same events holds the same data and conflicts,
whatever order they arrived in).

For a field of a row, the candidates are the events that wrote it and that no other event writing
it supersedes (its heads). The newest head by (hybrid clock, event id) is the value shown; heads
with different values are a conflict, and every value stays in the log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Table, Uuid, delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import Base, ChangeEvent, FieldHead, SyncConflict
from app.models.base import UTCDateTime
from app.models.changelog import AUDIT_FIELDS, DELETED_AT, canonical_json

# Fields a merge never calls a conflict: bookkeeping, and what only the creating event writes.
_QUIET_FIELDS = AUDIT_FIELDS | {"created_at", "created_by"}
_BATCH = 400


def synced_tables() -> dict[str, Table]:
    return {
        m.class_.__tablename__: m.class_.__table__
        for m in Base.registry.mappers
        if getattr(m.class_, "__synced__", False)
    }


def table_order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


@dataclass
class EventView:
    """What the merge needs of an event."""

    id: str
    hlc: str
    op: str
    fields: dict[str, Any]
    supersedes: frozenset[str]

    @property
    def order_key(self) -> tuple[str, str]:
        return (self.hlc, self.id)


@dataclass
class RowState:
    values: dict[str, Any]  # field → JSON value of the winning head
    heads: dict[str, list[EventView]]
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.values.get(DELETED_AT) is not None


def derive_row(events: Iterable[EventView]) -> RowState:
    """Heads, values and conflicts of one row from all its events."""
    writers: dict[str, list[EventView]] = defaultdict(list)
    for e in events:
        for name in e.fields:
            writers[name].append(e)
    heads: dict[str, list[EventView]] = {}
    values: dict[str, Any] = {}
    for name, candidates in writers.items():
        superseded = set().union(*(c.supersedes for c in candidates))
        live = sorted((c for c in candidates if c.id not in superseded), key=lambda c: c.order_key)
        heads[name] = live
        values[name] = live[-1].fields[name]
    state = RowState(values=values, heads=heads)

    for name, live in heads.items():
        if len(live) < 2 or name in _QUIET_FIELDS:
            continue
        if name == DELETED_AT:
            # Two deletes agree; only a delete against a restore is a disagreement.
            distinct = {v.fields[name] is None for v in live}
        else:
            distinct = {canonical_json(v.fields[name]) for v in live}
        if len(distinct) > 1:
            state.conflicts.append({"kind": "field", "field": name, "competitors": [v.id for v in live]})

    if state.deleted:
        deleter = heads[DELETED_AT][-1]
        concurrent = sorted(
            {
                h.id
                for name, live in heads.items()
                if name not in _QUIET_FIELDS and name != DELETED_AT
                for h in live
                if h.id != deleter.id and h.id not in deleter.supersedes and deleter.id not in h.supersedes
            }
        )
        if concurrent:
            state.conflicts.append({"kind": "delete", "field": None, "competitors": [deleter.id, *concurrent]})
    return state


def decode_value(table: Table, name: str, value: Any) -> Any:
    """A JSON value from an event back into what the column holds."""
    if value is None:
        return None
    column_type = table.columns[name].type
    if isinstance(column_type, Uuid):
        return uuid.UUID(value)
    if isinstance(column_type, UTCDateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return dt.date.fromisoformat(value)
    return value


def _upsert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = sqlite if dialect == "sqlite" else postgresql
    # Rows of one table can carry different column sets; group so each statement is uniform.
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[tuple(sorted(row))].append(row)
    for columns, group in by_columns.items():
        stmt = module.insert(table)
        updates = {c: stmt.excluded[c] for c in columns if c != "id"}
        session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=updates), group)


def _event_views(session: Session, keys: list[tuple[str, uuid.UUID]]) -> dict[tuple[str, uuid.UUID], list[EventView]]:
    found: dict[tuple[str, uuid.UUID], list[EventView]] = defaultdict(list)
    rows = session.execute(
        select(ChangeEvent.table_name, ChangeEvent.row_id, ChangeEvent.id, ChangeEvent.hlc, ChangeEvent.op,
               ChangeEvent.fields, ChangeEvent.supersedes)
        .where(tuple_(ChangeEvent.table_name, ChangeEvent.row_id).in_(keys))
    )
    for r in rows:
        found[(r.table_name, r.row_id)].append(
            EventView(id=str(r.id), hlc=r.hlc, op=r.op, fields=r.fields, supersedes=frozenset(r.supersedes))
        )
    return found


def rederive(session: Session, keys: Iterable[tuple[str, uuid.UUID]], progress: Any = None) -> dict[str, int]:
    """Recompute heads, rows and conflicts of the given rows from their events; returns how many
    rows of each table were written. Runs with the change log suppressed: this is not a new edit."""
    tables = synced_tables()
    order = table_order()
    ordered = sorted(set(keys), key=lambda k: (order.get(k[0], 0), str(k[1])))
    written: dict[str, int] = defaultdict(int)
    for start in range(0, len(ordered), _BATCH):
        batch = ordered[start : start + _BATCH]
        views = _event_views(session, batch)
        heads_rows, conflict_rows = [], []
        upserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for table_name, row_id in batch:
            state = derive_row(views[(table_name, row_id)])
            for name, live in state.heads.items():
                heads_rows += [
                    {"table_name": table_name, "row_id": row_id, "field": name, "event_id": uuid.UUID(h.id), "hlc": h.hlc}
                    for h in live
                ]
            conflict_rows += [
                {"table_name": table_name, "row_id": row_id, **c} for c in state.conflicts
            ]
            table = tables.get(table_name)
            if table is None:
                continue
            row = {
                name: decode_value(table, name, value)
                for name, value in state.values.items()
                if name in table.columns
            }
            row["id"] = row_id
            upserts[table_name].append(row)
        session.execute(delete(FieldHead).where(tuple_(FieldHead.table_name, FieldHead.row_id).in_(batch)))
        if heads_rows:
            session.execute(insert(FieldHead), heads_rows)
        session.execute(delete(SyncConflict).where(tuple_(SyncConflict.table_name, SyncConflict.row_id).in_(batch)))
        if conflict_rows:
            session.execute(insert(SyncConflict), conflict_rows)
        for table_name in sorted(upserts, key=lambda n: order.get(n, 0)):
            _upsert(session, tables[table_name], upserts[table_name])
            written[table_name] += len(upserts[table_name])
        if progress is not None:
            progress(min(start + _BATCH, len(ordered)), len(ordered))
    return dict(written)
