"""The create/read/update/soft-delete shape every entity service shares.

A subclass names its model, the Chinese labels of its fields, which fields are required, which
hold an enum or a reference-data code, and adds its own rules in `check`. Every rule lives in the
service, so the UI, the command line and sync imports all meet the same checks.
"""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import String, Text, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.collation import pinyin_key
from app.models import ReferenceItem, SyncedMixin, utcnow
from app.models.enums import LabelledEnum

from . import permissions
from .context import ServiceContext
from .errors import NotFoundError, PermissionDeniedError, StaleEditError, ValidationError

M = TypeVar("M", bound=SyncedMixin)

# Long enough for a day-long transcript; short enough that a pasted file cannot bloat the database.
MAX_TEXT_CHARS = 500_000
# Text columns whose order a person reads as a list of names.
_COLLATED = frozenset({"name", "username", "display_name", "interviewee_name", "subject_name", "reviewer_name"})
_AUDIT_FIELDS = frozenset({"id", "created_at", "updated_at", "created_by", "updated_by", "deleted_at"})
CREATE, UPDATE, DELETE, RESTORE = "create", "update", "delete", "restore"
_VERBS = {CREATE: "新建", UPDATE: "修改", DELETE: "删除", RESTORE: "恢复"}


def as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFoundError(f"编号格式不正确：{value}") from exc


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """Times typed by a user carry no zone: they are local time."""
    if value is None or value.tzinfo is not None:
        return value
    return value.astimezone()


class EntityService(Generic[M]):
    # A synced model (Base and SyncedMixin; mypy cannot spell the intersection).
    model: ClassVar[Any]
    noun: ClassVar[str] = "记录"
    labels: ClassVar[Mapping[str, str]] = {}
    required: ClassVar[Sequence[str]] = ()
    enums: ClassVar[Mapping[str, type[LabelledEnum]]] = {}
    reference_kinds: ClassVar[Mapping[str, str]] = {}
    default_order: ClassVar[Sequence[str]] = ("created_at",)
    # Who may write is decided by app.services.permissions (one table for every door, with the
    # columns that make a record someone's in app.models.ownership); a service names only the fields
    # no caller sets directly (each has its own operation).
    protected_fields: ClassVar[Mapping[str, str]] = {}

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # --- reading -------------------------------------------------------------------------------
    def get(self, record_id: uuid.UUID | str, *, include_deleted: bool = False) -> M:
        with self.ctx.db.read() as session:
            return self._get(session, record_id, include_deleted=include_deleted)

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def _visible(self, session: Session, stmt: Any) -> Any:
        """Keep only the rows of inspections the actor may read (members: their teams')."""
        visible = permissions.visible_inspections(session, self.ctx.actor)
        if visible is None:
            return stmt
        clause = permissions.visibility_clause(self.table, visible)
        return stmt if clause is None else stmt.where(clause)

    def list(
        self,
        *,
        include_deleted: bool = False,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        where: Iterable[ColumnElement[bool]] = (),
        **filters: Any,
    ) -> list[M]:
        stmt = self._select(include_deleted, where, filters)
        for name in order_by or self.default_order:
            column = getattr(self.model, name.lstrip("-"))
            stmt = stmt.order_by(column.desc() if name.startswith("-") else column)
        stmt = stmt.order_by(self.model.id).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.ctx.db.read() as session:
            rows = list(session.scalars(self._visible(session, stmt)))
        first = (order_by or self.default_order or ("",))[0]
        if limit is None and not offset and first.lstrip("-") in _COLLATED:
            # Names in pinyin order (the database can only sort by code point).
            name = first.lstrip("-")
            rows.sort(key=lambda r: pinyin_key(getattr(r, name)), reverse=first.startswith("-"))
        return rows

    def count(self, *, include_deleted: bool = False, where: Iterable[ColumnElement[bool]] = (), **filters: Any) -> int:
        # Keep the FROM: without a WHERE on the model's columns, `SELECT count(*)` would count one row.
        stmt = self._select(include_deleted, where, filters).with_only_columns(
            func.count(), maintain_column_froms=True
        ).order_by(None)
        with self.ctx.db.read() as session:
            return int(session.scalar(self._visible(session, stmt)) or 0)

    # --- writing -------------------------------------------------------------------------------
    def create(self, **values: Any) -> M:
        with self.ctx.write() as session:
            record = self.create_in(session, **values)
        return record

    def create_in(self, session: Session, **values: Any) -> M:
        """Create inside a caller's transaction (for use cases that write several records at once)."""
        clean = self._normalise(values)
        self._refuse_protected(clean)
        state = {**self._defaults(), **clean}
        self.check_permission(session, CREATE, None, state)
        self._check_all(session, state, None)
        record = self.model(**state)
        record.created_by = record.updated_by = self.ctx.actor.user_id
        self.before_insert(session, record)
        session.add(record)
        session.flush()
        self.after_write(session, record, None)
        return record

    def update(self, record_id: uuid.UUID | str, *, expected: Mapping[str, Any] | None = None, **values: Any) -> M:
        """Change fields of a record. `expected`: the values the caller started from (what its form
        showed) for the fields it writes; if another save changed one of them since, the update is
        refused (StaleEditError) instead of silently overwriting it, as a merge would call it a conflict."""
        with self.ctx.write() as session:
            record = self.update_in(session, record_id, expected=expected, **values)
        return record

    def update_in(self, session: Session, record_id: uuid.UUID | str, *, expected: Mapping[str, Any] | None = None,
                  **values: Any) -> M:
        record = self._get(session, record_id)
        if expected:
            self.check_unchanged(session, record, {k: v for k, v in expected.items() if k in values})
        return self.write_fields(session, record, values)

    def check_unchanged(self, session: Session, record: M, expected: Mapping[str, Any]) -> None:
        """Optimistic check, field by field, inside the writing transaction (writers are serialised,
        so nothing can change between this check and the write)."""
        base = self._normalise(expected)
        stale = [name for name, value in base.items() if not _same(getattr(record, name), value)]
        if not stale:
            return
        name = stale[0]
        who, when = _last_writer(session, self.table, record.id, name)
        by = f"已被{who}于{when}" if who else "已被他人"
        more = f"（另有{len(stale) - 1}项也已改动）" if len(stale) > 1 else ""
        raise StaleEditError(f"「{self.label(name)}」在您打开后{by}修改{more}，您的修改未保存，以免覆盖对方的修改。"
                             "请重新打开该记录，核对后再保存。", name)

    def write_fields(self, session: Session, record: M, values: Mapping[str, Any]) -> M:
        """Change fields of a record this session holds, with every rule of an update (a deleted
        record too: settling a conflict may touch one)."""
        self.check_permission(session, UPDATE, record)
        clean = self._normalise(values)
        self._refuse_protected(clean)
        before = {name: getattr(record, name) for name in clean}
        state = {name: getattr(record, name) for name in self._columns()} | clean
        if any(before[name] != clean[name] for name in clean):
            # A record moved to another inspection must be writable there too.
            self.check_permission(session, UPDATE, None, state)
        self._check_all(session, state, record)
        if all(before[name] == state[name] for name in clean):
            # Nothing changes: nothing is written, not even who "changed" it (the change log, which
            # records only real changes, must keep telling the whole truth about the row).
            return record
        for name in clean:
            # `check` may have normalised a value (e.g. de-duplicated a list): store what it checked.
            setattr(record, name, state[name])
        record.updated_by = self.ctx.actor.user_id
        session.flush()
        self.after_write(session, record, before)
        return record

    def delete(self, record_id: uuid.UUID | str) -> None:
        """Soft delete: the row stays, marked, so the delete syncs and can be undone."""
        with self.ctx.write() as session:
            record = self._get(session, record_id)
            self.check_permission(session, DELETE, record)
            self.check_delete(session, record)
            record.deleted_at = utcnow()
            record.updated_by = self.ctx.actor.user_id

    def restore(self, record_id: uuid.UUID | str) -> M:
        with self.ctx.write() as session:
            record = self._get(session, record_id, include_deleted=True)
            self.check_permission(session, RESTORE, record)
            record.deleted_at = None
            record.updated_by = self.ctx.actor.user_id
            state = {name: getattr(record, name) for name in self._columns()}
            self._check_all(session, state, record)
        return record

    # --- permissions ---------------------------------------------------------------------------
    def check_permission(self, session: Session, action: str, record: M | None,
                         state: Mapping[str, Any] | None = None) -> None:
        """Refuse a write the acting account may not make (app.services.permissions). Every
        create/update/delete/restore passes here, whoever calls the service (window, command line,
        conflict resolution, another service). `record`: the row as it is; `state`: the row as it
        would be (a new row)."""
        values = state if record is None else self.values_of(record)
        assert values is not None, "a new record's state is required"
        rule = self.rule(action, values)
        gate = permissions.Gate(session, self.ctx.actor)
        gate.require(rule, self.table, values, own=self.is_own(values))

    def rule(self, action: str, values: Mapping[str, Any]) -> permissions.Rule:
        return permissions.rule_for(self.table, action)

    def values_of(self, record: M) -> dict[str, Any]:
        return {c.key: getattr(record, c.key) for c in self.model.__table__.columns}

    def is_own(self, record: Any) -> bool:
        """Whether the acting user authored the record or it is assigned to their inspector entry."""
        values = record if isinstance(record, Mapping) else self.values_of(record)
        return permissions.is_own(self.ctx.actor, self.table, values)

    def can(self, action: str, record: M | None = None, state: Mapping[str, Any] | None = None) -> str | None:
        """Why the acting account may not do `action` on the record (None: it may): for disabling
        a button with a tooltip before anyone clicks it."""
        with self.ctx.db.read() as session:
            try:
                self.check_permission(session, action, record, state)
            except PermissionDeniedError as exc:
                return exc.message
        return None

    def _refuse_protected(self, values: Mapping[str, Any]) -> None:
        for name in values:
            if name in self.protected_fields:
                raise PermissionDeniedError(f"「{self.label(name)}」{self.protected_fields[name]}")

    # --- hooks for subclasses ------------------------------------------------------------------
    def check(self, session: Session, state: dict[str, Any], current: M | None) -> None:
        """Entity-specific rules over the record as it would be after the write."""

    def check_delete(self, session: Session, record: M) -> None:
        """Refuse a delete that would orphan something a user still needs."""

    def before_insert(self, session: Session, record: M) -> None:
        """Fill derived fields (numbers, copies) just before a new record is added."""

    def after_write(self, session: Session, record: M, before: dict[str, Any] | None) -> None:
        """React to a write in the same transaction."""

    # --- helpers -------------------------------------------------------------------------------
    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def _columns(self) -> builtins.list[str]:  # `list` here is the method above
        return [c.key for c in self.model.__table__.columns]

    def _defaults(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for column in self.model.__table__.columns:
            if column.key in _AUDIT_FIELDS or column.default is None:
                continue
            arg = column.default.arg
            defaults[column.key] = arg({}) if callable(arg) else arg
        return defaults

    def _select(self, include_deleted: bool, where: Iterable[ColumnElement[bool]], filters: dict[str, Any]):
        stmt = select(self.model)
        if not include_deleted:
            stmt = stmt.where(self.model.deleted_at.is_(None))
        for name, value in filters.items():
            column = getattr(self.model, name, None)
            if column is None:
                raise ValueError(f"{self.model.__name__} has no field {name!r}")
            if isinstance(value, (list, tuple, set, frozenset)):
                stmt = stmt.where(column.in_(list(value)))
            elif value is None:
                stmt = stmt.where(column.is_(None))
            else:
                stmt = stmt.where(column == value)
        for clause in where:
            stmt = stmt.where(clause)
        return stmt

    def _get(self, session: Session, record_id: uuid.UUID | str, *, include_deleted: bool = False) -> M:
        record = session.get(self.model, as_uuid(record_id))
        if record is None or (record.deleted_at is not None and not include_deleted) or not self._readable(session, record):
            raise NotFoundError(f"找不到该{self.noun}，可能已被删除。")
        return record

    def _readable(self, session: Session, record: M) -> bool:
        visible = permissions.visible_inspections(session, self.ctx.actor)
        if visible is None:
            return True
        bound, inspection_id = permissions.inspection_of(session, self.table, self.values_of(record))
        return not bound or inspection_id in visible

    def _normalise(self, values: Mapping[str, Any]) -> dict[str, Any]:
        columns = self.model.__table__.columns
        clean: dict[str, Any] = {}
        for name, value in values.items():
            if name in _AUDIT_FIELDS or name not in columns:
                raise ValueError(f"{self.model.__name__}: field {name!r} cannot be set")
            if isinstance(value, str):
                value = value.strip()
                if value == "" and columns[name].nullable:
                    value = None
            elif isinstance(value, dt.datetime):
                value = aware(value)
            clean[name] = value
        return clean

    def _check_all(self, session: Session, state: dict[str, Any], current: M | None) -> None:
        for name in self.required:
            value = state.get(name)
            if value is None or (isinstance(value, (str, list)) and not value):
                raise ValidationError(f"请填写「{self.label(name)}」。", name)
        for column in self.model.__table__.columns:
            value = state.get(column.key)
            if not isinstance(value, str):
                continue
            limit = column.type.length if isinstance(column.type, String) and column.type.length else None
            if isinstance(column.type, Text):
                limit = MAX_TEXT_CHARS
            if limit is not None and len(value) > limit:
                raise ValidationError(
                    f"「{self.label(column.key)}」不能超过 {limit} 个字（现有 {len(value)} 个字）。", column.key
                )
        # Codes are checked when they are being set: a stored code from a newer version (or a
        # reference entry removed since) must not stop an edit of another field.
        changed = set(state) if current is None else {n for n in state if state[n] != getattr(current, n, None)}
        for name, enum in self.enums.items():
            value = state.get(name)
            if name in changed and value is not None and value not in enum.labels():
                raise ValidationError(f"「{self.label(name)}」的取值「{value}」无效。", name)
        for name, kind in self.reference_kinds.items():
            value = state.get(name)
            if name in changed and value is not None and not reference_code_exists(session, kind, value):
                raise ValidationError(f"「{self.label(name)}」的取值「{value}」不在参考目录中。", name)
        self.check(session, state, current)


def reference_code_exists(session: Session, kind: str, code: str) -> bool:
    stmt = select(ReferenceItem.id).where(
        ReferenceItem.kind == kind, ReferenceItem.code == code, ReferenceItem.deleted_at.is_(None)
    )
    return session.scalar(stmt.limit(1)) is not None


def require_exists(session: Session, model: type, record_id: Any, what: str, field: str) -> Any:
    """Check that a referenced record exists and is not deleted; return it."""
    record = session.get(model, as_uuid(record_id))
    if record is None or record.deleted_at is not None:
        raise ValidationError(f"所选{what}不存在或已被删除。", field)
    return record


def _same(stored: Any, shown: Any) -> bool:
    """Whether the stored value is the one a form showed (a form may hold ids as text, or None as '')."""
    if stored == shown:
        return True
    if stored in (None, "", []) and shown in (None, "", []):
        return True
    if isinstance(stored, list) and isinstance(shown, list | tuple):
        return [str(v) for v in stored] == [str(v) for v in shown]
    if isinstance(stored, uuid.UUID | dt.date) or isinstance(shown, uuid.UUID | dt.date):
        return str(stored) == str(shown)
    return False


def _last_writer(session: Session, table: str, row_id: uuid.UUID, name: str) -> tuple[str | None, str]:
    """Who last wrote a field of a row, and when (local time), from the change log."""
    from app.models import ChangeEvent

    events = session.execute(
        select(ChangeEvent.author_name, ChangeEvent.recorded_at, ChangeEvent.fields)
        .where(ChangeEvent.table_name == table, ChangeEvent.row_id == row_id)
        .order_by(ChangeEvent.hlc.desc()).limit(50)
    ).all()
    for author, at, fields in events:
        if name in (fields or {}):
            return author or "（未署名）", at.astimezone().strftime("%m月%d日 %H:%M")
    return None, ""
