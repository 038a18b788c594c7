"""Keeping freed memory in the process during bulk work (glibc's allocator; elsewhere nothing).

A bench package's import allocates and frees some 50 MB of Python objects, its parameter rows and
its decrypted payload, and glibc hands large blocks and the top of its heap straight back to the
kernel when they are freed: the next package (or the next step of this one) takes the same memory
again page by page, each first touch a page fault. Over the bench's ten packages that was 180,000
faults in the importing thread and 0.6–1.9 s of kernel time in the helper process (hash check and
gate); holding it, 100,000 and 0.24–0.38 s. While a hold lasts, freed memory stays
with the allocator for reuse; when the last one ends the usual thresholds come back and what is
free is returned to the kernel at once (`malloc_trim`), so a desktop process does not keep an
import's peak for the rest of the day. The hold is process-wide and shared by
overlapping imports (app/shared_hold.py).
"""

from __future__ import annotations

import ctypes
import logging
import os
from contextlib import AbstractContextManager
from typing import Any

from app.shared_hold import SharedHold

# mallopt's parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# While held: no block is mapped on its own, and the heap's free top is not handed back (1 GiB).
_HELD = 1 << 30
# glibc's own starting values, restored after a hold (its dynamic raising of them stays off: setting
# either turns it off for good).
_DEFAULT = 128 * 1024

_libc: Any = None
_looked = False


def _allocator() -> Any:
    """glibc's C library with mallopt and malloc_trim, or None (another C library or platform)."""
    global _libc, _looked
    if not _looked:
        _looked = True
        try:
            if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
                return None  # musl answers None; Windows has no confstr, macOS not this name
            libc = ctypes.CDLL(None)
            libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
            libc.malloc_trim.argtypes = [ctypes.c_size_t]
            _libc = libc
        except (AttributeError, OSError, ValueError):
            _libc = None
    return _libc


def _set(trim: int, mmap: int) -> bool:
    libc = _allocator()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_TRIM_THRESHOLD, trim)) and bool(libc.mallopt(_M_MMAP_THRESHOLD, mmap))


def _hold() -> None:
    if not _set(_HELD, _HELD):
        logging.getLogger(__name__).debug("the allocator's thresholds could not be set")


def _release() -> None:
    libc = _allocator()
    if libc is None:
        return
    _set(_DEFAULT, _DEFAULT)
    libc.malloc_trim(0)


_shared = SharedHold(_hold, _release)


def held_memory() -> AbstractContextManager[None]:
    """Freed memory stays in the process until the last hold ends, then goes back to the kernel."""
    return _shared.held()


def hold_for_process() -> None:
    """For a helper process that does bulk work and nothing else until it exits: hold for good."""
    _set(_HELD, _HELD)
