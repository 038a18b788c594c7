"""The first paint's summary, read with the standard library's sqlite3 before SQLAlchemy is loaded.

The window shows it while SQLAlchemy and the models load in a worker (~0.5 s of CPU on the
reference laptop), then replaces it with what the services read. It is only ever read from the
database itself (read-only, nothing cached elsewhere) and only for a plain file without accounts,
where the local administrator reads everything (`app.models.peek.opens_without_login`). It mirrors
the services' reads for that administrator: the inspection list (`InspectionService.list`), the
fieldwork counts (`EntityService.count`) and the findings by status and review state
(`register.overview`); tests/test_launch_summary.py holds it to them.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.models.enums import Stage
from app.models.peek import connect_read_only

# The overview's fieldwork counts: its key, the table counted.
COUNTED = (("interview", "interviews"), ("petition", "petitions"), ("document_review", "document_reviews"),
           ("visit", "visits"), ("briefing", "briefings"), ("group_talk", "group_talks"), ("survey", "surveys"),
           ("meeting", "inspection_meetings"))


@dataclass(frozen=True)
class InspectionRow:
    """What the inspection chooser and the overview's 巡察概况 show of an inspection."""

    id: uuid.UUID
    name: str
    kind: str
    stage: str
    team_name: str | None
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass
class LaunchSummary:
    inspections: list[InspectionRow]
    chosen: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    by_review_state: dict[str, int] = field(default_factory=dict)

    @property
    def inspection(self) -> InspectionRow | None:
        return self.inspections[self.chosen] if self.inspections else None

    @property
    def findings_total(self) -> int:
        return sum(self.by_status.values())


def choose_inspection(rows: list[Any], wanted: uuid.UUID | None) -> int | None:
    """The inspection used last; on a first start, one the team is working in (`rows`: these
    summary rows, or the services' inspections)."""
    if not rows:
        return None
    row = next((n for n, r in enumerate(rows) if r.id == wanted), None)
    if row is None:
        row = next((n for n, r in enumerate(rows) if r.stage == Stage.FIELDWORK), 0)
    return row


def read_summary(path: str | Path, wanted: uuid.UUID | None) -> LaunchSummary | None:
    """The summary of a plain database file, or None when it cannot be read as one (an older or
    damaged schema: the window then waits for the services, as before)."""
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return None
    try:
        return _read(conn, wanted)
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def inspection_rows(conn: sqlite3.Connection) -> list[InspectionRow]:
    """The inspections as `InspectionService.list` gives them to the local administrator (also
    `xuncha inspections list`'s answer, app/cli_quick.py)."""
    # The services' order: newest start first (no date last), then name and id by code point.
    return [
        InspectionRow(uuid.UUID(r[0]), r[1], r[2], r[3], r[4], _date(r[5]), _date(r[6]))
        for r in conn.execute(
            "SELECT id, name, kind, stage, team_name, start_date, end_date FROM inspections "
            "WHERE deleted_at IS NULL ORDER BY start_date DESC, name, id")
    ]


def _read(conn: sqlite3.Connection, wanted: uuid.UUID | None) -> LaunchSummary:
    rows = inspection_rows(conn)
    chosen = choose_inspection(rows, wanted)
    if chosen is None:
        return LaunchSummary(rows)
    key = rows[chosen].id.hex
    counts = {name: conn.execute(f"SELECT count(*) FROM {table} WHERE inspection_id = ? AND deleted_at IS NULL",  # noqa: S608 - fixed names
                                 (key,)).fetchone()[0] for name, table in COUNTED}
    grouped = {
        column: dict(conn.execute(f"SELECT {column}, count(*) FROM findings "  # noqa: S608 - fixed names
                                  "WHERE inspection_id = ? AND deleted_at IS NULL GROUP BY 1", (key,)).fetchall())
        for column in ("status", "review_state")
    }
    return LaunchSummary(rows, chosen, counts, grouped["status"], grouped["review_state"])


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
