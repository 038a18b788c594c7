"""The audit's second and third proofs: the tables equal the replay of the change log, and every
change carries a valid signature of its author.

A row changed outside the log (an insider editing the database file with the key), a row the log
never mentions, and a change whose hash is not in a validly signed batch of its author are each named,
with the table, the record and the fields. The values themselves are not printed: the audit names
where to look, it does not copy confidential text into a report.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from app.eventhash import GENESIS_DIGEST, batch_digest, batch_message, encode_value, head_message
from app.models import ChangeEvent, EventBatch, PeerHead, SyncPeer, User, bulk, synced_models
from app.models.account_keys import verify_signature
from app.models.changelog import ALL, SITE_SIGNER, Head, Heads, heads_of

from .audit_scan import loads_exact

# Columns that are local bookkeeping, never carried by a change (login counters).
LOCAL_COLUMNS = {"users": frozenset({"failed_logins", "locked_until"})}


@dataclass(frozen=True)
class Finding:
    kind: str  # table | signature | head
    message: str


def _fold(events: list[tuple[str, str, dict[str, Any], list[str]]]) -> Heads:
    """A row's heads from all its events (the merge's rule, with every event at hand)."""
    heads: Heads = {}
    for event_id, hlc, fields, supersedes in sorted(events, key=lambda e: (e[1], e[0])):
        superseded = set(supersedes)
        if not heads and not superseded:
            heads[ALL] = [Head(event_id, hlc)]
            continue
        for name in fields:
            live = [h for h in heads_of(heads, name) if h.event not in superseded]
            live.append(Head(event_id, hlc))
            heads[name] = sorted(live, key=Head.order)
    return heads


def expected_row(events: list[tuple[str, str, dict[str, Any], list[str]]]) -> dict[str, Any]:
    """What the change log says the row holds: each field's newest standing value."""
    if len(events) == 1 and not events[0][3]:
        return events[0][2]  # its one event, superseding nothing: what _fold makes of it, without the folding
    by_id = {e[0]: e[2] for e in events}
    heads = _fold(events)
    shared = heads.get(ALL)
    values = dict(by_id[shared[-1].event]) if shared else {}
    for name, live in heads.items():
        if name != ALL:
            values[name] = by_id[live[-1].event].get(name)
    return values


Logged = dict[str, list[tuple[str, str, dict[str, Any], list[str]]]]


def _events_of(conn: Connection, table: str) -> Logged:
    """Row id → its events (id, clock, fields, superseded ids), every id as text."""
    logged: Logged = defaultdict(list)
    if conn.dialect.name == "sqlite":
        to_id = _id_decoder(conn)
        for row_id, event_id, hlc, fields, supersedes in _stored(
                conn, "SELECT row_id, id, hlc, fields, supersedes FROM change_events WHERE table_name = ?", (table,)):
            logged[to_id(row_id)].append((to_id(event_id), hlc, loads_exact(fields), list(loads_exact(supersedes) or [])))
        return logged
    rows = conn.execute(
        select(ChangeEvent.row_id, ChangeEvent.id, ChangeEvent.hlc, ChangeEvent.fields, ChangeEvent.supersedes)
        .where(ChangeEvent.table_name == table).execution_options(yield_per=5000)
    )
    for r in rows:
        logged[str(r.row_id)].append((str(r.id), r.hlc, r.fields, list(r.supersedes or [])))
    return logged


def _id_decoder(conn: Connection) -> Callable[[Any], Any]:
    decode = bulk.sqlite_decoder(ChangeEvent.__table__.c.id.type, conn.dialect)
    assert decode is not None
    return decode


def _stored(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Rows as SQLite stores them, straight from the driver (no SQLAlchemy row or type processing)."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            yield from rows
    finally:
        cursor.close()


def _table_rows(conn: Connection, table: Table) -> Iterator[tuple[str, Callable[[dict[str, Any]], list[str]]]]:
    """(id as text, which of the row's columns differ from `expected`), every row of `table`.
    On SQLite straight from storage: each value decoded (bulk.sqlite_decoder: exactly what reading
    it typed and encoding gives) only when the log names its column."""
    local = LOCAL_COLUMNS.get(table.name, frozenset())
    if conn.dialect.name != "sqlite":
        for row in conn.execute(select(table).execution_options(yield_per=5000)).mappings():
            values = {c: encode_value(v) for c, v in row.items() if c != "id" and c not in local}
            yield str(row["id"]), functools.partial(_differing, values)
        return
    to_id = bulk.sqlite_decoder(table.c.id.type, conn.dialect)
    assert to_id is not None
    columns = [c for c in table.columns if c.key != "id" and c.key not in local]
    # Per column: its place, its name, its decoder and what it decoded lately (a column's ids and
    # times repeat from row to row: a look-up costs a tenth of decoding; only text is remembered,
    # as 1 and 1.0 are one key).
    plan: list[tuple[int, str, Callable[[Any], Any] | None, dict[Any, Any]]] = [(i, c.key, bulk.sqlite_decoder(c.type, conn.dialect), {}) for i, c in enumerate(columns, 1)]
    quoted = ", ".join(f'"{c.name}"' for c in [table.c.id, *columns])

    for stored in _stored(conn, f'SELECT {quoted} FROM "{table.name}"'):

        def differing(expected: dict[str, Any], stored: tuple[Any, ...] = stored) -> list[str]:
            found = []
            for i, name, decode, known in plan:
                if name not in expected:
                    continue
                value = stored[i]
                if decode is not None and value is not None:
                    if type(value) is str and value in known:
                        value = known[value]
                    else:
                        if len(known) > 50_000:
                            known.clear()
                        decoded = decode(value)
                        if type(value) is str:
                            known[value] = decoded
                        value = decoded
                logged = expected[name]
                # Booleans and numbers come back from JSON as they went in; text is compared as text.
                if value != logged and str(value) != str(logged):
                    found.append(name)
            return found

        yield to_id(stored[0]), differing


def _differing(values: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return [c for c, value in values.items() if c in expected and not _same(value, expected[c])]


def _same(stored: Any, logged: Any) -> bool:
    if stored == logged:
        return True
    # Booleans and numbers come back from JSON as they went in; text is compared as text.
    return str(stored) == str(logged)


def replay_tables(conn: Connection, label: Callable[[str], str], field_label: Callable[[str, str], str],
                  progress: Callable[[], None] | None = None) -> list[Finding]:
    found: list[Finding] = []
    for model in synced_models():
        table = model.__table__
        name = table.name
        logged = _events_of(conn, name)
        named: list[tuple[str, str]] = []
        for key, differing in _table_rows(conn, table):
            if progress is not None:
                progress()
            events = logged.pop(key, None)
            if events is None:
                named.append((key, f"{label(name)} {key} 没有任何变更记录：该记录是绕过本程序直接写入数据库的。"))
                continue
            columns = differing(expected_row(events))
            if columns:
                named.append((key, f"{label(name)} {key} 的「{'、'.join(field_label(name, c) for c in columns)}」"
                                   "与变更记录不符：该记录被绕过本程序直接改动过。"))
        # In id order, as a person looks them up.
        found += [Finding("table", message) for _key, message in sorted(named)]
        for key in sorted(logged):
            found.append(Finding("table", f"{label(name)} {key} 在变更记录中有，表中却没有：该记录被直接删除了。"))
    return found


def signed_batches(conn: Connection, names: Callable[[str], str]) -> tuple[list[Finding], dict[tuple[str, str], set[str]]]:
    """Every batch chain valid and signed by its signer. Returns the findings and, per (site,
    "signer/number"), the hashes the batch lists: every event with a batch must be among them (the
    audit checks that as it reads the events)."""
    found: list[Finding] = []
    site_keys = {str(p.site_id): p.ed25519_public for p in conn.execute(select(SyncPeer.site_id, SyncPeer.ed25519_public))}
    from app.models import Setting
    from app.models.changelog import SITE_ID_KEY, public_of, site_signing_key

    me = conn.execute(select(Setting.value).where(Setting.key == SITE_ID_KEY)).scalar()
    if me is not None:
        site_keys[me] = public_of(site_signing_key(conn))
    user_keys: dict[str, set[str]] = defaultdict(set)
    for user_id, key, retired in conn.execute(select(User.id, User.signing_key, User.retired_keys)):
        if key:
            user_keys[str(user_id)].add(key)
        for old in retired or []:
            if isinstance(old, dict) and old.get("key"):
                user_keys[str(user_id)].add(str(old["key"]))
    members: dict[tuple[str, str], set[str]] = {}
    chains: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for b in conn.execute(select(EventBatch).order_by(EventBatch.site_id, EventBatch.signer, EventBatch.number)):
        chains[(str(b.site_id), b.signer)].append(b)
    for (site, signer), batches in chains.items():
        where = f"{names(site)}的签名批次（{'本机系统' if signer == SITE_SIGNER else signer.removeprefix('u:')}）"
        previous = None
        for b in batches:
            digest = batch_digest(site, signer, b.number, b.prev, list(b.hashes))
            if previous is not None and previous.number == b.number - 1:
                linked = b.prev == previous.digest
            else:
                # The first of a chain starts from nothing; a copy may hold a chain only from later on.
                linked = b.number > 1 or b.prev == GENESIS_DIGEST
            if digest != b.digest or not linked:
                found.append(Finding("signature", f"{where}第 {b.number} 号被改动过，或前后不相接。"))
            if signer == SITE_SIGNER:
                # A copy this one does not know (relayed from far away) is checked for integrity only.
                signer_keys = {site_keys[site]} if site in site_keys else {b.public_key}
            else:
                signer_keys = user_keys.get(signer.removeprefix("u:"), set())
            if not verify_signature(b.public_key, b.signature, batch_message(b.digest)) or b.public_key not in signer_keys:
                found.append(Finding("signature", f"{where}第 {b.number} 号的签名无效，或不是签名人的密钥。"))
            members[(site, f"{signer}/{b.number}")] = set(b.hashes)
            previous = b
    return found, members


def check_peer_heads(conn: Connection, names: Callable[[str], str]) -> list[Finding]:
    """The heads other copies signed in their packages must still stand in this copy's log."""
    found: list[Finding] = []
    keys = {str(p.site_id): p.ed25519_public for p in conn.execute(select(SyncPeer.site_id, SyncPeer.ed25519_public))}
    for head in conn.execute(select(PeerHead)):
        site = str(head.site_id)
        if not verify_signature(keys.get(site, ""), head.signature, head_message(site, head.seq, head.hash)):
            found.append(Finding("head", f"{names(site)}签署的变更链末端记录已被改动。"))
            continue
        held = conn.execute(select(ChangeEvent.hash).where(ChangeEvent.site_id == uuid.UUID(site),
                                                           ChangeEvent.seq == head.seq)).scalar()
        if held is None:
            found.append(Finding("head", f"{names(site)}的第 {head.seq} 号变更（该计算机曾签名确认）已不在本机："
                                         "变更记录的末尾被删去了。"))
        elif held != head.hash:
            found.append(Finding("head", f"{names(site)}的第 {head.seq} 号变更与该计算机签名确认的不同："
                                         "变更记录被改写并重新计算过校验值。"))
    return found
