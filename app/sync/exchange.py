"""Exporting and importing sync packages.

Export: every event the receiver is not known to hold (per origin site, above what it last
reported), limited to its scope, with the attachment bytes those events need.

Import: everything is checked before anything is written (framing, signature, decryption, schema
version, each event's hash, the hash chains, gaps against what this copy holds); then the new
events, the rows they change, the conflicts and the bookkeeping are written in one transaction.
Any failure, cancel or crash leaves the database as it was. Importing the same package twice adds
nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
import os
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import __version__
from app.eventhash import MALFORMED, MISMATCH, event_hash, head_message, is_uuid_text
from app.gc_pause import paused_gc
from app.malloc_hold import held_memory
from app.models import (
    AttachmentBlob,
    ChangeEvent,
    PeerHead,
    PeerKnowledge,
    Setting,
    SiteCoverage,
    SiteRevocation,
    SyncConflict,
    SyncEnrollment,
    SyncPeer,
    backfill,
    bulk,
    utcnow,
)
from app.models.changelog import GENESIS_HASH, SUPPRESS
from app.models.db import Database
from app.models.migrate import known_revisions
from app.services.attachments import safe_filename
from app.services.context import Actor
from app.services.permissions import Facts, operation, require

from . import authorize, batches, hashcheck, merge, wal
from .hashcheck import GateUnavailable, HashCheck
from .identity import ROLE_LAPTOP, SiteIdentity, fingerprint
from .package import Envelope, PackageError, parse, plain_body, read_payload, seal, verify, write_atomically
from .scope import SHARED_TABLES, in_scope, scoped_row_keys

SCOPE_KEY = "sync.scope"
# What an event carries: every column of the log but the time this copy received it.
_EVENT_COLUMNS = tuple(c.key for c in ChangeEvent.__table__.columns if c.key != "received_at")
ENROLLMENT_KEY = "sync.enrollment."
MAX_PACKAGE_BYTES = 4 * 1024**3

Progress = Callable[[int, int, str], None]


class SyncError(PackageError):
    """An import or export refused; the message is for the user and nothing was changed."""


class PackageReadError(SyncError):
    """The file could not be read (missing, unreadable, the stick pulled out): nothing was judged."""


class AlreadyImportedError(SyncError):
    """The package (or an older one from the same sender) was imported before: nothing to do."""

    def __init__(self) -> None:
        super().__init__("该数据包已导入过，未做更改。")


class ImportCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("导入已取消，数据库未作任何改动。")


def _checkpoint(step: str) -> None:
    """Fault-injection point: tests replace this to fail at each step; XUNCHA_SYNC_KILL_AT kills
    the process there, to prove a crash mid-import leaves the database as it was."""
    if os.environ.get("XUNCHA_SYNC_KILL_AT") == step:
        os._exit(137)


# --- bookkeeping -------------------------------------------------------------------------------
def my_scope(session: Session) -> list[str] | None:
    value = session.scalar(select(Setting.value).where(Setting.key == SCOPE_KEY))
    return json.loads(value) if value else None


def coverage(session: Session, me: uuid.UUID) -> dict[str, int]:
    """Up to which sequence this copy holds each origin's events (its own: all of them)."""
    result = {str(r.origin_site_id): r.max_seq for r in session.scalars(select(SiteCoverage))}
    own = session.scalar(select(func.max(ChangeEvent.seq)).where(ChangeEvent.site_id == me)) or 0
    result[str(me)] = own
    return result


def _scope_covers(outer: list[str] | None, inner: list[str] | None) -> bool:
    if outer is None:
        return True
    return inner is not None and set(inner) <= set(outer)


def event_record(e: ChangeEvent) -> dict[str, Any]:
    return {
        "id": str(e.id), "site_id": str(e.site_id), "seq": e.seq, "hlc": e.hlc, "table_name": e.table_name,
        "row_id": str(e.row_id), "op": e.op, "fields": e.fields, "supersedes": list(e.supersedes),
        "schema_version": e.schema_version, "author_id": str(e.author_id) if e.author_id else None,
        "author_name": e.author_name, "recorded_at": e.recorded_at.isoformat(), "prev_hash": e.prev_hash,
        "hash": e.hash, "batch": e.batch,
    }


# --- export ------------------------------------------------------------------------------------
@dataclass
class ExportSummary:
    path: Path
    receiver: str
    events: int
    blobs: int
    bytes: int
    tables: dict[str, int]


def ensure_logged(db: Database, me: SiteIdentity, scope: list[str] | None) -> int:
    """Give rows written outside the change log (bulk-loaded data) their insert events, so that a
    package can carry them. Usually finds nothing and writes nothing."""
    with db.read() as session:
        conn = session.connection()
        keys = scoped_row_keys(session, scope) if scope is not None else None
        shared = SHARED_TABLES if scope is not None else None
        missing = backfill.rows_without_events(conn, keys) if keys is not None else 0
        missing += backfill.rows_without_events(conn, None, shared)
    if not missing:
        return 0
    with db.write() as session:
        session.info[SUPPRESS] = True
        conn = session.connection()
        written = backfill.backfill(conn, me.site_id, keys=keys) if keys is not None else 0
        written += backfill.backfill(conn, me.site_id, tables=shared)
    return written


def _collect(
    session: Session, me: SiteIdentity, base: dict[str, int], scope: list[str] | None
) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, dict[str, int]]]:
    mine = coverage(session, me.site_id)
    scoped = scoped_row_keys(session, scope) if scope is not None else None
    events: list[dict[str, Any]] = []
    origins: dict[str, dict[str, int]] = {}
    for origin, upto in mine.items():
        start = base.get(origin, 0)
        rows = session.scalars(
            select(ChangeEvent)
            .where(ChangeEvent.site_id == uuid.UUID(origin), ChangeEvent.seq > start)
            .order_by(ChangeEvent.seq)
        )
        chosen = [event_record(e) for e in rows if scoped is None or in_scope(e.table_name, e.row_id, scoped)]
        origins[origin] = {"base": start, "upto": max(upto, start), "count": len(chosen)}
        events += chosen
    hashes = {
        e["fields"]["sha256"] for e in events if e["table_name"] == "attachments" and e["fields"].get("sha256")
    }
    blobs = {
        b.sha256: base64.b64encode(b.data).decode("ascii")
        for b in session.scalars(select(AttachmentBlob).where(AttachmentBlob.sha256.in_(hashes)))
    } if hashes else {}
    return events, blobs, origins


def _manifest(session: Session, me: SiteIdentity, origins: dict[str, Any], events: list[dict[str, Any]],
              kind: str, scope: list[str] | None) -> dict[str, Any]:
    peers = [
        {"site_id": str(p.site_id), "name": p.name, "role": p.role, "x25519": p.x25519_public,
         "ed25519": p.ed25519_public, "scope": p.scope}
        for p in session.scalars(select(SyncPeer))
    ]
    return {
        "kind": kind,
        "app_version": __version__,
        "schema_version": session.connection().exec_driver_sql("SELECT version_num FROM alembic_version").scalar(),
        "created_at": utcnow().isoformat(),
        "sender": str(me.site_id),
        "sender_scope": my_scope(session),
        "receiver_scope": scope,
        "origins": origins,
        "coverage": coverage(session, me.site_id),
        "peers": peers,
        "tables": dict(Counter(e["table_name"] for e in events)),
        "event_count": len(events),
        "head": own_head(session, me),
    }


def own_head(session: Session, me: SiteIdentity) -> dict[str, Any] | None:
    """The head of this copy's own chain, signed: whoever imports it records it, so a history cut
    short or rewritten here later is named by their `audit verify`."""
    last = session.execute(
        select(ChangeEvent.seq, ChangeEvent.hash).where(ChangeEvent.site_id == me.site_id)
        .order_by(ChangeEvent.seq.desc()).limit(1)
    ).first()
    if last is None:
        return None
    signature = me.ed25519.sign(head_message(str(me.site_id), last.seq, last.hash))
    return {"seq": last.seq, "hash": last.hash, "signature": base64.b64encode(signature).decode("ascii")}


def export_package(db: Database, me: SiteIdentity, receiver: uuid.UUID | str, out: Path, *,
                   everything: bool = False, actor: Actor | None = None) -> ExportSummary:
    """`actor`, when given, must be a 管理员 to export from the office's master copy (its packages
    carry every inspection a laptop's scope holds)."""
    if actor is not None and me.role != ROLE_LAPTOP:
        require(operation("package.export_master"), Facts(role=actor.role, bound=False))
    with paused_gc():
        return _export(db, me, uuid.UUID(str(receiver)), out, everything)


def _export(db: Database, me: SiteIdentity, receiver: uuid.UUID, out: Path, everything: bool) -> ExportSummary:
    with db.read() as session:
        peer = session.get(SyncPeer, receiver)
        if peer is None:
            raise SyncError("未登记的接收方：请先导入对方的工作包或对方发来的同步包。")
    ensure_logged(db, me, peer.scope)
    with db.read() as session:
        base = {} if everything else {
            str(k.origin_site_id): k.max_seq
            for k in session.scalars(select(PeerKnowledge).where(PeerKnowledge.peer_site_id == receiver))
        }
        events, blobs, origins = _collect(session, me, base, peer.scope)
        manifest = _manifest(session, me, origins, events, "sync", peer.scope)
        token = session.scalar(select(Setting.value).where(Setting.key == ENROLLMENT_KEY + str(receiver)))
        signed = batches.for_events(session, events)
    extra: dict[str, Any] = {"kind": "sync"}
    if token:
        extra["enrollment_proof"] = enrollment_proof(token, str(me.site_id), me.x25519_public, me.ed25519_public)
    data = seal({"manifest": manifest, "events": events, "blobs": blobs, "batches": signed}, me,
                receiver_site=str(receiver), receiver_x25519=peer.x25519_public, extra_header=extra)
    write_atomically(out, data)
    return ExportSummary(Path(out), peer.name, len(events), len(blobs), len(data), manifest["tables"])


def enrollment_proof(token: str, site: str, x25519: str, ed25519: str) -> str:
    return hmac.new(bytes.fromhex(token), f"{site}|{x25519}|{ed25519}".encode(), hashlib.sha256).hexdigest()


# --- import ------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    sender: str
    new_events: int
    known_events: int
    rows: dict[str, int] = field(default_factory=dict)
    new_conflicts: int = 0
    open_conflicts: int = 0
    duplicates: int = 0
    newly_trusted: list[str] = field(default_factory=list)
    # What went wrong after the package was committed (the key file following its accounts): one
    # Chinese line; the package itself is imported.
    notice: str | None = None


def _read_file(path: Path) -> bytes:
    try:
        size = Path(path).stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise SyncError("文件过大，不是有效的同步包。")
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise PackageReadError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise PackageReadError(f"{path} 是文件夹，请选择同步包文件。") from exc
    except OSError as exc:
        raise PackageReadError(f"无法读取文件 {path}：{exc.strerror}（U盘是否已拔出？）") from exc


def _hash_error(verdict: tuple[str, str]) -> SyncError:
    kind, event_id = verdict
    if kind == MALFORMED:
        return SyncError("同步包中有格式不正确的变更记录，未导入任何数据。")
    return SyncError(f"变更记录 {event_id} 的内容与其校验值不符：数据被改动过，未导入任何数据。")


def _check_events(session: Session, events: list[dict[str, Any]], hashes: HashCheck) -> tuple[list[dict[str, Any]], int]:
    """Validate every event; return the ones this copy lacks, and how many it already had.

    Each event's hash is recomputed (recorded_at travels as the same ISO text it was computed
    over): here, or for a large package in a helper process whose verdict `_apply` awaits before
    it commits. An event is known by its origin and sequence number: one range read per origin
    site (on the (site_id, seq) key) finds both the events already held and the neighbours the
    hash chain needs, where a lookup by event id would probe the whole log once per event."""
    if not hashes.parallel and (verdict := hashes.verdict()) is not None:
        raise _hash_error(verdict)
    tables = merge.synced_tables()
    by_site: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for e in events:
        # Each event's shape was checked with its hash (app.eventhash.first_bad_event): in line
        # above, or in the helper process whose verdict `_apply` awaits, on any error included.
        if e["table_name"] not in tables:
            raise SyncError(f"同步包含有本版本不认识的数据表「{e['table_name']}」，请先升级本软件。")
        if e["seq"] in by_site[e["site_id"]]:
            raise SyncError(f"同步包中站点 {e['site_id'][:8]} 的第 {e['seq']} 号变更重复出现，未导入任何数据。")
        by_site[e["site_id"]][e["seq"]] = e
    fresh = []
    for site, seqs in by_site.items():
        existing = dict(
            session.execute(
                select(ChangeEvent.seq, ChangeEvent.hash).where(
                    ChangeEvent.site_id == uuid.UUID(site),
                    ChangeEvent.seq >= min(seqs) - 1,
                    ChangeEvent.seq <= max(seqs),
                )
            ).all()
        )
        for seq, e in seqs.items():
            if seq in existing:
                # The hash covers the event's id and content: equal hashes are the same event.
                if existing[seq] != e["hash"]:
                    if event_hash(e) != e["hash"]:
                        raise _hash_error((MISMATCH, e["id"]))
                    raise SyncError(
                        f"站点 {site[:8]} 的第 {seq} 号变更与本机已有记录不同：变更链分叉，未导入任何数据。"
                    )
                continue
            # Hash chains: each event must follow the one before it from the same site.
            if seq == 1:
                expected = GENESIS_HASH
            elif seq - 1 in seqs:
                expected = seqs[seq - 1]["hash"]
            elif seq - 1 in existing:
                expected = existing[seq - 1]
            else:
                expected = None  # the predecessor is outside this copy's scope
            if expected is not None and e["prev_hash"] != expected:
                raise SyncError(
                    f"站点 {site[:8]} 的变更链在第 {seq} 号处断开（记录被删改或顺序被打乱），未导入任何数据。"
                )
            fresh.append(e)
    return fresh, len(events) - len(fresh)


def _check_gaps(session: Session, me: uuid.UUID, origins: dict[str, dict[str, int]]) -> None:
    mine = coverage(session, me)
    gaps = [
        f"站点 {origin[:8]} 的第 {mine.get(origin, 0) + 1}–{info['base']} 号"
        for origin, info in origins.items()
        if info["base"] > mine.get(origin, 0) and origin != str(me)
    ]
    if gaps:
        raise SyncError(
            "同步包缺少本机尚未收到的变更（" + "；".join(gaps) + "）。未导入任何数据；请让对方重新导出全部数据（勾选“全部”或 --all）。"
        )


def _sender_peer(session: Session, envelope: Any, newly_trusted: list[str]) -> SyncPeer:
    header = envelope.header
    sender = uuid.UUID(header["sender"])
    revoked = session.scalar(select(SiteRevocation).where(SiteRevocation.site_id == sender,
                                                          SiteRevocation.deleted_at.is_(None)).limit(1))
    if revoked is not None:
        raise SyncError(f"计算机「{revoked.name}」已于 {revoked.revoked_at.astimezone():%Y-%m-%d} 被吊销"
                        f"（{revoked.reason}），不再接受它的同步包，未导入任何数据。")
    peer = session.get(SyncPeer, sender)
    if peer is not None:
        if (peer.x25519_public, peer.ed25519_public) != (header.get("sender_x25519"), header["sender_ed25519"]):
            raise SyncError("发送方的密钥与本机登记的不一致，可能是伪造的同步包，未导入任何数据。")
        verify(envelope, peer.ed25519_public)
        return peer
    proof = header.get("enrollment_proof")
    if proof:
        verify(envelope, header["sender_ed25519"])
        for enrollment in session.scalars(select(SyncEnrollment).where(SyncEnrollment.used_by_site.is_(None))):
            expected = enrollment_proof(enrollment.token, str(sender), header["sender_x25519"], header["sender_ed25519"])
            if hmac.compare_digest(expected, proof):
                enrollment.used_by_site = sender
                peer = SyncPeer(
                    # The name the office gave the laptop when preparing its kit.
                    site_id=sender, name=enrollment.label or header.get("sender_name") or str(sender), role=ROLE_LAPTOP,
                    x25519_public=header["sender_x25519"], ed25519_public=header["sender_ed25519"],
                    added_at=utcnow(), trusted_via="enrollment", scope=enrollment.scope,
                )
                session.add(peer)
                newly_trusted.append(peer.name)
                return peer
    raise SyncError(
        f"未知的发送方「{header.get('sender_name') or header['sender'][:8]}」"
        f"（指纹 {fingerprint(header.get('sender_x25519', ''), header['sender_ed25519'])}）：本机没有登记这台计算机，未导入任何数据。"
    )


@dataclass(frozen=True)
class KitOrigin:
    """For a team kit: the master that made it (not yet a known peer of this new copy)."""

    site_id: uuid.UUID
    ed25519: str


def _apply(session: Session, me: SiteIdentity, payload: dict[str, Any], sender: SyncPeer | None,
           progress: Progress | None, cancelled: Callable[[], bool] | None,
           summary: ImportSummary, plain: bytes | None = None, kit: KitOrigin | None = None,
           helper_db: Database | None = None) -> None:
    """Check and write a package's payload in `session`'s transaction. `plain`, the payload's
    JSON text, lets a large package's hashes be checked in a helper process meanwhile; with
    `helper_db` (the database `session` writes) the helper authorizes its events too."""
    manifest = payload.get("manifest")
    if not isinstance(manifest, dict) or not isinstance(payload.get("events", []), list):
        raise SyncError("同步包中有格式不正确的变更记录，未导入任何数据。")
    if manifest.get("schema_version") not in known_revisions():
        raise SyncError("该同步包由更新版本的巡察工作台生成（数据结构更新），请先升级本软件再导入。")
    events = payload.get("events", [])
    # The helper pays off only when there is database work to overlap it with: a re-import of
    # what this copy holds is checked in line.
    held = coverage(session, me.site_id)
    likely_new = (
        e for e in events
        if isinstance(e, dict) and isinstance(e.get("seq"), int) and e["seq"] > held.get(str(e.get("site_id")), 0)
    )
    large = _at_least(likely_new, hashcheck.PARALLEL_FROM)
    gate_here = helper_db is None or not large or not _helper_can_read(session)
    hashes = HashCheck(events, plain if large else None, shared=True, gate=not gate_here)
    try:
        gate_helper = _gate_helper(session, helper_db) if helper_db is not None and not gate_here and hashes.parallel \
            else None
        try:
            _apply_checked(session, me, payload, sender, progress, cancelled, summary, hashes, kit, gate_helper)
        except ImportCancelled:
            raise
        except Exception as exc:
            # A package whose events are not what their hashes say is reported as such, whatever
            # else went wrong while it was being applied; then an event the gate refuses (in line,
            # the gate runs before anything is written).
            _helper_verdicts(hashes, cause=exc)
            raise
        _helper_verdicts(hashes)
    finally:
        hashes.close()
    _checkpoint("commit")


def _at_least(items: Iterator[Any], n: int) -> bool:
    """Whether `items` yields `n` or more: counted only that far (a bench package's 20,000 events
    were all walked to learn that it holds over 5,000 new ones)."""
    return n <= 0 or next(itertools.islice(items, n - 1, None), None) is not None


def _helper_verdicts(hashes: HashCheck, cause: Exception | None = None) -> None:
    """Raise what the helper found (a bad hash first, then the gate's refusal), if anything."""
    if hashes.parallel and (verdict := hashes.verdict()) is not None:
        raise _hash_error(verdict) from cause
    if hashes.gated and (refusal := hashes.refusal()) is not None:
        raise SyncError(refusal) from cause


def _helper_can_read(session: Session) -> bool:
    """Whether the helper can read the database beside this import. A SQLite file in rollback-journal
    mode (the demo writes so) locks readers out while a large import spills or commits: the helper
    would wait its busy timeout and fail, and the import be done twice."""
    if session.get_bind().dialect.name != "sqlite":
        return True
    return str(session.execute(text("PRAGMA journal_mode")).scalar_one()).lower() == "wal"


def _gate_helper(session: Session, db: Database) -> _GateHelper | None:
    """How the helper reaches the database, or None to gate in line when that cannot be had."""
    try:
        return _GateHelper(session, db)
    except Exception as exc:  # noqa: BLE001 - no snapshot to share: the gate runs here
        if session.get_bind().dialect.name == "postgresql":
            # The failed statement aborted the transaction: the import is done again, gated in line.
            raise GateUnavailable(str(exc)) from exc
        return None


class _GateHelper:
    """How the helper process reaches the database as this import found it."""

    def __init__(self, session: Session, db: Database) -> None:
        self.url, self.key = db.url, db.key
        self.snapshot: str | None = None
        if session.get_bind().dialect.name == "postgresql":
            # The helper reads through the same snapshot (this transaction stays open until it answers).
            self.snapshot = session.execute(text("SELECT pg_export_snapshot()")).scalar_one()

    def request(self, token: str, events: list[dict[str, Any]], fresh: list[dict[str, Any]], context: authorize.Context,
                signers: dict[tuple[str, str], str], keys: dict[tuple[str, str], str],
                batch_keys: dict[str, str] | None = None) -> hashcheck.GateRequest:
        position = {id(e): i for i, e in enumerate(events)}
        return hashcheck.GateRequest(token, self.url, self.key, self.snapshot, [position[id(e)] for e in fresh],
                                     context, signers, keys, batch_keys)


def _apply_checked(session: Session, me: SiteIdentity, payload: dict[str, Any], sender: SyncPeer | None,
                   progress: Progress | None, cancelled: Callable[[], bool] | None,
                   summary: ImportSummary, hashes: HashCheck, kit: KitOrigin | None = None,
                   gate_helper: _GateHelper | None = None) -> None:
    manifest = payload["manifest"]
    _checkpoint("validate")
    fresh, known = _check_events(session, payload.get("events", []), hashes)
    summary.new_events, summary.known_events = len(fresh), known
    if sender is not None and not fresh and not _newer_than_last(session, sender, manifest):
        # A replay: leave everything as it was (the file byte for byte; the caller rolls back).
        raise AlreadyImportedError()
    if sender is not None:
        _check_gaps(session, me.site_id, manifest.get("origins", {}))
    for e in fresh:
        e.setdefault("batch", None)
    _checkpoint("authorize")
    try:
        site_keys = _site_keys(session, me, manifest, sender, kit)
        # A large package's signed batches are proven in the helper process, before its gate, while
        # this one writes (~1 s of CPU per ten packages); nothing is committed before its verdict.
        in_helper = gate_helper is not None and hashes.parallel
        signers, keys, proven = batches.claimed(fresh, payload.get("batches", [])) if in_helper else \
            batches.verify(session, fresh, payload.get("batches", []), site_keys=site_keys)
        _check_attachment_names(fresh)
        gate = authorize.context_for(session, me.site_id, me.role, sender.site_id if sender else None,
                                     kit.site_id if kit else None, my_scope(session))
        # A large package is authorized in the helper process while this one writes; nothing is
        # committed before its verdict is in (`_apply`).
        if gate_helper is None or not hashes.submit_gate(gate_helper.request(
                hashes.token, payload.get("events", []), fresh, gate, signers, keys, site_keys if in_helper else None)):
            if in_helper:
                batches.verify(session, fresh, payload.get("batches", []), site_keys=site_keys)
            authorize.check(session, gate, fresh, signers, keys)
    except PackageError as exc:
        raise SyncError(exc.message) from exc
    if cancelled and cancelled():
        raise ImportCancelled()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    _checkpoint("events")
    _write_events(session, fresh, cancelled)
    batches.store(session, proven)
    _checkpoint("blobs")
    _store_blobs(session, payload.get("blobs", {}))
    _checkpoint("rows")
    _merge_rows(session, fresh, progress, cancelled, summary)
    _checkpoint("bookkeeping")
    _record_coverage(session, me, manifest, sender)
    from .conflicts import duplicate_count

    summary.duplicates = duplicate_count(session, {e["table_name"] for e in fresh})


def _site_keys(session: Session, me: SiteIdentity, manifest: dict[str, Any], sender: SyncPeer | None,
               kit: KitOrigin | None) -> dict[str, str]:
    """Copy → the public key its batches must be signed with."""
    site_keys = {str(p.site_id): p.ed25519_public for p in session.scalars(select(SyncPeer))}
    if sender is not None and sender.trusted_via == "kit":
        # Our master vouches for the copies it names (their keys come in its signed package): their
        # changes it relays can be checked before we have recorded them as peers at the end.
        for peer in manifest.get("peers") or []:
            if isinstance(peer, dict) and isinstance(peer.get("site_id"), str) and isinstance(peer.get("ed25519"), str):
                site_keys.setdefault(peer["site_id"], peer["ed25519"])
    site_keys[str(me.site_id)] = me.ed25519_public
    if kit is not None:
        site_keys[str(kit.site_id)] = kit.ed25519
    return site_keys


def _write_events(session: Session, fresh: list[dict[str, Any]], cancelled: Callable[[], bool] | None) -> None:
    conn = session.connection()
    if conn.dialect.name in ("sqlite", "postgresql"):
        # Events arrive in JSON form; they are stored as they are (see bulk.insert_json_rows).
        received = {"received_at": utcnow().isoformat()}
        rows = fresh

        def write(conn: Any, table: Any, chunk: list[dict[str, Any]]) -> None:
            bulk.insert_json_rows(conn, table, chunk, columns=_EVENT_COLUMNS, constants=received)
    else:
        now = utcnow()
        rows = [
            {**e, "id": uuid.UUID(e["id"]), "site_id": uuid.UUID(e["site_id"]), "row_id": uuid.UUID(e["row_id"]),
             "author_id": uuid.UUID(e["author_id"]) if e["author_id"] else None,
             "recorded_at": dt.datetime.fromisoformat(e["recorded_at"]), "received_at": now}
            for e in fresh
        ]

        def write(conn: Any, table: Any, chunk: list[dict[str, Any]]) -> None:
            bulk.insert_rows(conn, table, chunk)
    for start in range(0, len(rows), 5000):
        try:
            write(conn, ChangeEvent.__table__, rows[start : start + 5000])
        except IntegrityError as exc:
            # Only an event id reused under another origin or number gets here (forged or broken).
            raise SyncError("同步包中的变更记录编号与本机已有的另一条记录重复，未导入任何数据。") from exc
        if cancelled and cancelled():
            raise ImportCancelled()


def _store_blobs(session: Session, blobs: dict[str, str]) -> None:
    for sha, data in blobs.items():
        raw = base64.b64decode(data)
        if hashlib.sha256(raw).hexdigest() != sha:
            raise SyncError("同步包中的附件内容与校验值不符，未导入任何数据。")
        if session.get(AttachmentBlob, sha) is None:
            session.add(AttachmentBlob(sha256=sha, size=len(raw), data=raw))
    session.flush()


def _merge_rows(session: Session, fresh: list[dict[str, Any]], progress: Progress | None,
                cancelled: Callable[[], bool] | None, summary: ImportSummary) -> None:
    before = session.scalar(select(func.count()).select_from(SyncConflict)) or 0

    def report(done: int, total: int) -> None:
        if cancelled and cancelled():
            raise ImportCancelled()
        if progress:
            progress(done, total, "正在合并数据")

    summary.rows = merge.apply_events(session.connection(), fresh, report)
    summary.open_conflicts = session.scalar(select(func.count()).select_from(SyncConflict)) or 0
    summary.new_conflicts = max(0, summary.open_conflicts - before)


def _record_coverage(session: Session, me: SiteIdentity, manifest: dict[str, Any], sender: SyncPeer | None) -> None:
    mine = my_scope(session)
    sender_id = manifest["sender"]
    for origin, info in manifest.get("origins", {}).items():
        if origin == str(me.site_id):
            continue
        if origin != sender_id and not _scope_covers(manifest.get("sender_scope"), mine):
            continue
        current = session.get(SiteCoverage, uuid.UUID(origin))
        if current is None:
            session.add(SiteCoverage(origin_site_id=uuid.UUID(origin), max_seq=info["upto"]))
        elif info["upto"] > current.max_seq:
            current.max_seq = info["upto"]
    if sender is not None:
        _remember_package(session, sender, manifest)
        _advance_knowledge(session, sender.site_id, manifest.get("coverage", {}))
        _record_head(session, sender, manifest.get("head"))
        if sender.trusted_via == "kit":
            _learn_peers(session, me, manifest.get("peers", []))


_LAST_PACKAGE = "sync.last_package."


def _newer_than_last(session: Session, sender: SyncPeer, manifest: dict[str, Any]) -> bool:
    last = session.scalar(select(Setting.value).where(Setting.key == _LAST_PACKAGE + str(sender.site_id)))
    made = manifest.get("created_at")
    return last is None or not isinstance(made, str) or made > last


def _remember_package(session: Session, sender: SyncPeer, manifest: dict[str, Any]) -> None:
    made = manifest.get("created_at")
    if isinstance(made, str) and _newer_than_last(session, sender, manifest):
        session.merge(Setting(key=_LAST_PACKAGE + str(sender.site_id), value=made))


def _advance_knowledge(session: Session, peer: uuid.UUID, reported: Any) -> None:
    """What the peer holds only ever grows: an old package replayed never makes us resend."""
    if not isinstance(reported, dict):
        return
    held = {k.origin_site_id: k for k in session.scalars(select(PeerKnowledge).where(PeerKnowledge.peer_site_id == peer))}
    for origin, seq in reported.items():
        if not is_uuid_text(origin) or not isinstance(seq, int):
            continue
        current = held.get(uuid.UUID(origin))
        if current is None:
            session.add(PeerKnowledge(peer_site_id=peer, origin_site_id=uuid.UUID(origin), max_seq=seq))
        elif seq > current.max_seq:
            current.max_seq = seq


def _record_head(session: Session, sender: SyncPeer, head: Any) -> None:
    """Keep the head of the sender's chain it signed (the newest one seen). Only a copy that holds
    every copy's whole chain (the office's master, unscoped) can later vouch for it."""
    if not isinstance(head, dict) or not isinstance(head.get("seq"), int) or not isinstance(head.get("hash"), str):
        return
    if my_scope(session) is not None:
        return
    from app.models.account_keys import verify_signature

    message = head_message(str(sender.site_id), head["seq"], head["hash"])
    if not verify_signature(sender.ed25519_public, str(head.get("signature")), message):
        raise SyncError("同步包中发送方对其变更链的签名无效，未导入任何数据。")
    current = session.get(PeerHead, sender.site_id)
    if current is None:
        session.add(PeerHead(site_id=sender.site_id, seq=head["seq"], hash=head["hash"],
                             signature=str(head["signature"]), received_at=utcnow()))
    elif head["seq"] > current.seq:
        current.seq, current.hash, current.signature = head["seq"], head["hash"], str(head["signature"])
        current.received_at = utcnow()


def _check_attachment_names(fresh: list[dict[str, Any]]) -> None:
    for e in fresh:
        if e["table_name"] == "attachments" and "filename" in e["fields"]:
            name = e["fields"]["filename"]
            if not isinstance(name, str) or safe_filename(name) != name:
                raise SyncError(f"同步包中附件的文件名「{safe_filename(str(name))}」含有路径或控制字符，"
                                "可能是恶意构造的，未导入任何数据。")


def _learn_peers(session: Session, me: SiteIdentity, peers: list[dict[str, Any]]) -> None:
    """Our master vouches for the copies it knows: laptops of one team can then exchange directly."""
    for p in peers:
        site = uuid.UUID(p["site_id"])
        known = session.get(SyncPeer, site)
        if site == me.site_id:
            continue
        if known is not None:
            if known.trusted_via == "relay":
                scope = p.get("scope")
                known.scope = list(scope) if isinstance(scope, list) else None
                known.name = p.get("name") or known.name
            continue
        scope = p.get("scope")
        if scope is None and p.get("role") == ROLE_LAPTOP:
            scope = []  # a laptop whose inspections we are not told: send it only the directory
        session.add(SyncPeer(site_id=site, name=p["name"], role=p["role"], x25519_public=p["x25519"],
                             ed25519_public=p["ed25519"], added_at=utcnow(), trusted_via="relay",
                             # The kit scope the master gave that laptop: what may be sent to it.
                             scope=list(scope) if isinstance(scope, list) else None))


def import_package(db: Database, me: SiteIdentity, path: Path, *, progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None, actor: Actor | None = None) -> ImportSummary:
    """Import a sync package. `actor`, when given, must be a 管理员 to import into a master copy
    (callers that act for a logged-in user pass it; the check lives here so every caller meets it)."""
    _require_import(me, actor)
    return _import_read(db, me, _read_package(me, path), progress, cancelled)


def import_packages(db: Database, me: SiteIdentity, paths: list[Path], *,
                    progress: Callable[[int], Progress | None] | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    actor: Actor | None = None) -> Iterator[tuple[Path, ImportSummary | PackageError | None]]:
    """Import several packages one after another, each exactly as `import_package` would (its own
    transaction, all-or-nothing, every check). Yields each path with its summary, the PackageError
    that refused it (nothing of it written), or None when `cancelled` stopped the run before it.

    While one package is written, the next file is read, framed, decrypted and inflated in a thread
    (AES-GCM and zlib release the GIL: ~0.1 s of CPU a bench package moves to the other core). What
    that reading finds wrong is raised where the import in line would raise it (after the sender's
    signature is checked), and nothing read ahead is trusted before those checks."""
    _require_import(me, actor)
    known = _known_senders(db)
    if any(_file_size(p) >= hashcheck.LARGE_FILE_BYTES for p in paths):
        hashcheck.warm_up()
    # One hold for the run: each package reuses the memory the one before freed (app/malloc_hold.py).
    with held_memory(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="xuncha-read-ahead") as reader:
        ahead = reader.submit(_read_package, me, paths[0], known) if paths else None
        for n, path in enumerate(paths):
            if cancelled and cancelled():
                # Nothing more is read (or decrypted) for a run the person stopped.
                if ahead is not None:
                    ahead.cancel()
                    ahead = None
                yield path, None
                continue
            read = ahead.result() if ahead is not None else _read_package(me, path, known)
            ahead = reader.submit(_read_package, me, paths[n + 1], known) if n + 1 < len(paths) else None
            outcome: ImportSummary | PackageError
            try:
                outcome = _import_read(db, me, read, progress(n) if progress else None, cancelled)
            except PackageError as exc:
                outcome = exc
            del read  # a decrypted payload is not kept past its import
            yield path, outcome


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # unreadable: its import says why, in its turn
        return 0


def _require_import(me: SiteIdentity, actor: Actor | None) -> None:
    if actor is not None and me.role != ROLE_LAPTOP:
        require(operation("package.import_master"), Facts(role=actor.role, bound=False))


@dataclass
class _Read:
    """A package file as read before its import: its envelope and decrypted payload, or the error
    reading it met, kept to be raised in the import's own order."""

    envelope: Envelope | None = None
    plain: bytes | None = None
    failure: BaseException | None = None  # reading or framing the file: raised before anything else
    undecrypted: BaseException | None = None  # decrypting it: raised after the sender is checked


def _read_package(me: SiteIdentity, path: Path, known: dict[str, str] | None = None) -> _Read:
    """Read and frame one package (no database: safe in another thread), and decrypt it when
    `known` (site id → signing key of the peers known when the run began) vouches for its sender:
    anyone holding this copy's public key could otherwise have it inflate gigabytes before the
    import refuses the unknown sender. The rest is decrypted by the import, after that check."""
    try:
        envelope = parse(_read_file(path))
    except Exception as exc:  # noqa: BLE001 - raised by the import, in its place
        return _Read(failure=exc)
    read = _Read(envelope)
    header = envelope.header
    key = (known or {}).get(str(header.get("sender")))
    if header.get("kind") != "kit" and header.get("receiver") == str(me.site_id) \
            and key is not None and header.get("sender_ed25519") == key:
        try:
            verify(envelope, key)
        except Exception:  # noqa: BLE001 - the import checks the sender again and says why
            return read
        try:
            read.plain = plain_body(envelope, me)
        except Exception as exc:  # noqa: BLE001 - raised after the sender's signature is checked
            read.undecrypted = exc
    return read


def _known_senders(db: Database) -> dict[str, str]:
    """The signing keys of the peers this copy knows and has not revoked (for reading ahead)."""
    with db.read() as session:
        revoked = {r.site_id for r in session.scalars(select(SiteRevocation).where(SiteRevocation.deleted_at.is_(None)))}
        return {str(p.site_id): p.ed25519_public for p in session.scalars(select(SyncPeer))
                if p.site_id not in revoked and p.ed25519_public}


def _import_read(db: Database, me: SiteIdentity, read: _Read, progress: Progress | None,
                 cancelled: Callable[[], bool] | None) -> ImportSummary:
    if read.failure is not None:
        raise read.failure
    assert read.envelope is not None
    header = read.envelope.header
    if header.get("kind") == "kit":
        raise SyncError("这是工作包（用于准备新的工作电脑），请使用“导入工作包”。")
    if header.get("receiver") != str(me.site_id):
        raise SyncError(
            f"此同步包是发给另一台计算机（站点 {str(header.get('receiver'))[:8]}）的，不能在本机导入。"
        )
    try:
        summary = _import(db, me, read, progress, cancelled, gate_in_helper=hashcheck.gate_in_helper)
    except GateUnavailable:
        # The helper could not give the gate's verdict (rolled back): the same import, checked here.
        hashcheck.gate_in_helper = False
        summary = _import(db, me, read, progress, cancelled, gate_in_helper=False)
    if {"users", "team_assignments"} & set(summary.rows):
        summary.notice = _after_commit(db)
    return summary


def _after_commit(db: Database) -> str | None:
    """follow_accounts once the package is committed: a failure there (a full disk during the
    re-key) must not read as a failed import, nor stop the packages after it. A re-key still owed
    stays marked and the next login finishes it."""
    from app.models.crypto import OldPagesLeftError

    try:
        follow_accounts(db)
    except OldPagesLeftError as exc:
        logging.getLogger(__name__).warning("an import's re-key left old pages", exc_info=True)
        return f"同步包已导入。{exc}。"
    except Exception:
        logging.getLogger(__name__).exception("the key file could not follow an import's accounts")
        return "同步包已导入，但更换数据库密钥未能完成（详见日志）；下次登录时将自动完成。"
    return None


def _import(db: Database, me: SiteIdentity, read: _Read, progress: Progress | None,
            cancelled: Callable[[], bool] | None, *, gate_in_helper: bool) -> ImportSummary:
    envelope = read.envelope
    assert envelope is not None
    header = envelope.header
    summary = ImportSummary(sender=header.get("sender_name") or header["sender"], new_events=0, known_events=0)
    with paused_gc(), held_memory(), db.write() as session:
        session.info[SUPPRESS] = True
        deferred = wal.defer_checkpoint(session)
        newly: list[str] = []
        peer = _sender_peer(session, envelope, newly)
        summary.newly_trusted = newly
        if read.undecrypted is not None:
            raise read.undecrypted
        plain = read.plain if read.plain is not None else plain_body(envelope, me)
        payload = read_payload(plain)
        if not isinstance(payload.get("manifest"), dict) or payload["manifest"].get("sender") != header["sender"]:
            raise SyncError("同步包内外的发送方不一致，未导入任何数据。")
        _apply(session, me, payload, peer, progress, cancelled, summary, plain,
               helper_db=db if gate_in_helper else None)
        # Freed while the collector is still paused: alive when it resumes, the payload's million
        # containers would all be young, and the first collection would walk every one of them.
        del payload, plain
        if {"users", "team_assignments"} & set(summary.rows):
            from app.services import keyring  # key entries leave, and a re-key is owed, with the commit

            keyring.lose_access_in(db, session)
    if deferred:
        wal.checkpoint_soon(db.engine)
    return summary


def follow_accounts(db: Database) -> None:
    """The key file follows the accounts an import changed: entries for accounts now allowed here
    (new, re-sealed by a password change elsewhere, put on one of this laptop's teams), none for
    those no longer allowed — and when one lost its place, the database is re-keyed, as a disable
    here would."""
    if db.key is None or db.path is None:
        return
    from app.models import crypto
    from app.services import keyring

    with db.read() as session:
        allowed = {crypto.KeyFile.for_database(db.path).tag(u.username) for u in keyring.accounts_for_this_copy(session)}
    held = {e.tag for e in crypto.KeyFile.for_database(db.path).entries if e.keys is not None}
    if held - allowed or keyring.rekey_due(db):
        keyring.rekey(db)
    else:
        keyring.write_key_entries(db)


__all__ = [
    "ExportSummary", "ImportCancelled", "ImportSummary", "SyncError", "enrollment_proof", "export_package",
    "import_package", "import_packages",
]
