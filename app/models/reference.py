"""Reference vocabularies users can extend, and small per-database settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class ReferenceItem(SyncedMixin, Base):
    """An entry of a reference list (problem category, discipline, disposition, four form,
    document kind, expertise). Built-in entries carry ids derived from (kind, code), so every
    installation agrees on them and sync never duplicates them."""

    __tablename__ = "reference_items"

    kind: Mapped[str] = code_column(index=True)
    code: Mapped[str] = code_column()
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    parent_code: Mapped[str | None] = code_column()
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Extra attributes some kinds have (a document kind's issuer code, letter format …).
    extra: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    data_version: Mapped[int] = mapped_column(Integer, default=1)


class Setting(Base):
    """Local key/value settings of this database (site id, loaded reference versions …)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
