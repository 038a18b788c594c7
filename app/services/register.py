"""The findings register (问题台账) as a query: filters, sort order, row ids, pages of rows, an
overview for the dashboard and an Excel export.

Built for a register of 100,000 findings: a caller first asks for the ordered ids that match
(`matching_ids`), which is cheap to hold, then fetches the rows it is about to show by id
(`rows`), a page at a time. Everything returns plain frozen dataclasses, so the Qt table model, the
command line and the tests all read the same thing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from app.models import Finding, Inspection, Inspector, Rectification, ReferenceItem, Unit
from app.models.enums import FindingStatus, RectificationStatus, ReviewState, Severity, UserRole

from . import search
from .context import ServiceContext
from .crud import as_uuid
from .errors import ServiceError, ValidationError
from .reference import DISCIPLINE, DISPOSITION, FOUR_FORM, PROBLEM_CATEGORY

# The largest id list one `rows` call turns into an SQL IN (…): SQLite's default variable limit
# is far higher, but a page this size is already more than a screenful.
MAX_PAGE = 500


class Cancelled(ServiceError):
    """The user stopped a long operation; nothing half-done was left behind."""


@dataclass(frozen=True)
class RegisterFilter:
    """What the register shows. Empty fields do not filter."""

    inspection_id: uuid.UUID | None = None
    keyword: str = ""
    # A top-level category also matches its subcategories.
    category_code: str | None = None
    discipline_code: str | None = None
    status: str | None = None
    unit_id: uuid.UUID | None = None
    review_state: str | None = None
    four_form: str | None = None
    assignee_id: uuid.UUID | None = None

    def with_(self, **changes: Any) -> RegisterFilter:
        return replace(self, **changes)


@dataclass(frozen=True)
class RegisterRow:
    """One line of the register, as shown and exported."""

    id: uuid.UUID
    inspection_id: uuid.UUID
    inspection_name: str
    number: int
    title: str
    unit_name: str
    category_name: str
    discipline_name: str
    severity: str
    status: str
    review_state: str
    four_form_name: str
    disposition_name: str
    handler_name: str
    assignee_name: str
    found_on: dt.date | None
    updated_at: dt.datetime


_category = aliased(ReferenceItem, name="category")
_discipline = aliased(ReferenceItem, name="discipline")
_four_form = aliased(ReferenceItem, name="four_form")
_disposition = aliased(ReferenceItem, name="disposition")
_handler = aliased(Inspector, name="handler")
_assignee = aliased(Inspector, name="assignee")


def _reference_join(alias: Any, kind: str, column: Any) -> Any:
    return and_(alias.kind == kind, alias.code == column, alias.deleted_at.is_(None))


# Sort key → (the expression, the joins it needs). Reference lists sort in their canonical order
# (the order of the official lists), not by the codepoints of their Chinese names.
_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "number": (Finding.number, ()),
    "inspection": (Inspection.name, ("inspection",)),
    "title": (Finding.title, ()),
    "unit": (Unit.name, ("unit",)),
    "category": (_category.sort_order, ("category",)),
    "discipline": (_discipline.sort_order, ("discipline",)),
    "severity": (Finding.severity, ()),
    "status": (Finding.status, ()),
    "review_state": (Finding.review_state, ()),
    "four_form": (_four_form.sort_order, ("four_form",)),
    "assignee": (_assignee.name, ("assignee",)),
    "found_on": (Finding.found_on, ()),
    "updated_at": (Finding.updated_at, ()),
}
SORT_KEYS = tuple(_SORTS)

_JOINS: dict[str, tuple[Any, Any]] = {
    "inspection": (Inspection, Inspection.id == Finding.inspection_id),
    "unit": (Unit, Unit.id == Finding.unit_id),
    "category": (_category, _reference_join(_category, PROBLEM_CATEGORY, Finding.category_code)),
    "discipline": (_discipline, _reference_join(_discipline, DISCIPLINE, Finding.discipline_code)),
    "four_form": (_four_form, _reference_join(_four_form, FOUR_FORM, Finding.four_form)),
    "disposition": (_disposition, _reference_join(_disposition, DISPOSITION, Finding.disposition_code)),
    "handler": (_handler, _handler.id == Finding.handler_id),
    "assignee": (_assignee, _assignee.id == Finding.assignee_id),
}

# Severity codes sort by weight, not alphabetically.
_SEVERITY_ORDER = {code: i for i, code in enumerate(Severity.labels())}


def _category_codes(session: Session, code: str) -> list[str]:
    children = session.scalars(
        select(ReferenceItem.code).where(
            ReferenceItem.kind == PROBLEM_CATEGORY,
            ReferenceItem.parent_code == code,
            ReferenceItem.deleted_at.is_(None),
        )
    ).all()
    return [code, *children]


def _where(session: Session, filt: RegisterFilter) -> list[Any] | None:
    """The WHERE clauses of a filter; None when the keyword can match nothing at all."""
    clauses: list[Any] = [Finding.deleted_at.is_(None)]
    if filt.inspection_id is not None:
        clauses.append(Finding.inspection_id == as_uuid(filt.inspection_id))
    if filt.category_code:
        clauses.append(Finding.category_code.in_(_category_codes(session, filt.category_code)))
    for column, value in (
        (Finding.discipline_code, filt.discipline_code),
        (Finding.status, filt.status),
        (Finding.review_state, filt.review_state),
        (Finding.four_form, filt.four_form),
    ):
        if value:
            clauses.append(column == value)
    if filt.unit_id is not None:
        clauses.append(Finding.unit_id == as_uuid(filt.unit_id))
    if filt.assignee_id is not None:
        clauses.append(Finding.assignee_id == as_uuid(filt.assignee_id))
    if filt.keyword.strip():
        ids = search.matching_ids(session, filt.keyword, "finding")
        if ids is not None:
            clauses.append(Finding.id.in_(ids))
    return clauses


def _ordered_ids(session: Session, filt: RegisterFilter, sort: str, descending: bool) -> Select[Any]:
    if sort not in _SORTS:
        raise ValueError(f"unknown register sort key {sort!r}")
    expression, joins = _SORTS[sort]
    if sort == "severity":
        expression = case(_SEVERITY_ORDER, value=Finding.severity, else_=len(_SEVERITY_ORDER))
    stmt = select(Finding.id).select_from(Finding)
    for name in joins:
        target, on = _JOINS[name]
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(*_where(session, filt))
    primary = expression.desc() if descending else expression.asc()
    # Ties (and NULLs) keep a stable order, so paging never shows a row twice.
    tiebreak = (Finding.number.desc(), Finding.id.desc()) if descending else (Finding.number, Finding.id)
    nulls_last = expression.is_(None)
    return stmt.order_by(nulls_last, primary, *tiebreak)


def matching_ids(
    ctx: ServiceContext, filt: RegisterFilter, sort: str = "number", descending: bool = False
) -> list[uuid.UUID]:
    """Ids of every finding the filter shows, in display order."""
    with ctx.db.read() as session:
        return list(session.scalars(_ordered_ids(session, filt, sort, descending)))


def count(ctx: ServiceContext, filt: RegisterFilter) -> int:
    with ctx.db.read() as session:
        stmt = select(func.count()).select_from(Finding).where(*_where(session, filt))
        return int(session.scalar(stmt) or 0)


def _row_select() -> Select[Any]:
    stmt = select(
        Finding.id, Finding.inspection_id, Inspection.name, Finding.number, Finding.title, Unit.name,
        _category.name, _discipline.name, Finding.severity, Finding.status, Finding.review_state,
        _four_form.name, _disposition.name, _handler.name, _assignee.name, Finding.found_on, Finding.updated_at,
    ).select_from(Finding)
    for target, on in _JOINS.values():
        stmt = stmt.outerjoin(target, on)
    return stmt


def _to_row(r: Any) -> RegisterRow:
    return RegisterRow(
        id=r[0], inspection_id=r[1], inspection_name=r[2] or "", number=r[3], title=r[4], unit_name=r[5] or "",
        category_name=r[6] or "", discipline_name=r[7] or "", severity=r[8], status=r[9], review_state=r[10],
        four_form_name=r[11] or "", disposition_name=r[12] or "", handler_name=r[13] or "",
        assignee_name=r[14] or "", found_on=r[15], updated_at=r[16],
    )


def rows(ctx: ServiceContext, ids: Sequence[uuid.UUID]) -> list[RegisterRow]:
    """The rows of these findings, in the order given. Findings deleted meanwhile are left out."""
    found: dict[uuid.UUID, RegisterRow] = {}
    with ctx.db.read() as session:
        for start in range(0, len(ids), MAX_PAGE):
            chunk = [as_uuid(i) for i in ids[start : start + MAX_PAGE]]
            stmt = _row_select().where(Finding.id.in_(chunk), Finding.deleted_at.is_(None))
            for r in session.execute(stmt):
                found.setdefault(r[0], _to_row(r))
    return [found[as_uuid(i)] for i in ids if as_uuid(i) in found]


def page(
    ctx: ServiceContext, filt: RegisterFilter, sort: str = "number", descending: bool = False,
    offset: int = 0, limit: int = 100,
) -> list[RegisterRow]:
    """One page of the register by position (for the command line; the UI pages by id)."""
    with ctx.db.read() as session:
        ids = list(session.scalars(_ordered_ids(session, filt, sort, descending).offset(offset).limit(limit)))
    return rows(ctx, ids)


# --- the dashboard ------------------------------------------------------------------------------
# Which working papers wait for someone of this role: the 三审 step they can take next.
REVIEW_QUEUE: dict[str, tuple[str, ...]] = {
    UserRole.MEMBER: (ReviewState.RETURNED,),
    UserRole.DEPUTY: (ReviewState.SUBMITTED,),
    UserRole.LEADER: (ReviewState.DEPUTY_APPROVED,),
    UserRole.ADMIN: (ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED),
}


@dataclass(frozen=True)
class OverdueItem:
    rectification_id: uuid.UUID
    finding_id: uuid.UUID
    finding_number: int
    finding_title: str
    unit_name: str
    responsible_person: str
    deadline: dt.date
    days_overdue: int


@dataclass
class Overview:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_review_state: dict[str, int] = field(default_factory=dict)
    # Working papers waiting for the acting user's 三审 step (at most `limit` of them).
    awaiting_review: list[RegisterRow] = field(default_factory=list)
    awaiting_review_total: int = 0
    overdue: list[OverdueItem] = field(default_factory=list)
    overdue_total: int = 0


def overview(ctx: ServiceContext, inspection_id: uuid.UUID | str, *, on: dt.date | None = None, limit: int = 20) -> Overview:
    """Findings by status and review state, the acting user's review queue, overdue rectification."""
    inspection_id = as_uuid(inspection_id)
    on = on or dt.date.today()
    result = Overview()
    live = and_(Finding.inspection_id == inspection_id, Finding.deleted_at.is_(None))
    queue_states = REVIEW_QUEUE.get(ctx.actor.role, ())
    with ctx.db.read() as session:
        for column, target in ((Finding.status, result.by_status), (Finding.review_state, result.by_review_state)):
            for key, n in session.execute(select(column, func.count()).where(live).group_by(column)):
                target[key] = n
        result.total = sum(result.by_status.values())
        queue_ids = list(
            session.scalars(
                select(Finding.id).where(live, Finding.review_state.in_(queue_states)).order_by(Finding.number)
            )
        )
        result.awaiting_review_total = len(queue_ids)
        open_states = (RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS)
        late = and_(
            Rectification.inspection_id == inspection_id,
            Rectification.deleted_at.is_(None),
            Rectification.status.in_(open_states),
            Rectification.deadline < on,
        )
        result.overdue_total = int(session.scalar(select(func.count()).select_from(Rectification).where(late)) or 0)
        overdue_rows = session.execute(
            select(Rectification.id, Finding.id, Finding.number, Finding.title, Unit.name,
                   Rectification.responsible_person, Rectification.deadline)
            .join(Finding, Finding.id == Rectification.finding_id)
            .outerjoin(Unit, Unit.id == Rectification.unit_id)
            .where(late)
            .order_by(Rectification.deadline, Finding.number)
            .limit(limit)
        ).all()
    result.awaiting_review = rows(ctx, queue_ids[:limit])
    result.overdue = [
        OverdueItem(r[0], r[1], r[2], r[3], r[4] or "", r[5], r[6], (on - r[6]).days) for r in overdue_rows
    ]
    return result


# --- export -------------------------------------------------------------------------------------
Column = tuple[str, Callable[[RegisterRow], object]]

EXPORT_COLUMNS: tuple[Column, ...] = (
    ("问题编号", lambda r: r.number),
    ("巡察", lambda r: r.inspection_name),
    ("问题标题", lambda r: r.title),
    ("责任单位", lambda r: r.unit_name),
    ("问题类别", lambda r: r.category_name),
    ("违反纪律", lambda r: r.discipline_name),
    ("严重程度", lambda r: Severity.label_of(r.severity)),
    ("办理状态", lambda r: FindingStatus.label_of(r.status)),
    ("审核状态", lambda r: ReviewState.label_of(r.review_state)),
    ("四种形态", lambda r: r.four_form_name),
    ("处置方式", lambda r: r.disposition_name),
    ("承办人", lambda r: r.handler_name),
    ("经办人", lambda r: r.assignee_name),
    ("发现日期", lambda r: r.found_on),
)


def export_xlsx(
    ctx: ServiceContext,
    ids: Sequence[uuid.UUID],
    path: str | Path,
    *,
    columns: Sequence[Column] = EXPORT_COLUMNS,
    sheet_title: str = "问题台账",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write these findings, in this order, to an .xlsx file; returns the number of rows written.

    The file appears only when complete: it is written beside the target and moved into place, so
    a cancelled or failed export never leaves a truncated workbook under the user's chosen name.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("导出文件须以 .xlsx 结尾。")
    partial = path.with_name(path.name + ".partial")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title, _ in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    written = 0
    total = len(ids)
    try:
        for start in range(0, total, MAX_PAGE):
            if cancelled is not None and cancelled():
                raise Cancelled("已取消导出，未生成文件。")
            for row in rows(ctx, ids[start : start + MAX_PAGE]):
                sheet.append([_cell_value(getter(row)) for _, getter in columns])
                written += 1
            if progress is not None:
                progress(min(start + MAX_PAGE, total), total)
        try:
            workbook.save(partial)
            partial.replace(path)
        except OSError as exc:
            raise ValidationError(f"无法写入文件「{path}」：{exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return written


def _cell_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone().replace(tzinfo=None)
    if isinstance(value, (str, int, float, dt.date)):
        return value
    return str(value)


def units_with_findings(ctx: ServiceContext, inspection_id: uuid.UUID | str | None) -> list[tuple[uuid.UUID, str]]:
    """The units a register filter can offer: those that have findings in scope."""
    with ctx.db.read() as session:
        stmt = select(Unit.id, Unit.name).where(Unit.deleted_at.is_(None))
        scoped = select(Finding.unit_id).where(Finding.deleted_at.is_(None))
        if inspection_id is not None:
            scoped = scoped.where(Finding.inspection_id == as_uuid(inspection_id))
        stmt = stmt.where(Unit.id.in_(scoped.distinct())).order_by(Unit.name)
        return [(r[0], r[1]) for r in session.execute(stmt)]


__all__ = [
    "EXPORT_COLUMNS",
    "REVIEW_QUEUE",
    "SORT_KEYS",
    "Cancelled",
    "OverdueItem",
    "Overview",
    "RegisterFilter",
    "RegisterRow",
    "count",
    "export_xlsx",
    "matching_ids",
    "overview",
    "page",
    "rows",
    "units_with_findings",
]
