"""The 整改台账 workbooks an inspected unit sends back: one row per import, kept as the source of the
changes it made (the change log itself records only who made them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin


class RectificationLedgerImport(SyncedMixin, Base):
    """One returned 整改台账 workbook applied to the database: which file (name and SHA-256), whose
    ledger (inspection, unit, and the export it was filled in from), who imported it and when, and
    every field it changed with its value before and after."""

    __tablename__ = "rectification_ledger_imports"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    # The export the workbook was filled in from: later imports of the same workbook start from what
    # the earlier ones wrote, so a unit may send the same file back month after month.
    export_id: Mapped[uuid.UUID] = mapped_column(index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    actor_name: Mapped[str | None] = mapped_column(String(60))
    imported_at: Mapped[dt.datetime] = mapped_column()
    rows_checked: Mapped[int] = mapped_column(Integer, default=0)
    items_changed: Mapped[int] = mapped_column(Integer, default=0)
    fields_changed: Mapped[int] = mapped_column(Integer, default=0)
    # [{"rectification_id", "field", "before", "after"}], values as the change log encodes them.
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
