"""Chinese line setting: per-character font fallback, line breaking with 禁则, justification.

ReportLab's own CJK wrapping (wordWrap='CJK') lets only one forbidden character hang and knows few of
the Chinese ones (，；：？！”’》…), and its Paragraph cannot put a character grid under the text. This
module sets lines itself: every character gets a font that has its glyph, lines break anywhere
between ideographs but never before closing punctuation nor after opening punctuation, and full lines
are justified by spreading the leftover space over the character gaps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

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
UNITS = frozenset("年月日时分秒号个件项次人名元万亿岁倍期届轮条款份页本册张套台辆处户天周位笔吨亩米股")
SPACES = frozenset(" \u3000")  # dropped where a line breaks
# Variation selectors and zero-width marks: ReportLab cannot draw them, and they carry no ink.
_IGNORABLE_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _ascii_word(ch: str) -> bool:
    return "!" <= ch <= "~"


# Half-width letters, digits and signs (" " to "\u024f"): set at their own width, with no
# letter-spacing. Compared inline (`LATIN_FIRST <= ch <= LATIN_LAST`) where every character is.
LATIN_FIRST, LATIN_LAST = " ", "\u024f"


# Inside a long Latin token (a URL, an e-mail address, a path) a line may break after a slash and
# before these, as typesetters break URLs; never inside a plain word or number.
_URL_BEFORE = frozenset(".?#&=_~-%@")
URL_MIN = 16


_LONG_TOKEN = re.compile(r"[!-~]{9,}")


def _url_like(token: str) -> bool:
    return len(token) >= URL_MIN or "://" in token or token.startswith("www.") or (
        "@" in token and "." in token) or (token.count("/") >= 2 and len(token) > 8)


def _token_breaks(token: str) -> list[int]:
    """Offsets p inside token where a break before token[p] is allowed."""
    if not _url_like(token):
        return []
    out = []
    for p in range(2, len(token) - 1):
        prev, ch = token[p - 1], token[p]
        if (prev == "/" and ch != "/" and token[p - 2] != ":") or (ch in _URL_BEFORE and prev.isalnum()):
            out.append(p)
    return out


def can_break(prev: str, nxt: str) -> bool:
    """May a line end after prev with the next line starting with nxt? (`_gaps` says the same
    inline, for every pair of a paragraph.)"""
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


def _width_table(font: str) -> dict[int, float]:
    """The font's advance widths by code point (1/1000 em); -1 holds the default width."""
    table = _widths.get(font)
    if table is None:
        f = pdfmetrics.getFont(font)
        table = _widths[font] = dict(f.face.charWidths)
        table[-1] = f.face.defaultWidth
    return table


@dataclass
class _Chars:
    chars: list[str] = field(default_factory=list)
    fonts: list[str | None] = field(default_factory=list)
    span: list[int] = field(default_factory=list)
    adv: list[float] = field(default_factory=list)
    gap: list[bool] = field(default_factory=list)  # gap[i]: a line may break between chars i and i+1


def _prepare(spans: list[Span], fonts: FontSet, tracking: float, usage: FontUsage | None) -> _Chars:
    # A run at a time, not a character at a time: a 500-finding feedback lays out ~140,000
    # characters, and a function call or four appends per character were a third of its time.
    c = _Chars()
    for si, sp in enumerate(spans):
        visible = _IGNORABLE_CHARS.sub("", sp.text)
        for font, text in fonts.runs(visible, sp.role, usage):
            scale = sp.size / 1000.0
            n = len(text)
            c.chars += text
            c.fonts += [font] * n
            c.span += [si] * n
            if font is None:
                c.adv += [1000.0 * scale + (0.0 if LATIN_FIRST <= ch <= LATIN_LAST else tracking) for ch in text]
            else:
                table = _width_table(font)
                default = table[-1]
                c.adv += [(w if (w := table.get(ord(ch))) is not None else default) * scale
                          + (0.0 if LATIN_FIRST <= ch <= LATIN_LAST else tracking) for ch in text]
    c.gap = _gaps(c.chars)
    return c


def _gaps(ch: list[str]) -> list[bool]:
    """gap[i]: may a line break between ch[i] and ch[i+1]?

    Across spaces the Latin-word rule no longer holds, but 禁则 still does, judged on the visible
    characters either side: "（ 巡" must not leave "（" at a line's end.
    """
    text = "".join(ch)
    if " " in text or "\u3000" in text:
        gaps = _gaps_around_spaces(ch)
    else:
        combining = unicodedata.combining
        # can_break for each pair, inline: a call per character pair was a tenth of a long report.
        gaps = [
            not (b in NO_START or a in NO_END or ("!" <= a <= "~" and "!" <= b <= "~") or (a == b and a in PAIRED)
                 or (b in UNITS and "0" <= a <= "9") or combining(b))
            for a, b in zip(ch, ch[1:], strict=False)
        ]
    gaps.append(True)
    # Only Latin tokens long enough to look like a URL or a path get break points inside them.
    for m in _LONG_TOKEN.finditer(text):
        for p in _token_breaks(m.group()):
            gaps[m.start() + p - 1] = True
    return gaps


def _gaps_around_spaces(ch: list[str]) -> list[bool]:
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
    return gaps


def _make_line(c: _Chars, spans: list[Span], start: int, end: int, tracking: float, extra: float,
               indent: float, align: str) -> Line:
    """A line of chars[start:end]; extra is added after each character where a break is allowed.

    Justification space goes only where the line could break, so numbers, Latin words and a
    character with its closing punctuation stay together while the space is spread elsewhere.
    """
    chars, fonts, span_of, adv, gap = c.chars, c.fonts, c.span, c.adv, c.gap
    runs: list[Run] = []
    x = 0.0
    size = 0.0
    last = end - 1
    key: tuple[Any, ...] | None = None
    run_start = start
    run_x = 0.0
    for i in range(start, end):
        sp = spans[span_of[i]]
        if sp.size > size:
            size = sp.size
        e = extra if (i < last and gap[i]) else 0.0
        ch = chars[i]
        tc = (0.0 if LATIN_FIRST <= ch <= LATIN_LAST else tracking) + e
        here = (fonts[i], sp.size, sp.color, tc)
        if here != key:
            # Characters go into one run while font, size, colour and spacing stay the same.
            if key is not None:
                runs.append(Run(key[0], key[1], key[2], "".join(chars[run_start:i]), run_x, key[3]))
            key, run_start, run_x = here, i, x
        x += adv[i] + e
    if key is not None:
        runs.append(Run(key[0], key[1], key[2], "".join(chars[run_start:end]), run_x, key[3]))
    return Line(runs, x, tracking, size, indent, align, "".join(chars[start:end]))


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
    breaks: set[int] | None = None,
) -> list[Line]:
    """Break spans into lines no wider than width.

    first_indent / indent are offsets of the first / following lines from the left edge. With
    align='justify' every line but the last (or one ended by a newline) is stretched to the width,
    unless that needs more than max_stretch em per gap (then it stays ragged: a line that lost a
    long Latin word would look worse stretched, and wide gaps read as spaces when text is copied).
    """
    c = _prepare(spans, fonts, tracking, usage)
    if breaks is not None:
        _restrict(c, breaks)
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
        b = _break_before(c.gap, s, j, c.chars)
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


def _restrict(c: _Chars, breaks: set[int]) -> None:
    """Allow line breaks only before the character positions in breaks (and where 禁则 allows)."""
    for i in range(len(c.gap) - 1):
        if i + 1 not in breaks and c.chars[i] not in SPACES and c.chars[i + 1] not in SPACES:
            c.gap[i] = False


def _break_before(gap: list[bool], s: int, j: int, chars: list[str] | None = None) -> int:
    """Index of the first character of the next line; chars[s:j] fit, chars[j] does not."""
    for b in range(j, s, -1):
        if gap[b - 1]:
            return b
    # Nothing allowed (a word longer than the line): break where it overflows, but still never
    # before a character that may not open a line.
    b = j
    if chars is not None:
        while b > s + 1 and chars[b] in NO_START:
            b -= 1
    return b


def balanced_layout(
    spans: list[Span],
    width: float,
    fonts: FontSet,
    *,
    tracking: float = 0.0,
    usage: FontUsage | None = None,
    breaks: set[int] | None = None,
    relaxed: set[int] | None = None,
) -> list[Line]:
    """Centred lines for a title (GB/T 9704 7.3.1: 词意完整，排列对称，长短适宜，梯形或菱形).

    breaks are the positions where a line may break (word boundaries, see app.reports.words); when
    no arrangement fits with them, relaxed ones are tried, then any break 禁则 allows. Among the
    arrangements with the fewest lines, a trapezoid (lines growing or shrinking steadily) or a
    diamond (the middle longest) wins over a rectangle (all lines alike) or an hourglass; then the
    one closest to balanced, preferring a break before 关于 or after a comma.
    """
    greedy = layout(spans, width, fonts, tracking=tracking, align="center", usage=usage)
    if len(greedy) <= 1:
        return greedy
    c = _prepare(spans, fonts, tracking, None)
    n = len(c.chars)
    prefix = [0.0]
    for a in c.adv:
        prefix.append(prefix[-1] + a)
    size = max(sp.size for sp in spans)
    text = "".join(c.chars)
    legal = {b for b in range(1, n) if c.gap[b - 1]}
    candidates = [legal & breaks if breaks is not None else legal]
    if relaxed is not None:
        candidates.append(legal & relaxed)
    candidates.append(legal)
    for allowed in candidates:
        cuts = _best_title_cuts(text, prefix, sorted(allowed), width, size, len(greedy))
        if cuts is not None:
            break
    else:
        return greedy
    lines = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while a < b and c.chars[a] in SPACES:
            a += 1
        while b > a and c.chars[b - 1] in SPACES:
            b -= 1
        lines.append(_make_line(c, spans, a, b, tracking, 0.0, 0.0, "center"))
    return lines


def title_shape(lengths: list[float], em: float) -> str:
    """'single', 'trapezoid', 'diamond', 'rectangle', 'hourglass' or 'irregular' (lengths in points)."""
    if len(lengths) < 2:
        return "single"
    steps = [(b - a) / em for a, b in zip(lengths, lengths[1:], strict=False)]
    if all(abs(d) < 1.0 for d in steps) and (max(lengths) - min(lengths)) / em < 1.0:
        return "rectangle"
    if all(d >= 1.0 for d in steps) or all(d <= -1.0 for d in steps):
        return "trapezoid"
    peak = lengths.index(max(lengths))
    if 0 < peak < len(lengths) - 1 and all(d >= 1.0 for d in steps[:peak]) and all(d <= -1.0 for d in steps[peak:]):
        return "diamond"
    low = lengths.index(min(lengths))
    if 0 < low < len(lengths) - 1 and all(d < 0 for d in steps[:low]) and all(d > 0 for d in steps[low:]):
        return "hourglass"
    return "irregular"


_SHAPE_COST = {"single": 0.0, "trapezoid": 0.0, "diamond": 0.0, "irregular": 60.0, "rectangle": 80.0,
               "hourglass": 200.0}


def _best_title_cuts(text: str, prefix: list[float], allowed: list[int], width: float, size: float,
                     fewest: int) -> list[int] | None:
    """Line boundaries [0, b1, …, n] of the best arrangement using only allowed breaks, or None."""
    import itertools

    n = len(text)
    for nlines in range(fewest, fewest + 2):
        best: tuple[float, list[int]] | None = None
        if nlines - 1 > len(allowed):
            continue
        if len(allowed) > 60 and nlines > 3:
            return None  # a paragraph, not a title: leave it to the greedy setter
        for combo in itertools.combinations(allowed, nlines - 1):
            cuts = [0, *combo, n]
            lengths = [prefix[b] - prefix[a] for a, b in zip(cuts, cuts[1:], strict=False)]
            if max(lengths) > width + 0.01:
                continue
            mean = sum(lengths) / nlines
            cost = sum(((w - mean) / size) ** 2 for w in lengths) * 0.5
            cost += _SHAPE_COST[title_shape(lengths, size)]
            if min(lengths) < 0.35 * max(lengths):
                cost += 40.0  # 长短适宜: no stub of a line
            for b in combo:
                if text.startswith("关于", b):
                    cost -= 6.0
                elif text[b - 1] in "，、；：":
                    cost -= 3.0
            if best is None or cost < best[0]:
                best = (cost, cuts)
        if best is not None:
            return best[1]
    return None


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
        # textOut without the advance ReportLab measures for its own cursor (a string-width call per
        # run, a tenth of the drawing): each run sets its origin above. The PDF is the same.
        t._textOut(run.text)
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
