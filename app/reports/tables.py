"""Ruled tables whose cells are set by our own line setter (fallback fonts, 禁则).

ReportLab's Table does the hard parts — column widths, splitting across pages, repeating the header
rows — so only the cell content is ours.
"""

from __future__ import annotations

from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.flowables import Flowable

from .fonts import FontSet, FontUsage, Role
from .geometry import EM_ASCENT
from .text import Line, Span, draw_line, layout, text_width

CELL_PAD_X = 4.0
RULE = 0.6
CELL_PAD_Y = 3.0
LEADING = 1.3  # cell line spacing, in font sizes


class TextCell(Flowable):
    """A table cell's text, set once per width; or a fixed run of lines cut from a taller cell."""

    def __init__(self, spans: list[Span], fonts: FontSet, usage: FontUsage | None, align: str = "left",
                 lines: list[Line] | None = None, for_width: float | None = None, leading: float = 0.0):
        super().__init__()
        self.leading_factor = leading or LEADING
        self.spans = spans
        self.fonts = fonts
        self.usage = usage
        self.align = align
        self.size = max((s.size for s in spans), default=10.0)
        self._lines = lines
        self._for_width = for_width if lines is not None else None
        self._part = lines is not None  # a piece of a cut cell: its lines are all it has

    @property
    def leading(self) -> float:
        return self.size * self.leading_factor

    def _layout(self, width: float) -> list[Line]:
        if self._lines is not None and self._for_width is not None and abs(self._for_width - width) <= 0.01:
            return self._lines
        if self._part and self._lines is not None:
            if all(ln.indent + ln.width <= width + 0.01 for ln in self._lines):
                return self._lines
            # Narrower than when it was cut: set this piece's own text again, never the whole cell's.
            first = self.spans[0]
            self.spans = [Span("".join(ln.text for ln in self._lines), first.role, first.size, first.color)]
            self._part = False
        # Justifying a cell a few characters wide leaves gaping spaces; only wide cells are justified.
        align = "justify" if self.align == "left" and width >= 8 * self.size else self.align
        self._lines = layout(self.spans, width, self.fonts, align=align, usage=self.usage, max_stretch=0.25)
        self._for_width = width
        return self._lines

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's signature)
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = max(1, len(lines)) * self.leading
        return availWidth, self.height

    def draw(self):
        lines = self._lines or []
        top = self.height
        for i, line in enumerate(lines):
            slot_top = top - i * self.leading - (self.leading - self.size) / 2
            draw_line(self.canv, line, 0.0, self.width, slot_top - EM_ASCENT * self.size)


def build_table(
    header: list[list[str]],
    rows: list[list[str]],
    width: float,
    fonts: FontSet,
    usage: FontUsage | None,
    *,
    col_widths: list[float] | None = None,
    align: list[str] | None = None,
    font_size: float = 12.0,
    body_role: Role = Role.SONGTI,
    max_row_height: float | None = None,
    leading: float = LEADING,
    pad_y: float = CELL_PAD_Y,
) -> RLTable:
    """max_row_height: the tallest a row may be before it is cut into pieces that go on across pages
    (the page's height less the repeated header); None: the 公文 text block's."""
    ncols = max((len(r) for r in header + rows), default=1)
    rel = col_widths or [1.0] * ncols
    if len(rel) != ncols:
        raise ValueError(f"{len(rel)} column widths for {ncols} columns")
    header = [_pad(r, ncols) for r in header]
    rows = [_pad(r, ncols) for r in rows]
    shares = [width * r / sum(rel) for r in rel]
    widths = fit_widths(rel, _min_widths(header, rows, fonts, font_size, shares), width)
    if align is None:
        # Short columns (numbers, dates, status) read better centred.
        align = ["center" if w < width * 0.12 else "left" for w in widths]

    if max_row_height is None:
        from .geometry import BLOCK_H

        max_row_height = BLOCK_H
    # A row stays whole unless it is taller than a page can hold below the repeated header.
    header_height = sum(max(len(TextCell([Span(t, Role.HEITI, font_size)], fonts, None)._layout(w - 2 * CELL_PAD_X))
                            for t, w in zip(r, widths, strict=True)) * font_size * leading + 2 * pad_y
                        for r in header)
    max_row_height = max(3 * font_size * leading, max_row_height - header_height - 2 * pad_y)
    data: list[list[list[TextCell]]] = []
    continued: list[int] = []  # data rows that continue the row above (no rule between them)
    for r in header:
        data.append([[TextCell([Span(t, Role.HEITI, font_size)], fonts, usage, "center", leading=leading)] for t in r])
    for r in rows:
        chunks = _row_chunks([TextCell([Span(t, body_role, font_size)], fonts, usage, align[i], leading=leading)
                              for i, t in enumerate(r)], widths, max_row_height, pad_y)
        for k, chunk in enumerate(chunks):
            if k:
                continued.append(len(data))
            data.append([[c] for c in chunk])
    commands = [
        # Table sets each cell's font even when the cell is a flowable; its default, Helvetica, is
        # not embedded and would appear in the PDF's font list.
        ("FONTNAME", (0, 0), (-1, -1), fonts.font_name(body_role)),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("BOX", (0, 0), (-1, -1), RULE, (0, 0, 0)),
        ("LINEAFTER", (0, 0), (-2, -1), RULE, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), pad_y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad_y),
    ]
    skip = set(continued)
    for i in range(len(data) - 1):
        if i + 1 not in skip:
            commands.append(("LINEBELOW", (0, i), (-1, i), RULE, (0, 0, 0)))
    for i in continued:
        # A row too tall for a page goes on in the next table row; its pieces read top-down.
        commands += [("VALIGN", (0, i - 1), (-1, i), "TOP"), ("BOTTOMPADDING", (0, i - 1), (-1, i - 1), 0),
                     ("TOPPADDING", (0, i), (-1, i), 0)]
    return RLTable(data, colWidths=widths, style=TableStyle(commands), repeatRows=len(header), hAlign="LEFT")


def _row_chunks(cells: list[TextCell], widths: list[float], max_height: float,
                pad_y: float = CELL_PAD_Y) -> list[list[TextCell]]:
    """The row as is, or — when taller than max_height — as several rows of at most max_height.

    ReportLab can split a row across pages (splitInRow), but with vertically centred cells it
    miscomputes the remaining height and draws past the page; whole rows split reliably.
    """
    lines = [c._layout(w - 2 * CELL_PAD_X) for c, w in zip(cells, widths, strict=True)]
    leading = max(c.leading for c in cells)
    per_chunk = max(1, int((max_height - 2 * pad_y) // leading))
    tallest = max(len(ls) for ls in lines)
    if tallest <= per_chunk:
        return [cells]
    chunks = []
    for start in range(0, tallest, per_chunk):
        chunks.append([
            TextCell(c.spans, c.fonts, c.usage, c.align, ls[start:start + per_chunk], w - 2 * CELL_PAD_X,
                     leading=c.leading_factor)
            for c, ls, w in zip(cells, lines, widths, strict=True)
        ])
    return chunks


def _pad(row: list[str], n: int) -> list[str]:
    return [str(t) for t in row] + [""] * (n - len(row))


SHORT_CELL = 11  # characters: 2026年12月31日 fits
_SAMPLE_ROWS = 200  # enough rows to see each column's nature without measuring a 5,000-row register


def _min_widths(header: list[list[str]], rows: list[list[str]], fonts: FontSet, size: float,
                shares: list[float]) -> list[float]:
    """Per column, the width below which its content breaks badly.

    That is the widest of: a short header on one line (序号, 整改时限), the longest unbreakable
    Latin/number token (XC2026-02-001), and — for columns whose cells are all short, such as dates,
    names and statuses — every cell on one line, unless that would take far more than the
    column's share (the caller's widths then win and the cells wrap).
    """
    n = len(header[0]) if header else (len(rows[0]) if rows else 0)
    mins = [0.0] * n
    sample = rows[:_SAMPLE_ROWS]
    for r in header:
        for i, t in enumerate(r):
            if len(t) <= 6:
                mins[i] = max(mins[i], text_width([Span(t, Role.HEITI, size)], fonts))
    for i in range(n):
        cells = [r[i] for r in sample]
        w = 0.0
        if cells and max(len(t) for t in cells) <= SHORT_CELL:
            w = max(text_width([Span(t, Role.SONGTI, size)], fonts) for t in cells)
            if w + 2 * CELL_PAD_X > 1.5 * shares[i]:
                w = 0.0
        if not w:
            w = max((text_width([Span(piece, Role.SONGTI, size)], fonts)
                     for t in cells for tok in _ascii_tokens(t) for piece in _unbreakable(tok)), default=0.0)
            # A token longer than a fair share (a path without slashes) breaks where it overflows rather
            # than squeezing every other column to a character a line.
            w = min(w, MAX_TOKEN_SHARE * sum(shares))
        mins[i] = max(mins[i], w)
    # No column narrower than two characters: "序号" and short values never break one per line.
    floor = text_width([Span("序号", Role.HEITI, size)], fonts)
    return [max(m, floor) + 2 * CELL_PAD_X + 0.5 for m in mins]


MAX_TOKEN_SHARE = 0.22


def _unbreakable(token: str) -> list[str]:
    """The pieces of a Latin token between the points where a line may break inside it (URLs)."""
    from .text import _token_breaks

    cuts = [0, *_token_breaks(token), len(token)]
    return [token[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _ascii_tokens(text: str) -> list[str]:
    out, cur = [], []
    for ch in text:
        if "!" <= ch <= "~":
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def fit_widths(rel: list[float], mins: list[float], total: float) -> list[float]:
    """Widths proportional to rel, raised to each column's minimum, the excess taken from the others."""
    n = len(rel)
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(n) if i not in fixed]
        room = total - sum(fixed.values())
        weight = sum(rel[i] for i in free) or 1.0
        widths = {i: room * rel[i] / weight for i in free}
        short = [i for i in free if widths[i] < mins[i]]
        if not short or len(fixed) + len(short) == n:
            break
        for i in short:
            fixed[i] = mins[i]
        if sum(fixed.values()) > total:
            # Minimums alone overflow: fall back to plain proportions.
            return [total * r / sum(rel) for r in rel]
    widths.update(fixed)
    return [widths[i] for i in range(n)]
