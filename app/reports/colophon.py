"""版记 (抄送, 印发机关和印发日期 between rules, at the foot of the last page) and 页码."""

from __future__ import annotations

from dataclasses import dataclass

from . import geometry as g
from .fonts import Role
from .gbt9704 import Composer
from .model import OfficialDocument, cn_date
from .text import Line, Span, draw_line

BANJI_INSET = g.SIZE_SI  # 左右各空一字 of the 四号 版记 text
BANJI_PITCH = g.LINE_PITCH


@dataclass
class Banji:
    cc_lines: list[Line]
    printer: Line | None
    date: Line | None
    ruled: bool  # the standard layout has rules; 信函格式 has neither rules nor 印发 line

    @property
    def slots(self) -> int:
        return len(self.cc_lines) + (1 if self.printer or self.date else 0)


def build_banji(c: Composer, doc: OfficialDocument) -> Banji | None:
    letter = doc.layout == "letter"
    cc_lines: list[Line] = []
    if doc.cc:
        text = "，".join(doc.cc)
        if not text.endswith("。"):
            text += "。"
        lead = "抄送："
        hang = c.width(lead, size=g.SIZE_SI, tracking=0.0)
        cc_lines = c.lines([Span(lead + text, Role.FANGSONG, g.SIZE_SI)], width=g.BLOCK_W - 2 * BANJI_INSET,
                           indent=hang, align="justify", tracking=0.0)
    printer = date = None
    if not letter and (doc.printer or doc.print_date):
        if doc.printer:
            printer = c.lines([Span(doc.printer, Role.FANGSONG, g.SIZE_SI)], align="left", tracking=0.0)[0]
        if doc.print_date:
            date = c.lines([Span(cn_date(doc.print_date) + "印发", Role.FANGSONG, g.SIZE_SI)], align="right",
                           tracking=0.0)[0]
    if not cc_lines and printer is None and date is None:
        return None
    return Banji(cc_lines, printer, date, ruled=not letter)


def draw_banji(canvas, b: Banji) -> None:
    """Bottom-up from the text block's lower edge, which the last rule coincides with."""
    y = g.BLOCK_BOTTOM
    inner_left = g.LEFT + BANJI_INSET
    inner_w = g.BLOCK_W - 2 * BANJI_INSET
    rules: list[tuple[float, float]] = [(y, g.BANJI_THICK)]

    def base_in_band(bottom: float) -> float:
        # Centre the em box of 四号 text in a grid-high band.
        return bottom + (BANJI_PITCH - g.SIZE_SI) / 2 + g.EM_DESCENT * g.SIZE_SI

    if b.printer or b.date:
        for ln in (b.printer, b.date):
            if ln is not None:
                draw_line(canvas, ln, inner_left, inner_w, base_in_band(y))
        y += BANJI_PITCH
        if b.cc_lines:
            rules.append((y, g.BANJI_THIN))
    for ln in reversed(b.cc_lines):
        draw_line(canvas, ln, inner_left, inner_w, base_in_band(y))
        y += BANJI_PITCH
    rules.append((y, g.BANJI_THICK))
    if not b.ruled:
        return
    canvas.saveState()
    canvas.setStrokeColorRGB(0, 0, 0)
    for ry, w in rules:
        canvas.setLineWidth(w)
        # Stroke inside the band so the last rule's lower edge lies on the block's edge.
        offset = w / 2 if ry == g.BLOCK_BOTTOM else 0.0
        canvas.line(g.LEFT, ry + offset, g.RIGHT, ry + offset)
    canvas.restoreState()


PAGE_NUMBER_DASH_HEIGHT = 0.35  # em above the baseline where a 宋体 一字线 sits


def page_number_line(c: Composer, n: int) -> Line:
    # Half-width digits between 一字线, separated by half-width spaces: "— 1 —".
    return c.lines([Span(f"— {n} —", Role.SONGTI, g.SIZE_SI)], align="left", width=g.BLOCK_W, tracking=0.0)[0]


def draw_page_number(canvas, c: Composer, n: int) -> None:
    """Odd pages: right, one character in; even pages: left, one character in; 7 mm below the block."""
    line = page_number_line(c, n)
    base = g.BLOCK_BOTTOM - g.PAGE_NUMBER_GAP - PAGE_NUMBER_DASH_HEIGHT * g.SIZE_SI
    x = g.RIGHT - g.SIZE_SI - line.width if n % 2 else g.LEFT + g.SIZE_SI
    draw_line(canvas, line, x, line.width, base)


def draw_record_footer(canvas, c: Composer, sign_label: str, n: int, total: int) -> None:
    """A record's foot (谈话笔录): the signature line on the left, "第 x 页 共 y 页" on the right."""
    base = g.BLOCK_BOTTOM - g.PAGE_NUMBER_GAP - PAGE_NUMBER_DASH_HEIGHT * g.SIZE_SI
    if sign_label:
        label = c.lines([Span(sign_label, Role.FANGSONG, g.SIZE_SI)], align="left", width=g.BLOCK_W, tracking=0.0)[0]
        draw_line(canvas, label, g.LEFT, g.BLOCK_W, base)
        canvas.saveState()
        canvas.setLineWidth(0.5)
        x0 = g.LEFT + label.width + 2
        canvas.line(x0, base - 2, x0 + 40 * g.MM, base - 2)
        canvas.restoreState()
    pages = c.lines([Span(f"第 {n} 页 共 {total} 页", Role.FANGSONG, g.SIZE_SI)], align="left", width=g.BLOCK_W,
                    tracking=0.0)[0]
    draw_line(canvas, pages, g.RIGHT - pages.width, pages.width, base)
