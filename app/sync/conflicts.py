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

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from app.models import (
    ChangeEvent,
    Finding,
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
from app.services import registry
from app.services.audit import table_label
from app.services.context import ServiceContext
from app.services.crud import DELETE, RESTORE, UPDATE

from .package import PackageError

# table → the columns that together must be unique among live rows, and how to name the key.
BUSINESS_KEYS: dict[str, tuple[Any, tuple[str, ...], str]] = {
    "issued_documents": (IssuedDocument, ("number_text",), "文号"),
    "units": (Unit, ("name",), "单位名称"),
    "unit_people": (UnitPerson, ("unit_id", "name"), "同一单位的人员姓名"),
    "inspection_units": (InspectionUnit, ("inspection_id", "unit_id"), "被巡察单位"),
    "team_assignments": (TeamAssignment, ("inspection_id", "inspector_id"), "巡察组成员"),
    "users": (User, ("username",), "用户名"),
    "rectification_plans": (RectificationPlan, ("inspection_id", "unit_id"), "同一单位的整改方案记录"),
    # Each copy numbers the findings it drafts: two laptops can both take 第5号.
    "findings": (Finding, ("inspection_id", "number"), "同一巡察的问题编号"),
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
    key: str | None = None  # for duplicates: the shared key, in words
    rows: tuple[str, ...] = ()  # for duplicates: the competing rows
    # What a person knows them by: the kind of record, the record, the field.
    table_label: str = ""
    row_label: str = ""
    field_label: str = ""
    row_labels: tuple[str, ...] = ()  # for duplicates: each competing row

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


def duplicate_count(session: Session, tables: set[str] | None = None) -> int:
    """How many groups `duplicate_groups` would list, counted by the database alone: a merge reports
    it after every package, so it must not cost a query per group nor read every finding (the
    findings' count comes from ix_findings_number, in its order)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    total = 0
    for table, (model, columns, _label) in BUSINESS_KEYS.items():
        if tables is not None and table not in tables:
            continue
        # On SQLite a plain `deleted_at IS NULL` draws the planner to the deleted_at index (then a
        # sort of every live row); the coalesce leaves it the covering index in group order.
        live = func.coalesce(model.deleted_at, null()).is_(None) if sqlite else model.deleted_at.is_(None)
        groups = (
            select(*[getattr(model, c) for c in columns])
            .where(live)
            .group_by(*[getattr(model, c) for c in columns])
            .having(func.count() > 1)
            .subquery()
        )
        total += session.scalar(select(func.count()).select_from(groups)) or 0
    return total


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

    def subclasses(cls: Any) -> list[Any]:
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
            Conflict(c.kind, c.table_name, str(c.row_id), c.field, _versions(session, c.competitors, c.field),
                     table_label=table_label(c.table_name), row_label=row_label(session, c.table_name, c.row_id),
                     field_label=field_label(c.table_name, c.field))
            for c in session.scalars(select(SyncConflict).order_by(SyncConflict.table_name, SyncConflict.row_id))
        ]
        for table, key, ids in duplicate_groups(session):
            label = BUSINESS_KEYS[table][2]
            columns = BUSINESS_KEYS[table][1]
            words = "／".join(_key_word(session, column, value) for column, value in zip(columns, key, strict=True))
            result.append(Conflict("duplicate", table, str(ids[0]), None, [], key=f"{label}：{words}",
                                   rows=tuple(str(i) for i in ids), table_label=table_label(table),
                                   row_label=row_label(session, table, ids[0]),
                                   row_labels=tuple(row_label(session, table, i) for i in ids)))
    return result


# Columns a record is known by, in order of preference.
_NAMING = ("title", "name", "interviewee_name", "subject_name", "username", "place", "number_text", "filename")


def row_label(session: Session, table: str, row_id: Any) -> str:
    """A record as a person knows it (第12号问题「违规使用公务用车」, 单位「市财政局」)."""
    from app.models import Base

    t = Base.metadata.tables.get(table)
    if t is None:
        return str(row_id)
    row = session.execute(select(t).where(t.c.id == uuid.UUID(str(row_id)))).mappings().first()
    if row is None:
        return "（本机没有该记录）"
    name = next((str(row[c]) for c in _NAMING if c in row and row[c]), "")
    number = f"第{row['number']}号" if table == "findings" and row.get("number") else ""
    return f"{number}「{name}」" if name else (number or str(row_id))


def _key_word(session: Session, column: str, value: Any) -> str:
    """A business key's value in words: a unit or inspection or person by name, not by id."""
    from app.models import Inspection, Inspector

    lookups: dict[str, Any] = {"unit_id": Unit, "inspection_id": Inspection, "inspector_id": Inspector}
    model = lookups.get(column)
    if model is not None and value is not None:
        found = session.get(model, value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        if found is not None:
            return str(found.name)
    return str(value)


class ResolveError(PackageError):
    """A resolution refused; the message is for the user."""


def _open_conflict(session: Session, table: str, row_id: uuid.UUID, kind: str, field: str | None) -> SyncConflict:
    stmt = select(SyncConflict).where(SyncConflict.table_name == table, SyncConflict.row_id == row_id)
    if kind == "delete":
        # An edit against a delete, or a delete against a restore (a conflict on the delete marker).
        stmt = stmt.where((SyncConflict.kind == "delete") | (SyncConflict.field == "deleted_at"))
    else:
        stmt = stmt.where(SyncConflict.kind == kind, SyncConflict.field == field)
    found = session.scalar(stmt.limit(1))
    if found is None:
        what = f"字段「{field_label(table, field)}」" if field else "删除与修改之间"
        raise ResolveError(f"{table_label(table)} {row_id} 的{what}没有未处理的冲突，无需处理。")
    return found


def _service(ctx: ServiceContext, table: str) -> Any:
    cls = registry.service_for(table)
    if cls is None:
        raise ResolveError(f"「{table_label(table)}」的冲突不能在这里处理。")
    return cls(ctx)


def resolve_field(ctx: ServiceContext, table: str, row_id: str, field: str, value: Any) -> None:
    """Settle a field conflict with a chosen or merged value: a change made by the acting account
    through the table's own service (its permission and validation rules), which supersedes every
    competing value and so closes the conflict on every copy."""
    from sqlalchemy.orm.attributes import flag_modified

    if field == "deleted_at":
        raise ResolveError("删除与恢复之间的冲突请选择“保持删除”或“恢复”处理。")
    key = _row_uuid(row_id)
    service = _service(ctx, table)
    if field not in service.model.__table__.columns or field in AUDIT_COLUMNS:
        raise ResolveError(f"「{table_label(table)}」没有可处理的字段「{field}」。")
    typed = to_column_value(service.model.__table__, field, value, service.label(field))
    with ctx.write() as session:
        _open_conflict(session, table, key, "field", field)
        session.info["changelog.resolving"] = True
        record = service._get(session, key, include_deleted=True)
        if getattr(record, field) != typed:
            service.write_fields(session, record, {field: typed})
            return
        # Adopting the value already shown still has to be recorded (as one change, like any other):
        # it is what closes the conflict. The same rules as an edit of the field apply.
        service.check_permission(session, UPDATE, record)
        service._refuse_protected({field: typed})
        service._check_all(session, service.values_of(record), record)
        flag_modified(record, field)
        record.updated_by = ctx.actor.user_id


def resolve_delete(ctx: ServiceContext, table: str, row_id: str, *, keep_deleted: bool) -> None:
    """Settle an edit-against-delete: keep it deleted, or restore it with the edits, as the acting
    account may (the table's delete or restore rule)."""
    from sqlalchemy.orm.attributes import flag_modified

    from app.models import utcnow

    key = _row_uuid(row_id)
    service = _service(ctx, table)
    with ctx.write() as session:
        _open_conflict(session, table, key, "delete", None)
        record = service._get(session, key, include_deleted=True)
        service.check_permission(session, DELETE if keep_deleted else RESTORE, record)
        session.info["changelog.resolving"] = True
        record.deleted_at = (record.deleted_at or utcnow()) if keep_deleted else None
        flag_modified(record, "deleted_at")
        record.updated_by = ctx.actor.user_id


def _row_uuid(row_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(row_id).strip())
    except ValueError as exc:
        raise ResolveError(f"记录编号「{row_id}」格式不正确：请使用“sync conflicts”列出的完整编号。") from exc


AUDIT_COLUMNS = frozenset({"id", "created_at", "updated_at", "created_by", "updated_by", "deleted_at"})


def to_column_value(table: Any, field: str, value: Any, label: str) -> Any:
    """A value typed by a person (or taken from a competing version) as the column holds it."""
    import datetime as dt

    from sqlalchemy import JSON, Boolean, Date, Integer, Uuid

    from app.models.base import UTCDateTime

    column_type = table.columns[field].type
    if value is None or (isinstance(value, str) and value.strip() == "" and table.columns[field].nullable):
        return None
    try:
        if isinstance(column_type, Uuid):
            return uuid.UUID(str(value))
        if isinstance(column_type, UTCDateTime):
            return dt.datetime.fromisoformat(str(value))
        if isinstance(column_type, Date):
            return dt.date.fromisoformat(str(value))
        if isinstance(column_type, Boolean):
            if isinstance(value, bool):
                return value
            return {"true": True, "1": True, "是": True, "false": False, "0": False, "否": False}[str(value).strip().lower()]
        if isinstance(column_type, Integer):
            return int(value)
        if isinstance(column_type, JSON) and isinstance(value, str):
            import json

            return json.loads(value)
    except (ValueError, KeyError, TypeError) as exc:
        raise ResolveError(f"「{label}」的值「{value}」格式不正确。") from exc
    return value
