"""What the 巡察办 tracks after the feedback: each unit's 整改方案 and 双报告, and every 销号 review."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin


class RectificationPlan(SyncedMixin, Base):
    """整改方案 and the 双报告 (整改情况报告, 主要负责人组织落实整改情况报告) of one inspected unit.

    Due dates left empty follow from the inspection's feedback date (see app.services.office.followup);
    a date set here is an agreed extension and wins. One row per (inspection, unit) is a rule of the
    service, not a UNIQUE constraint, so two copies adding the same row merge as a visible duplicate.
    """

    __tablename__ = "rectification_plans"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    plan_due_on: Mapped[dt.date | None] = mapped_column(Date)
    plan_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    report_due_on: Mapped[dt.date | None] = mapped_column(Date)
    report_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    principal_report_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class RectificationCloseOut(SyncedMixin, Base):
    """One 销号 review: who checked the evidence of a rectification item, when, and what they said.

    Kept beside the item (which only holds the reviewer's account id) because the office often closes
    items out on behalf of a named reviewer who has no account of their own.
    """

    __tablename__ = "rectification_close_outs"

    rectification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rectifications.id"), index=True)
    reviewer_name: Mapped[str] = mapped_column(String(60))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    evidence: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
