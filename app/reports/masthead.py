"""版头: 份号/密级/紧急程度, red 发文机关标志, 发文字号 (and 签发人), the red rule — standard and 信函格式.

Each function draws page 1's head and returns the grid line where the title starts.
"""

from __future__ import annotations

from . import geometry as g
from .fonts import Role
from .gbt9704 import Composer
from .model import OfficialDocument
from .text import Line, Span, draw_line

STANDARD_MARK_SIZE = 42.0  # 初号; the standard leaves the size to the issuer
LETTER_MARK_SIZE = 30.0
MIN_MARK_SCALE = 0.4  # below this the compressed characters stop looking like a 标志


def _mark_line(c: Composer, text: str, size: float) -> tuple[Line, float]:
    """The 标志 on one line and the horizontal scale that fits it into the text block."""
    line = c.lines([Span(text, Role.XIAOBIAOSONG, size, g.RED)], align="left", width=1e6, tracking=0.0)[0]
    scale = min(1.0, g.BLOCK_W / line.width) if line.width else 1.0
    return line, max(scale, MIN_MARK_SCALE)


def _draw_mark(canvas, line: Line, scale: float, top: float) -> float:
    """Draw the 标志 centred with its character tops at top; returns the bottom of its characters."""
    base = top - g.EM_ASCENT * line.size
    canvas.saveState()
    # Squeeze horizontally only, as issuers do for long names; Tz scales glyphs and spacing alike.
    x = g.LEFT + (g.BLOCK_W - line.width * scale) / 2
    canvas.translate(x, base)
    canvas.scale(scale, 1.0)
    draw_line(canvas, line, 0.0, line.width, 0.0)
    canvas.restoreState()
    return base - g.EM_DESCENT * line.size


def _top_left_elements(doc: OfficialDocument) -> list[tuple[str, Role]]:
    out = []
    if doc.copy_number:
        out.append((doc.copy_number, Role.HEITI))
    if doc.secrecy:
        out.append((doc.secrecy, Role.HEITI))
    if doc.urgency:
        out.append((doc.urgency, Role.HEITI))
    return out


def _top_left_slots(doc: OfficialDocument) -> list[tuple[int, str]]:
    """份号 on line 1, 密级和保密期限 on line 2, 紧急程度 below whatever precedes it (GB/T 9704 7.2)."""
    out = []
    if doc.copy_number:
        out.append((0, doc.copy_number))
    if doc.secrecy:
        out.append((1, doc.secrecy))
    if doc.urgency:
        out.append((out[-1][0] + 1 if out else 0, doc.urgency))
    return out


def draw_copy_number(canvas, c: Composer, doc: OfficialDocument, number: str) -> None:
    """份号 at its place on page 1 (drawn per copy; the head functions only reserve its line)."""
    ln = c.lines([Span(number, Role.HEITI, g.SIZE_SAN)], align="left", tracking=0.0)[0]
    if doc.layout == "letter":
        top = _letter_first_top(c, doc)
        draw_line(canvas, ln, g.LEFT, g.BLOCK_W, top - g.EM_ASCENT * g.SIZE_SAN)
    else:
        draw_line(canvas, ln, g.LEFT, g.BLOCK_W, g.baseline(0))


def draw_standard(canvas, c: Composer, doc: OfficialDocument) -> int:
    slots = _top_left_slots(doc)
    for slot, text in slots:
        if doc.copy_number and slot == 0:
            continue  # 份号: drawn per copy by draw_copy_number
        for ln in c.lines([Span(text, Role.HEITI, g.SIZE_SAN)], align="left")[:1]:
            draw_line(canvas, ln, g.LEFT, g.BLOCK_W, g.baseline(slot))
    if not doc.issuer_mark:
        # No 版头: the title follows the marks after one blank line, or opens the page.
        return slots[-1][0] + 2 if slots else 0
    line, scale = _mark_line(c, doc.issuer_mark, doc.mark_size or STANDARD_MARK_SIZE)
    mark_bottom = _draw_mark(canvas, line, scale, g.BLOCK_TOP - g.MARK_TOP_FROM_BLOCK)
    slot = g.slot_at_or_below(mark_bottom - 2 * g.LINE_PITCH)  # 标志下空二行
    _draw_number_line(canvas, c, doc, slot)
    rule_y = g.slot_top(slot) - g.SIZE_SAN - g.RULE_BELOW_NUMBER
    canvas.saveState()
    canvas.setStrokeColorRGB(*g.RED)
    canvas.setLineWidth(g.RED_RULE_WIDTH)
    canvas.line(g.LEFT, rule_y, g.RIGHT, rule_y)
    canvas.restoreState()
    return g.slot_at_or_below(rule_y - 2 * g.LINE_PITCH)  # 分隔线下空二行


def _draw_number_line(canvas, c: Composer, doc: OfficialDocument, slot: int) -> None:
    y = g.baseline(slot)
    number = doc.doc_number or ""
    if not doc.signers:
        if number:
            ln = c.lines([Span(number, Role.FANGSONG, g.SIZE_SAN)], align="center")[0]
            draw_line(canvas, ln, g.LEFT, g.BLOCK_W, y)
        return
    # 上行文: 发文字号 居左空一字, 签发人 居右空一字 on the same line.
    if number:
        ln = c.lines([Span(number, Role.FANGSONG, g.SIZE_SAN)], first_indent=g.CHAR_PITCH, align="left")[0]
        draw_line(canvas, ln, g.LEFT, g.BLOCK_W, y)
    spans = [Span("签发人：", Role.FANGSONG, g.SIZE_SAN), Span("　".join(doc.signers), Role.KAITI, g.SIZE_SAN)]
    ln = c.lines(spans, align="right", first_indent=g.CHAR_PITCH)[0]
    draw_line(canvas, ln, g.LEFT, g.BLOCK_W, y)


def _double_rule(canvas, y_edge: float, thick_first: bool, downward: bool) -> None:
    """Two red rules 170 mm long, centred on the text block; y_edge is the outer edge of the pair."""
    x0 = g.LEFT + g.BLOCK_W / 2 - g.LETTER_RULE_LEN / 2
    widths = (g.LETTER_THICK, g.LETTER_THIN) if thick_first else (g.LETTER_THIN, g.LETTER_THICK)
    sign = -1 if downward else 1
    y = y_edge
    canvas.saveState()
    canvas.setFillColorRGB(*g.RED)
    for k, w in enumerate(widths):
        if k:
            y += sign * g.LETTER_RULE_GAP
        y0 = y if not downward else y - w
        canvas.rect(x0, y0, g.LETTER_RULE_LEN, w, stroke=0, fill=1)
        y += sign * w
    canvas.restoreState()


def _letter_mark_bottom(c: Composer, doc: OfficialDocument) -> float:
    top = g.PAGE_H - g.LETTER_MARK_TOP
    if not doc.issuer_mark:
        return top
    line, _scale = _mark_line(c, doc.issuer_mark, doc.mark_size or LETTER_MARK_SIZE)
    return top - g.EM_ASCENT * line.size - g.EM_DESCENT * line.size


def _letter_first_top(c: Composer, doc: OfficialDocument) -> float:
    rule_top = _letter_mark_bottom(c, doc) - 4 * g.MM
    rule_bottom = rule_top - g.LETTER_THICK - g.LETTER_RULE_GAP - g.LETTER_THIN
    return rule_bottom - 7 / 8 * g.SIZE_SAN


def draw_letter(canvas, c: Composer, doc: OfficialDocument) -> int:
    top = g.PAGE_H - g.LETTER_MARK_TOP
    mark_bottom = top
    if doc.issuer_mark:
        line, scale = _mark_line(c, doc.issuer_mark, doc.mark_size or LETTER_MARK_SIZE)
        mark_bottom = _draw_mark(canvas, line, scale, top)
    rule_top = mark_bottom - 4 * g.MM
    _double_rule(canvas, rule_top, thick_first=True, downward=True)  # 上粗下细
    rule_bottom = rule_top - g.LETTER_THICK - g.LETTER_RULE_GAP - g.LETTER_THIN
    _double_rule(canvas, g.LETTER_RULE_BOTTOM, thick_first=True, downward=False)  # 下粗上细
    # First element 7/8 of a 三号 character below the rule.
    first_top = rule_bottom - 7 / 8 * g.SIZE_SAN
    elements = _top_left_elements(doc)
    last_bottom = first_top - g.SIZE_SAN
    for i, (text, role) in enumerate(elements):
        t = first_top - i * g.LINE_PITCH
        last_bottom = t - g.SIZE_SAN
        if i == 0 and doc.copy_number:
            continue  # 份号: drawn per copy by draw_copy_number
        ln = c.lines([Span(text, role, g.SIZE_SAN)], align="left")[0]
        draw_line(canvas, ln, g.LEFT, g.BLOCK_W, t - g.EM_ASCENT * g.SIZE_SAN)
    if doc.doc_number:
        ln = c.lines([Span(doc.doc_number, Role.FANGSONG, g.SIZE_SAN)], align="right")[0]
        draw_line(canvas, ln, g.LEFT, g.BLOCK_W, first_top - g.EM_ASCENT * g.SIZE_SAN)
    return g.slot_at_or_below(last_bottom - 2 * g.LINE_PITCH)  # 标题与其上最后一个要素相距二行
