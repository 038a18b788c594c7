"""Entry points: an OfficialDocument or a RegisterTable in, PDF out."""

from __future__ import annotations

import dataclasses
import os
from typing import BinaryIO

from . import geometry as g
from ._canvas import new_canvas
from .colophon import build_banji, draw_banji, draw_page_number, draw_record_footer
from .fonts import FontSet, FontUsage, Role
from .gbt9704 import BreakItem, Composer, Item, LineItem, Page, blank_lines, draw_placed, paginate
from .masthead import draw_copy_number, draw_letter, draw_standard
from .model import OfficialDocument, RenderResult
from .text import Span
from .watermark import draw_watermark
from .words import line_breaks_allowed


def copy_numbers(doc: OfficialDocument, copies: int | None) -> list[str | None]:
    """份号 of each printed copy: six digits (GB/T 9704 7.2.1), on classified documents only."""
    if copies is None:
        # A classified document always carries its 份号: one copy is copy 000001.
        return [doc.copy_number or ("000001" if doc.secrecy else None)]
    if copies < 1:
        raise ValueError("copies must be at least 1")
    if not (doc.secrecy or doc.copy_number):
        return [None] * copies
    return [f"{k:06d}" for k in range(1, copies + 1)]


def _first_slot_for(doc: OfficialDocument, canv, c: Composer) -> int:
    if doc.layout == "letter":
        return draw_letter(canv, c, doc)
    return draw_standard(canv, c, doc)


def _body_items(c: Composer, doc: OfficialDocument) -> list[Item]:
    items: list[Item] = list(c.title(doc.title, doc.keep_together))
    if doc.addressee:
        items += blank_lines(1, discardable=False)
        addressee = doc.addressee.rstrip("：:") + "："
        # The 主送机关 breaks between organisations (after 、), never inside a name.
        allowed = line_breaks_allowed(addressee, [*doc.keep_together, *addressee.rstrip("：").split("、")])
        items += [LineItem(ln) for ln in c.lines([Span(addressee, Role.FANGSONG, g.SIZE_SAN)], align="left",
                                                  breaks=allowed)]
    else:
        items += blank_lines(1, discardable=False)
    last = items[len(items) - 1]
    assert not isinstance(last, BreakItem)  # the title block ends with a line
    last.keep_next = True  # the title block stays with the first body line
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
    items += note
    items += sig
    many = len(doc.attachments) > 1
    for k, att in enumerate(doc.attachments, 1):
        items += c.attachment(att, k if many else None)
    return items


def _keep_last_line_with_next(items: list[Item]) -> None:
    for it in reversed(items):
        if isinstance(it, LineItem) and it.line is not None:
            it.keep_next = True
            return


def _place_banji(pages: list[Page], banji_slots: int) -> tuple[int, set[int]]:
    """Where the 版记 goes (page index) and which pages carry no number.

    GB/T 9704 7.4/7.5: the 版记 sits at the foot of the last page, which in a document of more than
    one page must be an even page (the back of the last sheet). When it would fall on an odd page, a
    blank page goes before it, and neither that blank page nor the 版记 page is numbered.
    """
    n = len(pages)
    fits = pages[-1].next_slot + 1 + banji_slots <= g.LINES_PER_PAGE  # one free line above its rule
    if fits and (n == 1 or n % 2 == 0):
        return n - 1, set()
    if fits:
        pages.append(Page())  # odd last page: the 版记 moves to the even page after it
        return n, set()
    if (n + 1) % 2 == 0:
        pages.append(Page())
        return n, set()
    pages += [Page(), Page()]
    return n + 1, {n, n + 1}


def render(
    doc: OfficialDocument,
    out: str | os.PathLike | BinaryIO,
    *,
    fonts: FontSet | None = None,
    watermark: str | None = None,
    copies: int | None = None,
) -> RenderResult:
    """Write doc as a GB/T 9704 PDF to out (a path or a binary file object).

    copies: print that many copies one after another, each numbered with its own 份号 when the
    document is classified (000001, 000002 …). Each page is drawn once, as a form the copies share.
    """
    numbers = copy_numbers(doc, copies)
    fonts = fonts or FontSet.default()
    usage = FontUsage()
    c = Composer(fonts, usage, doc.keep_together)
    canv = new_canvas(out, (g.PAGE_W, g.PAGE_H), doc.title, doc.author or (doc.signature or ""),
                      fonts.font_name(Role.FANGSONG))
    many = len(numbers) > 1
    # The head's layout reserves the 份号 line; the number itself is drawn per copy.
    head_doc = dataclasses.replace(doc, copy_number="000000" if numbers[0] else None)
    if many:
        canv.beginForm("xc-page-1")
    # Page 1's head decides where the grid starts, so it is drawn before pagination.
    first_slot = _first_slot_for(head_doc, canv, c)
    pages = paginate(_body_items(c, doc), first_slot)
    banji = build_banji(c, doc)
    banji_page, unnumbered = -1, set[int]()
    if banji is not None:
        banji_page, unnumbered = _place_banji(pages, banji.slots)

    total = len(pages)
    for k, page in enumerate(pages):
        n = k + 1
        if many and k:
            canv.beginForm(f"xc-page-{n}")
        for placed in page.placed:
            draw_placed(canv, placed)
        if k == banji_page and banji is not None:
            draw_banji(canv, banji)
        if doc.footer == "record":
            draw_record_footer(canv, c, doc.record_sign, n, total)
        elif not (doc.layout == "letter" and n == 1) and k not in unnumbered:  # 信函格式: 首页不显示页码
            draw_page_number(canv, c, n)
        if watermark:
            draw_watermark(canv, watermark, g.PAGE_W, g.PAGE_H, fonts, usage)
        if many:
            canv.endForm()
        else:
            if k == 0 and numbers[0]:
                draw_copy_number(canv, c, head_doc, numbers[0])
            canv.showPage()
    if many:
        for number in numbers:
            for n in range(1, total + 1):
                canv.doForm(f"xc-page-{n}")
                if n == 1 and number:
                    draw_copy_number(canv, c, head_doc, number)
                canv.showPage()
    canv.save()
    return RenderResult(page_count=total, font_report=fonts.report(usage))
