"""Chinese line setting: per-character font fallback, line breaking with 禁则, justification.

ReportLab's own CJK wrapping (wordWrap='CJK') lets only one forbidden character hang and knows few of
the Chinese ones (，；：？！”’》…), and its Paragraph cannot put a character grid under the text. This
module sets lines itself: every character gets a font that has its glyph, lines break anywhere
between ideographs but never before closing punctuation nor after opening punctuation, and full lines
are justified by spreading the leftover space over the character gaps.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics

from .fonts import FontSet, FontUsage, Role

# 行首禁则: may not begin a line.
NO_START = frozenset(
    "，。、；：？！）》」』〕】〗〙〛〉”’…—·・％‰℃°′″～｝］．,.;:?!)]}%"
    "\u2013\u2015\u00b7\u30fb\uff0e\uff61\uff64"
)
# 行尾禁则: may not end a line.
NO_END = frozenset("（《「『〔【〖〘〚〈“‘＜［｛([{￥＄$£№")
# Dashes and ellipses are drawn with two characters that must stay on one line.
PAIRED = frozenset("—…\u2e3a\u2e3b")
# A number stays with its unit: "2026年", "31日", "12个" are never split across lines.
UNITS = frozenset("年月日时分秒号个件项次人名元万亿岁倍期届轮条款")
SPACES = frozenset(" \u3000")  # dropped where a line breaks
_IGNORABLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def is_ignorable(ch: str) -> bool:
    """Variation selectors and zero-width marks: ReportLab cannot draw them, and they carry no ink."""
    cp = ord(ch)
    return ch in _IGNORABLE or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


def _ascii_word(ch: str) -> bool:
    return "!" <= ch <= "~"


def can_break(prev: str, nxt: str) -> bool:
    """May a line end after prev with the next line starting with nxt?"""
    if nxt in NO_START or prev in NO_END:
        return False
    if _ascii_word(prev) and _ascii_word(nxt):
        return False  # keeps numbers, dates and Latin words whole
    if prev == nxt and prev in PAIRED:
        return False
    if nxt in UNITS and "0" <= prev <= "9":
        return False
    return not unicodedata.combining(nxt)


@dataclass(frozen=True)
class Span:
    text: str
    role: Role
    size: float
    color: tuple[float, float, float] = (0, 0, 0)


@dataclass
class Run:
    font: str | None  # None: no font has these characters; drawn as empty boxes
    size: float
    color: tuple[float, float, float]
    text: str
    x: float  # offset from the line's start
    tracking: float = 0.0  # PDF Tc for this run: base spacing plus any justification


@dataclass
class Line:
    runs: list[Run]
    width: float  # from the line's start to the end of its last character cell
    tracking: float  # base character spacing (without justification)
    size: float  # largest font size on the line
    indent: float = 0.0
    align: str = "left"
    text: str = field(default="")

    def x_start(self, avail: float) -> float:
        """Offset of the line from the left edge of a box avail wide."""
        if self.align == "center":
            return self.indent + (avail - self.indent - self.width) / 2
        if self.align == "right":
            return avail - self.width - self.indent
        return self.indent


_widths: dict[str, dict[int, float]] = {}


def char_width(font: str | None, ch: str) -> float:
    """Advance width in 1/1000 em."""
    if font is None:
        return 1000.0
    table = _widths.get(font)
    if table is None:
        f = pdfmetrics.getFont(font)
        table = _widths[font] = dict(f.face.charWidths)
        table[-1] = f.face.defaultWidth
    w = table.get(ord(ch))
    return table[-1] if w is None else w


@dataclass
class _Chars:
    chars: list[str] = field(default_factory=list)
    fonts: list[str | None] = field(default_factory=list)
    span: list[int] = field(default_factory=list)
    adv: list[float] = field(default_factory=list)
    gap: list[bool] = field(default_factory=list)  # gap[i]: a line may break between chars i and i+1


def _prepare(spans: list[Span], fonts: FontSet, tracking: float, usage: FontUsage | None) -> _Chars:
    c = _Chars()
    for si, sp in enumerate(spans):
        visible = "".join(ch for ch in sp.text if not is_ignorable(ch))
        for font, text in fonts.runs(visible, sp.role, usage):
            scale = sp.size / 1000.0
            for ch in text:
                c.chars.append(ch)
                c.fonts.append(font)
                c.span.append(si)
                c.adv.append(char_width(font, ch) * scale + tracking)
    c.gap = _gaps(c.chars)
    return c


def _gaps(ch: list[str]) -> list[bool]:
    """gap[i]: may a line break between ch[i] and ch[i+1]?

    Across spaces the Latin-word rule no longer holds, but 禁则 still does, judged on the visible
    characters either side: "（ 巡" must not leave "（" at a line's end.
    """
    n = len(ch)
    last_visible: list[str] = []
    prev = ""
    for c in ch:
        if c not in SPACES:
            prev = c
        last_visible.append(prev)
    next_visible = [""] * n
    nxt = ""
    for i in range(n - 1, -1, -1):
        if ch[i] not in SPACES:
            nxt = ch[i]
        next_visible[i] = nxt
    gaps = []
    for i in range(n - 1):
        if ch[i] in SPACES or ch[i + 1] in SPACES:
            left, right = last_visible[i], next_visible[i + 1]
            gaps.append(left not in NO_END and right not in NO_START)
        else:
            gaps.append(can_break(ch[i], ch[i + 1]))
    gaps.append(True)
    return gaps


def _make_line(c: _Chars, spans: list[Span], start: int, end: int, tracking: float, extra: float,
               indent: float, align: str) -> Line:
    """A line of chars[start:end]; extra is added after each character where a break is allowed.

    Justification space goes only where the line could break, so numbers, Latin words and a
    character with its closing punctuation stay together while the space is spread elsewhere.
    """
    runs: list[Run] = []
    x = 0.0
    size = 0.0
    last = end - 1
    for i in range(start, end):
        sp = spans[c.span[i]]
        size = max(size, sp.size)
        e = extra if (i < last and c.gap[i]) else 0.0
        tc = tracking + e
        r = runs[-1] if runs else None
        if (r is not None and r.font == c.fonts[i] and r.size == sp.size and r.color == sp.color
                and r.tracking == tc):
            r.text += c.chars[i]
        else:
            runs.append(Run(c.fonts[i], sp.size, sp.color, c.chars[i], x, tc))
        x += c.adv[i] + e
    return Line(runs, x, tracking, size, indent, align, "".join(c.chars[start:end]))


def layout(
    spans: list[Span],
    width: float,
    fonts: FontSet,
    *,
    tracking: float = 0.0,
    first_indent: float = 0.0,
    indent: float = 0.0,
    align: str = "justify",
    usage: FontUsage | None = None,
    max_stretch: float = 0.5,
) -> list[Line]:
    """Break spans into lines no wider than width.

    first_indent / indent are offsets of the first / following lines from the left edge. With
    align='justify' every line but the last (or one ended by a newline) is stretched to the width,
    unless that needs more than max_stretch em per gap (then it stays ragged: a line that lost a
    long Latin word would look worse stretched, and wide gaps read as spaces when text is copied).
    """
    c = _prepare(spans, fonts, tracking, usage)
    n = len(c.chars)
    lines: list[Line] = []
    s = 0
    line_align = "left" if align == "justify" else align
    while s < n:
        ind = first_indent if not lines else indent
        avail = width - ind
        w = 0.0
        j = s
        hard = False
        while j < n:
            ch = c.chars[j]
            if ch == "\n":
                hard = True
                break
            if w + c.adv[j] > avail + 0.01 and j > s:
                break
            w += c.adv[j]
            j += 1
        if hard or j >= n:
            end = j
            while end > s and c.chars[end - 1] in SPACES:
                end -= 1
            lines.append(_make_line(c, spans, s, end, tracking, 0.0, ind, line_align))
            s = j + 1 if hard else j
            continue
        b = _break_before(c.gap, s, j)
        end = b
        while end > s and c.chars[end - 1] in SPACES:
            end -= 1
        extra = 0.0
        gaps = sum(1 for i in range(s, end - 1) if c.gap[i])
        if align == "justify" and gaps:
            slack = avail - sum(c.adv[s:end])
            per_gap = slack / gaps
            if 0 < per_gap <= max_stretch * spans[c.span[s]].size:
                extra = per_gap
        lines.append(_make_line(c, spans, s, end, tracking, extra, ind, line_align))
        s = b
        while s < n and c.chars[s] in SPACES:
            s += 1
    return lines


def _break_before(gap: list[bool], s: int, j: int) -> int:
    """Index of the first character of the next line; chars[s:j] fit, chars[j] does not."""
    for b in range(j, s, -1):
        if gap[b - 1]:
            return b
    return j  # nothing allowed (an over-long Latin word): break where it overflows


def balanced_layout(
    spans: list[Span],
    width: float,
    fonts: FontSet,
    *,
    tracking: float = 0.0,
    usage: FontUsage | None = None,
) -> list[Line]:
    """Centred lines of near-equal length, for titles (GB/T 9704: 排列对称，长短适宜).

    Uses the fewest lines greedy breaking needs, then chooses break points that minimise the
    squared deviation from equal lengths, preferring natural phrase boundaries and never leaving a
    single character alone on a line.
    """
    greedy = layout(spans, width, fonts, tracking=tracking, align="center", usage=usage)
    if len(greedy) <= 1:
        return greedy
    c = _prepare(spans, fonts, tracking, None)
    n = len(c.chars)
    nlines = len(greedy)
    prefix = [0.0]
    for a in c.adv:
        prefix.append(prefix[-1] + a)
    target = prefix[n] / nlines
    size = max(sp.size for sp in spans)
    text = "".join(c.chars)

    def allowed(b: int) -> bool:
        return 0 < b < n and c.gap[b - 1]

    def bonus(b: int) -> float:
        if text.startswith("关于", b):
            return 9.0
        prev = c.chars[b - 1]
        if prev in SPACES:
            return 9.0
        if prev in "，、；：":
            return 3.0
        if prev in "的和与及":
            return 1.5
        return 0.0

    inf = float("inf")
    # best[k][i]: cost of setting chars[:i] in k lines, last line ending at i.
    best = [[inf] * (n + 1) for _ in range(nlines + 1)]
    back = [[0] * (n + 1) for _ in range(nlines + 1)]
    best[0][0] = 0.0
    for k in range(1, nlines + 1):
        for i in range(1, n + 1):
            if i < n and not allowed(i):
                continue
            for p in range(i - 1, -1, -1):
                w = prefix[i] - prefix[p]
                if w > width + 0.01:
                    break
                if best[k - 1][p] == inf:
                    continue
                dev = (w - target) / size
                cost = best[k - 1][p] + dev * dev
                if i - p == 1:
                    cost += 100.0  # an orphan character
                if i < n:
                    cost -= bonus(i)
                if cost < best[k][i]:
                    best[k][i] = cost
                    back[k][i] = p
    if best[nlines][n] == inf:
        return greedy
    cuts = [n]
    for k in range(nlines, 0, -1):
        cuts.append(back[k][cuts[-1]])
    cuts.reverse()
    lines = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and c.chars[a] in SPACES:
            a += 1
        while b > a and c.chars[b - 1] in SPACES:
            b -= 1
        lines.append(_make_line(c, spans, a, b, tracking, 0.0, 0.0, "center"))
    return lines


def draw_line(canvas, line: Line, x_left: float, avail: float, baseline: float) -> None:
    """Draw a line whose box starts at x_left and is avail wide, on the given baseline."""
    x0 = x_left + line.x_start(avail)
    t = None
    font = size = tc = color = None
    for run in line.runs:
        x = x0 + run.x
        if run.font is None:
            _draw_missing(canvas, run, x, baseline, run.tracking)
            continue
        if t is None:
            t = canvas.beginText(x, baseline)
        else:
            t.setTextOrigin(x, baseline)
        # One text object per line, changing only what differs between runs, keeps the PDF small
        # and the drawing fast (a long report has tens of thousands of runs).
        if (run.font, run.size) != (font, size):
            t.setFont(run.font, run.size)
            font, size = run.font, run.size
        if run.tracking != tc:
            t.setCharSpace(run.tracking)
            tc = run.tracking
        if run.color != color:
            t.setFillColorRGB(*run.color)
            color = run.color
        t.textOut(run.text)
    if t is not None:
        canvas.drawText(t)


def _draw_missing(canvas, run: Run, x: float, baseline: float, tracking: float) -> None:
    # A visible box, so a reader notices; the FontReport tells which characters they were.
    canvas.saveState()
    canvas.setStrokeColorRGB(*run.color)
    canvas.setLineWidth(0.5)
    step = run.size + tracking
    for i, _ch in enumerate(run.text):
        canvas.rect(x + i * step + 0.1 * run.size, baseline - 0.08 * run.size, 0.8 * run.size, 0.9 * run.size)
    canvas.restoreState()


def text_width(spans: list[Span], fonts: FontSet, tracking: float = 0.0, usage: FontUsage | None = None) -> float:
    """Width of the spans set on one line, up to the end of the last character cell."""
    c = _prepare(spans, fonts, tracking, usage)
    return sum(c.adv)
