"""Checking a large package in a second process: every received event's hash, then its signed
batches and the import gate.

Recomputing the hashes of a 20,000-event package costs ~0.3 s of canonical JSON and SHA-256, and
authorizing its events (app.sync.authorize) ~0.4 s more; the rest of an import is Python holding the
GIL: only another process can do that work at the same time. The import goes on with its database
work meanwhile and asks for both verdicts before it commits, so a bad hash or a refused event still
leaves the database as it was. Small packages, and machines where a process cannot be started, are
checked in line.

The gate reads the database as it was before the import: on SQLite the import holds the write lock
from its first statement (BEGIN IMMEDIATE) and writes only in its own uncommitted transaction, so the
helper's read snapshot is that state; on PostgreSQL the helper takes the very snapshot the import
exported (pg_export_snapshot). The helper opens the database itself: an encrypted file's key travels
over the pool's pipe, never on a command line or in the environment.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import threading
import uuid
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson

from app.eventhash import MALFORMED, events_of, first_bad_event, first_bad_event_in
from app.gc_pause import paused_gc
from app.malloc_hold import hold_for_process

# Below this many events a helper process costs more than it saves.
PARALLEL_FROM = 5000
# An import's helper is kept this long for the next one: a merge of ten packages starts one process
# and loads the gate's modules (~0.6 s of CPU) once, not ten times.
IDLE_SECONDS = 60.0

# A package file this large holds about PARALLEL_FROM events or more (a bench package's 20,000
# events take 4.8 MB): its import will use the helper, which `warm_up` may start before it.
LARGE_FILE_BYTES = 1024 * 1024

# Cleared when the helper once could not give the gate's verdict: this process then gates in line
# rather than doing every large import twice.
gate_in_helper = True

_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


class GateUnavailable(Exception):  # noqa: N818 - a condition the import answers by checking in line
    """The helper could not give the gate's verdict (it died, or could not open the database): the
    import must be done again with the gate in line."""


@dataclass(frozen=True)
class GateRequest:
    """What the helper needs to authorize a package's new events as the importing process would."""

    token: str  # which hash-checked payload (HashCheck.token)
    url: str  # the database (SQLite file or server URL)
    key: bytes | None  # SQLCipher's raw key
    snapshot: str | None  # PostgreSQL: the importing transaction's exported snapshot
    fresh: list[int]  # positions, in the payload's events, of the events this copy lacks
    context: Any  # app.sync.authorize.Context
    signers: dict[tuple[str, str], str]
    keys: dict[tuple[str, str], str]
    # Copy → its public key: the helper first proves the package's signed batches (batches.verify),
    # which the importing process then only read (batches.claimed). None: proven there already.
    batch_keys: dict[str, str] | None = None


# In the helper: the payloads just hash-checked, by token, for the gates that follow (the newest few),
# as the hash check parsed them (the gate does not parse them again). They are decrypted interviews
# and letters: each leaves with its gate, or with its import's close().
_KEPT: dict[str, bytes | dict[str, Any]] = {}


def _check_and_keep(token: str, plain: bytes, keep: bool) -> tuple[str, str] | None:
    """The hash verdict; with `keep` (a gate may follow) the payload stays here for it (same process),
    parsed when every hash is good.

    The helper allocates a package's million containers here, which reference counting alone frees:
    with the cycle collector running, parsing took twice as long (each collection re-walked what
    was parsed so far). What is kept for the gate is frozen, out of the collector's sight until the
    gate lets it go (`_gate`)."""
    with paused_gc():
        verdict = _check(token, plain, keep)
        if token in _KEPT:
            gc.freeze()
    return verdict


def _check(token: str, plain: bytes, keep: bool) -> tuple[str, str] | None:
    while len(_KEPT) >= 2:
        del _KEPT[next(iter(_KEPT))]
    if not keep:
        return first_bad_event_in(plain)
    # first_bad_event_in, keeping what it parsed; by orjson (twice as fast as json here), as the
    # importing process parsed the same text before it sent it here (what orjson refuses never gets here).
    try:
        payload = orjson.loads(plain)
    except ValueError:
        return MALFORMED, ""
    events = events_of(payload)
    if events is None:
        return MALFORMED, ""
    verdict = first_bad_event(events)
    _KEPT[token] = payload if verdict is None else plain
    return verdict


def _forget(token: str) -> None:
    """Drop a payload no gate will read (the import gated in line, was a replay, failed or was cancelled)."""
    _KEPT.pop(token, None)


def _new_pool() -> ProcessPoolExecutor:
    """One helper process. spawn: a fresh interpreter, never a fork of a process that runs Qt
    threads. It does bulk work until it exits, so it keeps what it frees for the next package
    (app/malloc_hold.py: 0.6–1.9 s of page faults over the bench's ten packages, 0.24–0.38 s so)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=hold_for_process)


class _Shared:
    """The helper process kept between imports, shut down after IDLE_SECONDS unused."""

    lock = threading.Lock()
    pool: ProcessPoolExecutor | None = None
    timer: threading.Timer | None = None
    users = 0  # imports using it now (two databases may import at once): no idle shutdown under them
    broken = False  # an import found it broken: shut down when the last one using it lets go

    @classmethod
    def take(cls) -> ProcessPoolExecutor:
        with cls.lock:
            if cls.timer is not None:
                cls.timer.cancel()
                cls.timer = None
            if cls.pool is None:
                cls.pool = _new_pool()
                cls.broken = False
            cls.users += 1
            return cls.pool

    @classmethod
    def release(cls, broken: bool) -> None:
        with cls.lock:
            cls.users = max(0, cls.users - 1)
            cls.broken = cls.broken or broken
            if cls.users > 0 or cls.pool is None:
                # Another import still waits on it: shutting it down would cancel that import's work.
                return
            if cls.broken:
                cls.pool.shutdown(wait=False, cancel_futures=True)
                cls.pool = None
            elif cls.timer is None:
                timer = threading.Timer(IDLE_SECONDS, lambda: cls.idle(timer))
                timer.daemon = True
                cls.timer = timer
                timer.start()

    @classmethod
    def idle(cls, timer: threading.Timer) -> None:
        with cls.lock:
            # A timer that fired while take() held the lock was cancelled too late: it must not shut
            # down the pool just handed out.
            if cls.timer is not timer or cls.users > 0:
                return
            cls.timer = None
            if cls.pool is not None:
                cls.pool.shutdown(wait=False, cancel_futures=True)
                cls.pool = None


def _gate(request: GateRequest) -> str | None:
    """The helper's half: the gate's refusal (its message), or None when every event passes."""
    try:
        with paused_gc():
            return _gated(request)
    finally:
        # The payload is gone (freed when _gated returned): what is still frozen goes back to the
        # collector's oldest generation, walked only by its rare full collections.
        gc.unfreeze()


def _gated(request: GateRequest) -> str | None:
    from app.models.db import Database

    from . import authorize, batches
    from .package import read_payload

    kept = _KEPT.pop(request.token)
    payload = kept if isinstance(kept, dict) else read_payload(kept)
    events = payload["events"]
    fresh = [events[i] for i in request.fresh]
    for e in fresh:
        e.setdefault("batch", None)
    # Plain read-only with locks, never immutable: the importing process writes this file meanwhile.
    db = Database(request.url, key=request.key, read_only=request.snapshot is None, locking=True)
    try:
        with db.read() as session:
            if request.snapshot is not None:
                if not _SNAPSHOT.fullmatch(request.snapshot):
                    raise ValueError("not a snapshot id")
                conn = session.connection()
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{request.snapshot}'")
            try:
                if request.batch_keys is not None:
                    batches.verify(session, fresh, payload.get("batches", []), site_keys=request.batch_keys)
                authorize.check(session, request.context, fresh, request.signers, request.keys)
            except (authorize.RefusedError, batches.BatchError) as exc:
                return exc.message
    finally:
        db.dispose()
    return None


def _warm() -> None:
    """Run in the helper: load what the gate needs before the first package's verdicts are asked for."""
    from app.models import db  # noqa: F401

    from . import authorize, batches, package  # noqa: F401


def warm_up() -> None:
    """Start the kept helper and have it load the gate's modules while the importing process reads
    and decrypts its first package (~0.6 s of CPU on the other core): the first package of the bench
    merge otherwise waited ~0.75 s for the helper that the other nine found ready."""
    try:
        pool = _Shared.take()
    except Exception:  # noqa: BLE001 - no helper here: the imports check in line as they would
        return
    broken = False
    try:
        pool.submit(_warm)
    except Exception:  # noqa: BLE001 - the pool is gone: the next import starts another
        broken = True
    _Shared.release(broken)


class HashCheck:
    def __init__(self, events: list[dict[str, Any]], plain: bytes | None = None, *, helper_from: int | None = None,
                 shared: bool = False, gate: bool = False) -> None:
        """`plain`: the payload's JSON text, which the helper process reads for itself;
        `helper_from`: how many events make the helper worth starting (PARALLEL_FROM); `shared`:
        use the helper kept between imports (else one started for this package alone); `gate`: the
        import's gate may follow in the helper (`submit_gate`), which then keeps the payload for it."""
        self._events = events
        self.token = uuid.uuid4().hex
        self._shared = shared
        self._broken = False
        self._kept = False
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[tuple[str, str] | None] | None = None
        self._gate: Future[str | None] | None = None
        self._hash_verdict: list[tuple[str, str] | None] = []
        threshold = PARALLEL_FROM if helper_from is None else helper_from
        if plain is not None and len(events) >= threshold:
            try:
                self._pool = _Shared.take() if shared else _new_pool()
                self._future = self._pool.submit(_check_and_keep, self.token, plain, gate)
                self._kept = gate
            except Exception:  # noqa: BLE001 - any failure to start means: check in line
                self._broken = True
                self.close()

    @property
    def parallel(self) -> bool:
        return self._future is not None

    @property
    def gated(self) -> bool:
        """Whether the gate runs in the helper (its verdict: `refusal`)."""
        return self._gate is not None

    def verdict(self) -> tuple[str, str] | None:
        """(kind, event id) of the first event whose content does not match its hash, or None."""
        if self._hash_verdict:
            return self._hash_verdict[0]
        found: tuple[str, str] | None
        try:
            if self._future is not None:
                try:
                    found = self._future.result()
                    self._hash_verdict.append(found)
                    return found
                except Exception:  # noqa: BLE001 - the helper died: the answer is still needed
                    self._broken = True
            found = first_bad_event(self._events)
            self._hash_verdict.append(found)
            return found
        finally:
            if self._gate is None:
                self.close()

    def submit_gate(self, request: GateRequest) -> bool:
        """Authorize in the helper (after its hash check, in the same process); False: do it in line."""
        if self._pool is None or self._future is None:
            return False
        try:
            self._gate = self._pool.submit(_gate, request)
        except Exception:  # noqa: BLE001 - the pool is gone: the caller checks in line
            self._broken = True
            self._gate = None
        return self._gate is not None

    def refusal(self) -> str | None:
        """The gate's refusal from the helper, or None when it accepted every event; GateUnavailable
        when it could not tell."""
        assert self._gate is not None
        try:
            return self._gate.result()
        except Exception as exc:  # noqa: BLE001 - whatever stopped it, the verdict is missing
            self._broken = True
            raise GateUnavailable(str(exc)) from exc

    def close(self) -> None:
        if self._pool is not None:
            if self._shared:
                # The helper stays for the next import; what this one still queued there is dropped.
                for future in (self._future, self._gate):
                    if future is not None:
                        future.cancel()
                self._forget()
                _Shared.release(self._broken)
            else:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._future = None
        self._gate = None

    def _forget(self) -> None:
        """Have the kept helper drop this import's payload, whether or not a gate read it: it runs
        after whatever this import queued there (one worker, in order), and nobody waits for it."""
        if not self._kept or self._pool is None:
            return
        self._kept = False
        try:
            self._pool.submit(_forget, self.token)
        except Exception:  # noqa: BLE001 - a pool that cannot take it has lost its process, and the payload with it
            self._broken = True
