"""Lay out an OfficialDocument on the GB/T 9704-2012 page: 版头, 主体, 版记, 页码.

Everything below the 版头 sits on the standard's grid of 22 lines per page (a line every 225/22 mm),
the way a word processor with 文档网格 places it. Fixed-position parts (标志, red rules, 版记, page
numbers) are drawn at their measured positions. Work happens in two steps: the document becomes a
list of items (grid lines, tables, breaks), then the items are paginated and drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Table as RLTable

from app.numerals import cn_number

from . import geometry as g
from .fonts import FontSet, FontUsage, Role
from .model import Attachment, Blank, Block, Heading, OfficialDocument, PageBreak, Paragraph, Table, cn_date
from .tables import build_table
from .text import Line, Span, balanced_layout, draw_line, layout, text_width
from .words import word_breaks

HEADING_ROLE = {1: Role.HEITI, 2: Role.KAITI, 3: Role.FANGSONG, 4: Role.FANGSONG}


def heading_label(level: int, n: int) -> str:
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


# --- items -----------------------------------------------------------------------------------------

@dataclass
class LineItem:
    line: Line | None  # None: a blank grid line
    keep_next: bool = False
    discardable: bool = False  # a blank that is dropped when it would open a page


@dataclass
class TableItem:
    table: RLTable
    keep_next: bool = False


@dataclass
class BreakItem:
    pass


Item = LineItem | TableItem | BreakItem


@dataclass
class Placed:
    slot: int
    item: LineItem | TableItem
    height: float = 0.0  # tables only


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)
    next_slot: int = 0


def blank_lines(n: int = 1, discardable: bool = True, keep_next: bool = False) -> list[LineItem]:
    return [LineItem(None, keep_next=keep_next, discardable=discardable) for _ in range(n)]


class Composer:
    """Turns document parts into grid items, with the font set and the usage record of one render."""

    def __init__(self, fonts: FontSet, usage: FontUsage, keep: Sequence[str] = ()):
        self.fonts = fonts
        self.usage = usage
        # Names a line never breaks inside, in the body as in the title (people, units, teams).
        self.keep = sorted({k.strip() for k in keep if k and len(k.strip()) > 1}, key=len, reverse=True)

    def keep_breaks(self, text: str) -> set[int] | None:
        """Every break position of text except those inside a name; None when no name occurs."""
        inside: set[int] = set()
        for w in self.keep:
            start = text.find(w)
            while start >= 0:
                inside.update(range(start + 1, start + len(w)))
                start = text.find(w, start + 1)
        if not inside:
            return None
        return set(range(1, len(text))) - inside

    def lines(self, spans: list[Span], *, first_indent: float = 0.0, indent: float = 0.0,
              align: str = "justify", width: float = g.BLOCK_W, tracking: float = g.BODY_TRACKING,
              breaks: set[int] | None = None) -> list[Line]:
        return layout(spans, width, self.fonts, tracking=tracking, first_indent=first_indent, indent=indent,
                      align=align, usage=self.usage, breaks=breaks)

    def width(self, text: str, role: Role = Role.FANGSONG, size: float = g.SIZE_SAN,
              tracking: float = g.BODY_TRACKING) -> float:
        return text_width([Span(text, role, size)], self.fonts, tracking, self.usage)

    def title(self, text: str, keep: Sequence[str] = ()) -> list[LineItem]:
        strict, relaxed = word_breaks(text, keep) if len(text) > 12 else (None, None)
        lines = balanced_layout([Span(text, Role.XIAOBIAOSONG, g.SIZE_ER)], g.BLOCK_W, self.fonts, usage=self.usage,
                                breaks=strict, relaxed=relaxed)
        return [LineItem(ln, keep_next=True) for ln in lines]

    def blocks(self, blocks: list[Block]) -> list[Item]:
        items: list[Item] = []
        counters = [0, 0, 0, 0, 0]
        for b in blocks:
            if isinstance(b, Heading):
                items += self.heading(b, counters)
            elif isinstance(b, Paragraph):
                spans = [Span(b.text, Role.FANGSONG, g.SIZE_SAN)]
                first = 2 * g.CHAR_PITCH if b.indent else 0.0
                items += [LineItem(ln) for ln in self.lines(spans, first_indent=first, align=b.align,
                                                            breaks=self.keep_breaks(b.text))]
            elif isinstance(b, Table):
                tbl = build_table(b.header, b.rows, g.BLOCK_W, self.fonts, self.usage, col_widths=b.col_widths,
                                  align=b.align, font_size=b.font_size)
                items.append(TableItem(tbl))
            elif isinstance(b, Blank):
                items += blank_lines(b.lines)
            elif isinstance(b, PageBreak):
                items.append(BreakItem())
            else:
                raise TypeError(f"unknown block {b!r}")
        return items

    def heading(self, h: Heading, counters: list[int]) -> list[LineItem]:
        role = HEADING_ROLE[h.level]
        label = ""
        if h.numbered:
            counters[h.level] += 1
            for deeper in range(h.level + 1, 5):
                counters[deeper] = 0
            label = heading_label(h.level, counters[h.level])
        spans = [Span(label + h.text, role, g.SIZE_SAN)]
        if h.body:
            stop = "" if h.text[-1:] in "。：；！？:;!?" else "。"
            spans[0] = Span(label + h.text + stop, role, g.SIZE_SAN)
            spans.append(Span(h.body, Role.FANGSONG, g.SIZE_SAN))
        # A heading standing alone breaks between words, like a title; a run-in one flows as text.
        breaks = None
        if not h.body and len(label + h.text) > 12:
            breaks, _relaxed = word_breaks(label + h.text, self.keep)
            breaks |= {i + 1 for i, ch in enumerate(label + h.text) if ch in "，、；："}
        elif h.body:
            breaks = self.keep_breaks("".join(sp.text for sp in spans))
        lines = self.lines(spans, first_indent=2 * g.CHAR_PITCH, breaks=breaks)
        items = [LineItem(ln) for ln in lines]
        if h.body:
            items[0].keep_next = len(items) > 1
        else:
            for it in items:
                it.keep_next = True  # a heading never ends a page
        return items

    def attachment_note(self, names: list[str]) -> list[Item]:
        if not names:
            return []
        items: list[Item] = list(blank_lines(1))
        lead = "附件："
        base = 2 * g.CHAR_PITCH + self.width(lead)
        for k, name in enumerate(names, 1):
            number = f"{k}." if len(names) > 1 else ""
            text = (lead if k == 1 else "") + number + name
            first = 2 * g.CHAR_PITCH if k == 1 else base
            hang = base + self.width(number)
            items += [LineItem(ln) for ln in self.lines([Span(text, Role.FANGSONG, g.SIZE_SAN)],
                                                        first_indent=first, indent=hang, align="left")]
        return items

    def signature(self, doc: OfficialDocument) -> list[LineItem]:
        if not doc.signature and not doc.date:
            return []
        sig = doc.signature or ""
        date = cn_date(doc.date) if doc.date else ""
        ws, wd = self.width(sig), self.width(date)
        if doc.sealed:
            date_x = g.BLOCK_W - 4 * g.CHAR_PITCH - wd
            sig_x = min(date_x + (wd - ws) / 2, g.BLOCK_W - ws)
        else:
            sig_x = g.BLOCK_W - 2 * g.CHAR_PITCH - ws
            date_x = sig_x + 2 * g.CHAR_PITCH
            if date_x + wd > g.BLOCK_W - 2 * g.CHAR_PITCH:
                date_x = g.BLOCK_W - 2 * g.CHAR_PITCH - wd
                sig_x = date_x - 2 * g.CHAR_PITCH
        items = blank_lines(1, keep_next=True)
        for text, x in ((sig, sig_x), (date, date_x)):
            if text:
                ln = self.lines([Span(text, Role.FANGSONG, g.SIZE_SAN)], first_indent=max(0.0, x), align="left")
                items += [LineItem(line, keep_next=True) for line in ln]
        items[-1].keep_next = False
        if doc.note:
            note = doc.note if doc.note.startswith("（") else f"（{doc.note}）"
            items += [LineItem(ln) for ln in self.lines([Span(note, Role.FANGSONG, g.SIZE_SAN)],
                                                        first_indent=2 * g.CHAR_PITCH, align="left")]
        return items

    def attachment(self, att: Attachment, number: int | None) -> list[Item]:
        label = "附件" + (str(number) if number else "")
        items: list[Item] = [BreakItem()]
        items += [LineItem(ln) for ln in self.lines([Span(label, Role.HEITI, g.SIZE_SAN)], align="left")]
        items += blank_lines(1, discardable=False)
        items += self.title(att.title)
        items += blank_lines(1, discardable=False)
        items += self.blocks(att.blocks)
        return items


# --- pagination ------------------------------------------------------------------------------------

def _chain_slots(items: list[Item], i: int) -> int:
    """Grid lines that must stay on one page with item i (it and the items it keeps with)."""
    n = 0
    while i < len(items):
        it = items[i]
        if isinstance(it, BreakItem):
            break
        if isinstance(it, LineItem):
            n += 1
        else:
            # A short table moves whole (see paginate); a longer one must show its header and a row.
            _w, h = it.table.wrap(g.BLOCK_W, g.BLOCK_H)
            n += _slots_for(h) if h <= g.BLOCK_H / 3 else 3
        if not it.keep_next:
            break
        i += 1
    return n


def paginate(items: list[Item], first_slot: int) -> list[Page]:
    pages = [Page(next_slot=first_slot)]
    queue = list(items)
    i = 0
    while i < len(queue):
        it = queue[i]
        page = pages[-1]
        if isinstance(it, BreakItem):
            pages.append(Page())
            i += 1
            continue
        if isinstance(it, LineItem):
            if it.line is None and it.discardable and page.next_slot == 0 and len(pages) > 1:
                i += 1
                continue
            need = min(_chain_slots(queue, i), g.LINES_PER_PAGE)
            if page.next_slot + need > g.LINES_PER_PAGE and page.placed:
                pages.append(Page())
                continue
            page.placed.append(Placed(page.next_slot, it))
            page.next_slot += 1
            i += 1
            continue
        # a table: place what fits, carry the rest to the next page
        avail = (g.LINES_PER_PAGE - page.next_slot) * g.LINE_PITCH
        _w, h = it.table.wrap(g.BLOCK_W, avail)
        if h <= avail + 0.01:
            page.placed.append(Placed(page.next_slot, it, h))
            page.next_slot += _slots_for(h)
            i += 1
            continue
        if h <= g.BLOCK_H / 3 and page.placed:
            pages.append(Page())  # a short table (a signature block, a small list) is never split
            continue
        parts = it.table.split(g.BLOCK_W, avail) if avail > 0 else []
        if len(parts) >= 2 and not _progress(parts, h):
            parts = []
        if len(parts) >= 2:
            first = parts[0]
            _w, h = first.wrap(g.BLOCK_W, avail)
            page.placed.append(Placed(page.next_slot, TableItem(first), h))
            page.next_slot = g.LINES_PER_PAGE
            queue[i:i + 1] = [TableItem(p, it.keep_next) for p in parts[1:]]
            pages.append(Page())
            continue
        if page.placed:
            pages.append(Page())
            continue
        # Not even one row fits an empty page: draw it anyway rather than loop forever.
        page.placed.append(Placed(page.next_slot, it, h))
        page.next_slot = g.LINES_PER_PAGE
        i += 1
    return pages


def _progress(parts: list, height: float) -> bool:
    """Whether a split left less than it started with (else carrying the rest over never ends)."""
    _w, rest = parts[-1].wrap(g.BLOCK_W, g.BLOCK_H)
    return rest < height - 0.01


TABLE_GAP_AFTER = 0.4 * g.LINE_PITCH  # keeps the next line's characters off the table's bottom rule


def _slots_for(height: float) -> int:
    return max(1, math.ceil((height + TABLE_GAP_AFTER) / g.LINE_PITCH - 1e-6))


def draw_placed(canvas, placed: Placed) -> None:
    top = g.slot_top(placed.slot)
    if isinstance(placed.item, TableItem):
        placed.item.table.drawOn(canvas, g.LEFT, top - placed.height)
        return
    line = placed.item.line
    if line is not None:
        draw_line(canvas, line, g.LEFT, g.BLOCK_W, top - g.EM_ASCENT * line.size)
