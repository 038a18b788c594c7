"""The 整改台账 workbook of one inspected unit, written from plain data and read back.

Three sheets, the 三张清单 in the layout offices exchange: 问题清单 (each problem and its 具体表现),
任务清单 (整改措施, 整改时限, 完成标准, and the columns the unit fills in: 整改进展, 完成情况, 完成时间,
佐证材料目录) and 责任清单 (责任领导, 责任部门, 责任人). Each sheet has a title row, a line naming the
inspection, two header rows with merged group headers, 仿宋 text under 黑体 headers (fonts named, so
Excel and WPS on an official's PC use the real ones), column widths, print area, repeated header
rows, A4 landscape fitted to the page width, and page numbers.

Every data row carries its stable key (the record's id) in a hidden column. Sheets are protected:
only the cells the unit fills in are unlocked (tinted), and 完成情况 / 完成时间 carry data validation.
A very hidden sheet holds what was exported — the inspection, the unit, the export's id, and a
digest of every cell's value per (sheet, key, field) with whether it was locked — so a returned
workbook can be checked: locked cells unchanged, and which filled-in cells the unit changed.
Sheet protection keeps honest people from editing the wrong cell; it is not what keeps the data
safe — the importer never writes a locked field, whatever the file says.

No Session and no Qt here: the service gathers the rows, this module lays them out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import secrets
import unicodedata
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spreadsheet import cell_value, guard

FORMAT_MARK = "XUNCHA-RECTIFICATION-LEDGER"
FORMAT_VERSION = 1
META_SHEET = "校验信息"
KEY_HEADER = "校验编号"
PROBLEMS, TASKS, DUTIES = "问题清单", "任务清单", "责任清单"
SHEETS = (PROBLEMS, TASKS, DUTIES)

# What the unit may choose in 完成情况 (the data-validation list); the others are shown, locked.
UNIT_STATUSES = ("待整改", "整改中", "已完成")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
BODY_FONT, HEADING_FONT = "仿宋", "黑体"
FILL_IN_COLOUR = "FFF6D5"  # the cells the unit fills in, pale yellow on screen and paper
HEADER_COLOUR = "E9EEF5"
FIRST_DATA_ROW = 5
HEADER_ROWS = (3, 4)
POINTS_PER_LINE = 16  # 11 pt CJK text with its line spacing
# Rows the unit fills in are left room for three lines of its text (it may also make a row taller).
FILL_IN_LINES = 3
MAX_ROW_HEIGHT = 409  # Excel's limit, in points

# Big workbooks are refused before they are parsed: a ledger of a few hundred rows is ~100 KB.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 5_000


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: float
    group: str | None = None
    kind: str = "text"  # text | int | date | status
    wrap: bool = True


_SEQ = Column("seq", "序号", 5, kind="int", wrap=False)
_NUMBER = Column("number", "问题编号", 8.5, kind="int", wrap=False)
COLUMNS: dict[str, tuple[Column, ...]] = {
    PROBLEMS: (
        _SEQ, _NUMBER,
        Column("category", "问题类别", 20),
        Column("title", "问题概述", 26, group="反馈问题"),
        Column("facts", "具体表现", 70, group="反馈问题"),
        Column("items", "整改事项数", 10.5, kind="int", wrap=False),
    ),
    TASKS: (
        _SEQ, _NUMBER,
        Column("title", "问题概述", 18),
        Column("measures", "整改措施", 30, group="整改任务"),
        Column("deadline", "整改时限", 13.5, group="整改任务", kind="date"),
        Column("standard", "完成标准", 18, group="整改任务"),
        Column("progress", "整改进展", 30, group="整改落实情况（被巡察单位填写）"),
        Column("status", "完成情况", 9.5, group="整改落实情况（被巡察单位填写）", kind="status", wrap=False),
        Column("completed_on", "完成时间", 13.5, group="整改落实情况（被巡察单位填写）", kind="date"),
        Column("evidence", "佐证材料目录", 24, group="整改落实情况（被巡察单位填写）"),
    ),
    DUTIES: (
        _SEQ, _NUMBER,
        Column("title", "问题概述", 22),
        Column("measures", "整改措施", 40),
        Column("leader", "责任领导", 12, group="责任分工"),
        Column("department", "责任部门", 18, group="责任分工"),
        Column("person", "责任人", 10, group="责任分工"),
        Column("deadline", "整改时限", 13.5, kind="date"),
    ),
}
# The fields of the 任务清单 a unit may fill in (on rows still open).
FILL_IN_FIELDS = ("progress", "status", "completed_on", "evidence")


# --- the plain data ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LedgerRow:
    """One row of one sheet: its key, its values by field, and the fields the unit may fill in."""

    key: str
    values: dict[str, Any]
    editable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LedgerBook:
    export_id: uuid.UUID
    inspection_id: uuid.UUID
    inspection_name: str
    unit_id: uuid.UUID
    unit_name: str
    feedback_date: dt.date | None
    exported_at: dt.datetime
    exported_by: str
    problems: Sequence[LedgerRow]
    tasks: Sequence[LedgerRow]
    duties: Sequence[LedgerRow]

    def rows(self, sheet: str) -> Sequence[LedgerRow]:
        return {PROBLEMS: self.problems, TASKS: self.tasks, DUTIES: self.duties}[sheet]


# --- what a cell "is", for comparing an exported value with a returned one ------------------------------
def canonical(value: object) -> str:
    """A cell's value as text that survives Excel, WPS and LibreOffice saving the file again: dates
    as ISO dates (a date may come back as a datetime at midnight), whole floats as integers, text with
    its line ends normalised and its outer blanks trimmed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def digest(value: object) -> str:
    return hashlib.sha256(canonical(value).encode("utf-8")).hexdigest()[:20]


def written_value(value: object) -> object:
    """What a cell ends up holding for this value (text cleaned and cut to a cell's size)."""
    return cell_value(value)


# --- writing ----------------------------------------------------------------------------------------
def _text_units(text: str) -> int:
    # A column's width counts digits of the default font; a Chinese character in 仿宋 takes a little
    # more than two.
    return math.ceil(sum(2.2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text))


def _lines(text: str, width: float) -> int:
    usable = max(1.0, width - 2.5)
    return sum(max(1, math.ceil(_text_units(part) / usable)) for part in text.split("\n"))


def _display(value: object) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def _cn_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "未填写"


def _sheet_title(book: LedgerBook, sheet: str) -> str:
    return {
        PROBLEMS: f"{book.unit_name}巡察反馈问题清单",
        TASKS: f"{book.unit_name}巡察反馈问题整改任务清单",
        DUTIES: f"{book.unit_name}巡察反馈问题整改责任清单",
    }[sheet]


def _subtitle(book: LedgerBook, sheet: str) -> str:
    local = book.exported_at.astimezone() if book.exported_at.tzinfo else book.exported_at
    line = (f"巡察：{book.inspection_name}　　反馈日期：{_cn_date(book.feedback_date)}　　"
            f"导出：{_cn_date(local.date())}（{book.exported_by}）")
    if sheet == TASKS:
        line += "　　填写说明：浅黄色单元格由被巡察单位填写，其余内容请勿改动。"
    return line


def _protect(sheet: Any, password: str) -> None:
    protection = sheet.protection
    protection.sheet = True
    protection.password = password
    # A unit may still widen a column or a row to read long text; nothing else.
    protection.formatColumns = False
    protection.formatRows = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


@dataclass(frozen=True)
class _Styles:
    """The fonts, fills, borders and alignments of one workbook, made once and shared by its sheets."""

    border: Any
    title_font: Any
    subtitle_font: Any
    header_font: Any
    body_font: Any
    header_fill: Any
    fill_in: Any
    centre: Any
    wrap: Any
    centre_tight: Any
    unlocked: Any


def _styles() -> _Styles:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="000000")
    return _Styles(
        border=Border(left=thin, right=thin, top=thin, bottom=thin),
        title_font=Font(name=HEADING_FONT, size=18, charset=134),
        subtitle_font=Font(name=BODY_FONT, size=11, charset=134),
        header_font=Font(name=HEADING_FONT, size=11, charset=134),
        body_font=Font(name=BODY_FONT, size=11, charset=134),
        header_fill=PatternFill("solid", fgColor=HEADER_COLOUR),
        fill_in=PatternFill("solid", fgColor=FILL_IN_COLOUR),
        centre=Alignment(horizontal="center", vertical="center", wrap_text=True),
        wrap=Alignment(horizontal="left", vertical="center", wrap_text=True),
        centre_tight=Alignment(horizontal="center", vertical="center"),
        unlocked=Protection(locked=False),
    )


# One row of the very hidden sheet: (sheet, key, field, locked as 0/1, digest of the value).
_SnapshotEntry = tuple[str, str, str, int, str]


def write_ledger(book: LedgerBook, out: str | Path | io.BytesIO) -> None:
    """Write the workbook. `out` is written in one piece (callers write to a temporary name first)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    password = secrets.token_urlsafe(12)  # nobody needs to unprotect a ledger: the office re-exports
    styles = _styles()
    wb = Workbook()
    wb.remove(wb.active)
    snapshot: list[_SnapshotEntry] = []
    for sheet_name in SHEETS:
        _write_sheet(wb, book, sheet_name, styles, password, snapshot)
    _write_meta_sheet(wb, book, snapshot, password)
    wb.security = WorkbookProtection(workbookPassword=password, lockStructure=True)
    wb.active = 1  # the 任务清单: what the unit works in
    wb.save(out)


def _write_sheet(wb: Any, book: LedgerBook, sheet_name: str, styles: _Styles, password: str,
                 snapshot: list[_SnapshotEntry]) -> None:
    columns = COLUMNS[sheet_name]
    ws = wb.create_sheet(sheet_name)
    _size_columns(ws, columns)
    _write_title(ws, book, sheet_name, columns, styles)
    _write_headers(ws, columns, styles)
    status_cells, date_cells = _write_rows(ws, book.rows(sheet_name), columns, styles, sheet_name, snapshot)
    _add_validations(ws, status_cells, date_cells)
    last_row = max(FIRST_DATA_ROW - 1, FIRST_DATA_ROW + len(book.rows(sheet_name)) - 1)
    _set_up_printing(ws, len(columns), last_row)
    _protect(ws, password)


def _size_columns(ws: Any, columns: Sequence[Column]) -> None:
    from openpyxl.utils import get_column_letter

    key_col = len(columns) + 1
    for n, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = col.width
    ws.column_dimensions[get_column_letter(key_col)].hidden = True
    ws.column_dimensions[get_column_letter(key_col)].width = 38


def _write_title(ws: Any, book: LedgerBook, sheet_name: str, columns: Sequence[Column], styles: _Styles) -> None:
    from openpyxl.styles import Alignment

    last = len(columns)
    guard(ws.cell(row=1, column=1, value=_sheet_title(book, sheet_name))).font = styles.title_font
    ws.cell(row=1, column=1).alignment = styles.centre_tight
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 36
    guard(ws.cell(row=2, column=1, value=cell_value(_subtitle(book, sheet_name)))).font = styles.subtitle_font
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws.row_dimensions[2].height = 8 + POINTS_PER_LINE * _lines(_subtitle(book, sheet_name), sum(c.width for c in columns))


def _write_headers(ws: Any, columns: Sequence[Column], styles: _Styles) -> None:
    last = len(columns)
    # Two header rows: a column in a group shows the group above its own header; one without
    # a group takes both rows.
    n = 1
    while n <= last:
        col = columns[n - 1]
        if col.group is None:
            ws.cell(row=3, column=n, value=col.header)
            ws.merge_cells(start_row=3, start_column=n, end_row=4, end_column=n)
            n += 1
            continue
        end = n
        while end < last and columns[end].group == col.group:
            end += 1
        ws.cell(row=3, column=n, value=col.group)
        if end > n:
            ws.merge_cells(start_row=3, start_column=n, end_row=3, end_column=end)
        for m in range(n, end + 1):
            ws.cell(row=4, column=m, value=columns[m - 1].header)
        n = end + 1
    ws.cell(row=4, column=last + 1, value=KEY_HEADER)
    for r in HEADER_ROWS:
        ws.row_dimensions[r].height = 24
        for c in range(1, last + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.fill, cell.alignment, cell.border = (styles.header_font, styles.header_fill,
                                                                 styles.centre, styles.border)


def _write_rows(ws: Any, rows: Sequence[LedgerRow], columns: Sequence[Column], styles: _Styles, sheet_name: str,
                snapshot: list[_SnapshotEntry]) -> tuple[list[str], list[str]]:
    """Write the data rows, recording each cell in the snapshot; returns the unlocked status and date
    cells, which get their data validation afterwards."""
    from openpyxl.utils import get_column_letter

    key_col = len(columns) + 1
    status_cells: list[str] = []
    date_cells: list[str] = []
    for r, row in enumerate(rows, start=FIRST_DATA_ROW):
        lines = 1
        for c, col in enumerate(columns, start=1):
            value = written_value(row.values.get(col.field))
            cell = guard(ws.cell(row=r, column=c, value=value))
            cell.font, cell.border = styles.body_font, styles.border
            cell.alignment = styles.wrap if col.wrap else styles.centre_tight
            if col.kind == "date":
                cell.number_format = DATE_FORMAT
                cell.alignment = styles.centre
            elif col.kind in ("int", "status"):
                cell.alignment = styles.centre_tight
            editable = col.field in row.editable
            if editable:
                cell.protection = styles.unlocked
                cell.fill = styles.fill_in
                letter = get_column_letter(c)
                if col.kind == "status":
                    status_cells.append(f"{letter}{r}")
                elif col.kind == "date":
                    date_cells.append(f"{letter}{r}")
            snapshot.append((sheet_name, row.key, col.field, 0 if editable else 1, digest(value)))
            if col.wrap and value is not None:
                lines = max(lines, _lines(_display(value), col.width))
        if row.editable:
            lines = max(lines, FILL_IN_LINES)
        ws.cell(row=r, column=key_col, value=row.key)
        ws.row_dimensions[r].height = min(MAX_ROW_HEIGHT, max(24, lines * POINTS_PER_LINE + 6))
    return status_cells, date_cells


def _add_validations(ws: Any, status_cells: Sequence[str], date_cells: Sequence[str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    if status_cells:
        choices = DataValidation(type="list", formula1='"' + ",".join(UNIT_STATUSES) + '"', allow_blank=False,
                                 showErrorMessage=True, errorTitle="完成情况",
                                 error="请从下拉列表中选择：" + "、".join(UNIT_STATUSES) + "。",
                                 showInputMessage=True, promptTitle="完成情况",
                                 prompt="选择“已完成”时，请同时填写完成时间和佐证材料目录。")
        ws.add_data_validation(choices)
        for ref in status_cells:
            choices.add(ref)
    if date_cells:
        from openpyxl.utils.datetime import to_excel

        dates = DataValidation(type="date", operator="between", formula1=str(int(to_excel(dt.date(2000, 1, 1)))),
                               formula2=str(int(to_excel(dt.date(2099, 12, 31)))), allow_blank=True,
                               showErrorMessage=True, errorTitle="完成时间",
                               error="请填写日期，例如 2026-11-30。", showInputMessage=True,
                               promptTitle="完成时间", prompt="整改完成的日期，例如 2026-11-30。")
        ws.add_data_validation(dates)
        for ref in date_cells:
            dates.add(ref)


def _set_up_printing(ws: Any, last: int, last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.print_title_rows = f"{HEADER_ROWS[0]}:{HEADER_ROWS[-1]}"
    ws.print_area = f"A1:{get_column_letter(last)}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = BODY_FONT


def _write_meta_sheet(wb: Any, book: LedgerBook, snapshot: Sequence[_SnapshotEntry], password: str) -> None:
    meta = wb.create_sheet(META_SHEET)
    header = [
        (FORMAT_MARK, FORMAT_VERSION),
        ("export_id", str(book.export_id)),
        ("inspection_id", str(book.inspection_id)),
        ("inspection_name", book.inspection_name),
        ("unit_id", str(book.unit_id)),
        ("unit_name", book.unit_name),
        ("exported_at", book.exported_at.isoformat()),
        ("exported_by", book.exported_by),
        ("digest", _snapshot_digest(book.export_id, snapshot)),
    ]
    for r, (name, value) in enumerate(header, start=1):
        meta.cell(row=r, column=1, value=name)
        guard(meta.cell(row=r, column=2, value=cell_value(value)))
    meta.cell(row=len(header) + 2, column=1, value="sheet")
    for c, name in enumerate(("key", "field", "locked", "digest"), start=2):
        meta.cell(row=len(header) + 2, column=c, value=name)
    for r, entry in enumerate(snapshot, start=len(header) + 3):
        for c, value in enumerate(entry, start=1):
            meta.cell(row=r, column=c, value=value)
    meta.sheet_state = "veryHidden"
    _protect(meta, password)


def _snapshot_digest(export_id: uuid.UUID | str, snapshot: Sequence[tuple[Any, ...]]) -> str:
    h = hashlib.sha256(str(export_id).encode())
    for entry in snapshot:
        h.update(("\x1f".join(str(v) for v in entry) + "\x1e").encode("utf-8"))
    return h.hexdigest()


# --- reading ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellProblem:
    """One thing wrong with a returned workbook, located as Excel shows it."""

    sheet: str
    row: int | None
    column: str | None
    header: str | None
    reason: str

    @property
    def place(self) -> str:
        where = f"「{self.sheet}」" if self.sheet else "工作簿"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f" {self.column}列"
        if self.header:
            where += f"（{self.header}）"
        return where

    @property
    def text(self) -> str:
        return f"{self.place}：{self.reason}"


@dataclass(frozen=True)
class ReadCell:
    column: str
    header: str
    value: Any
    is_formula: bool


@dataclass(frozen=True)
class ReadRow:
    sheet: str
    row: int
    key: str | None
    cells: dict[str, ReadCell]


@dataclass
class ReadLedger:
    meta: dict[str, str]
    snapshot: dict[tuple[str, str, str], tuple[bool, str]]
    rows: list[ReadRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def export_id(self) -> str:
        return self.meta.get("export_id", "")


class LedgerFileError(Exception):
    """The file is not a readable 整改台账 workbook at all (the message is for the user)."""


def _check_container(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise LedgerFileError(f"文件过大（{len(data) // (1024 * 1024)} MB），整改台账不会超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise LedgerFileError("文件不是完整的 .xlsx 工作簿（可能未保存完或已损坏），请让被巡察单位重新保存后发送。") from exc
    if broken is not None:
        raise LedgerFileError("文件已损坏（压缩内容校验失败），请让被巡察单位重新保存后发送。")
    if unpacked > MAX_UNPACKED_BYTES:
        raise LedgerFileError("文件内容过大，不像是整改台账，未导入。")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise LedgerFileError("工作簿含有宏，不能导入。请另存为不含宏的 .xlsx 工作簿后再导入。")
    if "xl/workbook.xml" not in names:
        raise LedgerFileError("文件不是 .xlsx 工作簿，请使用导出的整改台账填写。")


def read_ledger(data: bytes) -> ReadLedger:
    """Read a returned workbook: its metadata, the exported snapshot, and every data row's cells.

    Raises LedgerFileError when the file cannot be a ledger at all; problems of single cells are
    collected in `problems` so they can all be reported at once.
    """
    from openpyxl import load_workbook

    _check_container(data)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise LedgerFileError(f"无法读取该工作簿：{exc}") from exc
    if META_SHEET not in wb.sheetnames:
        raise LedgerFileError("这不是本系统导出的整改台账（缺少校验信息），请使用“导出整改台账”生成的文件填写。")
    meta_ws = wb[META_SHEET]
    meta: dict[str, str] = {}
    snapshot: dict[tuple[str, str, str], tuple[bool, str]] = {}
    entries: list[tuple[str, str, str, int, str]] = []
    in_table = False
    for row in meta_ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "sheet":
            in_table = True
            continue
        if not in_table:
            meta[str(row[0])] = canonical(row[1] if len(row) > 1 else None)
            continue
        sheet, key, name, locked, value_digest = (canonical(v) for v in (row + (None,) * 5)[:5])
        entries.append((sheet, key, name, int(locked or 0), value_digest))
        snapshot[(sheet, key, name)] = (locked == "1", value_digest)
    if meta.get(FORMAT_MARK) != str(FORMAT_VERSION):
        raise LedgerFileError("这不是本系统导出的整改台账，或由更新版本导出，无法导入。")
    result = ReadLedger(meta, snapshot)
    if meta.get("digest") != _snapshot_digest(meta.get("export_id", ""), entries):
        result.problems.append(CellProblem(META_SHEET, None, None, None,
                                           "工作簿的校验信息被改动过，无法确认哪些内容由被巡察单位填写。"))
    for sheet_name in SHEETS:
        if sheet_name not in wb.sheetnames:
            result.problems.append(CellProblem(sheet_name, None, None, None, "工作表缺失（不得删除或改名）。"))
            continue
        _read_sheet(wb[sheet_name], sheet_name, result)
    return result


def _read_sheet(ws: Any, sheet_name: str, result: ReadLedger) -> None:
    from openpyxl.utils import get_column_letter

    expected = {c.header: c for c in COLUMNS[sheet_name]}
    header_row, positions, key_position = None, {}, None
    above: list[str] = []
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=10, values_only=True), start=1):
        texts = [canonical(v) for v in row]
        if KEY_HEADER in texts:
            header_row, key_position = r, texts.index(KEY_HEADER)
            # A column without a group has its header in the row above, merged down over this one.
            texts = [t or (above[i] if i < len(above) else "") for i, t in enumerate(texts)]
            positions = {expected[t].field: i for i, t in enumerate(texts) if t in expected}
            break
        above = texts
    if header_row is None or key_position is None:
        result.problems.append(CellProblem(sheet_name, None, None, None, "找不到表头（校验编号列），工作表结构被改动。"))
        return
    missing = [c.header for c in COLUMNS[sheet_name] if c.field not in positions]
    if missing:
        result.problems.append(CellProblem(sheet_name, header_row, None, None,
                                           f"缺少「{'」「'.join(missing)}」列（不得删除或改名）。"))
        return
    headers = {c.field: c.header for c in COLUMNS[sheet_name]}
    count = 0
    for r, cells in enumerate(ws.iter_rows(min_row=header_row + 1), start=header_row + 1):
        values = {f: cells[i] if i < len(cells) else None for f, i in positions.items()}
        key_cell = cells[key_position] if key_position < len(cells) else None
        key = canonical(key_cell.value) if key_cell is not None else ""
        if not key and all(c is None or canonical(c.value) == "" for c in values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            result.problems.append(CellProblem(sheet_name, r, None, None, f"行数超过{MAX_ROWS}行，不像是整改台账。"))
            return
        read = {}
        for f, cell in values.items():
            if cell is None:
                continue
            is_formula = cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s"
                                                  and cell.value.startswith("="))
            read[f] = ReadCell(get_column_letter(positions[f] + 1), headers[f], cell.value, is_formula)
        result.rows.append(ReadRow(sheet_name, r, key or None, read))


def parse_date(value: object) -> dt.date | None:
    """A date as a unit types it: a date cell, 2026-11-30, 2026/11/30, 2026.11.30 or 2026年11月30日.
    Raises ValueError for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if 36526 <= value <= 73051:  # 2000-01-01 … 2099-12-31 as spreadsheet serial numbers
            return from_excel(value).date()
        raise ValueError(value)
    text = str(value).strip().replace("年", "-").replace("月", "-").replace("日", "")
    for sep in ("/", ".", "／", "－"):
        text = text.replace(sep, "-")
    parts = text.split("-")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(value)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))

