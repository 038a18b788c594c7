"""Run work off the UI thread and hand the result back to it.

A query, a PDF or an import can take longer than a frame; the UI thread only ever receives
finished results through a queued signal. Two things keep late results harmless:
- a result is dropped when the runner's owner (a page, a window) has been destroyed meanwhile;
- jobs started with the same `key` supersede each other: only the newest one delivers, so a slow
  reload for the previous inspection or an older keyword can never overwrite a newer one.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.logs import describe_exception, log_exception
from app.services.errors import ServiceError


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class Progress:
    """Handed to a long job: it reports how far it got and asks whether to stop."""

    def __init__(self, relay: _Relay, cancel: threading.Event) -> None:
        self._relay, self._cancel = relay, cancel

    def report(self, done: int, total: int) -> None:
        self._relay.progressed.emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class TaskHandle:
    """A started job: it can be asked to stop (the job decides where it is safe to)."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.finished = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class ErrorText(str):
    """A failure's message for the user; `field` names the input a service refused, when it did."""

    field: str | None

    def __new__(cls, message: str, field: str | None = None) -> ErrorText:
        text = super().__new__(cls, message)
        text.field = field
        return text


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, name: Any = None) -> None:
        super().__init__()
        self.fn, self.relay, self.name = fn, relay, name or fn

    def run(self) -> None:
        try:
            result = self.fn()
        except ServiceError as exc:
            self._emit(self.relay.failed, ErrorText(exc.message, getattr(exc, "field", None)))
        except Exception as exc:  # noqa: BLE001 - a worker must never die silently
            # The traceback goes to the log (a windowed program has no console); the user reads one
            # line, in the page's message bar, with their edits still in the form.
            log_exception(exc, f"background task {getattr(self.name, '__qualname__', self.name)} failed")
            self._emit(self.relay.failed, ErrorText(describe_exception(exc)))
        else:
            self._emit(self.relay.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        # RuntimeError: the application is shutting down and the relay is gone; nobody is waiting.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class TaskRunner(QObject):
    """Owns the relays of running jobs so they live until their result is delivered."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._relays: set[_Relay] = set()
        self._latest: dict[str, int] = {}
        self._serial = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        *,
        key: str | None = None,
    ) -> TaskHandle:
        handle = TaskHandle()
        self._start(lambda _progress: fn(), on_done, on_error, None, key, handle, name=fn)
        return handle

    def run_with_progress(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        key: str | None = None,
    ) -> TaskHandle:
        handle = TaskHandle()
        self._start(fn, on_done, on_error, on_progress, key, handle)
        return handle

    def _start(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None,
        on_progress: Callable[[int, int], None] | None,
        key: str | None,
        handle: TaskHandle,
        *,
        name: Any = None,
    ) -> None:
        relay = _Relay()
        self._relays.add(relay)
        self._serial += 1
        serial = self._serial
        if key is not None:
            self._latest[key] = serial

        def current() -> bool:
            if not shiboken6.isValid(self):
                return False
            return key is None or self._latest.get(key) == serial

        def finish() -> None:
            handle.finished = True
            self._relays.discard(relay)
            if key is not None and self._latest.get(key) == serial:
                del self._latest[key]

        def deliver(result: Any) -> None:
            try:
                if current():
                    on_done(result)
            finally:
                finish()

        def fail(message: str) -> None:
            try:
                if current() and on_error is not None:
                    on_error(message)
            finally:
                finish()

        relay.succeeded.connect(deliver)
        relay.failed.connect(fail)
        if on_progress is not None:
            relay.progressed.connect(lambda done, total: on_progress(done, total) if current() else None)
        progress = Progress(relay, handle._cancel)
        self.pool.start(_Job(lambda: fn(progress), relay, name=name or fn))

    @property
    def busy(self) -> bool:
        return bool(self._relays)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)
