"""Pausing Python's cycle collector around bulk work.

A sync import or the demo generator allocates hundreds of thousands of short-lived containers
(rows, events, their field dicts) that reference counting frees on its own; the cycle collector
would only re-scan them, again and again, as they pile up (~0.4 s of a 2 s package import). The
pause is process-wide, so it is counted: the collector comes back when the last pause ends, and
only if it was on before the first began.
"""

from __future__ import annotations

import gc
from contextlib import AbstractContextManager

from app.shared_hold import SharedHold

_was_enabled = False


def _pause() -> None:
    global _was_enabled
    _was_enabled = gc.isenabled()
    gc.disable()


def _resume() -> None:
    if _was_enabled:
        gc.enable()


_hold = SharedHold(_pause, _resume)


def paused_gc() -> AbstractContextManager[None]:
    return _hold.held()


def freeze_long_lived() -> None:
    """Move every object alive now out of the cycle collector's reach (O(1), no collection).

    For what a process loads once and keeps: the modules SQLAlchemy, the models and the services
    bring (hundreds of thousands of functions, classes and dicts). Left in the oldest generation,
    every full collection re-walks them with the interpreter lock held — 70 ms on the reference
    laptop, in whichever thread allocated last, so the window froze for that long while a worker
    read the dashboard. Garbage cycles alive at this moment are never freed: a one-off few objects."""
    gc.freeze()
