"""Line setting: 禁则, nothing lost, widths respected, justification, balanced titles."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reports import Role
from app.reports.geometry import BLOCK_W, BODY_TRACKING, CHAR_PITCH
from app.reports.text import NO_END, NO_START, Span, balanced_layout, layout

HANZI = "巡察组反馈问题整改落实党委书记责任全面从严治党"
PUNCT = "，。、；：？！）》」』”’…—·%（《「『“‘"
TOKENS = list(HANZI) * 3 + list(PUNCT) + ["2026年", "34.4%", "GB/T", " ", "12", "……", "——"]
# Paragraph-length texts (hypothesis' plain text() strategy stays too short to wrap).
PROSE = st.lists(st.sampled_from(TOKENS), min_size=20, max_size=200).map("".join)


def body(text: str, fonts, **kw):
    return layout([Span(text, Role.FANGSONG, 16)], BLOCK_W, fonts, tracking=BODY_TRACKING,
                  first_indent=2 * CHAR_PITCH, **kw)


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_kinsoku_and_nothing_lost(bundled, text):
    lines = body(text, bundled)
    # Every character survives, apart from spaces where a line broke.
    assert "".join(ln.text for ln in lines).replace(" ", "") == text.replace(" ", "")
    for i, ln in enumerate(lines):
        assert ln.indent + ln.width <= BLOCK_W + 0.5
        if i > 0 and ln.text:
            prev = lines[i - 1].text
            # A forbidden start is only tolerated when the previous line is all forbidden characters
            # (nothing could be moved), which real prose never produces.
            if ln.text[0] in NO_START:
                assert all(c in NO_START or c in NO_END for c in prev), (prev, ln.text)
            if prev and prev[-1] in NO_END:
                assert all(c in NO_START or c in NO_END for c in prev), (prev, ln.text)


def test_reportlab_gap_is_closed(bundled):
    # ReportLab's own CJK wrap lets "，" "”" "》" start a line; this text puts each at a line start.
    for punct in "，；：？！”’》…":
        text = "一" * 26 + punct + "二" * 40
        lines = body(text, bundled)
        assert lines[1].text[0] not in NO_START
        assert lines[0].text.endswith("一") and lines[1].text.startswith("一" + punct)


def test_opening_bracket_never_ends_a_line(bundled):
    text = "一" * 25 + "“" + "二" * 40
    lines = body(text, bundled)
    assert not lines[0].text.endswith("“")
    assert lines[1].text.startswith("“")


def test_full_line_holds_28_characters_and_is_justified(bundled):
    lines = body("察" * 100, bundled)
    assert [len(ln.text) for ln in lines] == [26, 28, 28, 18]
    for ln in lines[:-1]:
        assert abs(ln.indent + ln.width - BLOCK_W) < 0.01
    # A line that lost a character to 禁则 is stretched to the full width too.
    lines = body("察" * 54 + "，" + "察" * 10, bundled)  # "，" would open line 3
    assert len(lines[1].text) == 27 and abs(lines[1].width - BLOCK_W) < 0.01


def test_numbers_stay_whole_and_with_their_unit(bundled):
    for k in range(20, 28):
        text = "察" * k + "2026年11月21日" + "察" * 30
        lines = body(text, bundled)
        joined = "|".join(ln.text for ln in lines)
        for token in ("2026年", "11月", "21日"):
            assert token in joined, joined


def test_latin_words_are_not_split(bundled):
    text = "详见" + " ".join(["GB/T 9704-2012"] * 12)
    for ln in body(text, bundled):
        for word in ln.text.split():
            assert word in ("GB/T", "9704-2012") or word.startswith("详见")


def test_balanced_title_has_even_lines_and_no_orphan(bundled):
    title = "中共××县委第二巡察组关于巡察××镇党委落实全面从严治党主体责任情况的反馈意见"
    lines = balanced_layout([Span(title, Role.XIAOBIAOSONG, 22)], BLOCK_W, bundled)
    assert "".join(ln.text for ln in lines) == title
    lengths = [len(ln.text) for ln in lines]
    assert len(lines) == 2 and max(lengths) - min(lengths) <= 4 and min(lengths) > 1
    assert all(ln.align == "center" for ln in lines)


def test_title_never_leaves_one_character_alone(bundled):
    title = "关" * 21  # greedy wrapping would leave a single character on line 2
    lines = balanced_layout([Span(title, Role.XIAOBIAOSONG, 22)], BLOCK_W, bundled)
    assert min(len(ln.text) for ln in lines) > 1
