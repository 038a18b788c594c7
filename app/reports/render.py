"""Entry points: an OfficialDocument or a RegisterTable in, PDF out."""

from __future__ import annotations

import os
from typing import BinaryIO

from . import geometry as g
from ._canvas import new_canvas
from .colophon import build_banji, draw_banji, draw_page_number
from .fonts import FontSet, FontUsage, Role
from .gbt9704 import Composer, Item, LineItem, Page, blank_lines, draw_placed, paginate
from .masthead import draw_letter, draw_standard
from .model import OfficialDocument, RenderResult
from .text import Span
from .watermark import draw_watermark


def _first_slot_for(doc: OfficialDocument, canv, c: Composer) -> int:
    if doc.layout == "letter":
        return draw_letter(canv, c, doc)
    return draw_standard(canv, c, doc)


def _body_items(c: Composer, doc: OfficialDocument) -> list[Item]:
    items: list[Item] = list(c.title(doc.title))
    if doc.addressee:
        items += blank_lines(1, discardable=False)
        addressee = doc.addressee.rstrip("：:") + "："
        items += [LineItem(ln) for ln in c.lines([Span(addressee, Role.FANGSONG, g.SIZE_SAN)], align="left")]
    else:
        items += blank_lines(1, discardable=False)
    items[len(items) - 1].keep_next = True  # the title block stays with the first body line
    body = c.blocks(doc.body)
    items += body
    note_names = doc.attachments_note if doc.attachments_note is not None else [a.title for a in doc.attachments]
    note = c.attachment_note(note_names)
    sig = c.signature(doc)
    if sig:
        # The seal must never stand on a page without body text: the last body line, the 附件说明
        # and the signature travel together.
        _keep_last_line_with_next(items)
        for it in note:
            if isinstance(it, LineItem):
                it.keep_next = True
    items += note + sig
    many = len(doc.attachments) > 1
    for k, att in enumerate(doc.attachments, 1):
        items += c.attachment(att, k if many else None)
    return items


def _keep_last_line_with_next(items: list[Item]) -> None:
    for it in reversed(items):
        if isinstance(it, LineItem) and it.line is not None:
            it.keep_next = True
            return


def render(
    doc: OfficialDocument,
    out: str | os.PathLike | BinaryIO,
    *,
    fonts: FontSet | None = None,
    watermark: str | None = None,
) -> RenderResult:
    """Write doc as a GB/T 9704 PDF to out (a path or a binary file object)."""
    fonts = fonts or FontSet.default()
    usage = FontUsage()
    c = Composer(fonts, usage)
    canv = new_canvas(out, (g.PAGE_W, g.PAGE_H), doc.title, doc.author or (doc.signature or ""),
                      fonts.font_name(Role.FANGSONG))

    # Page 1's head decides where the grid starts, so it is drawn before pagination.
    first_slot = _first_slot_for(doc, canv, c)
    pages = paginate(_body_items(c, doc), first_slot)
    banji = build_banji(c, doc)
    if banji is not None:
        last = pages[-1]
        # One free grid line between the last text and the 版记's top rule.
        if last.next_slot + 1 + banji.slots > g.LINES_PER_PAGE:
            pages.append(Page())

    for n, page in enumerate(pages, 1):
        for placed in page.placed:
            draw_placed(canv, placed)
        if n == len(pages) and banji is not None:
            draw_banji(canv, banji)
        if not (doc.layout == "letter" and n == 1):  # 信函格式: 首页不显示页码
            draw_page_number(canv, c, n)
        if watermark:
            draw_watermark(canv, watermark, g.PAGE_W, g.PAGE_H, fonts, usage)
        canv.showPage()
    canv.save()
    return RenderResult(page_count=len(pages), font_report=fonts.report(usage))
