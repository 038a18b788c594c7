"""全覆盖: which units were inspected within the term, which are planned, which never were.

A unit counts as inspected when an inspection of it reached 进驻 (or any later stage) and began
within the term; one still at 制定方案 or 巡察公告 makes it planned. A 回头看 does not count: it
checks the rectification of an earlier inspection rather than inspecting the unit anew.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from app.models import Inspection, InspectionRound, InspectionUnit, Unit
from app.models.enums import InspectionKind, Stage, UnitKind
from app.services.context import ServiceContext

from .workdays import Term, term_in

INSPECTED, PLANNED, NEVER = "inspected", "planned", "never"
STATUS_LABELS = {INSPECTED: "已巡察", PLANNED: "已列入计划", NEVER: "未巡察"}
_NOT_STARTED = (Stage.PLAN, Stage.ANNOUNCE)


@dataclass
class UnitCoverage:
    unit_id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None
    parent_name: str
    status: str
    times_in_term: int = 0
    last_name: str = ""  # the latest inspection that counts (in the term, or before it)
    last_date: dt.date | None = None
    last_stage: str = ""
    last_round: str = ""
    last_kind: str = ""
    planned_name: str = ""

    @property
    def kind_label(self) -> str:
        return UnitKind.label_of(self.kind)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def last_text(self) -> str:
        """The latest inspection in a few words: 十二届市委第五轮巡察·常规巡察."""
        if not self.last_name:
            return ""
        return f"{self.last_round}·{self.last_kind}" if self.last_round else self.last_name


@dataclass
class KindCoverage:
    kind: str
    total: int = 0
    inspected: int = 0
    planned: int = 0

    @property
    def label(self) -> str:
        return UnitKind.label_of(self.kind)

    @property
    def never(self) -> int:
        return self.total - self.inspected - self.planned

    @property
    def rate(self) -> float:
        return self.inspected / self.total if self.total else 0.0


@dataclass
class CoverageReport:
    term: Term
    on: dt.date
    rows: list[UnitCoverage]
    by_kind: list[KindCoverage] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def rate(self) -> float:
        return self.count(INSPECTED) / len(self.rows) if self.rows else 0.0

    @property
    def summary(self) -> str:
        return (f"全覆盖周期 {self.term.label}：应巡察 {len(self.rows)} 个单位，已巡察 {self.count(INSPECTED)} 个"
                f"（覆盖率 {self.rate:.1%}），已列入计划 {self.count(PLANNED)} 个，尚未巡察 {self.count(NEVER)} 个。")


def inspection_date(start: dt.date | None, round_start: dt.date | None, round_year: int | None,
                    created: dt.datetime | None) -> dt.date | None:
    """When an inspection took place for coverage purposes: its own start, else its round's."""
    if start is not None:
        return start
    if round_start is not None:
        return round_start
    if round_year is not None:
        return dt.date(round_year, 1, 1)
    return created.date() if created is not None else None


def coverage(ctx: ServiceContext, *, on: dt.date | None = None, term: Term | None = None) -> CoverageReport:
    on = on or dt.date.today()
    with ctx.db.read() as session:
        term = term or term_in(session, on)
        units = list(session.scalars(select(Unit).where(Unit.deleted_at.is_(None))))
        visits = session.execute(
            select(InspectionUnit.unit_id, Inspection.name, Inspection.stage, Inspection.start_date,
                   Inspection.created_at, InspectionRound.start_date, InspectionRound.year, Inspection.kind,
                   InspectionRound.name)
            .join(Inspection, Inspection.id == InspectionUnit.inspection_id)
            .outerjoin(InspectionRound, InspectionRound.id == Inspection.round_id)
            .where(InspectionUnit.deleted_at.is_(None), Inspection.deleted_at.is_(None),
                   Inspection.kind != InspectionKind.FOLLOW_UP)
        ).all()
    names = {u.id: u.name for u in units}
    rows = {u.id: UnitCoverage(u.id, u.name, u.kind, u.parent_id, names.get(u.parent_id, "") if u.parent_id else "",
                               NEVER) for u in units}
    for unit_id, name, stage, start, created, round_start, round_year, kind, round_name in visits:
        row = rows.get(unit_id)
        if row is None:
            continue
        if stage in _NOT_STARTED:
            if row.status == NEVER:
                row.status = PLANNED
            row.planned_name = row.planned_name or name
            continue
        when = inspection_date(start, round_start, round_year, created)
        if when is None or when > term.end:
            continue
        if term.contains(when):
            row.times_in_term += 1
            row.status = INSPECTED
        if row.last_date is None or when > row.last_date:
            row.last_name, row.last_date, row.last_stage = name, when, Stage.label_of(stage)
            row.last_round, row.last_kind = round_name or "", InspectionKind.label_of(kind)
    ordered = sorted(rows.values(), key=lambda r: (_KIND_ORDER.get(r.kind, 99), r.parent_name, r.name))
    by_kind: dict[str, KindCoverage] = {}
    for row in ordered:
        k = by_kind.setdefault(row.kind, KindCoverage(row.kind))
        k.total += 1
        k.inspected += row.status == INSPECTED
        k.planned += row.status == PLANNED
    return CoverageReport(term, on, ordered, list(by_kind.values()))


_KIND_ORDER = {kind.value: n for n, kind in enumerate(UnitKind)}
