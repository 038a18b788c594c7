"""The audit's second and third proofs: the tables equal the replay of the change log, and every
change carries a valid signature of its author.

A row changed outside the log (an insider editing the database file with the key), a row the log
never mentions, and a change whose hash is not in a validly signed batch of its author are each named,
with the table, the record and the fields. The values themselves are not printed: the audit names
where to look, it does not copy confidential text into a report.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.eventhash import GENESIS_DIGEST, batch_digest, batch_message, encode_value, head_message
from app.models import ChangeEvent, EventBatch, PeerHead, SyncPeer, User, synced_models
from app.models.account_keys import verify_signature
from app.models.changelog import ALL, SITE_SIGNER, Head, Heads, heads_of

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
    by_id = {e[0]: e[2] for e in events}
    heads = _fold(events)
    shared = heads.get(ALL)
    values = dict(by_id[shared[-1].event]) if shared else {}
    for name, live in heads.items():
        if name != ALL:
            values[name] = by_id[live[-1].event].get(name)
    return values


def _events_of(conn: Connection, table: str) -> Iterator[tuple[str, list[tuple[str, str, dict, list]]]]:
    """(row id, its events), rows in id order."""
    rows = conn.execute(
        select(ChangeEvent.row_id, ChangeEvent.id, ChangeEvent.hlc, ChangeEvent.fields, ChangeEvent.supersedes)
        .where(ChangeEvent.table_name == table).order_by(ChangeEvent.row_id)
        .execution_options(yield_per=5000)
    )
    current, bucket = None, []
    for r in rows:
        key = str(r.row_id)
        if key != current and current is not None:
            yield current, bucket
            bucket = []
        current = key
        bucket.append((str(r.id), r.hlc, r.fields, list(r.supersedes or [])))
    if current is not None:
        yield current, bucket


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
        local = LOCAL_COLUMNS.get(name, frozenset())
        logged = dict(_events_of(conn, name))
        for row in conn.execute(select(table).order_by(table.c.id).execution_options(yield_per=5000)).mappings():
            if progress is not None:
                progress()
            key = str(row["id"])
            events = logged.pop(key, None)
            if events is None:
                found.append(Finding("table", f"{label(name)} {key} 没有任何变更记录：该记录是绕过本程序直接写入数据库的。"))
                continue
            expected = expected_row(events)
            differing = [
                field_label(name, c) for c, value in row.items()
                if c != "id" and c not in local and c in expected and not _same(encode_value(value), expected[c])
            ]
            if differing:
                found.append(Finding("table", f"{label(name)} {key} 的「{'、'.join(differing)}」与变更记录不符："
                                              "该记录被绕过本程序直接改动过。"))
        for key in logged:
            found.append(Finding("table", f"{label(name)} {key} 在变更记录中有，表中却没有：该记录被直接删除了。"))
    return found


def check_signatures(conn: Connection, names: Callable[[str], str]) -> tuple[list[Finding], int]:
    """Every batch chain valid and signed by its signer; every event listed in its batch. Returns the
    findings and how many changes predate signatures."""
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
    unsigned = 0
    for site_id, seq, event_hash, batch in conn.execute(
            select(ChangeEvent.site_id, ChangeEvent.seq, ChangeEvent.hash, ChangeEvent.batch)):
        if batch is None:
            unsigned += 1
            continue
        if event_hash not in members.get((str(site_id), batch), ()):
            found.append(Finding("signature", f"{names(str(site_id))}第 {seq} 号变更不在其签名批次中："
                                              "它在签名之后被改动或替换过。"))
    return found, unsigned


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
