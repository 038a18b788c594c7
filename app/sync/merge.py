"""Applying received change events to the rows they change, incrementally.

For a field of a row, the candidates are the events that wrote it and that no other event writing
it supersedes (its heads). The newest head by (hybrid clock, event id) is the value shown; heads
with different values are a conflict, and every value stays in the log. This is a function of the
set of events alone, so every copy holding the same events shows the same data and the same
conflicts, whatever order the events arrived in; `row_heads` keeps each row's heads so that
applying a package costs time in proportion to the package, not to the history.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy import Connection, Date, Table, Uuid, delete, func, insert, literal_column, select

from app.eventhash import canonical_json
from app.models import Base, ChangeEvent, RowHeads, SyncConflict, bulk, pg_bulk
from app.models.base import UTCDateTime, json_text
from app.models.changelog import ALL, DELETED_AT, QUIET_FIELDS, Head, Heads, as_heads, heads_of

_BATCH = 2000


def synced_tables() -> dict[str, Table]:
    return {
        m.class_.__tablename__: m.class_.__table__
        for m in Base.registry.mappers
        if getattr(m.class_, "__synced__", False)
    }


@functools.cache
def table_order() -> dict[str, int]:
    return {t.name: i for i, t in enumerate(Base.metadata.sorted_tables)}


def _decoder(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, Uuid):
        return uuid.UUID
    if isinstance(column_type, UTCDateTime):
        return dt.datetime.fromisoformat
    if isinstance(column_type, Date):
        return dt.date.fromisoformat
    return None


_DECODERS: dict[str, dict[str, Callable[[Any], Any] | None]] = {}


def decoders(table: Table) -> dict[str, Callable[[Any], Any] | None]:
    """Per column, how a JSON value becomes the column's value (None: as it is)."""
    found = _DECODERS.get(table.name)
    if found is None:
        found = _DECODERS[table.name] = {c.key: _decoder(c.type) for c in table.columns}
    return found


def expand(heads: Heads, names: Any) -> Heads:
    """Per-field heads for the given field names (resolving the shared "*" entry)."""
    return {n: heads_of(heads, n) for n in names if heads_of(heads, n)}


def row_conflicts(heads: Heads, events: dict[str, dict[str, Any]], deleted: bool) -> list[dict[str, Any]]:
    """The conflicts of one row, given its heads and the events they name (fields, supersedes)."""
    found: list[dict[str, Any]] = []
    for name, live in heads.items():
        if len(live) < 2 or name in QUIET_FIELDS:
            continue
        # An event from an older schema may not carry the column at all: it counts as unset.
        values = [events[h.event]["fields"].get(name) for h in live]
        # Two deletes agree; only a delete against a restore is a disagreement.
        distinct = {v is None for v in values} if name == DELETED_AT else {canonical_json(v) for v in values}
        if len(distinct) > 1:
            found.append({"kind": "field", "field": name, "competitors": sorted(h.event for h in live)})
    if deleted:
        deleter = heads_of(heads, DELETED_AT)[-1].event
        seen_by_deleter = set(events[deleter]["supersedes"])
        concurrent = sorted(
            {
                h.event
                for name, live in heads.items()
                if name not in QUIET_FIELDS and name != DELETED_AT
                for h in live
                if h.event != deleter and h.event not in seen_by_deleter and deleter not in events[h.event]["supersedes"]
            }
        )
        if concurrent:
            found.append({"kind": "delete", "field": None, "competitors": sorted([deleter, *concurrent])})
    return found


def _fetch_events(conn: Connection, ids: set[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    id_list = [uuid.UUID(i) for i in ids]
    for start in range(0, len(id_list), 900):
        rows = conn.execute(
            select(ChangeEvent.id, ChangeEvent.fields, ChangeEvent.supersedes).where(
                ChangeEvent.id.in_(id_list[start : start + 900])
            )
        )
        for r in rows:
            found[str(r.id)] = {"fields": r.fields, "supersedes": r.supersedes}
    return found


def _grouped(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows split into groups that set the same columns, each in one statement."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[frozenset(row)].append(row)
    return list(groups.values())


def _write_rows(conn: Connection, table: Table, new: list[dict[str, Any]], changed: list[dict[str, Any]]) -> None:
    sqlite = conn.dialect.name == "sqlite"
    for group in _grouped(new):
        if sqlite or conn.dialect.name == "postgresql":
            bulk.insert_json_rows(conn, table, group, staged=sqlite)
        else:
            bulk.insert_rows(conn, table, group)
    for group in _grouped(changed):
        bulk.update_rows(conn, table, group, staged=sqlite)


Key = tuple[str, uuid.UUID]  # (table, row id)


class _Plan(NamedTuple):
    """What one row becomes, decided from its heads before the older events it needs are read."""

    key: Key
    heads: Heads
    changed: set[str] | None  # fields whose shown value changes; None: a new row, every field
    fresh: dict[str, dict[str, Any]]  # the package's events of this row, by id
    deleted: bool | None  # None: decided by the winning value of deleted_at
    needs_review: bool  # heads that may disagree: the row's conflicts are worked out again
    is_new: bool


class _Writes:
    """What a merge writes, gathered over its batches (see apply_events)."""

    def __init__(self) -> None:
        self.heads: list[dict[str, Any]] = []
        self.new: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.changed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.written: Counter[str] = Counter()


def apply_events(
    conn: Connection, events: list[dict[str, Any]], report: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Bring heads, rows and conflicts up to date with `events` (already stored in change_events,
    none of them held before). Returns how many rows of each table were written."""
    tables = synced_tables()
    by_row = _by_row(events)
    keys = list(by_row)
    out = _Writes()
    for start in range(0, len(keys), _BATCH):
        _apply_batch(conn, tables, keys[start : start + _BATCH], by_row, out)
        if report is not None:
            report(min(start + _BATCH, len(keys)), len(keys))
    # Rows are written once per table at the end: every statement that runs the keyword-index
    # triggers makes FTS5 write out a segment, so one statement per table instead of one per batch.
    order = table_order()
    bulk.insert_rows(conn, RowHeads.__table__, out.heads, replace_on=("table_name", "row_id"))
    for table_name in sorted(set(out.new) | set(out.changed), key=lambda n: order.get(n, 0)):
        _write_rows(conn, tables[table_name], out.new.get(table_name, []), out.changed.get(table_name, []))
    return dict(out.written)


def _by_row(events: list[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    """Events by the row they change, parents' tables first, rows in id order."""
    order = table_order()
    # Grouped and sorted by the id's text (the order of the UUIDs, at the cost of a string
    # comparison), then one UUID per row rather than per event.
    by_text: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        by_text[(e["table_name"], e["row_id"])].append(e)
    by_row: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for table_name, row_text in sorted(by_text, key=lambda k: (order.get(k[0], 0), k[1])):
        by_row[(table_name, uuid.UUID(row_text))] += by_text[(table_name, row_text)]
    return by_row


def _event(event_id: str, fresh: dict[str, Any], fetched: dict[str, Any]) -> dict[str, Any]:
    found = fresh.get(event_id)
    return found if found is not None else fetched[event_id]


def _new_row(heads: Heads, fresh: dict[str, Any], fetched: dict[str, Any]) -> dict[str, Any]:
    """Every value of a row this copy does not have yet: what the shared head set, overlaid with
    each field's own winner."""
    shared = heads.get(ALL)
    values = dict(_event(shared[-1].event, fresh, fetched)["fields"]) if shared else {}
    for name, live in heads.items():
        if name != ALL:
            values[name] = _event(live[-1].event, fresh, fetched)["fields"].get(name)
    return values


# Events in the merge's total order: by hybrid clock, then id (as Head.order).
_MERGE_ORDER = operator.itemgetter("hlc", "id")


def _fold(
    old_heads: Heads, old_pending: dict[str, list[str]], events: list[dict[str, Any]],
    unknown: set[str], received: set[str], is_new: bool,
) -> tuple[Heads, dict[str, list[str]]]:
    """A row's heads (and supersessions still waiting for their event) after `events`."""
    heads = {f: list(live) for f, live in old_heads.items()}
    pending = {f: set(v) for f, v in old_pending.items()}
    for e in events if len(events) == 1 else sorted(events, key=_MERGE_ORDER):
        superseded = set(e["supersedes"])
        head = Head(e["id"], e["hlc"])  # one per event, shared by the fields it writes (immutable)
        if is_new and not heads and not pending and not superseded:
            # The first event of a new row: every field it sets has it as its one head, which
            # the shared entry says in one line instead of one per field.
            heads[ALL] = [head]
            continue
        lost = {s for s in superseded if s in unknown and s not in received}
        for name in e["fields"]:
            if head.event in pending.get(name, ()):
                pending[name].discard(head.event)  # superseded before it arrived
                continue
            live = [h for h in heads_of(heads, name) if h.event not in superseded]
            live.append(head)
            heads[name] = sorted(live, key=Head.order) if len(live) > 1 else live
            if lost:
                pending.setdefault(name, set()).update(lost)
    return heads, {f: sorted(v) for f, v in pending.items() if v}


def _among(conn: Connection, column: Any, ids: list[uuid.UUID]) -> Any:
    """`column IN ids`. On SQLite the ids travel as one JSON array read by json_each: an IN list of
    2,000 parameters cost SQLAlchemy more to compile (a fresh statement every batch) than SQLite
    to run; this form compiles once. On PostgreSQL, as one array (pg_bulk.any_of)."""
    if conn.dialect.name == "postgresql":
        return pg_bulk.any_of(column, ids)
    if conn.dialect.name != "sqlite":
        return column.in_(ids)
    listed: Any = select(literal_column("value")).select_from(func.json_each(json_text([i.hex for i in ids])))
    return column.in_(listed)


def _apply_batch(conn: Connection, tables: dict[str, Table], batch: list[Key],
                 by_row: dict[Key, list[dict[str, Any]]], out: _Writes) -> None:
    by_table: dict[str, list[uuid.UUID]] = defaultdict(list)
    for table_name, row_id in batch:
        by_table[table_name].append(row_id)
    states, existing = _held(conn, tables, by_table)
    unknown, received = _not_yet_seen(conn, batch, by_row, states)
    plans: list[_Plan] = []
    to_fetch: set[str] = set()
    for key in batch:
        old_heads, old_pending = states.get(key, ({}, {}))
        heads, pending = _fold(old_heads, old_pending, by_row[key], unknown, received, key[1] not in existing[key[0]])
        out.heads.append({"table_name": key[0], "row_id": key[1], "heads": heads, "pending": pending or None})
        plan = _plan(key, heads, old_heads, by_row[key], existing[key[0]])
        to_fetch |= _needed(plan)
        plans.append(plan)
    fetched = _fetch_events(conn, to_fetch) if to_fetch else {}
    # New rows go in straight from the events' JSON values (see bulk.insert_json_rows).
    as_json = conn.dialect.name in ("sqlite", "postgresql")
    conflicts = [c for plan in plans for c in _settle(plan, decoders(tables[plan.key[0]]), fetched, out, as_json)]
    for table_name, row_ids in by_table.items():
        conn.execute(
            delete(SyncConflict).where(SyncConflict.table_name == table_name, _among(conn, SyncConflict.row_id, row_ids))
        )
    if conflicts:
        conn.execute(insert(SyncConflict), conflicts)


def _held(conn: Connection, tables: dict[str, Table], by_table: dict[str, list[uuid.UUID]]
          ) -> tuple[dict[Key, tuple[Heads, dict[str, list[str]]]], dict[str, dict[uuid.UUID, Any]]]:
    """What this copy holds of the batch's rows: their heads and pending supersessions, and per
    table the rows that exist (id → deleted_at)."""
    states: dict[Key, tuple[Heads, dict[str, list[str]]]] = {}
    existing: dict[str, dict[uuid.UUID, Any]] = {}
    for table_name, row_ids in by_table.items():
        # Both key columns, so the lookup uses the primary key instead of scanning every row's heads.
        rows = conn.execute(
            select(RowHeads.table_name, RowHeads.row_id, RowHeads.heads, RowHeads.pending)
            .where(RowHeads.table_name == table_name, _among(conn, RowHeads.row_id, row_ids))
        )
        states.update({(r.table_name, r.row_id): (as_heads(r.heads), r.pending or {}) for r in rows})
        table = tables[table_name]
        existing[table_name] = dict(
            conn.execute(select(table.c.id, table.c.deleted_at).where(_among(conn, table.c.id, row_ids))).all()
        )
    return states, existing


def _not_yet_seen(conn: Connection, batch: list[Key], by_row: dict[Key, list[dict[str, Any]]],
                  states: dict[Key, tuple[Heads, dict[str, list[str]]]]) -> tuple[set[str], set[str]]:
    """Superseded ids that are neither current heads nor in this batch (they may not have arrived
    yet), and which of them this copy holds after all."""
    unknown: set[str] = set()
    for key in batch:
        heads = states.get(key, ({}, {}))[0]
        known = {h.event for live in heads.values() for h in live} | {e["id"] for e in by_row[key]}
        unknown |= {s for e in by_row[key] for s in e["supersedes"] if s not in known}
    return unknown, (set(_fetch_events(conn, unknown)) if unknown else set())


def _plan(key: Key, heads: Heads, old_heads: Heads, events: list[dict[str, Any]], existing: dict[uuid.UUID, Any]) -> _Plan:
    fresh = {e["id"]: e for e in events}
    is_new = key[1] not in existing
    changed: set[str] | None
    if is_new:
        changed = None  # every field: see _new_row
    else:
        previous = {f: live[-1].event for f, live in old_heads.items()}
        changed = {f for f, live in heads.items() if f != ALL and live[-1].event != (previous.get(f) or previous.get(ALL))}
    deleted: bool | None
    if changed is None or DELETED_AT in changed:
        deleters = heads_of(heads, DELETED_AT)
        last = deleters[-1].event if deleters else None
        if last is None:
            deleted = False
        elif last in fresh:
            deleted = fresh[last]["fields"].get(DELETED_AT) is not None
        else:
            deleted = None
    else:
        deleted = existing.get(key[1]) is not None
    needs_review = deleted is not False or any(len(v) > 1 for f, v in heads.items() if f not in QUIET_FIELDS)
    return _Plan(key, heads, changed, fresh, deleted, needs_review, is_new)


def _needed(plan: _Plan) -> set[str]:
    """Events the plan needs that the package does not bring (read from the log in one go)."""
    heads, fresh = plan.heads, plan.fresh
    if plan.is_new or plan.needs_review:
        return {h.event for live in heads.values() for h in live if h.event not in fresh}
    assert plan.changed is not None
    return {winner for f in plan.changed if (winner := heads_of(heads, f)[-1].event) not in fresh}


def _settle(plan: _Plan, table_decoders: dict[str, Callable[[Any], Any] | None], fetched: dict[str, Any],
            out: _Writes, as_json: bool) -> list[dict[str, Any]]:
    """Queue the row's new values in `out`; return its conflicts."""
    key, heads, fresh = plan.key, plan.heads, plan.fresh
    if plan.changed is None:
        raw = _new_row(heads, fresh, fetched)
    else:
        raw = {f: _event(heads_of(heads, f)[-1].event, fresh, fetched)["fields"].get(f) for f in plan.changed}
    if not raw.keys() <= table_decoders.keys():
        raw = {f: value for f, value in raw.items() if f in table_decoders}  # columns this version lacks
    if plan.is_new and as_json:
        values = raw
    else:
        values = {
            f: (decode(v) if (decode := table_decoders[f]) is not None and v is not None else v) for f, v in raw.items()
        }
    if plan.is_new:
        out.new[key[0]].append({"id": str(key[1]) if as_json else key[1], **values})
    else:
        out.changed[key[0]].append({**values, "id": key[1]})
    out.written[key[0]] += 1
    if not plan.needs_review:
        return []
    deleted = plan.deleted if plan.deleted is not None else raw.get(DELETED_AT) is not None
    involved = {h.event: _event(h.event, fresh, fetched) for live in heads.values() for h in live}
    involved.update(fresh)
    names = {f for e in involved.values() for f in e["fields"]} | (set(heads) - {ALL})
    return [{"table_name": key[0], "row_id": key[1], **c} for c in row_conflicts(expand(heads, names), involved, deleted)]
