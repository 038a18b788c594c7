"""Checking every received event's hash, in a second process when the package is large.

Recomputing the hashes of a 20,000-event package costs ~0.3 s of canonical JSON and SHA-256, and
the rest of an import is Python holding the GIL: only another process can do that work at the same
time. The import goes on with its database work meanwhile and asks for the verdict before it
commits, so a bad hash still leaves the database as it was. Small packages, and machines where a
process cannot be started, are checked in line.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from app.eventhash import first_bad_event, first_bad_event_in

# Below this many events a helper process costs more than it saves.
PARALLEL_FROM = 5000


class HashCheck:
    def __init__(self, events: list[dict[str, Any]], plain: bytes | None = None, *, helper_from: int | None = None) -> None:
        """`plain`: the payload's JSON text, which the helper process reads for itself;
        `helper_from`: how many events make the helper worth starting (PARALLEL_FROM)."""
        self._events = events
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[tuple[str, str] | None] | None = None
        threshold = PARALLEL_FROM if helper_from is None else helper_from
        if plain is not None and len(events) >= threshold:
            try:
                # spawn: a fresh interpreter, never a fork of a process that runs Qt threads.
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                self._future = self._pool.submit(first_bad_event_in, plain)
            except Exception:  # noqa: BLE001 - any failure to start means: check in line
                self.close()

    @property
    def parallel(self) -> bool:
        return self._future is not None

    def verdict(self) -> tuple[str, str] | None:
        """(kind, event id) of the first event whose content does not match its hash, or None."""
        try:
            if self._future is not None:
                try:
                    return self._future.result()
                except Exception:  # noqa: BLE001 - the helper died: the answer is still needed
                    pass
            return first_bad_event(self._events)
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._future = None
