"""Every change to a synced row is recorded as a change event in the same transaction.

Installed as SQLAlchemy session events by `Database`, so no service has to remember to log. An
event holds the fields it set, the events it supersedes (the heads its author saw: those of the
fields it writes, plus the row's delete/restore head, so a later merge can tell "edited after
seeing the delete" from "edited concurrently"), a hybrid logical clock, and a hash chained to the
site's previous event.

Every event's author is the account the write transaction acts for (`Database.write(author_id=…)`),
never a value taken from the row. The events of one transaction form one batch, signed when the
transaction commits: with the author's own Ed25519 key when the account's keys are unlocked, with
this copy's site key otherwise (see EventBatch). Copies that import the events check that signature.

Writes that must not be logged (applying events received from another copy) run with
`session.info[SUPPRESS] = True`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.sql.elements import ColumnElement

from app.eventhash import GENESIS_DIGEST, batch_digest, batch_message, encode_value, event_hash

from .base import Base, new_id, utcnow
from .reference import Setting
from .sync_log import ChangeEvent, EventBatch, RowHeads, SyncConflict

SUPPRESS = "changelog.suppress"
AUTHOR_ID = "changelog.author_id"
AUTHOR_NAME = "changelog.author_name"
SIGNING_KEY = "changelog.signing_key"
_BATCH = "changelog.batch"
SITE_ID_KEY = "site.id"
SITE_SIGNING_KEY = "site.ed25519_private"
SITE_SIGNER = "s"
GENESIS_HASH = "0" * 64
DELETED_AT = "deleted_at"
# A row's heads entry shared by every field that no event after the insert has written.
ALL = "*"
# Bookkeeping columns: every edit writes them, so they never make two edits "conflict".
AUDIT_FIELDS = frozenset({"updated_at", "updated_by"})
# Fields a merge never calls a conflict: bookkeeping, and what only the creating event writes.
QUIET_FIELDS = AUDIT_FIELDS | {"created_at", "created_by"}


# On a PostgreSQL server several workstations write at once. The log's tail (each site's sequence and
# hash chain, each signer's batch chain) is taken under this transaction-level advisory lock, held until
# commit or rollback; `Database` takes it when a writing transaction begins, and every recorder takes
# it again (advisory locks stack within a transaction) for writers that came another way.
TAIL_LOCK_KEY = 0x78756E636861  # "xuncha"
TAIL_LOCK_TIMEOUT_MS = 60_000


class TailBusyError(Exception):
    """Another workstation held the log's tail longer than a writer waits; the message is for the user."""


def lock_tail(conn: Connection) -> None:
    """Serialise this transaction's writes with every other writer of the server (no-op on SQLite,
    whose BEGIN IMMEDIATE already did)."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy.exc import OperationalError

    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{TAIL_LOCK_TIMEOUT_MS}ms'")
    try:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({TAIL_LOCK_KEY})")
    except OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) == "55P03":
            raise TailBusyError(f"数据库正忙：另一台工作站的写入已超过 {TAIL_LOCK_TIMEOUT_MS // 1000} 秒未完成（例如正在导入大的同步包），"
                                "本次保存未进行，请稍后再试。") from exc
        raise


# --- encoding ----------------------------------------------------------------------------------
# --- clock -------------------------------------------------------------------------------------
def format_hlc(wall_ms: int, counter: int) -> str:
    return f"{wall_ms:015d}:{counter:06d}"


def parse_hlc(value: str) -> tuple[int, int]:
    wall, counter = value.split(":")
    return int(wall), int(counter)


def next_hlc(latest_seen: str | None, now_ms: int | None = None) -> str:
    """A hybrid logical clock: wall time when it moves forward, otherwise the newest time seen
    plus a counter, so a laptop with a slow clock still orders its edits after what it received."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if latest_seen is None:
        return format_hlc(now_ms, 0)
    wall, counter = parse_hlc(latest_seen)
    return format_hlc(now_ms, 0) if now_ms > wall else format_hlc(wall, counter + 1)


class Head(NamedTuple):
    """One event a field's value rests on. row_heads stores it as the JSON pair [event, clock]."""

    event: str
    clock: str

    def order(self) -> tuple[str, str]:
        """Newest last: by hybrid clock, then event id (the merge's total order)."""
        return (self.clock, self.event)


Heads = dict[str, list[Head]]


def as_heads(stored: dict[str, list[list[str]]] | None) -> Heads:
    """A row's heads as row_heads holds them ([event, clock] pairs) into Head tuples."""
    return {name: [Head(*h) for h in live] for name, live in (stored or {}).items()}


def heads_of(heads: Heads, name: str) -> list[Head]:
    """The heads of one field: its own entry, or the shared one."""
    return heads.get(name) or heads.get(ALL, [])


# --- site --------------------------------------------------------------------------------------
def site_id(conn: Connection) -> uuid.UUID:
    """This copy's identity, created with the first change it records.

    Core statements only: this runs inside a flush, where the session cannot flush again.
    """
    value = conn.execute(select(Setting.value).where(Setting.key == SITE_ID_KEY)).scalar()
    if value is None:
        value = str(uuid.uuid4())
        conn.execute(insert(Setting).values(key=SITE_ID_KEY, value=value))
    return uuid.UUID(value)


def user_signer(user_id: Any) -> str:
    return f"u:{user_id}"


def site_signing_key(conn: Connection) -> Any:
    """This copy's Ed25519 key (created with the copy's identity, or here if a write comes first)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    value = conn.execute(select(Setting.value).where(Setting.key == SITE_SIGNING_KEY)).scalar()
    if value is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        conn.execute(insert(Setting).values(key=SITE_SIGNING_KEY, value=base64.b64encode(raw).decode("ascii")))
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(value))


def public_of(key: Any) -> str:
    import base64

    from cryptography.hazmat.primitives import serialization

    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


class PendingBatch:
    """The batch the current transaction's events go into, written and signed at commit."""

    def __init__(self, conn: Connection, site: uuid.UUID, signer: str, key: Any) -> None:
        last = conn.execute(
            select(EventBatch.number, EventBatch.digest)
            .where(EventBatch.site_id == site, EventBatch.signer == signer)
            .order_by(EventBatch.number.desc()).limit(1)
        ).first()
        self.site, self.signer, self.key = site, signer, key
        self.number: int = last.number + 1 if last else 1
        self.prev: str = last.digest if last else GENESIS_DIGEST
        self.hashes: list[str] = []

    @property
    def label(self) -> str:
        return f"{self.signer}/{self.number}"

    def write(self, conn: Connection) -> None:
        digest = batch_digest(str(self.site), self.signer, self.number, self.prev, self.hashes)
        signature = self.key.sign(batch_message(digest))
        import base64

        conn.execute(insert(EventBatch).values(
            site_id=self.site, signer=self.signer, number=self.number, prev=self.prev, hashes=self.hashes,
            digest=digest, public_key=public_of(self.key), signature=base64.b64encode(signature).decode("ascii"),
        ))


def schema_version(conn: Connection) -> str:
    return str(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())


# --- capture -----------------------------------------------------------------------------------
def _column_keys(obj: Base) -> list[str]:
    return [c.key for c in obj.__table__.columns]


def _changes(obj: Base, is_new: bool) -> dict[str, Any] | None:
    state = inspect(obj)
    if is_new:
        return {key: encode_value(getattr(obj, key)) for key in _column_keys(obj) if key != "id"}
    changed = {}
    for key in _column_keys(obj):
        history = state.attrs[key].history
        if history.has_changes() and list(history.deleted) != list(history.added):
            changed[key] = encode_value(getattr(obj, key))
    # A flush that only bumped the bookkeeping columns changed nothing a person did.
    if not set(changed) - AUDIT_FIELDS:
        return None
    # `onupdate` fills updated_at during the flush, outside the attribute history.
    changed["updated_at"] = encode_value(state.dict.get("updated_at"))
    return changed


def _op(fields: dict[str, Any], is_new: bool, session: Session) -> str:
    if is_new:
        return "insert"
    if session.info.get("changelog.resolving"):
        return "resolve"
    if DELETED_AT in fields:
        return "delete" if fields[DELETED_AT] is not None else "restore"
    return "update"


class _Recorder:
    """Per-flush state: the site, its chain, the clock."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        lock_tail(self.conn)
        self.site = site_id(self.conn)
        last = self.conn.execute(
            select(ChangeEvent.seq, ChangeEvent.hash)
            .where(ChangeEvent.site_id == self.site)
            .order_by(ChangeEvent.seq.desc())
            .limit(1)
        ).first()
        self.seq: int = last.seq if last else 0
        self.prev_hash: str = last.hash if last else GENESIS_HASH
        self.hlc = self.conn.execute(select(ChangeEvent.hlc).order_by(ChangeEvent.hlc.desc()).limit(1)).scalar()
        self.schema = schema_version(self.conn)
        self.author = session.info.get(AUTHOR_ID)
        batch = session.info.get(_BATCH)
        if batch is None:
            key = session.info.get(SIGNING_KEY) if self.author is not None else None
            if key is not None:
                batch = PendingBatch(self.conn, self.site, user_signer(self.author), key)
            else:
                batch = PendingBatch(self.conn, self.site, SITE_SIGNER, site_signing_key(self.conn))
            session.info[_BATCH] = batch
        self.batch: PendingBatch = batch

    def record(self, obj: Any, fields: dict[str, Any], op: str) -> None:
        """Log a write of `obj`, an instance of a synced model (Base and SyncedMixin)."""
        table = obj.__tablename__
        row_id = obj.id
        state = self.conn.execute(
            select(RowHeads.heads, RowHeads.pending).where(RowHeads.table_name == table, RowHeads.row_id == row_id)
        ).first()
        heads = as_heads(state.heads) if state else {}
        if op in ("delete", "restore") or (op == "resolve" and DELETED_AT in fields):
            # Deleting or restoring a row settles everything about it that its author saw.
            supersedes = sorted({event_id for live in heads.values() for event_id, _ in live})
        else:
            seen = set(fields) | {DELETED_AT}
            supersedes = sorted({event_id for name in seen for event_id, _ in heads_of(heads, name)})
        self.seq += 1
        self.hlc = next_hlc(self.hlc)
        values = {
            "id": new_id(),
            "site_id": self.site,
            "seq": self.seq,
            "hlc": self.hlc,
            "table_name": table,
            "row_id": row_id,
            "op": op,
            "fields": fields,
            "supersedes": supersedes,
            "schema_version": self.schema,
            "author_id": self.author,
            "author_name": self.session.info.get(AUTHOR_NAME),
            "recorded_at": utcnow(),
            "prev_hash": self.prev_hash,
        }
        values["hash"] = event_hash(values)
        values["received_at"] = values["recorded_at"]
        values["batch"] = self.batch.label
        self.batch.hashes.append(values["hash"])
        self.prev_hash = values["hash"]
        self.conn.execute(insert(ChangeEvent), [values])
        if op == "insert" and not heads:
            heads = {ALL: [Head(str(values["id"]), self.hlc)]}
        else:
            for name in fields:
                heads[name] = [Head(str(values["id"]), self.hlc)]
        if state is None:
            self.conn.execute(insert(RowHeads), [{"table_name": table, "row_id": row_id, "heads": heads, "pending": None}])
        else:
            self.conn.execute(
                update(RowHeads).where(RowHeads.table_name == table, RowHeads.row_id == row_id).values(heads=heads)
            )
        # A local write saw every competing value of what it wrote: those conflicts are settled.
        settled: ColumnElement[bool] = SyncConflict.field.in_(list(fields))
        if DELETED_AT in fields:
            settled = settled | (SyncConflict.kind == "delete")
        self.conn.execute(
            delete(SyncConflict).where(SyncConflict.table_name == table, SyncConflict.row_id == row_id, settled)
        )
        if DELETED_AT not in fields:
            self._narrow_delete_conflict(table, row_id, heads)

    def _narrow_delete_conflict(self, table: str, row_id: Any, heads: Heads) -> None:
        """An edit of a deleted row was made after seeing the delete, so it does not compete with it;
        the edits it replaced no longer do either. What is left is what a merge elsewhere computes."""
        found = self.conn.execute(
            select(SyncConflict.id, SyncConflict.competitors).where(
                SyncConflict.table_name == table, SyncConflict.row_id == row_id, SyncConflict.kind == "delete"
            )
        ).first()
        if found is None:
            return
        deleter = heads_of(heads, DELETED_AT)[-1].event
        standing = {h.event for name, live in heads.items() if name not in QUIET_FIELDS and name != DELETED_AT for h in live}
        remaining = sorted(c for c in found.competitors if c != deleter and c in standing)
        if not remaining:
            self.conn.execute(delete(SyncConflict).where(SyncConflict.id == found.id))
        elif len(remaining) + 1 != len(found.competitors):
            self.conn.execute(
                update(SyncConflict).where(SyncConflict.id == found.id).values(competitors=sorted([deleter, *remaining]))
            )


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get(SUPPRESS):
        return
    pending = []
    for obj in session.new:
        if getattr(obj, "__synced__", False):
            pending.append((obj, True))
    for obj in session.dirty:
        if getattr(obj, "__synced__", False) and session.is_modified(obj, include_collections=False):
            pending.append((obj, False))
    for obj in session.deleted:
        if getattr(obj, "__synced__", False):
            raise RuntimeError(
                f"{obj.__tablename__} rows are never deleted physically; set deleted_at (soft delete) instead"
            )
    if not pending:
        return
    recorder = _Recorder(session)
    # Insert order follows the flush's own dependency order closely enough: parents first by id time.
    for obj, is_new in sorted(pending, key=lambda p: (not p[1], str(p[0].id))):
        fields = _changes(obj, is_new)
        if fields is not None:
            recorder.record(obj, fields, _op(fields, is_new, session))


def _before_commit(session: Session) -> None:
    if session.info.get(_BATCH) is None and not session.new and not session.dirty:
        return
    # The final flush runs after this hook; flush now so the batch holds every event of the commit.
    session.flush()
    batch = session.info.pop(_BATCH, None)
    if batch is not None and batch.hashes:
        batch.write(session.connection())


def _forget_batch(session: Session, *args: Any) -> None:
    session.info.pop(_BATCH, None)


def install(session_factory: Any) -> None:
    """Record changes for every session the factory makes."""
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "before_commit", _before_commit)
    event.listen(session_factory, "after_rollback", _forget_batch)
    event.listen(session_factory, "after_soft_rollback", _forget_batch)
