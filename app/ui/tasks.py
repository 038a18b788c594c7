"""Run work off the UI thread and hand the result back to it.

A query, a PDF or an import can take longer than a frame; the UI thread only ever receives
finished results through a queued signal.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.services.errors import ServiceError


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except ServiceError as exc:
            self.relay.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            traceback.print_exc()
            self.relay.failed.emit(f"操作未能完成：{exc}")
        else:
            self.relay.succeeded.emit(result)


class TaskRunner(QObject):
    """Owns the relays of running jobs so they live until their result is delivered."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)

        relay.succeeded.connect(on_done)
        relay.succeeded.connect(finish)
        if on_error is not None:
            relay.failed.connect(on_error)
        relay.failed.connect(finish)
        self.pool.start(_Job(fn, relay))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
