"""The layout's fast paths say exactly what the character-by-character rules say.

A 500-finding feedback lays out ~140,000 characters, so the font runs, the break opportunities and
the lines' runs are computed a string or a run at a time (app.reports.text, FontSet.runs). These
tests hold them to the plain per-character definitions, on text that mixes what the shortcuts skip:
fallback glyphs, glyphs no font has, spaces, zero-width marks, digits with units, Latin words.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.reports import Role
from app.reports.fonts import FontSet, FontUsage
from app.reports.geometry import BLOCK_W, BODY_TRACKING
from app.reports.text import _LONG_TOKEN, SPACES, Span, _gaps, can_break, layout

RARE = ["堃", "喆", "㛃", "𠮷", "\U0002A6D6"]  # fallback fonts, and one character no shipped font has
MARKS = ["\u200b", "\ufe0f", "\u0301"]  # zero-width, a variation selector, a combining accent
PIECES = (list("巡察组反馈问题整改，。、；：？！）（《》“”—…") + RARE + MARKS
          + [" ", "\u3000", "2026", "年", "12", "个", "GB/T", "abc", "——", "……", "%"])
TEXT = st.lists(st.sampled_from(PIECES), min_size=0, max_size=60).map("".join)


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


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_break_opportunities_match_the_pairwise_rule(text):
    assume(not _LONG_TOKEN.search(text))  # a URL-like token gets break points of its own (test_layout)
    chars = list(text)
    gaps = _gaps(chars)
    assert len(gaps) == max(1, len(chars)) and gaps[-1]
    for i in range(len(chars) - 1):
        a, b = chars[i], chars[i + 1]
        if a in SPACES or b in SPACES:
            continue  # the rule across spaces is 禁则 on the visible neighbours (test_text)
        assert gaps[i] == can_break(a, b), (text, i)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=3), st.sampled_from(["justify", "left", "center"]))
def test_line_runs_cover_the_line_and_change_only_where_the_setting_does(bundled, texts, align):
    spans = [Span(t, Role.FANGSONG if i % 2 == 0 else Role.HEITI, 16.0 if i < 2 else 14.0,
                  (0, 0, 0) if i != 1 else (0.8, 0, 0)) for i, t in enumerate(texts)]
    for line in layout(spans, BLOCK_W / 2, bundled, tracking=BODY_TRACKING, align=align):
        assert "".join(r.text for r in line.runs) == line.text
        assert all(r.text for r in line.runs)
        assert not line.runs or line.runs[0].x == 0.0
        for left, right in zip(line.runs, line.runs[1:], strict=False):
            assert (left.font, left.size, left.color, left.tracking) != (
                right.font, right.size, right.color, right.tracking)
