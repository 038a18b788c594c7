"""The 整改台账 exchanged with an inspected unit: the 三张清单 out, the unit's progress back in.

Export writes one workbook per inspected unit (app.reports.ledger_xlsx lays it out). Import checks
a returned workbook completely before it changes anything: the file itself, that it belongs to
the inspection (and the unit) it says, that every row's key is a record of that unit and
inspection, that locked cells are as exported, and that what the unit filled in is valid (statuses,
dates, what 已完成 needs, no going back). Only a workbook without a single problem is applied, in
one transaction, as the acting office user's edits, and recorded (RectificationLedgerImport) with
the file's name and SHA-256 as their source.

What the unit changed is found by comparing each filled-in cell with what was exported (its digest
travels in the workbook), not with the database: a cell the unit left alone never overwrites what
the office recorded meanwhile, and a cell both changed differently is reported, not overwritten.
The base moves with every import of the same export, so a unit may send the same workbook back
month after month, and importing one file twice changes nothing the second time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Finding,
    Inspection,
    InspectionUnit,
    Rectification,
    RectificationLedgerImport,
    ReferenceItem,
    Unit,
    utcnow,
)
from app.models.enums import RectificationStatus
from app.reports import ledger_xlsx as layout
from app.reports.ledger_xlsx import DUTIES, PROBLEMS, TASKS, CellProblem, LedgerBook, LedgerRow
from app.services import permissions
from app.services.context import ServiceContext
from app.services.crud import as_uuid
from app.services.errors import NotFoundError, StateError, ValidationError
from app.services.rectifications import RectificationService
from app.services.reference import PROBLEM_CATEGORY

from .followup import carried_ids

MAX_REPORTED = 40
STATUS_SHOWN: dict[str, str] = {
    RectificationStatus.PENDING: "待整改",
    RectificationStatus.IN_PROGRESS: "整改中",
    RectificationStatus.COMPLETED: "已完成待销号",
    RectificationStatus.CLOSED: "已销号",
}
CARRIED_SHOWN = "已转入回头看"
# What a unit may write in 完成情况, and the locked label it may leave standing.
STATUS_READ = {"待整改": RectificationStatus.PENDING, "整改中": RectificationStatus.IN_PROGRESS,
               "已完成": RectificationStatus.COMPLETED, "已完成待销号": RectificationStatus.COMPLETED}
_ORDER: dict[str, int] = {RectificationStatus.PENDING: 0, RectificationStatus.IN_PROGRESS: 1, RectificationStatus.COMPLETED: 2,
          RectificationStatus.CLOSED: 3}
# Ledger field → Rectification column, for what the unit fills in.
MODEL_FIELDS = {"progress": "progress", "status": "status", "completed_on": "completed_on", "evidence": "evidence"}
FIELD_LABELS = {"progress": "整改进展", "status": "完成情况", "completed_on": "完成时间", "evidence": "佐证材料目录"}


# --- who may ------------------------------------------------------------------------------------------
def _require(ctx: ServiceContext, session: Session, inspection: Inspection, action: str) -> None:
    """Office work (管理员), or the inspection's own 组长/副组长 (app.services.permissions)."""
    operation = "ledger.import" if "导入" in action else "ledger.export"
    permissions.Gate(session, ctx.actor).require(
        permissions.operation(operation), "rectifications", {"inspection_id": inspection.id}
    )


def _inspection(session: Session, inspection_id: uuid.UUID | str) -> Inspection:
    inspection = session.get(Inspection, as_uuid(inspection_id))
    if inspection is None or inspection.deleted_at is not None:
        raise NotFoundError("找不到该巡察，可能已被删除。")
    return inspection


# --- the rows, from the database ------------------------------------------------------------------------
def _display_status(r: Rectification, carried: bool) -> str:
    if carried and r.status != RectificationStatus.CLOSED:
        return CARRIED_SHOWN
    return STATUS_SHOWN.get(r.status, r.status)


def _editable(r: Rectification, carried: bool) -> frozenset[str]:
    if carried or r.status == RectificationStatus.CLOSED:
        return frozenset()
    if r.status == RectificationStatus.COMPLETED:
        # Reported done: the unit may still add to its progress and evidence, not undo the report.
        return frozenset({"progress", "evidence"})
    return frozenset(layout.FILL_IN_FIELDS)


@dataclass
class _UnitRows:
    problems: list[LedgerRow]
    tasks: list[LedgerRow]
    duties: list[LedgerRow]
    records: dict[uuid.UUID, Rectification]
    numbers: dict[uuid.UUID, int]


def _unit_rows(session: Session, inspection_id: uuid.UUID, unit_id: uuid.UUID) -> _UnitRows:
    rows = session.execute(
        select(Rectification, Finding)
        .join(Finding, Finding.id == Rectification.finding_id)
        .where(Rectification.inspection_id == inspection_id, Rectification.unit_id == unit_id,
               Rectification.deleted_at.is_(None))
        .order_by(Finding.number, Rectification.deadline, Rectification.id)
    ).all()
    categories = dict(session.execute(select(ReferenceItem.code, ReferenceItem.name).where(
        ReferenceItem.kind == PROBLEM_CATEGORY, ReferenceItem.deleted_at.is_(None))).all())
    carried = carried_ids(session)
    findings: dict[uuid.UUID, tuple[Finding, int]] = {}
    tasks, duties = [], []
    for seq, (r, f) in enumerate(rows, start=1):
        finding, count = findings.get(f.id, (f, 0))
        findings[f.id] = (finding, count + 1)
        is_carried = r.id in carried
        key = str(r.id)
        tasks.append(LedgerRow(key, {
            "seq": seq, "number": f.number, "title": f.title, "measures": r.measures, "deadline": r.deadline,
            "standard": r.completion_standard, "progress": r.progress, "status": _display_status(r, is_carried),
            "completed_on": r.completed_on, "evidence": r.evidence,
        }, _editable(r, is_carried)))
        duties.append(LedgerRow(key, {
            "seq": seq, "number": f.number, "title": f.title, "measures": r.measures,
            "leader": r.responsible_leader, "department": r.responsible_department,
            "person": r.responsible_person, "deadline": r.deadline,
        }))
    problems = [
        LedgerRow(str(f.id), {"seq": n, "number": f.number, "category": categories.get(f.category_code or "", ""),
                              "title": f.title, "facts": f.facts, "items": count})
        for n, (f, count) in enumerate(findings.values(), start=1)
    ]
    return _UnitRows(problems, tasks, duties, {r.id: r for r, _ in rows}, {r.id: f.number for r, f in rows})


@dataclass(frozen=True)
class LedgerUnit:
    unit_id: uuid.UUID
    unit_name: str
    items: int


def ledger_units(ctx: ServiceContext, inspection_id: uuid.UUID | str) -> list[LedgerUnit]:
    """The inspection's units that have rectification items, with how many: one workbook each."""
    with ctx.db.read() as session:
        inspection = _inspection(session, inspection_id)
        _require(ctx, session, inspection, "导出整改台账")
        counts: dict[uuid.UUID, int] = {}
        for unit_id in session.scalars(select(Rectification.unit_id).where(
                Rectification.inspection_id == inspection.id, Rectification.deleted_at.is_(None),
                Rectification.unit_id.is_not(None))):
            if unit_id is not None:  # (the query says so; the type cannot)
                counts[unit_id] = counts.get(unit_id, 0) + 1
        targeted = set(session.scalars(select(InspectionUnit.unit_id).where(
            InspectionUnit.inspection_id == inspection.id, InspectionUnit.deleted_at.is_(None))))
        names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(set(counts) | targeted))).all())
    return sorted((LedgerUnit(u, names.get(u, ""), n) for u, n in counts.items()), key=lambda u: u.unit_name)


def find_unit(ctx: ServiceContext, inspection_id: uuid.UUID | str, text: str) -> LedgerUnit:
    """A unit of the inspection's ledger by id or by (short) name, for the command line."""
    units = ledger_units(ctx, inspection_id)
    wanted = text.strip()
    for unit in units:
        if str(unit.unit_id) == wanted or unit.unit_name == wanted:
            return unit
    with ctx.db.read() as session:
        short = session.scalars(select(Unit.id).where(Unit.short_name == wanted, Unit.deleted_at.is_(None))).all()
    for unit in units:
        if unit.unit_id in short:
            return unit
    names = "、".join(u.unit_name for u in units) or "（无）"
    raise NotFoundError(f"该巡察没有「{wanted}」的整改事项。有整改事项的单位：{names}")


# --- export ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportedLedger:
    path: Path
    unit_name: str
    problems: int
    tasks: int


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name_for(unit_name: str, on: dt.date) -> str:
    return f"整改台账_{_UNSAFE.sub('_', unit_name).strip(' .') or '单位'}_{on:%Y%m%d}.xlsx"


def _book(ctx: ServiceContext, session: Session, inspection: Inspection, unit_id: uuid.UUID) -> tuple[LedgerBook, _UnitRows]:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("找不到该单位，可能已被删除。")
    rows = _unit_rows(session, inspection.id, unit.id)
    if not rows.tasks:
        raise ValidationError(f"「{unit.name}」在该巡察中没有整改事项，无需导出整改台账。")
    book = LedgerBook(
        export_id=uuid.uuid4(), inspection_id=inspection.id, inspection_name=inspection.name, unit_id=unit.id,
        unit_name=unit.name, feedback_date=inspection.feedback_date, exported_at=utcnow(),
        exported_by=ctx.actor.name, problems=rows.problems, tasks=rows.tasks, duties=rows.duties,
    )
    return book, rows


def _write_file(path: Path, write: Any) -> None:
    """Write beside the target and rename into place: the target is the whole workbook or untouched."""
    folder = path.parent
    if not folder.is_dir():
        raise ValidationError(f"文件夹不存在：{folder}")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ValidationError(f"无法在 {folder} 中写入文件：{exc.strerror or exc}") from exc
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise ValidationError(f"无法写入文件「{path}」：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def export_unit(ctx: ServiceContext, inspection_id: uuid.UUID | str, unit_id: uuid.UUID | str,
                path: str | Path) -> ExportedLedger:
    """One unit's 整改台账 to an .xlsx file."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("整改台账须导出为 .xlsx 文件。")
    with ctx.db.read() as session:
        inspection = _inspection(session, inspection_id)
        _require(ctx, session, inspection, "导出整改台账")
        book, rows = _book(ctx, session, inspection, as_uuid(unit_id))
    _write_file(path, lambda handle: layout.write_ledger(book, handle))
    return ExportedLedger(path, book.unit_name, len(rows.problems), len(rows.tasks))


def export_all(ctx: ServiceContext, inspection_id: uuid.UUID | str, folder: str | Path,
               *, on: dt.date | None = None) -> list[ExportedLedger]:
    """Every unit's 整改台账 of the inspection into a folder (created if missing), one workbook each."""
    folder = Path(folder)
    units = ledger_units(ctx, inspection_id)
    if not units:
        raise ValidationError("该巡察还没有下达整改事项，无需导出整改台账。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(f"无法创建文件夹「{folder}」：{exc.strerror or exc}") from exc
    day = on or dt.date.today()
    return [export_unit(ctx, inspection_id, u.unit_id, folder / file_name_for(u.unit_name, day)) for u in units]


# --- import: the plan -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    rectification_id: uuid.UUID
    finding_number: int
    seq: int
    measures: str
    field: str
    before: str
    after: str
    value: Any
    after_digest: str

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def item(self) -> str:
        short = self.measures if len(self.measures) <= 24 else self.measures[:23] + "…"
        return f"第{self.seq}项：{short}（第{self.finding_number}号问题）"


@dataclass
class LedgerPlan:
    """A checked workbook: whose it is, and every change it would make (nothing yet written)."""

    file_name: str
    sha256: str
    inspection_id: uuid.UUID
    inspection_name: str
    unit_id: uuid.UUID
    unit_name: str
    export_id: uuid.UUID
    exported_at: str
    exported_by: str
    rows_checked: int
    changes: list[FieldChange] = field(default_factory=list)
    imported_before: tuple[str, dt.datetime] | None = None
    applied: bool = False
    # 序号 of the exported task rows the returned workbook no longer has (those items stay as they are).
    missing: list[int] = field(default_factory=list)

    @property
    def items_changed(self) -> int:
        return len({c.rectification_id for c in self.changes})

    @property
    def fingerprint(self) -> tuple[tuple[str, str, str], ...]:
        return tuple((str(c.rectification_id), c.field, c.after_digest) for c in self.changes)

    def summary_lines(self) -> list[str]:
        lines = [f"文件：{self.file_name}（SHA-256 {self.sha256[:16]}…）",
                 f"整改台账：{self.unit_name} · {self.inspection_name}（{self.exported_by}导出）",
                 f"已核对：任务清单{self.rows_checked}项整改事项，未发现问题。"]
        if self.missing:
            lines.append(f"注意：工作簿中没有任务清单第{'、'.join(map(str, self.missing))}项（已被删除），这些事项不作更新。")
        if self.imported_before is not None:
            who, when = self.imported_before
            lines.append(f"该文件已于{when.astimezone():%Y-%m-%d %H:%M}由{who}导入过。")
        if not self.changes:
            lines.append("与系统中的内容一致，没有需要更新的内容。")
            return lines
        verb = "已更新" if self.applied else "将更新"
        lines.append(f"{verb}{self.items_changed}项整改事项的{len(self.changes)}处内容（原内容 → 新内容）：")
        for c in self.changes:
            lines.append(f"  {c.item} {c.label}：{_quote(c.before)} → {_quote(c.after)}")
        return lines


def _quote(text: str) -> str:
    if not text:
        return "（空）"
    text = text.replace("\n", " ")
    return f"「{text if len(text) <= 60 else text[:59] + '…'}」"


class LedgerRefused(ValidationError):
    """A workbook that is not imported, with every problem found (sheet, row, column, why)."""

    def __init__(self, problems: list[CellProblem]) -> None:
        shown = [p.text for p in problems[:MAX_REPORTED]]
        more = f"\n……另有{len(problems) - len(shown)}处问题未列出。" if len(problems) > len(shown) else ""
        head = f"整改台账有{len(problems)}处问题，未导入任何数据。请核实后重新导入：" if len(problems) > 1 else \
            "整改台账有1处问题，未导入任何数据："
        super().__init__(head + "\n" + "\n".join(shown) + more)
        self.problems = problems


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    return layout.canonical(value)


def _read(path: str | Path) -> tuple[bytes, str]:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValidationError("只能导入 .xlsx 工作簿（Excel、WPS 或 LibreOffice 另存为“Excel 2007-365 (.xlsx)”）。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取文件「{path}」：{exc.strerror or exc}") from exc
    return data, path.name


def _base_digests(session: Session, export_id: uuid.UUID) -> dict[tuple[str, str], str]:
    """What earlier imports of this export wrote: the unit's next return starts from there."""
    base: dict[tuple[str, str], str] = {}
    for record in session.scalars(select(RectificationLedgerImport).where(
            RectificationLedgerImport.export_id == export_id, RectificationLedgerImport.deleted_at.is_(None))
            .order_by(RectificationLedgerImport.imported_at, RectificationLedgerImport.id)):
        for change in record.changes or []:
            base[(str(change.get("rectification_id")), str(change.get("field")))] = str(change.get("after_digest"))
    return base


def _plan(ctx: ServiceContext, session: Session, data: bytes, file_name: str,
          inspection_id: uuid.UUID | str | None, today: dt.date) -> LedgerPlan:
    try:
        read = layout.read_ledger(data)
    except layout.LedgerFileError as exc:
        raise ValidationError(str(exc)) from exc
    inspection, unit, export_id = _owner(ctx, session, read, inspection_id)
    problems = list(read.problems)
    current = _unit_rows(session, inspection.id, unit.id)
    strangers = _strangers(session, read)
    base = _base_digests(session, export_id)
    previous = session.scalars(select(RectificationLedgerImport).where(
        RectificationLedgerImport.sha256 == hashlib.sha256(data).hexdigest(),
        RectificationLedgerImport.inspection_id == inspection.id, RectificationLedgerImport.deleted_at.is_(None))
        .order_by(RectificationLedgerImport.imported_at.desc()).limit(1)).first()
    changes, seen, rows_checked = _check_rows(read, current, strangers, base, inspection, unit, today, problems)
    if problems:
        raise LedgerRefused(problems)
    returned = {key for sheet, key in seen if sheet == TASKS}
    missing = sorted(int(r.values["seq"]) for r in current.tasks
                     if r.key not in returned and (TASKS, r.key, "seq") in read.snapshot)
    return LedgerPlan(
        file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), inspection_id=inspection.id,
        inspection_name=inspection.name, unit_id=unit.id, unit_name=unit.name, export_id=export_id,
        exported_at=read.meta.get("exported_at", ""), exported_by=read.meta.get("exported_by", ""),
        rows_checked=rows_checked, changes=changes, missing=missing,
        imported_before=(previous.actor_name or "", previous.imported_at) if previous is not None else None,
    )


def _owner(ctx: ServiceContext, session: Session, read: layout.ReadLedger,
           inspection_id: uuid.UUID | str | None) -> tuple[Inspection, Unit, uuid.UUID]:
    """The inspection, unit and export the workbook says it belongs to, refused unless they exist here,
    match the inspection chosen (if any) and the user may import into that inspection."""
    try:
        meta_inspection, meta_unit = as_uuid(read.meta["inspection_id"]), as_uuid(read.meta["unit_id"])
        export_id = as_uuid(read.meta["export_id"])
    except (KeyError, NotFoundError) as exc:
        raise ValidationError("工作簿的校验信息不完整，不是本系统导出的整改台账。") from exc
    inspection = session.get(Inspection, meta_inspection)
    if inspection is None or inspection.deleted_at is not None:
        raise ValidationError(f"该文件是「{read.meta.get('inspection_name', '')}」的整改台账，本数据库中没有这次巡察。")
    if inspection_id is not None and as_uuid(inspection_id) != inspection.id:
        chosen = session.get(Inspection, as_uuid(inspection_id))
        raise ValidationError(f"该文件是「{inspection.name}」的整改台账，不属于所选的「{chosen.name if chosen else '巡察'}」，未导入。")
    _require(ctx, session, inspection, "导入整改台账")
    unit = session.get(Unit, meta_unit)
    if unit is None or unit.deleted_at is not None:
        raise ValidationError(f"该文件是「{read.meta.get('unit_name', '')}」的整改台账，本数据库中没有该单位。")
    return inspection, unit, export_id


@dataclass(frozen=True)
class _Strangers:
    """The records the workbook's keys name, wherever they belong: a row that is not this unit's can
    then say whose it is."""

    rects: dict[str, Rectification]
    findings: dict[str, Finding]
    units: dict[Any, str]
    inspections: dict[Any, str]

    def reason(self, key: str, inspection: Inspection, unit: Unit) -> str:
        return _foreign_reason(key, self.rects, self.findings, self.units, self.inspections, inspection, unit)


def _strangers(session: Session, read: layout.ReadLedger) -> _Strangers:
    keys = {row.key for row in read.rows if row.key}
    ids = {}
    for key in keys:
        with contextlib.suppress(ValueError):
            ids[key] = uuid.UUID(key)
    foreign_rect = {str(r.id): r for r in session.scalars(select(Rectification).where(Rectification.id.in_(ids.values())))}
    foreign_finding = {str(f.id): f for f in session.scalars(select(Finding).where(Finding.id.in_(ids.values())))}
    names = {u.id: u.name for u in session.scalars(select(Unit).where(Unit.id.in_(
        {r.unit_id for r in foreign_rect.values()} | {f.unit_id for f in foreign_finding.values()})))}
    inspections = {i.id: i.name for i in session.scalars(select(Inspection).where(Inspection.id.in_(
        {r.inspection_id for r in foreign_rect.values()} | {f.inspection_id for f in foreign_finding.values()})))}
    return _Strangers(foreign_rect, foreign_finding, names, inspections)


def _check_rows(read: layout.ReadLedger, current: _UnitRows, strangers: _Strangers, base: dict[tuple[str, str], str],
                inspection: Inspection, unit: Unit, today: dt.date,
                problems: list[CellProblem]) -> tuple[list[FieldChange], dict[tuple[str, str], int], int]:
    """Every returned row checked: the changes the unit made to its tasks, the (sheet, key) rows seen
    (with the row they were first seen on) and how many task rows were checked. Problems are appended."""
    by_sheet = {PROBLEMS: {r.key: r for r in current.problems}, TASKS: {r.key: r for r in current.tasks},
                DUTIES: {r.key: r for r in current.duties}}
    changes: list[FieldChange] = []
    seen: dict[tuple[str, str], int] = {}
    rows_checked = 0
    for row in read.rows:
        mine = _own_row(row, seen, by_sheet, read, strangers, inspection, unit, problems)
        if mine is None or row.key is None:
            continue
        if row.sheet == TASKS:
            rows_checked += 1
        wanted = _unit_edits(row, row.key, read, base, problems)
        if wanted and row.sheet == TASKS:
            record = current.records[uuid.UUID(row.key)]
            changes += _task_changes(record, mine, current.numbers[record.id], wanted, base, read, row, today, problems)
    return changes, seen, rows_checked


def _own_row(row: layout.ReadRow, seen: dict[tuple[str, str], int], by_sheet: dict[str, dict[str, LedgerRow]],
             read: layout.ReadLedger, strangers: _Strangers, inspection: Inspection, unit: Unit,
             problems: list[CellProblem]) -> LedgerRow | None:
    """This unit's exported row the returned row stands for, or None (with the problem appended) for a
    row added, copied, or not from this unit's export."""
    where: dict[str, Any] = {"sheet": row.sheet, "row": row.row}
    if row.key is None:
        problems.append(CellProblem(**where, column=None, header=layout.KEY_HEADER,
                                    reason="新增的行不能导入：整改事项由巡察办下达，请勿在台账中增加行或清除校验编号。"))
        return None
    if (row.sheet, row.key) in seen:
        problems.append(CellProblem(**where, column=None, header=layout.KEY_HEADER,
                                    reason=f"与第{seen[(row.sheet, row.key)]}行是同一事项（行被复制），请删除重复的行。"))
        return None
    seen[(row.sheet, row.key)] = row.row
    mine = by_sheet[row.sheet].get(row.key)
    if mine is None or (row.sheet, row.key, "seq") not in read.snapshot:
        problems.append(CellProblem(**where, column=None, header=layout.KEY_HEADER,
                                    reason=strangers.reason(row.key, inspection, unit)))
        return None
    return mine


def _unit_edits(row: layout.ReadRow, key: str, read: layout.ReadLedger, base: dict[tuple[str, str], str],
                problems: list[CellProblem]) -> dict[str, tuple[Any, str, layout.ReadCell]]:
    """The filled-in cells the unit changed since the base (field → (value, its digest, the cell)).
    A formula, or a locked cell that differs from the export, is a problem instead."""
    where: dict[str, Any] = {"sheet": row.sheet, "row": row.row}
    wanted: dict[str, tuple[Any, str, layout.ReadCell]] = {}
    for col in layout.COLUMNS[row.sheet]:
        cell = row.cells.get(col.field)
        snap = read.snapshot.get((row.sheet, key, col.field))
        if cell is None or snap is None:
            continue
        locked, exported = snap
        here: dict[str, Any] = {**where, "column": cell.column, "header": cell.header}
        if cell.is_formula:
            problems.append(CellProblem(**here, reason="不能填写公式，请直接填写内容。"))
            continue
        now = layout.digest(cell.value)
        if locked:
            if now != exported:
                problems.append(CellProblem(**here, reason=f"锁定内容被改动（现为{_quote(_shown(cell.value))}），"
                                                           "导出时的内容不得修改。"))
            continue
        if now != base.get((key, col.field), exported):
            wanted[col.field] = (cell.value, now, cell)
    return wanted


def _foreign_reason(key: str, rects: dict[str, Rectification], findings: dict[str, Finding],
                    units: dict[Any, str], inspections: dict[Any, str],
                    inspection: Inspection, unit: Unit) -> str:
    other = rects.get(key) or findings.get(key)
    if other is None:
        return "校验编号无法识别：该行不是从本系统导出的整改台账中来的。"
    if other.deleted_at is not None:
        return "该行对应的记录已被删除，请删除该行。"
    if other.inspection_id != inspection.id:
        return f"该行属于另一次巡察「{inspections.get(other.inspection_id, '')}」的整改台账，不能导入本台账。"
    if other.unit_id != unit.id:
        return f"该行是「{units.get(other.unit_id, '其他单位')}」的整改事项，不属于「{unit.name}」的整改台账。"
    return "该行不在本次导出的整改台账中，请使用最新导出的台账填写。"


def _task_changes(record: Rectification, mine: LedgerRow, number: int, wanted: dict[str, tuple[Any, str, Any]],
                  base: dict[tuple[str, str], str], read: layout.ReadLedger, row: layout.ReadRow, today: dt.date,
                  problems: list[CellProblem]) -> list[FieldChange]:
    """What the unit changed on one task row (`wanted`: field → (cell value, its digest, the cell)),
    checked. Problems are appended; the changes are returned only when the row has none."""
    key = str(record.id)
    found = len(problems)

    invalid: set[str] = set()

    def problem(name: str, reason: str) -> None:
        invalid.add(name)
        cell = wanted[name][2] if name in wanted else row.cells.get(name)
        problems.append(CellProblem(row.sheet, row.row, cell.column if cell else None,
                                    cell.header if cell else FIELD_LABELS[name], reason))

    if record.status == RectificationStatus.CLOSED:
        problem(next(iter(wanted)), f"该事项已于{_shown(record.closed_on)}销号，不再接受修改。")
        return []
    values: dict[str, Any] = {}
    for name, (raw, _digest, _cell) in wanted.items():
        if name == "status":
            text = layout.canonical(raw)
            if text not in STATUS_READ:
                problem(name, f"{_quote(text)}不是有效的完成情况，应为{'、'.join(layout.UNIT_STATUSES)}之一。")
            else:
                values[name] = STATUS_READ[text]
        elif name == "completed_on":
            try:
                day = layout.parse_date(raw)
            except ValueError:
                problem(name, f"{_quote(_shown(raw))}不是有效的日期，请填写如 2026-11-30 的日期。")
                continue
            if day is not None and day > today:
                problem(name, f"完成时间{day.isoformat()}晚于今天，请填写实际完成的日期。")
            elif day is not None and day.year < 2000:
                problem(name, f"完成时间{day.isoformat()}不是有效的日期。")
            else:
                values[name] = day
        else:
            values[name] = layout.canonical(raw) or None

    current = {"status": record.status, "completed_on": record.completed_on}
    result: list[FieldChange] = []
    for name, value in values.items():
        raw, target, _cell = wanted[name]
        if name in current:
            already = value == current[name]
        else:
            already = layout.digest(value) == layout.digest(layout.written_value(mine.values.get(name)))
        if already:
            continue  # so already: imported before, or the office recorded the same
        # Three-way: the cell differs from what the unit was given; has the database moved meanwhile?
        given = base.get((key, name), read.snapshot[(row.sheet, key, name)][1])
        if layout.digest(layout.written_value(mine.values.get(name))) != given:
            problem(name, f"导出后系统中已改为{_quote(_shown(mine.values.get(name)))}，与本表填写的"
                          f"{_quote(_shown(raw))}不一致；请与巡察办核实后重新导出台账填写。")
            continue
        after = layout.canonical(raw) if name == "status" else _shown(value)
        result.append(FieldChange(record.id, number, int(mine.values["seq"]), record.measures, name,
                                  _shown(mine.values.get(name)), after, value, target))

    # The item as it would be afterwards.
    changed = {c.field: c.value for c in result}
    status = changed.get("status", record.status)
    completed_on = changed.get("completed_on", record.completed_on)
    evidence = changed.get("evidence", record.evidence)
    if "status" in changed and _ORDER.get(status, 0) < _ORDER.get(record.status, 0):
        problem("status", f"完成情况不能从「{STATUS_SHOWN.get(record.status, record.status)}」改回"
                          f"「{layout.canonical(wanted['status'][0])}」。")
    if status == RectificationStatus.COMPLETED:
        # A date already reported as unreadable is not also reported as missing.
        if completed_on is None and "completed_on" not in invalid:
            problem("completed_on", "完成情况为「已完成」时，须填写完成时间。")
        if not (evidence or "").strip():
            problem("evidence", "完成情况为「已完成」时，须填写佐证材料目录（销号时据此核查）。")
    elif "completed_on" in changed and changed["completed_on"] is not None:
        problem("completed_on", "只有完成情况为「已完成」的事项才填写完成时间。")
    return result if len(problems) == found else []


def check_ledger(ctx: ServiceContext, path: str | Path, *, inspection_id: uuid.UUID | str | None = None,
                 today: dt.date | None = None) -> LedgerPlan:
    """Check a returned workbook and say what importing it would change; writes nothing.
    Raises LedgerRefused (every bad cell) or another ServiceError (the file as a whole)."""
    data, name = _read(path)
    with ctx.db.read() as session:
        return _plan(ctx, session, data, name, inspection_id, today or dt.date.today())


def import_ledger(ctx: ServiceContext, path: str | Path, *, inspection_id: uuid.UUID | str | None = None,
                  expected: LedgerPlan | None = None, today: dt.date | None = None) -> LedgerPlan:
    """Check the workbook again and apply it in one transaction, or change nothing.

    `expected` is the plan a person confirmed: if the file or the database changed since, so that the
    changes would differ, nothing is written.
    """
    data, name = _read(path)
    service = RectificationService(ctx)
    with ctx.write() as session:
        plan = _plan(ctx, session, data, name, inspection_id, today or dt.date.today())
        if expected is not None and (plan.sha256 != expected.sha256 or plan.fingerprint != expected.fingerprint):
            raise StateError("核对之后文件或系统中的数据发生了变化，未导入。请重新导入该文件。")
        if not plan.changes:
            return plan
        by_item: dict[uuid.UUID, dict[str, Any]] = {}
        for change in plan.changes:
            by_item.setdefault(change.rectification_id, {})[MODEL_FIELDS[change.field]] = change.value
        for rectification_id, values in by_item.items():
            service.update_in(session, rectification_id, **values)
        user = ctx.actor.user_id
        session.add(RectificationLedgerImport(
            inspection_id=plan.inspection_id, unit_id=plan.unit_id, export_id=plan.export_id,
            file_name=plan.file_name[:255], sha256=plan.sha256, actor_name=ctx.actor.name[:60],
            imported_at=utcnow(), rows_checked=plan.rows_checked, items_changed=plan.items_changed,
            fields_changed=len(plan.changes), created_by=user, updated_by=user,
            changes=[{"rectification_id": str(c.rectification_id), "field": c.field, "before": c.before,
                      "after": c.after, "after_digest": c.after_digest} for c in plan.changes],
        ))
    plan.applied = True
    return plan


def import_history(ctx: ServiceContext, inspection_id: uuid.UUID | str) -> list[RectificationLedgerImport]:
    with ctx.db.read() as session:
        return list(session.scalars(select(RectificationLedgerImport).where(
            RectificationLedgerImport.inspection_id == as_uuid(inspection_id),
            RectificationLedgerImport.deleted_at.is_(None)).order_by(RectificationLedgerImport.imported_at)))
