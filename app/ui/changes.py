"""What changed, told to every page of every window of the session (the main window's pages and
the office window's): one bus, one typed change set.

A page that wrote something announces the kinds of record it changed; pages showing those kinds
reload. Office areas (轮次, 巡察组 …) are kinds too, so an inspection created in the office window is
in the main window's chooser at once, and a rectification closed there updates the overview here.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

# Records written in the main window (the search index's entity names).
FINDING, INTERVIEW, PETITION, DOCUMENT_REVIEW, VISIT = "finding", "interview", "petition", "document_review", "visit"
BRIEFING, GROUP_TALK, SURVEY, MEETING = "briefing", "group_talk", "survey", "meeting"
CHECKLIST, ATTACHMENT, DOCUMENT = "checklist", "attachment", "documents"
# What the office window writes.
INSPECTION, ROUND, TEAM, POOL, UNIT, TERM = "inspection", "round", "team", "pool", "unit", "term"
RECTIFICATION, CLUE = "rectification", "clue"

KINDS = frozenset({FINDING, INTERVIEW, PETITION, DOCUMENT_REVIEW, VISIT, BRIEFING, GROUP_TALK, SURVEY, MEETING,
                   CHECKLIST, ATTACHMENT, DOCUMENT, INSPECTION, ROUND, TEAM, POOL, UNIT, TERM, RECTIFICATION, CLUE})
# Changes that alter the list of inspections, their teams or their units (the main window's chooser).
INSPECTION_SETUP = frozenset({INSPECTION, ROUND, TEAM, UNIT})


@dataclass(frozen=True)
class ChangeSet:
    """The kinds of record one write changed; empty when anything may have (the clock moved, a
    sync import)."""

    kinds: frozenset[str] = frozenset()

    def touches(self, *kinds: str) -> bool:
        return not self.kinds or not self.kinds.isdisjoint(kinds)

    def all_kinds(self) -> frozenset[str]:
        """The kinds, with "anything" spelled out, for a page that asks about one kind."""
        return self.kinds or KINDS


class ChangeBus(QObject):
    # A ChangeSet. Connect bound methods of QObjects (not lambdas): the office window comes and goes
    # while the bus lives on, and Qt drops a connection when its receiver is deleted.
    changed = Signal(object)

    def announce(self, *kinds: str) -> None:
        unknown = set(kinds) - KINDS
        assert not unknown, f"unknown change kinds {unknown}: add them to app/ui/changes.py"
        self.changed.emit(ChangeSet(frozenset(kinds)))
