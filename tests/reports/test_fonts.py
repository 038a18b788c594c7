"""Fonts: the shipped set, discovery by name, per-character fallback, and what is reported."""

from __future__ import annotations

import hashlib
import json

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from app.reports import OfficialDocument, Paragraph, Role
from app.reports._sfnt import read_coverage, read_faces
from app.reports.fonts import FontFace, FontSet, bundled_font_dir, face_from_file

from .helpers import build_font, embedded_program, glyph_drawn, open_pdf, page_fonts, render_bytes

SHIPPED = ["FandolFang-Regular.ttf", "FandolSong-Bold.ttf", "gbsn00lp.ttf", "gkai00mp.ttf", "wqy-microhei.ttc",
           "HanaMinA-GB18030.ttf"]
COMMON = "中华人民共和国巡察反馈整改，。、；：？！“”（）《》〔〕—…0123456789"
RARE_BMP = "堃喆"  # GBK, outside GB2312
EXT_A = "㛃"  # CJK Extension A
EXT_B = "𠮷"  # CJK Extension B (outside the BMP), shipped in HanaMinA for names
EXT_B_UNSHIPPED = "\U0002A6D6"  # an Extension B character no shipped font has


def doc_with(text: str) -> OfficialDocument:
    return OfficialDocument(title="测试", body=[Paragraph(text)])


def test_shipped_fonts_are_small_enough_and_licensed():
    d = bundled_font_dir()
    total = sum(p.stat().st_size for p in d.rglob("*") if p.is_file())
    assert total < 40 * 1024 * 1024
    licences = {p.name for p in (d / "LICENSES").iterdir()}
    assert {"ARPHICPL.TXT", "FANDOL-GPL-3.0.txt", "WQY-MICROHEI-Apache-2.0.txt", "HANAZONO-COPYRIGHT.txt"} <= licences
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    for name in SHIPPED:
        assert hashlib.sha256((d / name).read_bytes()).hexdigest() == manifest[name]["sha256"], name


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_font_is_truetype_and_registers(name):
    path = bundled_font_dir() / name
    face = read_faces(path)[0]
    assert face.truetype_outlines and face.embeddable
    font = TTFont(f"t-{name}", str(path))  # raises if ReportLab cannot use it
    sample = EXT_A + RARE_BMP + EXT_B + "龘" if "Hana" in name else COMMON
    missing = [c for c in sample if ord(c) not in font.face.charToGlyph]
    assert not missing


@pytest.mark.parametrize("role", list(Role))
def test_every_role_renders_real_glyphs(bundled, role):
    # Body text set in the role's shipped font: every character must come out with a real outline.
    face = bundled.faces[role]
    data, result = render_bytes(doc_with(COMMON), FontSet({**bundled.faces, Role.FANGSONG: face}))
    assert not result.font_report.fallback_chars
    body = [c for c in open_pdf(data).pages[0].chars if abs(c["size"] - 16) < 0.01]
    for ch in "中华巡察，。“”（）〔〕0":
        (fontname,) = {c["fontname"] for c in body if c["text"] == ch}
        assert glyph_drawn(data, fontname, ch), (role, ch)


def test_coverage_reader_matches_fonttools():
    fontTools = pytest.importorskip("fontTools.ttLib")
    for name in ("gbsn00lp.ttf", "FandolFang-Regular.ttf", "HanaMinA-GB18030.ttf"):
        path = bundled_font_dir() / name
        cov = read_coverage(read_faces(path)[0])
        cmap = {cp for cp, g in fontTools.TTFont(path).getBestCmap().items() if g != ".notdef"}
        assert {cp for cp in range(0, 0x30000) if cp in cov} == cmap


def test_bundled_set_reports_every_role_as_substitute(bundled):
    data, result = render_bytes(OfficialDocument(title="标题", body=[Paragraph("正文")]), bundled)
    report = result.font_report
    assert set(report.roles) == {Role.XIAOBIAOSONG, Role.FANGSONG, Role.SONGTI}  # title, body, page number
    msgs = report.messages()
    assert "仿宋_GB2312 未安装，已使用 FandolFang 代替" in msgs
    assert "方正小标宋 未安装，已使用 FandolSong Bold 代替" in msgs


def test_rare_characters_fall_back_and_are_drawn(bundled):
    text = f"姓名：王{RARE_BMP[0]}、李{RARE_BMP[1]}、张{EXT_A}。"
    data, result = render_bytes(doc_with(text), bundled)
    page = open_pdf(data).pages[0]
    extracted = page.extract_text()
    assert text in extracted.replace("\n", "")
    for ch in RARE_BMP + EXT_A:
        fonts = {c["fontname"] for c in page.chars if c["text"] == ch}
        assert len(fonts) == 1
        assert glyph_drawn(data, fonts.pop(), ch), ch
        assert ch in result.font_report.fallback_chars
    assert not result.font_report.missing_chars


def test_rare_name_characters_in_fangsong_text_come_from_the_serif_not_heiti(bundled):
    # FandolFang has GB2312 only: 堃 喆 龘 𠮷 must be drawn in the wide serif (HanaMinA), extractable.
    text = f"王{RARE_BMP[0]}、李{RARE_BMP[1]}、赵龘、陈{EXT_B}同志"
    data, result = render_bytes(doc_with(text), bundled)
    page = open_pdf(data).pages[0]
    assert text in page.extract_text().replace("\n", "")
    for ch in RARE_BMP + "龘" + EXT_B:
        (fontname,) = {c["fontname"] for c in page.chars if c["text"] == ch}
        assert "HanaMinA" in fontname and "WenQuanYi" not in fontname, (ch, fontname)
        assert glyph_drawn(data, fontname, ch), ch
        assert result.font_report.fallback_chars[ch] == "HanaMinA"
    assert not result.font_report.missing_chars


def test_extension_b_character_uses_an_extra_font(tmp_path, bundled):
    extra = build_font(tmp_path / "extb.ttf", "Test ExtB", EXT_B_UNSHIPPED)
    fonts = FontSet(bundled.faces, extra=[face_from_file(extra)])
    data, result = render_bytes(doc_with(f"陈{EXT_B_UNSHIPPED}同志"), fonts)
    page = open_pdf(data).pages[0]
    assert f"陈{EXT_B_UNSHIPPED}同志" in page.extract_text()
    (fontname,) = {c["fontname"] for c in page.chars if c["text"] == EXT_B_UNSHIPPED}
    assert glyph_drawn(data, fontname, EXT_B_UNSHIPPED)
    assert result.font_report.fallback_chars[EXT_B_UNSHIPPED] == "Test ExtB"


def test_character_no_font_has_is_reported_not_silently_dropped(bundled):
    data, result = render_bytes(doc_with(f"陈{EXT_B_UNSHIPPED}同志"), bundled)
    assert result.font_report.missing_chars == EXT_B_UNSHIPPED
    assert any("均缺字" in m for m in result.font_report.messages())
    page = open_pdf(data).pages[0]
    assert page.rects, "a visible box marks the character"


def test_system_fonts_supply_missing_glyphs_when_installed():
    fonts = FontSet.discover()
    face = fonts._search_system(ord(EXT_B))
    if face is None:
        pytest.skip("no installed TrueType font has 𠮷 (e.g. apt-get install fonts-hanazono)")
    data, result = render_bytes(doc_with(f"陈{EXT_B}"), fonts)
    page = open_pdf(data).pages[0]
    (fontname,) = {c["fontname"] for c in page.chars if c["text"] == EXT_B}
    assert glyph_drawn(data, fontname, EXT_B)
    assert not result.font_report.missing_chars


def test_discovery_by_family_name(tmp_path):
    build_font(tmp_path / "fang.ttf", "仿宋_GB2312", "巡察正文", ps_name="FangSong_GB2312")
    build_font(tmp_path / "xbs.otf", "方正小标宋简体", "标题", ps_name="FZXBSJW--GB1-0", cff=True)
    build_font(tmp_path / "hei.ttf", "黑体", "一", ps_name="SimHei", fs_type=0x0002)
    fonts = FontSet.discover([tmp_path], search_all_for_missing=False)
    assert fonts.faces[Role.FANGSONG].path == tmp_path / "fang.ttf"
    assert fonts.faces[Role.FANGSONG].official
    assert fonts.faces[Role.XIAOBIAOSONG].bundled  # the CFF one cannot be embedded
    assert fonts.faces[Role.HEITI].bundled  # licence forbids embedding
    reports = {r: fonts.role_report(r) for r in Role}
    assert not reports[Role.FANGSONG].substitute
    assert "OpenType/CFF" in reports[Role.XIAOBIAOSONG].message()
    assert "不允许嵌入" in reports[Role.HEITI].message()
    assert reports[Role.KAITI].message() == "楷体_GB2312 未安装，已使用 AR PL KaitiM GB 代替"


def test_official_font_lacking_a_glyph_falls_back_per_character(tmp_path):
    build_font(tmp_path / "fang.ttf", "仿宋_GB2312", "巡察", ps_name="FangSong_GB2312")
    fonts = FontSet.discover([tmp_path], search_all_for_missing=False)
    data, result = render_bytes(doc_with("巡察工作"), fonts)
    chars = {c["text"]: c["fontname"] for c in open_pdf(data).pages[0].chars if abs(c["size"] - 16) < 0.01}
    assert chars["巡"] == chars["察"] != chars["工"]
    assert "FandolFang" in chars["工"]
    assert glyph_drawn(data, chars["工"], "工") and glyph_drawn(data, chars["巡"], "巡")
    assert result.font_report.fallback_chars["工"] == "FandolFang"
    assert not result.font_report.roles[Role.FANGSONG].substitute


def test_fonts_sharing_a_postscript_name_keep_their_own_glyphs(tmp_path, bundled):
    # The shipped subset is named HanaMinA; another HanaMinA-named font must not be confused with
    # it inside the PDF (ReportLab names font objects after the PostScript name).
    other = build_font(tmp_path / "hana.ttf", "HanaMinA", EXT_B_UNSHIPPED, ps_name="HanaMinA")
    fonts = FontSet(bundled.faces, extra=[FontFace(other, 0, "HanaMinA full")])
    data, _ = render_bytes(doc_with(f"{EXT_A}{EXT_B_UNSHIPPED}"), fonts)
    page = open_pdf(data).pages[0]
    assert f"{EXT_A}{EXT_B_UNSHIPPED}" in page.extract_text()
    by_char = {c["text"]: c["fontname"] for c in page.chars}
    assert by_char[EXT_A] != by_char[EXT_B_UNSHIPPED]
    assert glyph_drawn(data, by_char[EXT_A], EXT_A) and glyph_drawn(data, by_char[EXT_B_UNSHIPPED], EXT_B_UNSHIPPED)


def test_every_font_in_the_pdf_is_embedded(bundled):
    from app.reports import kinds, samples

    data, _ = render_bytes(kinds.feedback.build(samples.feedback()), bundled, watermark="张三 2026-11-21")
    fonts = page_fonts(data)
    assert fonts
    for page, base, font in fonts:
        assert base.split("+")[-1] not in {"Helvetica", "STSong-Light"}, (page, base)
        assert embedded_program(font) is not None, (page, base)
