"""The unit directory to and from Excel.

Import is all or nothing: every row is checked first and every problem reported with its row
number; only a clean sheet is written, in one transaction. A row whose 单位名称 matches an existing
unit updates it (the sheet is taken as the truth for the columns it has); other rows create units.
上级单位 may name a unit of the directory or another row of the sheet, in any order.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import Unit
from app.models.enums import UnitKind
from app.services.context import ServiceContext
from app.services.errors import ServiceError, ValidationError
from app.services.units import UnitService

# Sheet header → Unit field. The first two are required.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("单位名称", "name"),
    ("单位类别", "kind"),
    ("简称", "short_name"),
    ("上级单位", "parent"),
    ("单位代码", "code"),
    ("地址", "address"),
    ("备注", "notes"),
)
REQUIRED_HEADERS = ("单位名称", "单位类别")
MAX_ROWS = 20_000
MAX_REPORTED = 30
_LIMITS = {"name": 200, "short_name": 60, "code": 40, "address": 200}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"导入完成：新增{self.created}个单位，更新{self.updated}个，{self.unchanged}个无变化。"


class ImportError_(ValidationError):
    """A sheet refused, with every problem found (row numbers as Excel shows them)."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED]
        more = f"\n……另有{len(problems) - len(shown)}处问题未列出。" if len(problems) > len(shown) else ""
        super().__init__("导入失败，未导入任何数据。请修改以下问题后重新导入：\n" + "\n".join(shown) + more)
        self.problems = problems


def _kind_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for kind in UnitKind:
        lookup[kind.value] = kind.value
        lookup[kind.label] = kind.value
        # "乡镇（街道）" may be typed as 乡镇, 乡镇(街道) or 街道.
        plain = kind.label.replace("（", "(").replace("）", ")")
        lookup[plain] = kind.value
        head, _, rest = kind.label.partition("（")
        if rest:
            lookup.setdefault(head, kind.value)
            lookup.setdefault(rest.rstrip("）"), kind.value)
    return lookup


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number arrives as 1.0
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


@dataclass
class _Row:
    number: int
    # Cell text as read; checking turns some into codes (单位类别) and ids.
    values: dict[str, Any]


def read_sheet(source: str | Path | bytes) -> tuple[list[str], list[_Row]]:
    from openpyxl import load_workbook

    try:
        stream = io.BytesIO(source) if isinstance(source, bytes) else source
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationError(f"无法读取Excel文件（请使用 .xlsx 格式）：{exc}") from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise ValidationError("Excel文件是空的：第1行应为表头（单位名称、单位类别……）。")
        headers = [_text(h) or "" for h in header_row]
        known = dict(COLUMNS)
        missing = [h for h in REQUIRED_HEADERS if h not in headers]
        if missing:
            raise ValidationError(f"第1行表头缺少「{'」「'.join(missing)}」列。表头应为：{'、'.join(h for h, _ in COLUMNS)}。")
        positions = {known[h]: i for i, h in enumerate(headers) if h in known}
        result: list[_Row] = []
        for number, raw in enumerate(rows, start=2):
            values = {f: _text(raw[i]) if i < len(raw) else None for f, i in positions.items()}
            if not any(values.values()):
                continue
            if len(result) >= MAX_ROWS:
                raise ValidationError(f"一次最多导入{MAX_ROWS}个单位。")
            result.append(_Row(number, values))
        return list(positions), result
    finally:
        wb.close()


def import_units(ctx: ServiceContext, source: str | Path | bytes) -> ImportReport:
    """Check the whole sheet, then write it in one transaction — or refuse it with every problem listed."""
    ctx.require_admin("导入单位名录")
    fields, rows = read_sheet(source)
    if not rows:
        raise ValidationError("Excel文件中没有单位数据（第2行起为数据）。")
    kinds = _kind_lookup()
    with ctx.db.read() as session:
        existing = {u.name.lower(): u for u in session.scalars(select(Unit).where(Unit.deleted_at.is_(None)))}
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        v, n = row.values, row.number
        name = v.get("name")
        if not name:
            problems.append(f"第{n}行：缺少「单位名称」。")
        else:
            key = name.lower()
            if key in seen:
                problems.append(f"第{n}行：单位名称「{name}」与第{seen[key]}行重复。")
            else:
                seen[key] = n
        raw_kind = v.get("kind")
        if not raw_kind:
            problems.append(f"第{n}行：缺少「单位类别」。")
        elif raw_kind not in kinds:
            problems.append(f"第{n}行：单位类别「{raw_kind}」无效，应为{'、'.join(k.label for k in UnitKind)}之一。")
        else:
            v["kind"] = kinds[raw_kind]
        for f, limit in _LIMITS.items():
            if v.get(f) and len(v[f]) > limit:
                label = next(h for h, c in COLUMNS if c == f)
                problems.append(f"第{n}行：「{label}」不能超过{limit}个字。")
        parent = v.get("parent")
        if parent:
            if name and parent.lower() == name.lower():
                problems.append(f"第{n}行：上级单位不能是本单位。")
            elif parent.lower() not in seen and parent.lower() not in existing and not any(
                    r.values.get("name") and r.values["name"].lower() == parent.lower() for r in rows):
                problems.append(f"第{n}行：上级单位「{parent}」既不在单位名录中，也不在本表中。")
    if not problems:
        problems += _cycles(rows, existing)
    if problems:
        raise ImportError_(problems)
    return _write(ctx, fields, rows, existing)


def _cycles(rows: list[_Row], existing: dict[str, Unit]) -> list[str]:
    """Rows whose 上级单位 chain, through the sheet and the directory as it would be, loops back."""
    by_id = {u.id: u for u in existing.values()}
    parent_of: dict[str, str | None] = {
        k: (by_id[u.parent_id].name.lower() if u.parent_id in by_id else None) for k, u in existing.items()}
    for row in rows:
        if "parent" in row.values:
            parent_of[row.values["name"].lower()] = (row.values.get("parent") or "").lower() or None
    problems = []
    for row in rows:
        start = row.values["name"].lower()
        cursor, steps = parent_of.get(start), 0
        while cursor is not None and steps <= len(parent_of):
            if cursor == start:
                problems.append(f"第{row.number}行：上级单位关系形成循环（「{row.values['name']}」最终成为自己的上级）。")
                break
            cursor, steps = parent_of.get(cursor), steps + 1
    return problems


def _write(ctx: ServiceContext, fields: list[str], rows: list[_Row], existing: dict[str, Unit]) -> ImportReport:
    service = UnitService(ctx)
    report = ImportReport()
    # Parents first: a row waits until the unit it names as 上级单位 exists.
    pending = list(rows)
    names_in_sheet = {r.values["name"].lower() for r in rows}
    with ctx.write() as session:
        ids = {u.name.lower(): u.id for u in session.scalars(select(Unit).where(Unit.deleted_at.is_(None)))}
        while pending:
            ready = [r for r in pending if not r.values.get("parent") or r.values["parent"].lower() in ids
                     or r.values["parent"].lower() not in names_in_sheet]
            if not ready:  # cannot happen after _cycles; never loop forever
                raise ImportError_([f"第{r.number}行：上级单位关系无法确定。" for r in pending])
            for row in ready:
                pending.remove(row)
                values: dict[str, Any] = {}
                for f in fields:
                    if f == "parent":
                        parent = row.values.get("parent")
                        values["parent_id"] = ids[parent.lower()] if parent else None
                    else:
                        values[f] = row.values.get(f)
                key = row.values["name"].lower()
                try:
                    if key in ids and key in existing:
                        unit = session.get(Unit, ids[key])
                        assert unit is not None  # read live a moment ago, in this transaction
                        changed = {k: v for k, v in values.items() if getattr(unit, k) != v}
                        if changed:
                            service.update_in(session, unit.id, **changed)
                            report.updated += 1
                        else:
                            report.unchanged += 1
                    else:
                        unit = service.create_in(session, **values)
                        ids[key] = unit.id
                        report.created += 1
                        report.names.append(unit.name)
                except ServiceError as exc:
                    # Raised inside the transaction: nothing of the sheet is kept.
                    raise ImportError_([f"第{row.number}行：{exc.message}"]) from exc
    return report


def export_units(ctx: ServiceContext, out: str | Path | io.BytesIO) -> int:
    """Write the directory in the same layout import reads; returns the number of units."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from app.reports.spreadsheet import append_row

    with ctx.db.read() as session:
        units = list(session.scalars(select(Unit).where(Unit.deleted_at.is_(None))))
    names: dict[uuid.UUID, str] = {u.id: u.name for u in units}
    order = {k.value: n for n, k in enumerate(UnitKind)}
    units.sort(key=lambda u: (order.get(u.kind, 99), names.get(u.parent_id, "") if u.parent_id else "", u.name))
    wb = Workbook()
    ws = wb.active
    ws.title = "单位名录"
    ws.append([h for h, _ in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
    for u in units:
        # Names, addresses and notes are users' text: a leading = + - @ must not become a formula.
        append_row(ws, [u.name, UnitKind.label_of(u.kind), u.short_name, names.get(u.parent_id, "") if u.parent_id else None,
                   u.code, u.address, u.notes])
    for letter, width in zip("ABCDEFG", (34, 16, 14, 30, 22, 34, 30), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    choices = ",".join(k.label for k in UnitKind)
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=False,
                                error="请从列表中选择单位类别。", errorTitle="单位类别")
    ws.add_data_validation(validation)
    validation.add(f"B2:B{max(len(units) + 500, 1000)}")
    wb.save(out)
    return len(units)
