"""Bulk work keeps the memory it frees for its own next step, and gives it back when it ends.

Each measurement runs in a fresh interpreter: what a process's allocator keeps depends on all it
did before (free pages left inside its heap by earlier tests, thresholds glibc raised on its own),
and in the whole suite's process 150 MB could be found already free there, hold or not."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app import malloc_hold
from app.malloc_hold import held_memory

glibc_only = pytest.mark.skipif(malloc_hold._allocator() is None, reason="glibc's allocator only")

_BLOCK = 256 * 1024  # over glibc's default threshold for a block mapped on its own
_BLOCKS = 600  # ~150 MB


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _allocate_and_free() -> None:
    blocks = [bytearray(_BLOCK) for _ in range(_BLOCKS)]  # zeroed: every page touched
    del blocks


def _in_fresh_process(scenario) -> None:
    """Run `scenario` (a function of this module) alone in a new interpreter; its assertion, if one
    fails, is this test's failure."""
    root = Path(__file__).resolve().parent.parent
    probe = f"import tests.test_malloc_hold as t; t.{scenario.__name__}()"
    result = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


@glibc_only
def test_freed_memory_is_kept_during_a_hold_and_returned_after_it():
    _in_fresh_process(_kept_during_a_hold_and_returned_after)


@glibc_only
def test_without_a_hold_large_blocks_go_back_at_once():
    _in_fresh_process(_returned_at_once_without_a_hold)


@glibc_only
def test_nested_and_overlapping_holds_end_with_the_last():
    _in_fresh_process(_nested_and_overlapping_holds)


@glibc_only
def test_an_error_still_ends_the_hold():
    _in_fresh_process(_error_ends_the_hold)


def _kept_during_a_hold_and_returned_after() -> None:
    before = _resident_mb()
    with held_memory():
        _allocate_and_free()
        held = _resident_mb()
        # Kept for reuse: the next package's parse finds it without a page fault.
        assert held - before > 100
    assert _resident_mb() - before < 30  # the import's peak is not kept for the rest of the day


def _returned_at_once_without_a_hold() -> None:
    before = _resident_mb()
    _allocate_and_free()
    assert _resident_mb() - before < 30


def _nested_and_overlapping_holds() -> None:
    before = _resident_mb()
    inside, release = threading.Event(), threading.Event()

    def worker():
        with held_memory():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert inside.wait(5)
        with held_memory():
            with held_memory():
                _allocate_and_free()
            assert _resident_mb() - before > 100
        assert _resident_mb() - before > 100  # the worker's hold (an import in another thread) still holds
    finally:
        release.set()
        thread.join(5)
    assert _resident_mb() - before < 30


def _error_ends_the_hold() -> None:
    before = _resident_mb()
    with pytest.raises(RuntimeError), held_memory():
        _allocate_and_free()
        raise RuntimeError("导入失败")
    assert _resident_mb() - before < 30


def test_another_c_library_is_left_alone(monkeypatch):
    """musl (or a platform without confstr) has no such thresholds: a hold is then nothing at all,
    and an import goes on as before."""
    monkeypatch.setattr(malloc_hold, "_looked", False)
    monkeypatch.setattr(malloc_hold, "_libc", None)
    monkeypatch.setattr(malloc_hold.os, "confstr", lambda _name: None)
    depth = malloc_hold._shared.depth  # 0 unless another test's import is still running
    with held_memory(), held_memory():
        pass
    malloc_hold.hold_for_process()
    assert malloc_hold._allocator() is None and malloc_hold._shared.depth == depth
