"""The layout's fast paths say exactly what the character-by-character rules say.

A 500-finding feedback lays out ~140,000 characters, so the font runs, the break opportunities and
the lines' runs are computed a string or a run at a time (app.reports.text, FontSet.runs). These
tests hold them to the plain per-character definitions, on text that mixes what the shortcuts skip:
fallback glyphs, glyphs no font has, spaces, zero-width marks, digits with units, Latin words.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from app.reports import Role
from app.reports.fonts import FontSet, FontUsage
from app.reports.geometry import BLOCK_W, BODY_TRACKING
from app.reports.text import (
    _IGNORABLE_CHARS,
    _LONG_TOKEN,
    NO_END,
    NO_START,
    SPACES,
    Line,
    Run,
    Span,
    _gaps,
    _prepare,
    _token_breaks,
    can_break,
    draw_line,
    layout,
)

RARE = ["堃", "喆", "㛃", "𠮷", "\U0002A6D6"]  # fallback fonts, and one character no shipped font has
MARKS = ["\u200b", "\ufe0f", "\u0301"]  # zero-width, a variation selector, a combining accent
PIECES = (list("巡察组反馈问题整改，。、；：？！）（《》“”—…") + RARE + MARKS
          + [" ", "\u3000", "2026", "年", "12", "个", "GB/T", "abc", "——", "……", "%"])
TEXT = st.lists(st.sampled_from(PIECES), min_size=0, max_size=60).map("".join)
# Without spaces, every character of a paragraph is on some line (a space at a break is dropped).
UNSPACED = st.lists(st.sampled_from([p for p in PIECES if not set(p) & SPACES]), max_size=60).map("".join)


def reference_runs(fonts: FontSet, text: str, role: Role, usage: FontUsage) -> list[tuple[str | None, str]]:
    """One resolve() per character, grouped: what FontSet.runs means."""
    usage.roles.add(role)
    out: list[tuple[str | None, str]] = []
    for ch in text:
        font = fonts.resolve(role, ch, usage)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from([Role.FANGSONG, Role.HEITI, Role.KAITI]))
def test_font_runs_and_usage_match_a_lookup_per_character(bundled, text, role):
    # Twice, so the second pass goes through whatever the first one cached.
    for _ in range(2):
        ours, theirs = FontUsage(), FontUsage()
        assert bundled.runs(text, role, ours) == reference_runs(bundled, text, role, theirs)
        # The font report (fallback and missing characters) must not lose what the shortcut skipped.
        assert (ours.missing, ours.fallback, ours.fallback_role, ours.roles) == (
            theirs.missing, theirs.fallback, theirs.fallback_role, theirs.roles)


def test_a_fallback_character_is_reported_in_every_document_not_only_the_first(bundled):
    text = "王堃同志，陈𠮷同志"
    for _ in range(3):
        usage = FontUsage()
        bundled.runs(text, Role.FANGSONG, usage)
        assert set(usage.fallback) == {"堃", "𠮷"}


def reference_gaps(ch: list[str]) -> list[bool]:
    """The break rule a pair at a time: can_break, or 禁则 on the visible neighbours across spaces,
    then the break points inside URL-like tokens."""
    gaps = []
    for i in range(len(ch) - 1):
        if ch[i] in SPACES or ch[i + 1] in SPACES:
            before = [c for c in ch[: i + 1] if c not in SPACES]
            after = [c for c in ch[i + 1:] if c not in SPACES]
            left, right = (before[-1] if before else ""), (after[0] if after else "")
            gaps.append(left not in NO_END and right not in NO_START)
        else:
            gaps.append(can_break(ch[i], ch[i + 1]))
    gaps.append(True)
    for m in _LONG_TOKEN.finditer("".join(ch)):
        for p in _token_breaks(m.group()):
            gaps[m.start() + p - 1] = True
    return gaps


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_break_opportunities_match_the_pairwise_rule(text):
    assert _gaps(list(text)) == reference_gaps(list(text))


def test_break_rule_across_a_full_width_space_is_kinsoku_on_the_visible_neighbours():
    # "（" may not end a line even with a full-width space after it; "巡\u3000察" may break at the space.
    assert _gaps(list("（\u3000巡")) == [False, False, True]
    assert _gaps(list("巡\u3000察")) == [True, True, True]
    assert _gaps(list("巡\u3000，")) == [False, False, True]


def test_exactly_the_zero_width_marks_and_variation_selectors_are_dropped():
    def ignorable(cp: int) -> bool:
        return cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF) or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF

    for cp in [*range(0x10000), *range(0xE0000, 0xE0200)]:
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert (_IGNORABLE_CHARS.sub("", chr(cp)) == "") == ignorable(cp), hex(cp)


def reference_runs_of(line: Line, spans: list[Span], fonts: FontSet, tracking: float, extra: float,
                      gaps: list[bool], first: int) -> list[Run]:
    """A line's runs a character at a time, as the line setter defines them: a run holds the
    characters sharing font, size, colour and spacing; each character adds its advance and, where
    a break is allowed (not after the line's last character), the justification space."""
    c = _prepare(spans, fonts, tracking, None)
    runs: list[Run] = []
    x = 0.0
    end = first + len(line.text)
    for i in range(first, end):
        sp = spans[c.span[i]]
        e = extra if (i < end - 1 and gaps[i]) else 0.0
        tc = (0.0 if " " <= c.chars[i] <= "\u024f" else tracking) + e
        last = runs[-1] if runs else None
        if last is not None and (last.font, last.size, last.color, last.tracking) == (c.fonts[i], sp.size, sp.color, tc):
            last.text += c.chars[i]
        else:
            runs.append(Run(c.fonts[i], sp.size, sp.color, c.chars[i], x, tc))
        x += c.adv[i] + e
    return runs


LOOKS = st.tuples(st.sampled_from([Role.FANGSONG, Role.HEITI]), st.sampled_from([16.0, 14.0, 16]),
                  st.sampled_from([(0, 0, 0), (0.0, 0.0, 0.0), (0.8, 0, 0)]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(UNSPACED, LOOKS), min_size=1, max_size=4))
def test_line_runs_match_the_per_character_definition(bundled, pieces):
    # Colour and size change independently of the font, so a run must be cut for each.
    spans = [Span(t, role, size, color) for t, (role, size, color) in pieces]
    lines = layout(spans, 200.0, bundled, tracking=BODY_TRACKING, align="left")
    gaps = _prepare(spans, bundled, BODY_TRACKING, None).gap
    first = 0
    for line in lines:
        assert line.runs == reference_runs_of(line, spans, bundled, BODY_TRACKING, 0.0, gaps, first)
        first += len(line.text)


def test_justified_line_runs_match_the_per_character_definition(bundled):
    spans = [Span("巡察组发现，该单位在2026年3月落实“三重一大”制度不到位，" * 3, Role.FANGSONG, 16.0),
             Span("整改要求：", Role.HEITI, 16.0), Span("限期整改，GB/T 9704。", Role.FANGSONG, 16.0, (0.8, 0, 0))]
    lines = layout(spans, BLOCK_W, bundled, tracking=BODY_TRACKING)
    assert len(lines) > 2
    c = _prepare(spans, bundled, BODY_TRACKING, None)
    first = 0
    for line in lines[:-1]:
        # The justification space this line got: its width less its characters' advances, over its gaps.
        n = len(line.text)
        gaps = sum(1 for i in range(first, first + n - 1) if c.gap[i])
        extra = (line.width - sum(c.adv[first:first + n])) / gaps if gaps else 0.0
        expected = reference_runs_of(line, spans, bundled, BODY_TRACKING, extra, c.gap, first)
        assert [(r.font, r.size, r.color, r.text) for r in line.runs] == [(r.font, r.size, r.color, r.text) for r in expected]
        assert all(abs(a.x - b.x) < 1e-6 and abs(a.tracking - b.tracking) < 1e-9 for a, b in zip(line.runs, expected, strict=True))
        first += n
        while first < len(c.chars) and c.chars[first] in SPACES:
            first += 1


def test_a_line_is_drawn_with_the_operators_reportlabs_text_out_writes(bundled, monkeypatch):
    # draw_line calls ReportLab's private _textOut, skipping the width textOut measures for a cursor
    # it resets before every run: the page must be byte for byte what the public textOut writes.
    line = layout([Span("巡察组反馈问题，GB/T 9704—2012。", Role.FANGSONG, 16.0),
                   Span("整改", Role.HEITI, 16.0, (0.8, 0, 0))], BLOCK_W, bundled, tracking=BODY_TRACKING)[0]
    assert len(line.runs) > 2

    def page() -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        draw_line(canvas, line, 80.0, BLOCK_W, 700.0)
        return canvas.getpdfdata()

    ours = page()
    monkeypatch.setattr(PDFTextObject, "_textOut", lambda self, text, TStar=0: self.textOut(text))
    assert page() == ours
