"""Declarative base and the columns every synced row carries (see DESIGN.md, data conventions)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

import orjson
import uuid6
from sqlalchemy import JSON, DateTime, MetaData, String, Table, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic migrations are reproducible on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """Time-ordered UUIDv7: sortable by creation and unique across laptops without coordination."""
    return uuid6.uuid7()


def json_text(value: Any) -> str:
    """How JSON columns are stored (the engine's serializer, and the merge's bulk writes alike):
    compact UTF-8 text. orjson writes it about four times faster than the json module, which
    counts when a sync import stores 20,000 events' fields; Chinese takes 3 bytes, not a 6-byte
    \\u escape."""
    return orjson.dumps(value, default=_as_array).decode("utf-8")


def _as_array(value: Any) -> list[Any]:
    # Named tuples (a row's heads, app.models.changelog.Head) are JSON arrays; orjson takes only
    # plain tuples itself.
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores UTC; hands back timezone-aware datetimes on every backend.

    SQLite keeps no zone, so a naive value read back would silently be taken as local time.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # Every model is mapped to a Table (SQLAlchemy types it as any FromClause).
        __table__: ClassVar[Table]

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dt.datetime: UTCDateTime(),
        uuid.UUID: Uuid(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[Any]: JSON(),
    }


class SyncedMixin:
    """Columns of every row that travels between laptops and the master database.

    Rows are never physically deleted by normal use: `deleted_at` marks them, so a delete can be
    synced, audited and undone.
    """

    # Marks the class for the change log and the merge code; local-only tables lack it.
    __synced__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(default=None, index=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def code_column(length: int = 40, **kwargs: Any) -> Any:
    """A short ASCII code (enum value or reference-data code) stored as plain text.

    Plain strings rather than database enums: a package from a newer version may carry a code this
    version does not know, and it must still import rather than fail.
    """
    return mapped_column(String(length), **kwargs)
