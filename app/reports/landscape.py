"""Landscape registers (台账): a title, a long ruled table whose header repeats on every page, 页码."""

from __future__ import annotations

import os
from typing import BinaryIO

from reportlab.lib.pagesizes import A4, landscape

from . import geometry as g
from ._canvas import new_canvas
from .fonts import FontSet, FontUsage, Role
from .model import RegisterTable, RenderResult
from .tables import build_table
from .text import Span, balanced_layout, draw_line, layout
from .watermark import draw_watermark

PAGE_W, PAGE_H = landscape(A4)
MARGIN_X = 20.0 * g.MM
MARGIN_TOP = 20.0 * g.MM
MARGIN_BOTTOM = 22.0 * g.MM
BLOCK_W = PAGE_W - 2 * MARGIN_X
BLOCK_TOP = PAGE_H - MARGIN_TOP
BLOCK_BOTTOM = MARGIN_BOTTOM
TITLE_PITCH = 1.5 * g.SIZE_ER
SUB_SIZE = 12.0  # 小四: the subtitle holds on one line, leaving the page to the rows
GAP = 8.0
# A register is read row by row, a dozen problems or more to a page: tighter lines than a 公文's table.
REGISTER_LEADING = 1.2
REGISTER_PAD_Y = 2.0


def render_register(
    table: RegisterTable,
    out: str | os.PathLike | BinaryIO,
    *,
    fonts: FontSet | None = None,
    watermark: str | None = None,
) -> RenderResult:
    fonts = fonts or FontSet.default()
    usage = FontUsage()
    canv = new_canvas(out, (PAGE_W, PAGE_H), table.title, table.author, fonts.font_name(Role.FANGSONG))

    y = BLOCK_TOP
    for ln in balanced_layout([Span(table.title, Role.XIAOBIAOSONG, g.SIZE_ER)], BLOCK_W, fonts, usage=usage):
        draw_line(canv, ln, MARGIN_X, BLOCK_W, y - g.EM_ASCENT * g.SIZE_ER)
        y -= TITLE_PITCH
    if table.subtitle:
        for ln in balanced_layout([Span(table.subtitle, Role.FANGSONG, SUB_SIZE)], BLOCK_W, fonts, usage=usage):
            draw_line(canv, ln, MARGIN_X, BLOCK_W, y - g.EM_ASCENT * SUB_SIZE)
            y -= 1.5 * SUB_SIZE
    y -= GAP

    cols = table.columns
    tbl = build_table([[c.header for c in cols]], table.rows, BLOCK_W, fonts, usage,
                      col_widths=[c.width for c in cols], align=[c.align for c in cols],
                      font_size=table.font_size, max_row_height=BLOCK_TOP - BLOCK_BOTTOM,
                      leading=REGISTER_LEADING, pad_y=REGISTER_PAD_Y)
    pages = 1
    pending = [tbl]
    while pending:
        part = pending.pop(0)
        avail = y - BLOCK_BOTTOM
        _w, h = part.wrap(BLOCK_W, avail)
        if h <= avail + 0.01:
            part.drawOn(canv, MARGIN_X, y - h)
            y -= h
            continue
        pieces = part.split(BLOCK_W, avail)
        if len(pieces) >= 2 and pieces[-1].wrap(BLOCK_W, BLOCK_TOP - BLOCK_BOTTOM)[1] >= h - 0.01:
            pieces = []  # no progress: carrying the rest over would never end
        if len(pieces) >= 2:
            first = pieces[0]
            _w, h = first.wrap(BLOCK_W, avail)
            first.drawOn(canv, MARGIN_X, y - h)
            pending[:0] = pieces[1:]
        elif y < BLOCK_TOP:
            pending.insert(0, part)
        else:
            part.drawOn(canv, MARGIN_X, y - h)  # taller than a page and unsplittable: draw, clipped
        _finish_page(canv, pages, fonts, usage, watermark)
        pages += 1
        y = BLOCK_TOP

    if table.note:
        lines = layout([Span(table.note, Role.FANGSONG, g.SIZE_XIAOSI)], BLOCK_W, fonts, usage=usage)
        pitch = 1.5 * g.SIZE_XIAOSI
        if y - GAP - len(lines) * pitch < BLOCK_BOTTOM:
            _finish_page(canv, pages, fonts, usage, watermark)
            pages += 1
            y = BLOCK_TOP
        y -= GAP
        for ln in lines:
            draw_line(canv, ln, MARGIN_X, BLOCK_W, y - g.EM_ASCENT * g.SIZE_XIAOSI)
            y -= pitch
    _finish_page(canv, pages, fonts, usage, watermark)
    canv.save()
    return RenderResult(page_count=pages, font_report=fonts.report(usage))


def _finish_page(canv, n: int, fonts: FontSet, usage: FontUsage, watermark: str | None) -> None:
    line = layout([Span(f"— {n} —", Role.SONGTI, g.SIZE_SI)], BLOCK_W, fonts, align="center", usage=usage)[0]
    base = BLOCK_BOTTOM - g.PAGE_NUMBER_GAP - 0.35 * g.SIZE_SI
    draw_line(canv, line, MARGIN_X, BLOCK_W, base)
    if watermark:
        draw_watermark(canv, watermark, PAGE_W, PAGE_H, fonts, usage)
    canv.showPage()
