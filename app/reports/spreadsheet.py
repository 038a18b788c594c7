"""Cells every spreadsheet export writes through, so that text from the database stays text.

A finding titled `=HYPERLINK("http://x","y")`, or a unit whose notes begin with `+`, `-` or `@`, would
otherwise reach Excel, WPS or LibreOffice as a formula (OWASP: "CSV/formula injection"): openpyxl
turns any string starting with `=` into a formula cell, and a text cell starting with one of the
trigger characters becomes a formula as soon as someone edits it. Such a value is written as a
string cell with Excel's quote prefix (what typing a leading apostrophe stores): it shows exactly
as written, prints as written, and stays text when edited.

Characters XML cannot hold (control characters pasted from other programs) are dropped, and text is
cut to the 32,767 characters a cell holds, with a marker saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

# OWASP's list: formula starters, and tab / carriage return, which some programs strip first.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767
CUT_MARKER = "……（内容过长，以下从略）"


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """The text as a cell can hold it: no characters XML forbids, at most MAX_CELL_CHARS long."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(CUT_MARKER)] + CUT_MARKER
    return text


def cell_value(value: object) -> object:
    """A database value as a cell should hold it (datetimes in local time without zone, text cleaned)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, (int, float, dt.date)):
        return value
    return clean_text(str(value))


def guard(cell: Any) -> Any:
    """Make a cell that holds formula-looking text a plain text cell; returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(sheet: Any, row: int, column: int, value: object) -> Any:
    """Write one value into a worksheet cell, as data, never as a formula; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    return guard(cell)


def append_row(sheet: Any, values: Iterable[object]) -> int:
    """`sheet.append` for data: every value stays data. Returns the row number written."""
    values = [cell_value(v) for v in values]
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if is_formula_like(value):
            guard(sheet.cell(row=row, column=column))
    return row


def write_only_cell(sheet: Any, value: object, **style: Any) -> Any:
    """A cell for a write-only worksheet, holding `value` as data, with the given style attributes."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=cell_value(value))
    for name, setting in style.items():
        setattr(cell, name, setting)
    return guard(cell)


def write_only_row(sheet: Any, values: Iterable[object]) -> list[Any]:
    """A row for a write-only worksheet's `append`: plain values, and a text cell wherever a value
    looks like a formula (a cell object per value would slow a 100,000-row export down)."""
    row = []
    for value in values:
        value = cell_value(value)
        row.append(write_only_cell(sheet, value) if is_formula_like(value) else value)
    return row
