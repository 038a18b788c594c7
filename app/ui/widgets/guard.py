"""A flag for "we are changing this ourselves": set only inside `with guard:`, and cleared even when
the block raises (a flag left set would make the page ignore the user's every later click)."""

from __future__ import annotations

from types import TracebackType


class Guard:
    """Used where blocking the signal is not an option: a view must still hear its selection model
    change to draw it, while the page's own handler must not take that change for the user's."""

    def __init__(self) -> None:
        self._depth = 0

    def __bool__(self) -> bool:
        return self._depth > 0

    def __enter__(self) -> Guard:
        self._depth += 1
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._depth -= 1
