"""The 五必查、六必问、四必谈 templates and each inspection's working copy of them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class ChecklistTemplate(SyncedMixin, Base):
    """A versioned template; built-in ones come from resources/reference/checklists.toml."""

    __tablename__ = "checklist_templates"

    list_kind: Mapped[str] = code_column(index=True)
    code: Mapped[str] = code_column()
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class ChecklistTemplateItem(SyncedMixin, Base):
    __tablename__ = "checklist_template_items"

    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_templates.id"), index=True)
    code: Mapped[str] = code_column()
    title: Mapped[str] = mapped_column(String(120))
    guidance: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ChecklistItem(SyncedMixin, Base):
    """One item of an inspection's checklist. Title and guidance are copied from the template so a
    later template version does not rewrite what a team already worked through."""

    __tablename__ = "checklist_items"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    template_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checklist_template_items.id"))
    list_kind: Mapped[str] = code_column()
    code: Mapped[str] = code_column()
    title: Mapped[str] = mapped_column(String(120))
    guidance: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = code_column(default="open")
    notes: Mapped[str | None] = mapped_column(Text)
    done_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    done_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ChecklistLink(SyncedMixin, Base):
    """Links a checklist item to the record or finding it produced."""

    __tablename__ = "checklist_links"

    checklist_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_items.id"), index=True)
    target_kind: Mapped[str] = code_column()
    target_id: Mapped[uuid.UUID] = mapped_column(index=True)
