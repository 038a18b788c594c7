"""A process-wide setting that overlapping bulk jobs share: the first to begin turns it on, the last
to end turns it off, whichever threads they run in (the collector's pause, the allocator's hold)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class SharedHold:
    def __init__(self, begin: Callable[[], None], end: Callable[[], None]) -> None:
        self._begin, self._end = begin, end
        self._lock = threading.Lock()
        self.depth = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            if self.depth == 0:
                self._begin()
            self.depth += 1
        try:
            yield
        finally:
            with self._lock:
                self.depth -= 1
                if self.depth == 0:
                    self._end()
