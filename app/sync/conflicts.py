"""Open conflicts: listing them side by side, and resolving them (a resolution is an ordinary
change, so it syncs and closes the conflict on every copy).

Three kinds: two copies set one field to different values (field); a row deleted on one copy was
edited on another (delete); two copies created the same business key — a 文号, a unit, a person on
a team (duplicate).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    ChangeEvent,
    InspectionUnit,
    IssuedDocument,
    RectificationPlan,
    Setting,
    SyncConflict,
    SyncPeer,
    TeamAssignment,
    Unit,
    UnitPerson,
    User,
)
from app.models.db import Database

from . import merge

# table → the columns that together must be unique among live rows, and how to name the key.
BUSINESS_KEYS: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "issued_documents": (IssuedDocument, ("number_text",), "文号"),
    "units": (Unit, ("name",), "单位名称"),
    "unit_people": (UnitPerson, ("unit_id", "name"), "同一单位的人员姓名"),
    "inspection_units": (InspectionUnit, ("inspection_id", "unit_id"), "被巡察单位"),
    "team_assignments": (TeamAssignment, ("inspection_id", "inspector_id"), "巡察组成员"),
    "users": (User, ("username",), "用户名"),
    "rectification_plans": (RectificationPlan, ("inspection_id", "unit_id"), "同一单位的整改方案记录"),
}


@dataclass(frozen=True)
class Version:
    """One competing value, with who set it and when."""

    event_id: str
    value: Any
    author: str
    site: str
    recorded_at: str
    op: str


@dataclass(frozen=True)
class Conflict:
    kind: str  # field | delete | duplicate
    table: str
    row_id: str
    field: str | None
    versions: list[Version]
    key: str | None = None  # for duplicates: the shared key
    rows: tuple[str, ...] = ()  # for duplicates: the competing rows

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.table}:{self.row_id}:{self.field or ''}"


def duplicate_groups(session: Session, tables: set[str] | None = None) -> list[tuple[str, tuple[Any, ...], list[uuid.UUID]]]:
    groups = []
    for table, (model, columns, _label) in BUSINESS_KEYS.items():
        if tables is not None and table not in tables:
            continue
        cols = [getattr(model, c) for c in columns]
        stmt = (
            select(*cols, func.count())
            .where(model.deleted_at.is_(None))
            .group_by(*cols)
            .having(func.count() > 1)
        )
        for row in session.execute(stmt):
            key = tuple(row[:-1])
            ids = list(session.scalars(
                select(model.id).where(model.deleted_at.is_(None), *[c == v for c, v in zip(cols, key, strict=True)])
                .order_by(model.created_at)
            ))
            groups.append((table, key, ids))
    return groups


def _site_names(session: Session) -> dict[uuid.UUID, str]:
    names = {p.site_id: p.name for p in session.scalars(select(SyncPeer))}
    settings = dict(session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(["site.id", "site.name"]))).all())
    if "site.id" in settings:
        names[uuid.UUID(settings["site.id"])] = f"本机（{settings.get('site.name', '')}）"
    return names


def _versions(session: Session, event_ids: list[str], field: str | None) -> list[Version]:
    events = session.scalars(select(ChangeEvent).where(ChangeEvent.id.in_([uuid.UUID(i) for i in event_ids])))
    sites = _site_names(session)
    result = []
    for e in sorted(events, key=lambda e: (e.hlc, str(e.id))):
        value = e.fields.get(field) if field else e.fields
        result.append(Version(str(e.id), value, e.author_name or (str(e.author_id)[:8] if e.author_id else "未知"),
                              sites.get(e.site_id, str(e.site_id)[:8]), e.recorded_at.isoformat(timespec="seconds"),
                              e.op))
    return result


def field_label(table: str, field: str | None) -> str:
    """The Chinese name a user knows a field by (from the entity services' labels)."""
    if field is None:
        return ""
    from app.services.crud import EntityService

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    import app.services.clues  # noqa: F401 - make sure every entity service is defined
    import app.services.fieldwork  # noqa: F401
    import app.services.findings  # noqa: F401
    import app.services.inspections  # noqa: F401
    import app.services.rectifications  # noqa: F401
    import app.services.units  # noqa: F401

    for service in subclasses(EntityService):
        model = getattr(service, "model", None)
        if model is not None and getattr(model, "__tablename__", None) == table and field in service.labels:
            return service.labels[field]
    return field


def list_conflicts(db: Database) -> list[Conflict]:
    with db.read() as session:
        result = [
            Conflict(c.kind, c.table_name, str(c.row_id), c.field, _versions(session, c.competitors, c.field))
            for c in session.scalars(select(SyncConflict).order_by(SyncConflict.table_name, SyncConflict.row_id))
        ]
        for table, key, ids in duplicate_groups(session):
            label = BUSINESS_KEYS[table][2]
            result.append(Conflict("duplicate", table, str(ids[0]), None, [], key=f"{label}：{'／'.join(map(str, key))}",
                                   rows=tuple(str(i) for i in ids)))
    return result


def resolve_field(db: Database, table: str, row_id: str, field: str, value: Any, *, actor_id: uuid.UUID | None = None,
                  actor_name: str | None = None) -> None:
    """Settle a field conflict with a chosen or merged value: a new event superseding every head."""
    if field == "deleted_at":
        raise ValueError("删除与恢复之间的冲突请选择“保持删除”或“恢复”处理。")
    tables = merge.synced_tables()
    model = next(m.class_ for m in merge.Base.registry.mappers if m.class_.__tablename__ == table)
    with db.write() as session:
        session.info["changelog.resolving"] = True
        session.info["changelog.author_name"] = actor_name
        record = session.get(model, uuid.UUID(row_id))
        if record is None:
            raise LookupError(row_id)
        decoded = merge.decode_value(tables[table], field, value)
        if getattr(record, field) == decoded:
            # The chosen value is already shown; write it anyway so the resolution is recorded.
            from sqlalchemy.orm.attributes import flag_modified

            flag_modified(record, field)
        setattr(record, field, decoded)
        record.updated_by = actor_id


def resolve_delete(db: Database, table: str, row_id: str, *, keep_deleted: bool, actor_id: uuid.UUID | None = None,
                   actor_name: str | None = None) -> None:
    """Settle an edit-against-delete: keep it deleted, or restore it with the edits."""
    from sqlalchemy.orm.attributes import flag_modified

    from app.models import utcnow

    model = next(m.class_ for m in merge.Base.registry.mappers if m.class_.__tablename__ == table)
    with db.write() as session:
        session.info["changelog.resolving"] = True
        session.info["changelog.author_name"] = actor_name
        record = session.get(model, uuid.UUID(row_id))
        record.deleted_at = (record.deleted_at or utcnow()) if keep_deleted else None
        flag_modified(record, "deleted_at")
        record.updated_by = actor_id
