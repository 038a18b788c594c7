"""The helper process is kept between imports (a merge of ten packages starts one) and leaves when idle;
each import still gets its own package's verdict."""

from __future__ import annotations

import gc
import json
import time

from app.eventhash import MISMATCH
from app.sync import hashcheck

from .test_hashcheck import _events


def _plain(events) -> bytes:
    return json.dumps({"events": events}, ensure_ascii=False).encode()


def test_consecutive_imports_share_one_helper_which_leaves_when_idle(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 0.3)
    sound = _events(30)
    first = hashcheck.HashCheck(sound, _plain(sound), helper_from=1, shared=True)
    helper = hashcheck._Shared.pool
    assert first.parallel and helper is not None
    assert first.verdict() is None
    tampered = _events(30)
    tampered[7]["fields"]["notes"] = "改过"
    second = hashcheck.HashCheck(tampered, _plain(tampered), helper_from=1, shared=True)
    assert hashcheck._Shared.pool is helper  # the same process, not a new one
    assert second.verdict() == (MISMATCH, tampered[7]["id"])
    deadline = time.monotonic() + 10
    while hashcheck._Shared.pool is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hashcheck._Shared.pool is None  # shut down once idle


def test_an_import_in_progress_keeps_the_helper_past_the_idle_time(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 0.2)
    events = _events(30)
    running = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    other = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    assert other.verdict() is None  # one import ends while the other still uses the helper
    time.sleep(0.6)
    assert hashcheck._Shared.pool is not None
    assert running.verdict() is None
    running.close()


def _count_kept() -> int:
    """Run in the helper: how many decrypted payloads it still holds."""
    return len(hashcheck._KEPT)


def payloads_in_helper() -> int:
    """How many packages' plaintext the kept helper holds now (0 when it has gone)."""
    pool = hashcheck._Shared.pool
    return 0 if pool is None else pool.submit(_count_kept).result(timeout=30)


def test_a_timer_that_fired_as_an_import_took_the_helper_leaves_it_running(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 30)
    events = _events(30)
    first = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    assert first.verdict() is None  # the import is done: the idle timer runs
    timer = hashcheck._Shared.timer
    assert timer is not None
    helper = hashcheck._Shared.pool
    second = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    # The timer had already fired and waited for the lock while the next import took the helper.
    timer.function(*timer.args, **timer.kwargs)
    assert hashcheck._Shared.pool is helper
    tampered = _events(30)
    tampered[3]["fields"]["notes"] = "改过"
    third = hashcheck.HashCheck(tampered, _plain(tampered), helper_from=1, shared=True)
    assert third.parallel  # still checked beside the import, by the same process
    assert third.verdict() == (MISMATCH, tampered[3]["id"])
    assert second.verdict() is None
    assert hashcheck._Shared.pool is helper


def test_a_broken_helper_is_shut_down_only_when_no_import_uses_it(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 30)
    events = _events(30)
    running = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    failed = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    helper = hashcheck._Shared.pool
    failed._broken = True  # as after a gate the helper could not answer
    failed.close()
    assert hashcheck._Shared.pool is helper  # the other import still waits on it
    assert running.verdict() is None
    assert hashcheck._Shared.pool is None  # the last one out shuts the broken helper down


def test_a_payload_no_gate_reads_does_not_stay_in_the_helper(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 30)
    events = _events(30)
    hashes_only = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    assert hashes_only.verdict() is None
    assert payloads_in_helper() == 0
    # A gate was to follow, but the import ended first (a replay, a gap, cancelled, failed).
    abandoned = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True, gate=True)
    assert abandoned.parallel
    abandoned.close()
    assert payloads_in_helper() == 0


def test_a_payload_kept_for_the_gate_is_out_of_the_collectors_sight_until_the_gate(monkeypatch):
    """In the helper, a package's parsed events (a million containers for a large one) would be
    re-walked by every collection between the hash check and the gate; they are frozen instead, and
    the gate hands them back."""
    gc.unfreeze()
    events = _events(200)
    assert hashcheck._check_and_keep("checked only", _plain(events), False) is None
    assert gc.get_freeze_count() == 0  # nothing kept, nothing frozen
    assert hashcheck._check_and_keep("kept", _plain(events), True) is None
    try:
        assert gc.isenabled()
        kept = hashcheck._KEPT["kept"]
        assert isinstance(kept, dict)
        tracked = gc.get_objects()
        # Frozen: the payload and its events are in none of the collector's generations.
        assert not any(o is kept or o is kept["events"] for o in tracked)
        del tracked

        def gated(token: str) -> None:  # the gate's work stubbed: it takes the payload and lets it go
            del hashcheck._KEPT[token]

        monkeypatch.setattr(hashcheck, "_gated", gated)
        assert hashcheck._gate("kept") is None  # type: ignore[arg-type]
        assert gc.get_freeze_count() == 0
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        hashcheck._forget("kept")


def _gate_modules_loaded() -> bool:
    """Run in the helper: whether what the gate needs is loaded already."""
    import sys

    return {"app.models.db", "app.sync.authorize", "app.sync.batches"} <= sys.modules.keys()


def _stop_kept_helper() -> None:
    with hashcheck._Shared.lock:
        if hashcheck._Shared.pool is not None and hashcheck._Shared.users == 0:
            hashcheck._Shared.pool.shutdown(wait=True, cancel_futures=True)
            hashcheck._Shared.pool = None


def _first_import_sees(monkeypatch, tmp_path, size: int) -> list[bool | None]:
    """Import one package file of `size` bytes and tell, when its import begins, whether the kept
    helper is running (None: not) and has the gate's modules loaded."""
    from app.sync import exchange

    _stop_kept_helper()
    monkeypatch.setattr(hashcheck, "LARGE_FILE_BYTES", 1000)
    monkeypatch.setattr(exchange, "_known_senders", lambda db: {})
    seen: list[bool | None] = []

    def first_import(db, me, read, progress, cancelled):
        pool = hashcheck._Shared.pool
        seen.append(None if pool is None else pool.submit(_gate_modules_loaded).result(timeout=120))
        raise exchange.SyncError("到此为止")

    monkeypatch.setattr(exchange, "_import_read", first_import)
    package = tmp_path / "laptop.xsync"
    package.write_bytes(b"x" * size)
    outcomes = list(exchange.import_packages(None, None, [package]))  # type: ignore[arg-type]
    assert isinstance(outcomes[0][1], exchange.SyncError)
    return seen


def test_a_merge_of_large_packages_finds_the_helper_ready_for_its_first(monkeypatch, tmp_path):
    # The helper starts, and loads the gate's modules, while the first file is read and decrypted:
    # the first of ten bench packages otherwise waited ~0.75 s for it.
    assert _first_import_sees(monkeypatch, tmp_path, 5000) == [True]


def test_small_packages_start_no_helper(monkeypatch, tmp_path):
    assert _first_import_sees(monkeypatch, tmp_path, 500) == [None]
