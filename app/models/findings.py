"""The findings register (问题台账) and what follows a finding: review, clues, rectification."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class Finding(SyncedMixin, Base):
    """A problem found, with its working paper (底稿): 现象 / 定性 / 责任."""

    __tablename__ = "findings"
    # Statistics and the office dashboard count findings by these columns over the whole database:
    # from this index alone (covering), without reading 100,000 rows of text
    # (app/services/statistics.py, app/services/office/dashboard.py).
    __table_args__ = (
        Index("ix_findings_statistics", "inspection_id", "deleted_at", "category_code", "discipline_code", "four_form",
              "unit_id"),
        # A merge counts the findings numbered twice in one inspection after every package
        # (app/sync/conflicts.py): from this index alone, in its order, not by reading every finding.
        Index("ix_findings_number", "inspection_id", "number", "deleted_at"),
    )

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    # Sequence within the inspection, shown as 问题编号; assigned by the service.
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    facts: Mapped[str] = mapped_column(Text)
    characterisation: Mapped[str | None] = mapped_column(Text)
    responsibility: Mapped[str | None] = mapped_column(Text)
    category_code: Mapped[str | None] = code_column(index=True)
    discipline_code: Mapped[str | None] = code_column(index=True)
    severity: Mapped[str] = code_column(default="general")
    source_kind: Mapped[str | None] = code_column()
    source_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    responsible_people: Mapped[str | None] = mapped_column(String(400))
    responsible_person_ids: Mapped[list[str]] = mapped_column(default=list)
    # 承办人 (the inspector who drafts it) and whoever it is currently assigned to.
    handler_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspectors.id"), index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspectors.id"), index=True)
    review_state: Mapped[str] = code_column(default="draft", index=True)
    disposition_code: Mapped[str | None] = code_column(index=True)
    four_form: Mapped[str | None] = code_column(index=True)
    status: Mapped[str] = code_column(default="open", index=True)
    found_on: Mapped[dt.date | None] = mapped_column(Date)


class FindingReview(SyncedMixin, Base):
    """One step of the 三审 chain, kept forever: who did what to the working paper, and why."""

    __tablename__ = "finding_reviews"

    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"), index=True)
    action: Mapped[str] = code_column()
    from_state: Mapped[str] = code_column()
    to_state: Mapped[str] = code_column()
    actor_id: Mapped[uuid.UUID | None] = mapped_column()
    actor_name: Mapped[str | None] = mapped_column(String(60))
    acted_at: Mapped[dt.datetime] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)


class Clue(SyncedMixin, Base):
    """问题线索 handed over (移交) to the 纪委监委 or 组织部."""

    __tablename__ = "clues"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("findings.id"), index=True)
    subject_name: Mapped[str] = mapped_column(String(60))
    subject_post: Mapped[str | None] = mapped_column(String(120))
    subject_rank: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text)
    handed_to: Mapped[str | None] = mapped_column(String(120))
    handed_over_on: Mapped[dt.date | None] = mapped_column(Date)
    transfer_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("issued_documents.id"))
    status: Mapped[str] = code_column(default="pending", index=True)


class ClueOutcome(SyncedMixin, Base):
    """What the receiving body reported back: 初核, 立案, 处分 …"""

    __tablename__ = "clue_outcomes"

    clue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clues.id"), index=True)
    kind: Mapped[str] = code_column(index=True)
    four_form: Mapped[str | None] = code_column()
    people_count: Mapped[int] = mapped_column(Integer, default=1)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class Rectification(SyncedMixin, Base):
    """整改: what the unit must fix for a finding, by whom and by when, up to 销号."""

    __tablename__ = "rectifications"
    # Statistics and the dashboard count the items by status and deadline over the whole database,
    # each chain once (an item a 回头看 took over is left out): from these indexes alone, without
    # reading 59,000 rows of text (app/services/statistics.py, migration 0011).
    __table_args__ = (
        Index("ix_rectifications_statistics", "inspection_id", "deleted_at", "status", "deadline", "id"),
        Index("ix_rectifications_carried", "deleted_at", "carried_from_id"),
    )

    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"), index=True)
    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    measures: Mapped[str] = mapped_column(Text)
    responsible_person: Mapped[str] = mapped_column(String(60))
    deadline: Mapped[dt.date] = mapped_column(Date, index=True)
    # The 三张清单 of the 整改台账: 任务清单 (完成标准 beside the measures and deadline) and
    # 责任清单 (责任领导 and 责任部门 above the 责任人).
    completion_standard: Mapped[str | None] = mapped_column(Text)
    responsible_leader: Mapped[str | None] = mapped_column(String(60))
    responsible_department: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = code_column(default="pending", index=True)
    progress: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by: Mapped[uuid.UUID | None] = mapped_column()
    # A 回头看 takes over the open items of the inspection it follows.
    carried_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rectifications.id"))
