"""The state every page shares: the open database, the chosen inspection and its pickers, and the
announcements that tie the pages together (as Anki's operations announce what they changed).

A page that wrote something says which kinds of record changed; the pages showing those kinds
reload. Navigation requests (open this record, raise a finding from that one) go through here
too, so pages never reach into each other.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from .changes import (  # noqa: F401 - pages import the kinds from here
    ATTACHMENT,
    BRIEFING,
    CHECKLIST,
    DOCUMENT_REVIEW,
    FINDING,
    GROUP_TALK,
    INTERVIEW,
    MEETING,
    PETITION,
    SURVEY,
    VISIT,
    ChangeBus,
)

if TYPE_CHECKING:  # the services load after the window's first paint (app/ui/application.py)
    from app.services.context import ServiceContext

    from .lookups import Lookups


class Workspace(QObject):
    # The inspection changed and its lookups are loaded (or None when none is chosen).
    inspection_changed = Signal(object)
    # Requests to show a record: (kind, id).
    open_requested = Signal(str, object)
    # "提出问题": the values a new working paper starts from.
    raise_finding_requested = Signal(dict)
    # Something for the status bar.
    message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx: ServiceContext | None = None
        self.lookups: Lookups | None = None
        # Shared with the office window this session opens (app/ui/changes.py).
        self.changes = ChangeBus(self)

    def context(self) -> ServiceContext:
        """The open database's context (pages work only while one is open)."""
        if self.ctx is None:
            raise RuntimeError("no database is open")
        return self.ctx

    @property
    def inspection_id(self) -> uuid.UUID | None:
        return self.lookups.inspection.id if self.lookups else None

    def set_lookups(self, lookups: Lookups | None) -> None:
        self.lookups = lookups
        self.inspection_changed.emit(lookups)

    def announce(self, *kinds: str) -> None:
        self.changes.announce(*kinds)

    def open_record(self, kind: str, record_id: Any) -> None:
        self.open_requested.emit(kind, record_id)

    def raise_finding(self, values: dict[str, Any]) -> None:
        self.raise_finding_requested.emit(values)

    def say(self, text: str) -> None:
        self.message.emit(text)
