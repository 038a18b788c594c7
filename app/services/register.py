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

from sqlalchemy import Select, String, and_, case, func, null, select, type_coerce
from sqlalchemy.orm import Session, aliased

from app.models import Finding, Inspection, Inspector, Rectification, ReferenceItem, SearchDoc, Unit
from app.models.enums import FindingStatus, LabelledEnum, RectificationStatus, ReviewState, Severity, UserRole

from . import deadline, permissions, search
from .context import ServiceContext
from .crud import as_uuid
from .errors import ServiceError, ValidationError
from .reference import DISCIPLINE, DISPOSITION, FOUR_FORM, PROBLEM_CATEGORY

# The largest id list one `rows` call turns into an SQL IN (…): SQLite's default variable limit
# is far higher, but a page this size is already more than a screenful.
MAX_PAGE = 500

# How long the first screen waits for the exact number of matches (see `first_rows`): an index-only
# count of 100,000 findings takes 9–10 ms warm on the bench's laptop and 185–230 ms from a cold disk.
COUNT_WITHIN_S = 0.06

# How far down the keyword index's id order (every kind of record) a word's first page is looked
# for before every match is listed instead (`_docs_page`). The walk tests each record against the
# word's matches, 5–12 ms for 20,000 on the bench's laptop; listing looks each match up and sorts
# them, ~30 ms for 7,806 (违反中央八项规定 in 8 % of 100,000 findings).
PAGE_REACH = 20_000

# A finding id as the database driver returns it (see `matching_ids`).
Key = str | uuid.UUID


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
    # Only these inspections: the acting account's teams' (set by the service, see `_readable`).
    within: frozenset[uuid.UUID] | None = None

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


# Sort key → (the expression, the joins it needs). "created" is the primary key: ids are
# time-ordered UUIDv7, so newest-first needs no sort at all.
_SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "created": (Finding.id, ()),
    "number": (Finding.number, ()),
    "inspection": (Inspection.name, ("inspection",)),
    "title": (Finding.title, ()),
    "unit": (Unit.name, ("unit",)),
    "category": (Finding.category_code, ()),
    "discipline": (Finding.discipline_code, ()),
    "severity": (Finding.severity, ()),
    "status": (Finding.status, ()),
    "review_state": (Finding.review_state, ()),
    "four_form": (Finding.four_form, ()),
    "assignee": (_assignee.name, ("assignee",)),
    "found_on": (Finding.found_on, ()),
    "updated_at": (Finding.updated_at, ()),
}
# Reference lists sort in their canonical order (the order of the official lists), not by code or
# by the codepoints of their Chinese names; enums sort in their workflow order.
_REFERENCE_SORTS = {"category": PROBLEM_CATEGORY, "discipline": DISCIPLINE, "four_form": FOUR_FORM}
_ENUM_SORTS = {"severity": Severity, "status": FindingStatus, "review_state": ReviewState}
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

def _category_codes(session: Session, code: str) -> list[str]:
    children = session.scalars(
        select(ReferenceItem.code).where(
            ReferenceItem.kind == PROBLEM_CATEGORY,
            ReferenceItem.parent_code == code,
            ReferenceItem.deleted_at.is_(None),
        )
    ).all()
    return [code, *children]


def _live(session: Session) -> Any:
    # Wrapped on SQLite on purpose: without statistics its planner takes `deleted_at IS NULL` for a
    # selective index lookup and walks the whole deleted_at index (every row is live) instead of
    # using the inspection, status or primary-key index the query really needs. PostgreSQL has
    # statistics, and the wrapper would hide them: it took the condition for rare and sorted every
    # finding instead of reading the newest from the primary key (150 ms for 1,000 of 100,000).
    if session.get_bind().dialect.name == "postgresql":
        return Finding.deleted_at.is_(None)
    return func.coalesce(Finding.deleted_at, null()).is_(None)


def _readable(session: Session, ctx: ServiceContext, filt: RegisterFilter) -> RegisterFilter:
    """The filter narrowed to what the acting account may read (members: their teams' inspections)."""
    visible = permissions.visible_inspections(session, ctx.actor)
    return filt if visible is None else filt.with_(within=frozenset(visible))


def _where(session: Session, filt: RegisterFilter) -> list[Any]:
    clauses: list[Any] = [_live(session)]
    if filt.inspection_id is not None:
        clauses.append(Finding.inspection_id == as_uuid(filt.inspection_id))
    if filt.within is not None:
        clauses.append(Finding.inspection_id.in_(sorted(filt.within)))
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
    docs = search.matching_docs(session, filt.keyword)
    if docs is not None:
        # The match conditions straight on search_docs, one subquery deep: SQLite then drives the
        # query from the keyword index and looks findings up by primary key.
        matched = select(SearchDoc.entity_id).where(SearchDoc.entity == "finding")
        if docs.whereclause is not None:
            matched = matched.where(docs.whereclause)
        clauses.append(Finding.id.in_(matched))
    return clauses


def _ordered_ids(session: Session, filt: RegisterFilter, sort: str, descending: bool) -> Select[Any]:
    if sort not in _SORTS:
        raise ValueError(f"unknown register sort key {sort!r}")
    expression, joins = _SORTS[sort]
    if sort in _REFERENCE_SORTS or sort in _ENUM_SORTS:
        # A CASE over the few codes instead of a join per row: sorting 100,000 findings by
        # category stays a plain in-memory sort.
        if sort in _REFERENCE_SORTS:
            codes = session.scalars(
                select(ReferenceItem.code)
                .where(ReferenceItem.kind == _REFERENCE_SORTS[sort], ReferenceItem.deleted_at.is_(None))
                .order_by(ReferenceItem.sort_order, ReferenceItem.code)
            ).all()
        else:
            codes = list(_ENUM_SORTS[sort].labels())
        order = {code: n for n, code in enumerate(codes)}
        if order:
            expression = case(order, value=expression, else_=len(order))
    stmt = select(Finding.id).select_from(Finding)
    for name in joins:
        target, on = _JOINS[name]
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(*_where(session, filt))
    primary = expression.desc() if descending else expression.asc()
    if sort == "created":
        return stmt.order_by(primary)
    # Ties (and empty values, last) keep a stable order, so paging never shows a row twice.
    tiebreak = (Finding.number.desc(), Finding.id.desc()) if descending else (Finding.number, Finding.id)
    nullable = sort not in ("number", "title", "updated_at", *_ENUM_SORTS)
    return stmt.order_by(*((expression.is_(None),) if nullable else ()), primary, *tiebreak)


def opening_order(filt: RegisterFilter) -> tuple[str, bool]:
    """(sort key, descending) the register opens in before a person picks a column: one inspection's
    findings by number; every inspection's newest first, which the time-ordered primary key gives
    without a sort (by number over 100,000 findings would scan and sort them all)."""
    return ("number", False) if filt.inspection_id is not None else ("created", True)


def _key_select(session: Session, filt: RegisterFilter, sort: str, descending: bool) -> Select[Any]:
    """The keys of the matching findings, in display order, as the driver returns them."""
    docs = _docs_select(session, filt, descending) if sort == "created" else None
    if docs is not None:
        return docs
    return _ordered_ids(session, filt, sort, descending).with_only_columns(type_coerce(Finding.id, String))


def _docs_select(session: Session, filt: RegisterFilter, descending: bool, *, walk: bool = False) -> Select[Any] | None:
    """A keyword alone, in creation order: the keys straight from the keyword index, or None when
    the filter is more than that. The index holds only live records (its triggers drop deleted
    ones) under the same time-ordered ids, so the findings table need not be touched at all.
    `walk`: see `search.matching_docs`."""
    only_keyword = filt == RegisterFilter(inspection_id=filt.inspection_id, keyword=filt.keyword, within=filt.within)
    docs = search.matching_docs(session, filt.keyword, walk=walk) if only_keyword else None
    if docs is None:
        return None
    stmt = select(type_coerce(SearchDoc.entity_id, String)).where(SearchDoc.entity == "finding")
    if docs.whereclause is not None:
        stmt = stmt.where(docs.whereclause)
    if filt.inspection_id is not None:
        stmt = stmt.where(SearchDoc.inspection_id == as_uuid(filt.inspection_id))
    if filt.within is not None:
        stmt = stmt.where(SearchDoc.inspection_id.in_(sorted(filt.within)))
    return stmt.order_by(SearchDoc.entity_id.desc() if descending else SearchDoc.entity_id)


def matching_ids(
    ctx: ServiceContext, filt: RegisterFilter, sort: str = "number", descending: bool = False
) -> list[Key]:
    """Keys of every finding the filter shows, in display order.

    Keys are the ids as the driver returns them (hex text on SQLite): turning 100,000 of them into
    UUID objects would cost more than the query. `rows` and `as_uuid` accept them as they are.
    """
    with ctx.db.read() as session:
        filt = _readable(session, ctx, filt)
        return list(session.scalars(_key_select(session, filt, sort, descending)))


def count(ctx: ServiceContext, filt: RegisterFilter) -> int:
    with ctx.db.read() as session:
        filt = _readable(session, ctx, filt)
        stmt = select(func.count()).select_from(Finding).where(*_where(session, filt))
        return int(session.scalar(stmt) or 0)


@dataclass(frozen=True)
class FirstRows:
    """What a register shows first: how many findings match, and the first screenful of them.
    `keys` holds every matching key when listing them all was the cheaper way to count. When
    `exact` is False, `total` is only a lower bound (a word in most findings: counting them all
    would cost more than the page) and `matching_ids` gives the full answer."""

    total: int
    rows: list[RegisterRow]
    keys: list[Key] | None = None
    exact: bool = True


def first_rows(
    ctx: ServiceContext, filt: RegisterFilter, sort: str = "number", descending: bool = False, limit: int = 100
) -> FirstRows:
    """The count and the first rows, cheap enough to answer a keystroke; `matching_ids` can follow
    in the background for scrolling further.

    Without a keyword, a LIMIT query and an index-only count avoid listing 100,000 keys before the
    first row is shown; a count that takes longer than COUNT_WITHIN_S (a cold disk) is left to the
    keys that follow, the total meanwhile a lower bound. With a keyword, see
    `_first_rows_with_keyword`.
    """
    with ctx.db.read() as session:
        filt = _readable(session, ctx, filt)
        if filt.keyword.strip():
            return _first_rows_with_keyword(session, filt, sort, descending, limit)
        ids = list(session.scalars(_ordered_ids(session, filt, sort, descending).limit(limit)))
        found = _fetch_rows(session, ids)
        total, exact = len(ids), True
        if len(ids) == limit:
            counted = deadline.scalar_within(
                session, select(func.count()).select_from(Finding).where(*_where(session, filt)), COUNT_WITHIN_S)
            total, exact = (int(counted), True) if counted is not None else (len(ids), False)
    rows_ = [found[i] for i in ids if i in found]
    return FirstRows(total=total, rows=rows_, keys=list(ids) if exact and total <= len(ids) else None, exact=exact)


def _first_rows_with_keyword(session: Session, filt: RegisterFilter, sort: str, descending: bool,
                             limit: int) -> FirstRows:
    """A word in most findings fills the first page from the first rows in display order
    (`_keyword_window`); one in a few percent of them, in creation order, from a walk down the
    keyword index's ids (`_docs_page`). The count is then what those rows hold, a lower bound.
    Otherwise the matches come from the keyword index and are few enough to list in one pass (a
    LIMIT query and a count would each redo the index lookup)."""
    sample = _keyword_window(session, filt, sort, descending, limit)
    window = sample.answer(limit)
    if window is None and sort == "created" and _worth_walking(filt, sample, limit):
        window = _docs_page(session, filt, descending, limit)
    if window is not None:
        keys, exact = window
    else:
        keys, exact = list(session.scalars(_key_select(session, filt, sort, descending))), True
    ids = [as_uuid(k) for k in keys[:limit]]
    found = _fetch_rows(session, ids)
    return FirstRows(total=len(keys), rows=[found[i] for i in ids if i in found], keys=keys if exact else None,
                     exact=exact)


def _keyword_window(session: Session, filt: RegisterFilter, sort: str, descending: bool,
                    limit: int) -> search.WindowRead:
    """The matches among the first findings the other filters show, in display order: the page
    when they fill it, or all of them (`search.read_window`)."""
    stmt = (_ordered_ids(session, filt.with_(keyword=""), sort, descending)
            .outerjoin(SearchDoc, SearchDoc.entity_id == Finding.id)
            # Keys as text: a thousand UUID objects would cost more than reading the rows.
            .with_only_columns(type_coerce(Finding.id, String), func.coalesce(SearchDoc.body, "")))
    with search.window(session, stmt) as rows:
        return search.read_window(rows, search.split_terms(filt.keyword), limit)


def _worth_walking(filt: RegisterFilter, sample: search.WindowRead, limit: int) -> bool:
    """Whether the word's rate in the window promises two pages among the PAGE_REACH records a walk
    reads (`_docs_page`): else the walk is time added to listing every match (a word in 31 findings:
    6 → 14 ms). A member's inspections are a small part of those records: not walked."""
    return (filt.within is None and filt.inspection_id is None
            and len(sample.found) * PAGE_REACH >= 2 * limit * sample.read)


def _docs_page(session: Session, filt: RegisterFilter, descending: bool, limit: int) -> tuple[list[Key], bool] | None:
    """The first `limit` keys of a keyword-only answer in creation order (and False: they are not
    known to be all of them), when they lie among the PAGE_REACH records nearest that end of the
    keyword index; None when fewer than a page are there (then listing every match costs less than
    walking on), and on a small index or a server, where every match is listed and counted at once."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    stmt = _docs_select(session, filt, descending, walk=True)
    if stmt is None:
        return None
    order = SearchDoc.entity_id.desc() if descending else SearchDoc.entity_id
    edge = session.scalar(select(SearchDoc.entity_id).order_by(order).offset(PAGE_REACH - 1).limit(1))
    if edge is None:
        return None
    keys = list(session.scalars(
        stmt.where(SearchDoc.entity_id >= edge if descending else SearchDoc.entity_id <= edge).limit(limit)))
    return (keys, False) if len(keys) == limit else None


def _row_select() -> Select[*tuple[Any, ...]]:
    stmt = select(
        Finding.id, Finding.inspection_id, Inspection.name, Finding.number, Finding.title, Unit.name,
        _category.name, _discipline.name, Finding.severity, Finding.status, Finding.review_state,
        _four_form.name, _disposition.name, _handler.name, _assignee.name, Finding.found_on, Finding.updated_at,
        Finding.deleted_at,
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


def _fetch_rows(session: Session, ids: Sequence[uuid.UUID],
                within: frozenset[uuid.UUID] | None = None) -> dict[uuid.UUID, RegisterRow]:
    found: dict[uuid.UUID, RegisterRow] = {}
    for start in range(0, len(ids), MAX_PAGE):
        chunk = ids[start : start + MAX_PAGE]
        # Deleted rows are dropped here rather than in SQL, so SQLite looks the ids up by primary
        # key instead of walking the deleted_at index.
        for r in session.execute(_row_select().where(Finding.id.in_(chunk))):
            if r[17] is None and (within is None or r[1] in within):
                found.setdefault(r[0], _to_row(r))
    return found


def rows(ctx: ServiceContext, ids: Sequence[Key]) -> list[RegisterRow]:
    """The rows of these findings, in the order given. Findings deleted meanwhile are left out."""
    wanted = [as_uuid(i) for i in ids]
    with ctx.db.read() as session:
        found = _fetch_rows(session, wanted, _readable(session, ctx, RegisterFilter()).within)
    return [found[i] for i in wanted if i in found]


def page(
    ctx: ServiceContext, filt: RegisterFilter, sort: str = "number", descending: bool = False,
    offset: int = 0, limit: int = 100,
) -> list[RegisterRow]:
    """One page of the register by position (for the command line; the UI pages by id)."""
    with ctx.db.read() as session:
        filt = _readable(session, ctx, filt)
        ids = list(session.scalars(_ordered_ids(session, filt, sort, descending).offset(offset).limit(limit)))
        found = _fetch_rows(session, ids)
    return [found[i] for i in ids if i in found]


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
        within = _readable(session, ctx, RegisterFilter()).within
        if within is not None and inspection_id not in within:
            return result
        for column, target in ((Finding.status, result.by_status), (Finding.review_state, result.by_review_state)):
            for key, n in session.execute(select(column, func.count()).where(live).group_by(column)):
                target[key] = n
        result.total = sum(result.by_status.values())
        queue = select(Finding.id).where(live, Finding.review_state.in_(queue_states))
        inspector_id = getattr(ctx.actor, "inspector_id", None)
        if ctx.actor.role == UserRole.MEMBER and inspector_id is not None:
            # A member's queue is their own papers sent back to them.
            queue = queue.where((Finding.handler_id == inspector_id) | (Finding.assignee_id == inspector_id))
        queue_ids = list(session.scalars(queue.order_by(Finding.number)))
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


@dataclass(frozen=True)
class RegisterField:
    """One column of the register, for the window and the Excel export alike (defined once, so the
    export shows what the window shows, in its order)."""

    key: str  # the column's stable name; its sort key when `sortable`
    header: str  # in Chinese; the window translates it
    value: Callable[[RegisterRow], object]  # what the cell holds: a code for `labels`, else the value
    labels: type[LabelledEnum] | None = None
    sortable: bool = True

    def shown(self, row: RegisterRow) -> object:
        """The cell as the export writes it (enum codes as their Chinese labels)."""
        value = self.value(row)
        return self.labels.label_of(value) if self.labels is not None and isinstance(value, str) else value


REGISTER_FIELDS: tuple[RegisterField, ...] = (
    RegisterField("number", "问题编号", lambda r: r.number),
    RegisterField("title", "问题标题", lambda r: r.title),
    RegisterField("review_state", "审核状态", lambda r: r.review_state, ReviewState),
    RegisterField("status", "办理状态", lambda r: r.status, FindingStatus),
    RegisterField("unit", "责任单位", lambda r: r.unit_name),
    RegisterField("category", "问题类别", lambda r: r.category_name),
    RegisterField("discipline", "违反纪律", lambda r: r.discipline_name),
    RegisterField("severity", "严重程度", lambda r: r.severity, Severity),
    RegisterField("four_form", "四种形态", lambda r: r.four_form_name),
    RegisterField("disposition", "处置方式", lambda r: r.disposition_name, sortable=False),
    RegisterField("handler", "承办人", lambda r: r.handler_name, sortable=False),
    RegisterField("assignee", "经办人", lambda r: r.assignee_name),
    RegisterField("found_on", "发现日期", lambda r: r.found_on),
    RegisterField("inspection", "所属巡察", lambda r: r.inspection_name),
)
assert all(f.key in _SORTS for f in REGISTER_FIELDS if f.sortable)

EXPORT_COLUMNS: tuple[Column, ...] = tuple((f.header, f.shown) for f in REGISTER_FIELDS)


@dataclass(frozen=True)
class ExportItem:
    """One rectification item of a finding, as the register's export shows it."""

    measures: str
    deadline: dt.date
    responsible_person: str
    progress: str
    status: str
    closed_on: dt.date | None


@dataclass(frozen=True)
class ExportDetails:
    """What the export adds to a register row: the full 问题现象 and the finding's rectification."""

    facts: str
    items: tuple[ExportItem, ...] = ()


def _numbered(texts: Sequence[str]) -> str:
    texts = [t for t in texts if t]
    if len(texts) <= 1:
        return texts[0] if texts else ""
    return "\n".join(f"{n}. {t}" for n, t in enumerate(texts, start=1))


def _deadlines(d: ExportDetails) -> object:
    days = sorted({i.deadline for i in d.items})
    # One deadline stays a date cell (it sorts and filters as one); several are listed.
    if len(days) == 1:
        return days[0]
    return "；".join(day.isoformat() for day in days)


def _close_out(d: ExportDetails) -> str:
    if not d.items:
        return ""
    closed = [i for i in d.items if i.status == RectificationStatus.CLOSED]
    if len(closed) == len(d.items):
        last = max((i.closed_on for i in closed if i.closed_on), default=None)
        return f"已销号（{last.isoformat()}）" if last else "已销号"
    if closed:
        return f"已销号{len(closed)}项，共{len(d.items)}项"
    waiting = sum(1 for i in d.items if i.status == RectificationStatus.COMPLETED)
    return f"未销号（{waiting}项待审核）" if waiting else "未销号"


DetailColumn = tuple[str, Callable[[ExportDetails], object]]

# Always exported after the register's own columns: what offices asked to see beside each problem.
DETAIL_COLUMNS: tuple[DetailColumn, ...] = (
    ("问题现象", lambda d: d.facts),
    ("整改措施", lambda d: _numbered([i.measures for i in d.items])),
    ("整改时限", _deadlines),
    ("责任人", lambda d: "、".join(dict.fromkeys(i.responsible_person for i in d.items if i.responsible_person))),
    ("整改进展", lambda d: _numbered([i.progress for i in d.items])),
    ("销号情况", _close_out),
)
_DETAIL_WIDTHS = (60, 40, 14, 12, 40, 18)


def export_details(ctx: ServiceContext, ids: Sequence[Key]) -> dict[uuid.UUID, ExportDetails]:
    """The full facts and the live rectification items of these findings (at most MAX_PAGE per query)."""
    wanted = [as_uuid(i) for i in ids]
    facts: dict[uuid.UUID, str] = {}
    items: dict[uuid.UUID, list[ExportItem]] = {}
    with ctx.db.read() as session:
        for start in range(0, len(wanted), MAX_PAGE):
            chunk = wanted[start : start + MAX_PAGE]
            facts.update(session.execute(select(Finding.id, Finding.facts).where(Finding.id.in_(chunk))).all())
            for r in session.execute(
                select(Rectification.finding_id, Rectification.measures, Rectification.deadline,
                       Rectification.responsible_person, Rectification.progress, Rectification.status,
                       Rectification.closed_on)
                .where(Rectification.finding_id.in_(chunk), Rectification.deleted_at.is_(None))
                .order_by(Rectification.deadline, Rectification.id)
            ):
                items.setdefault(r[0], []).append(ExportItem(r[1], r[2], r[3] or "", r[4] or "", r[5], r[6]))
    return {i: ExportDetails(facts.get(i) or "", tuple(items.get(i, ()))) for i in wanted}


def export_xlsx(
    ctx: ServiceContext,
    ids: Sequence[Key],
    path: str | Path,
    *,
    columns: Sequence[Column] = EXPORT_COLUMNS,
    detail_columns: Sequence[DetailColumn] = DETAIL_COLUMNS,
    sheet_title: str = "问题台账",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write these findings, in this order, to an .xlsx file; returns the number of rows written.

    The given columns come first, then `detail_columns` (问题现象, 整改措施 …). Every value is written
    as data: text that looks like a formula stays text (app.reports.spreadsheet).

    The file appears only when complete: it is written beside the target and moved into place, so
    a cancelled or failed export never leaves a truncated workbook under the user's chosen name.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from app.reports.spreadsheet import write_only_cell, write_only_row

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("导出文件须以 .xlsx 结尾。")
    partial = path.with_name(path.name + ".partial")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    for n, width in enumerate(_DETAIL_WIDTHS, start=len(columns) + 1):
        if n <= len(columns) + len(detail_columns):
            sheet.column_dimensions[get_column_letter(n)].width = width
    bold = Font(bold=True)
    centred = Alignment(horizontal="center")
    sheet.append([write_only_cell(sheet, title, font=bold, alignment=centred)
                  for title in [*(c[0] for c in columns), *(c[0] for c in detail_columns)]])
    written = 0
    total = len(ids)
    saved = False
    try:
        for start in range(0, total, MAX_PAGE):
            if cancelled is not None and cancelled():
                raise Cancelled("已取消导出，未生成文件。")
            page_rows = rows(ctx, ids[start : start + MAX_PAGE])
            details = export_details(ctx, [r.id for r in page_rows]) if detail_columns else {}
            for row in page_rows:
                extra = details.get(row.id, ExportDetails(""))
                sheet.append(write_only_row(sheet, [*(getter(row) for _, getter in columns),
                                                    *(getter(extra) for _, getter in detail_columns)]))
                written += 1
            if progress is not None:
                progress(min(start + MAX_PAGE, total), total)
        try:
            workbook.save(partial)
            saved = True
            partial.replace(path)
        except OSError as exc:
            raise ValidationError(f"无法写入文件「{path}」：{exc.strerror or exc}") from exc
    finally:
        if not saved:
            # Finish the sheet's temporary file now rather than when garbage collected.
            sheet.close()
        partial.unlink(missing_ok=True)
    return written


def units_with_findings(ctx: ServiceContext, inspection_id: uuid.UUID | str | None) -> list[tuple[uuid.UUID, str]]:
    """The units a register filter can offer: those that have findings in scope."""
    with ctx.db.read() as session:
        stmt = select(Unit.id, Unit.name).where(Unit.deleted_at.is_(None))
        scoped = select(Finding.unit_id).where(Finding.deleted_at.is_(None))
        within = _readable(session, ctx, RegisterFilter()).within
        if within is not None:
            scoped = scoped.where(Finding.inspection_id.in_(sorted(within)))
        if inspection_id is not None:
            scoped = scoped.where(Finding.inspection_id == as_uuid(inspection_id))
        stmt = stmt.where(Unit.id.in_(scoped.distinct())).order_by(Unit.name)
        return [(r[0], r[1]) for r in session.execute(stmt)]


__all__ = [
    "DETAIL_COLUMNS",
    "EXPORT_COLUMNS",
    "REGISTER_FIELDS",
    "RegisterField",
    "ExportDetails",
    "FirstRows",
    "Key",
    "REVIEW_QUEUE",
    "SORT_KEYS",
    "Cancelled",
    "OverdueItem",
    "Overview",
    "RegisterFilter",
    "RegisterRow",
    "count",
    "export_details",
    "export_xlsx",
    "first_rows",
    "matching_ids",
    "overview",
    "page",
    "rows",
    "units_with_findings",
]
