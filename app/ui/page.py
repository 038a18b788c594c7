"""The pages of the main window, by name, and what the window may ask of each.

The window used to find a page by its position (`page(6)`) and to ask `hasattr(page, "save")`
before every call; a page moved in the list or a method renamed broke that silently. `Page` names
each page once (its value is its place in the navigation list and the stack) and `PageHooks` is
the one interface the window talks to, with harmless defaults a page overrides where they apply.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSettings


class Page(enum.IntEnum):
    OVERVIEW = 0
    CHECKLISTS = 1
    INTERVIEWS = 2
    PETITIONS = 3
    DOCUMENT_REVIEWS = 4
    VISITS = 5
    FINDINGS = 6
    DOCUMENTS = 7
    MEETINGS = 8


class PageHooks:
    """Mixed into every page (after QWidget in its bases). Each default does what a page without
    that capability should: nothing, or go ahead at once."""

    @property
    def dirty(self) -> bool:
        """Edits on screen that are not saved."""
        return False

    def set_lookups(self, lookups: Any) -> None:
        """The chosen inspection and its choice lists changed."""

    def build_step(self) -> bool:
        """Build one more part the page left for later (a tab not yet shown), as the window does
        between events while the user is elsewhere; False once nothing is left."""
        return False

    def on_workspace_changed(self, kinds: frozenset[str]) -> None:
        """Records of these kinds changed elsewhere (another page, a sync import)."""

    def restore_layout(self, settings: QSettings) -> None:
        """Column widths, splitters and tabs as the user left them."""

    def save_layout(self, settings: QSettings) -> None:
        """Remember column widths, splitters and tabs for the next start."""

    def new_item(self) -> None:
        """Ctrl+N: start a new record on this page."""

    def save(self) -> None:
        """Ctrl+S: save what is being edited."""

    def open_kind_record(self, kind: str, record_id: Any) -> None:
        """Show a record of this kind (a page holding several kinds picks its tab)."""
        if record_id is not None:
            self.open_record(record_id)

    def open_record(self, record_id: Any) -> None:
        """Select and show this record."""

    def request_leave(self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None) -> None:
        """Let the user save or discard unsaved edits; `then` runs once they may leave."""
        then()

    def write_journal(self) -> None:
        """Put unsaved typing into the crash journal now."""
