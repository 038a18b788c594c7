"""Rounds, inspections, their target units and teams."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class InspectionRound(SyncedMixin, Base):
    """巡察轮次, e.g. 十二届市委第三轮巡察."""

    __tablename__ = "inspection_rounds"

    name: Mapped[str] = mapped_column(String(120))
    year: Mapped[int] = mapped_column(Integer, index=True)
    ordinal: Mapped[int | None] = mapped_column(Integer)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Inspection(SyncedMixin, Base):
    """One team's inspection of one or more units within a round."""

    __tablename__ = "inspections"

    round_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_rounds.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = code_column()
    stage: Mapped[str] = code_column()
    team_name: Mapped[str | None] = mapped_column(String(60))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    feedback_date: Mapped[dt.date | None] = mapped_column(Date)
    # 巡察公告: how the public reaches the team.
    announcement_phone: Mapped[str | None] = mapped_column(String(40))
    announcement_mailbox: Mapped[str | None] = mapped_column(String(200))
    announcement_address: Mapped[str | None] = mapped_column(String(200))
    announcement_email: Mapped[str | None] = mapped_column(String(120))
    # A 回头看 points at the inspection whose rectification it checks.
    follows_inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class InspectionUnit(SyncedMixin, Base):
    """A target unit of an inspection.

    Business keys of synced tables are checked by the services, not by UNIQUE constraints: two
    laptops may both add the same pair, and the merge must surface that as a conflict rather than
    fail the import.
    """

    __tablename__ = "inspection_units"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)


class TeamAssignment(SyncedMixin, Base):
    """An inspector on an inspection's team, with their role (组长负责制, 一次一授权)."""

    __tablename__ = "team_assignments"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    inspector_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspectors.id"), index=True)
    role: Mapped[str] = code_column()
    # The numbered 授权书 for a leader, once issued.
    authorisation_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("issued_documents.id"))
    notes: Mapped[str | None] = mapped_column(Text)
