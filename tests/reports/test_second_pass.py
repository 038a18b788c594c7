"""Issue 15: titles by words, 版记 on an even page, 份号 per copy, tables, wording, Word versions."""

from __future__ import annotations

import collections
import datetime as dt
import io
import re

import docx
import pytest

from app.reports import OfficialDocument, Paragraph, Role, Table, kinds, render, samples, snapshot
from app.reports import geometry as g
from app.reports.docx import write_docx
from app.reports.strokes import by_strokes
from app.reports.text import NO_END, NO_START, Span, balanced_layout, layout, title_shape
from app.reports.wording import flatten_numbering, normalize
from app.reports.words import FUNCTION_WORDS, word_breaks

from .helpers import lines_of, open_pdf, render_bytes, table_cells

PAGE_NUMBER = re.compile(r"^— \d+ —$")
DOMAIN_TERMS = ("巡察组", "反馈意见", "专题报告", "整改工作", "有限公司", "党工委", "巡察工作领导小组", "工作方案")


def title_lines(text: str, keep: list[str], fonts) -> list[str]:
    strict, relaxed = word_breaks(text, keep)
    lines = balanced_layout([Span(text, Role.XIAOBIAOSONG, g.SIZE_ER)], g.BLOCK_W, fonts, breaks=strict, relaxed=relaxed)
    return [ln.text for ln in lines]


def assert_title_ok(lines: list[str], words: list[str]) -> None:
    text = "".join(lines)
    cuts, pos = [], 0
    for ln in lines[:-1]:
        pos += len(ln)
        cuts.append(pos)
    for w in words:
        start = text.find(w)
        while start >= 0:
            assert not any(start < c < start + len(w) for c in cuts), (lines, w)
            start = text.find(w, start + 1)
    for ln in lines[:-1]:
        assert not any(ln.endswith(f) for f in FUNCTION_WORDS), lines


def test_titles_keep_words_whole_and_take_a_trapezoid_or_diamond(bundled):
    cases = [
        ("中共××县委第二巡察组关于巡察沙店街道党工委落实全面从严治党主体责任情况的反馈意见", ["沙店街道党工委", "县委第二巡察组"]),
        ("关于抓好巡察云川市恒达建筑工程有限公司党委反馈问题整改工作的通知", ["云川市恒达建筑工程有限公司党委"]),
        ("关于督促加快巡察青石河镇党委、白柳坪街道党工委、龙凤集社区党委反馈问题整改进度的函",
         ["青石河镇党委", "白柳坪街道党工委", "龙凤集社区党委"]),
        ("市委第三巡察组关于巡察市机构编制委员会办公室党组的反馈意见", ["市机构编制委员会办公室党组", "市委第三巡察组"]),
    ]
    for text, keep in cases:
        lines = title_lines(text, keep, bundled)
        assert len(lines) >= 2
        assert_title_ok(lines, keep + list(DOMAIN_TERMS) + ["编制"])
        widths = [sum(bundled_width(bundled, ch) for ch in ln) for ln in lines]
        assert title_shape(widths, g.SIZE_ER) in ("trapezoid", "diamond"), lines


def bundled_width(fonts, ch: str) -> float:
    from app.reports.text import text_width

    return text_width([Span(ch, Role.XIAOBIAOSONG, g.SIZE_ER)], fonts)


def test_titles_of_every_unit_of_a_large_demo(bundled, demo_1000_names):
    units, teams = demo_1000_names
    for n, (name, org) in enumerate(units):
        team = teams[n % len(teams)]
        for text in (f"{team}关于巡察{org}的反馈意见", f"关于抓好巡察{org}反馈问题整改工作的通知",
                     f"关于巡察{org}情况的专题报告", f"{team}关于巡察{org}的工作方案"):
            lines = title_lines(text, [org, name, team], bundled)
            assert_title_ok(lines, [org, team, *DOMAIN_TERMS])


def test_banji_sits_on_an_even_page_with_an_unnumbered_blank_page_when_needed(bundled):
    para = "巡察组坚持以习近平新时代中国特色社会主义思想为指导，深入了解情况，形成了巡察意见。" * 3
    seen = set()
    for n in range(10, 70):
        doc = OfficialDocument(title="测试版记位置", body=[Paragraph(para)] * n, signature="中共××县委第二巡察组",
                               date=dt.date(2026, 5, 1), cc=["县纪委监委"], printer="县委巡察办",
                               print_date=dt.date(2026, 5, 2))
        data, result = render_bytes(doc, bundled)
        pdf = open_pdf(data)
        pages = [[t for _top, t, _c in lines_of(p)] for p in pdf.pages]
        where = [k for k, texts in enumerate(pages, 1) if any(t.startswith("抄送：") for t in texts)]
        assert where == [len(pages)], where
        assert len(pages) % 2 == 0 or len(pages) == 1
        numbers = [next((t for t in texts if PAGE_NUMBER.match(t)), None) for texts in pages]
        blank = [k for k, texts in enumerate(pages) if not texts]
        for k in blank:  # an inserted blank page carries no number, nor does the 版记 page after it
            assert numbers[k] is None and numbers[k + 1] is None
            seen.add("blank")
        if not blank:
            seen.add("plain")
    assert seen == {"blank", "plain"}


def test_special_report_has_a_banji(bundled):
    r = samples.special_report()
    data = dataclass_replace(r, printer="中共××县委第二巡察组", print_date=dt.date(2026, 6, 5))
    pdf, _ = render_bytes(kinds.build(data), bundled)
    last = [t for _top, t, _c in lines_of(open_pdf(pdf).pages[-1])]
    assert any(t.endswith("印发") for t in last)


def dataclass_replace(obj, **kw):
    import dataclasses

    return dataclasses.replace(obj, **kw)


def test_copies_carry_their_own_copy_number_and_share_the_pages(bundled):
    doc = kinds.build(samples.clue_transfer())
    buf = io.BytesIO()
    one = render(doc, buf, fonts=bundled, copies=1).page_count
    size_one = len(buf.getvalue())
    buf = io.BytesIO()
    result = render(doc, buf, fonts=bundled, copies=4)
    pdf = open_pdf(buf.getvalue())
    assert result.page_count == one and len(pdf.pages) == 4 * one
    for k in range(4):
        first = [t for _top, t, _c in lines_of(pdf.pages[k * one])]
        assert f"00000{k + 1}" in "".join(first)
    assert len(buf.getvalue()) < 2 * size_one  # the pages are drawn once, as forms
    single, _ = render_bytes(doc, bundled)  # one copy of a classified document is copy 000001
    first = "".join(t for _top, t, _c in lines_of(open_pdf(single).pages[0]))
    assert "000001" in first and "000002" not in first


def test_register_fits_twelve_rows_on_a_page_and_urls_break_inside(bundled):
    reg = samples.register(40)
    # Descriptions and measures as the register of the database gives them: summaries of about two lines.
    own = ["三重一大决策制度执行不严", "违反中央八项规定精神", "基层党组织建设薄弱", "贯彻落实上级决策部署不到位"]
    entries = [dataclass_replace(e, description=e.description[:32] + "……", measures=e.measures[:22],
                                 category=own[i % 4], remarks="见 https://www.example.cn/xuncha/"
                                 "zhenggai/2026/notice-000123.html" if i == 30 else e.remarks)
               for i, e in enumerate(reg.entries)]
    data = io.BytesIO()
    from app.reports import render_register

    render_register(kinds.build(dataclass_replace(reg, entries=entries)), data, fonts=bundled)
    pdf = open_pdf(data.getvalue())
    per_page = [len(re.findall(r"XC2026-02-\d{3}", re.sub(r"\s", "", p.extract_text() or ""))) for p in pdf.pages]
    assert sum(per_page) == 40
    # Twelve rows or more on every full page (the one holding the long URL row may lose one).
    url_page = next(k for k, p in enumerate(pdf.pages) if "notice-000123" in re.sub(r"\s", "", p.extract_text() or ""))
    assert all(n >= 12 for k, n in enumerate(per_page[:-1]) if k != url_page), per_page
    assert per_page[url_page] >= 11 or url_page == len(per_page) - 1
    url_cell = next(c for c in table_cells(data.getvalue()) if "example.cn" in c)
    assert url_cell.endswith("notice-000123.html")


def test_cells_keep_kinsoku_and_units(bundled):
    rows = [[str(i), "问题线索摘要1份、谈话笔录2份，" * (1 + i % 3), "（见附件）“三重一大”。"] for i in range(30)]
    doc = OfficialDocument(title="表格", body=[Table([["序号", "移交材料", "备注"]], rows, col_widths=[0.8, 2.2, 1.6])])
    data, _ = render_bytes(doc, bundled)
    checked = 0
    for page in open_pdf(data).pages:
        for table in page.extract_tables():
            for row in table:
                for cell in row:
                    lines = (cell or "").split("\n")
                    for a, b in zip(lines, lines[1:], strict=False):
                        checked += 1
                        assert b[:1] not in NO_START and a[-1:] not in NO_END, (a, b)
                        assert not (a[-1:].isdigit() and b[:1] == "份"), (a, b)  # 1份 stays whole
    assert checked > 20


def test_long_urls_break_after_slashes_and_latin_is_not_letter_spaced(bundled):
    url = "https://www.example.cn/zhengwu/gongkai/2025/xuncha/fankui/index.html"
    text = "相关资料见" + url + "，请查阅。云川市ABC公司" * 3
    lines = layout([Span(text, Role.FANGSONG, 16)], g.BLOCK_W, bundled, tracking=g.BODY_TRACKING)
    joined = [ln.text for ln in lines]
    assert "".join(joined) == text
    for a, b in zip(joined, joined[1:], strict=False):
        if url in text and a and b and a[-1].isascii() and b[0].isascii():
            assert a.endswith("/") or b[0] in ".?#&=_~-%@", (a, b)
    for ln in lines:
        for run in ln.runs:
            if run.text.isascii() and run.text.strip():
                assert run.tracking <= 0.5 * 16 * 0.26  # no half-em letter-spacing
                assert run.tracking >= 0.0


def test_wording_is_normalized():
    assert normalize('他说"好的",然后走了.') == "他说“好的”，然后走了。"
    assert normalize("发现问题dog.。") == "发现问题dog。"
    assert normalize("加强管理。。") == "加强管理。"
    assert normalize("见GB/T 9704-2012,完成率34.4%.") == "见GB/T 9704-2012，完成率34.4%。"
    assert flatten_numbering("1.加强制度建设；2.健全台账；3.整改到位") == "（1）加强制度建设；（2）健全台账；（3）整改到位"
    assert flatten_numbering("2026年投入1.5万元") == "2026年投入1.5万元"


def test_names_in_stroke_order():
    # 丁 2 画, 王 4, 孙 6, 欧 8, 赵 9; a compound surname counts its first character.
    assert by_strokes(["赵立新", "欧阳明", "王五", "孙浩然", "丁一"]) == ["丁一", "王五", "孙浩然", "欧阳明", "赵立新"]


def test_snapshot_round_trips_every_kind():
    for data in samples.all_samples().values():
        built = kinds.build(data)
        assert snapshot.loads(snapshot.dumps(built)) == built
    with pytest.raises(ValueError):
        snapshot.loads(b"not a snapshot")


def _pdf_text(data: bytes, built) -> collections.Counter:
    """The PDF's characters, without page numbers, record footers and the header rows a table repeats."""
    pdf = open_pdf(data)
    out = []
    for page in pdf.pages:
        for _top, text, _c in lines_of(page):
            if PAGE_NUMBER.match(text) or re.fullmatch(r"谈话对象签名：.*第\d+页共\d+页", text.replace(" ", "")):
                continue
            out.append(text)
    text = re.sub(r"\s", "", "".join(out))
    counts = collections.Counter(text)
    from app.reports import RegisterTable

    if isinstance(built, RegisterTable):
        for _ in range(len(pdf.pages) - 1):
            counts.subtract("".join(c.header for c in built.columns))
    for header in _table_headers(built):
        repeats = text.count(header) - 1
        for _ in range(max(0, repeats)):
            counts.subtract(header)
    return +counts


def _table_headers(built) -> list[str]:
    from app.reports import RegisterTable

    if isinstance(built, RegisterTable):
        return []  # see _pdf_text: a register repeats its header on every page
    blocks = list(built.body) + [b for a in built.attachments for b in a.blocks]
    return ["".join(cell for row in b.header for cell in row) for b in blocks if isinstance(b, Table) and b.header]


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    body = d.element.body
    texts = [t.text or "" for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")]
    return re.sub(r"\s", "", "".join(texts))


@pytest.mark.parametrize("kind", list(kinds.BUILDERS))
def test_every_kind_opens_as_docx_with_the_pdfs_text(kind, bundled):
    built = kinds.build(samples.all_samples()[kind])
    pdf, _ = (render_bytes(built, bundled) if isinstance(built, OfficialDocument)
              else _register_bytes(built, bundled))
    buf = io.BytesIO()
    write_docx(built, buf, fonts=bundled)
    d = docx.Document(io.BytesIO(buf.getvalue()))
    section = d.sections[0]
    if isinstance(built, OfficialDocument):
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
        grid = section._sectPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}docGrid")
        assert grid is not None and grid.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}linePitch") == "580"
    assert collections.Counter(_docx_text(buf.getvalue())) == _pdf_text(pdf, built), kind


def _register_bytes(table, fonts):
    from app.reports import render_register

    buf = io.BytesIO()
    result = render_register(table, buf, fonts=fonts)
    return buf.getvalue(), result


def test_interview_record_has_page_x_of_y_and_a_signature_line_on_every_page(bundled):
    data, result = render_bytes(kinds.build(samples.interview_record()), bundled)
    pdf = open_pdf(data)
    assert result.page_count >= 2
    for n, page in enumerate(pdf.pages, 1):
        foot = "".join(t for _top, t, _c in lines_of(page)[-2:]).replace(" ", "")
        assert "谈话对象签名：" in foot and f"第{n}页共{result.page_count}页" in foot
    last = "".join(t for _top, t, _c in lines_of(pdf.pages[-1]))
    assert "以上笔录我已看过，与我所说的一致。" in last and "谈话对象（签名）" in last


def test_line_starts_in_body_never_break_kinsoku(bundled):
    data, _ = render_bytes(kinds.build(samples.feedback()), bundled)
    for page in open_pdf(data).pages:
        for _top, text, _c in lines_of(page):
            if not PAGE_NUMBER.match(text):
                assert text[0] not in NO_START and text[-1] not in NO_END, text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# The child order the WordprocessingML schema prescribes: Word refuses a file that breaks it.
_SCHEMA_ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
            "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
            "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
            "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
            "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
            "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
              "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"],
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
               "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
               "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"],
}


def test_word_files_keep_the_schemas_element_order(bundled):
    import zipfile

    from lxml import etree

    for kind, data in samples.all_samples().items():
        buf = io.BytesIO()
        write_docx(kinds.build(data), buf, fonts=bundled)
        with zipfile.ZipFile(buf) as z:
            for name in z.namelist():
                if not (name.startswith("word/") and name.endswith(".xml")):
                    continue
                root = etree.fromstring(z.read(name))
                for tag, order in _SCHEMA_ORDER.items():
                    for el in root.iter(_W + tag):
                        kids = [c.tag.replace(_W, "") for c in el if c.tag.startswith(_W)]
                        assert all(k in order for k in kids), (kind, name, tag, kids)
                        positions = [order.index(k) for k in kids]
                        assert positions == sorted(positions), (kind, name, tag, kids)


def test_a_row_shorter_than_a_page_is_never_split(bundled):
    # Rows of ~12 lines (taller than the old 240 pt cut) move whole to the next page.
    rows = [[str(i), "巡察发现的问题事实。" * 40, "备注"] for i in range(1, 7)]
    doc = OfficialDocument(title="长行", body=[Table([["序号", "内容", "备注"]], rows, col_widths=[1, 6, 2])])
    data, _ = render_bytes(doc, bundled)
    pdf = open_pdf(data)
    per_page = [re.sub(r"\s", "", p.extract_text() or "").count("事实") for p in pdf.pages]
    assert sum(per_page) == 6 * 40
    assert all(n % 40 == 0 for n in per_page), per_page  # every row whole on one page


def _stress(data):
    """A sample made hard: URLs, Latin names, 堃 喆 龘 𠮷 and ASCII punctuation in every text field."""
    import dataclasses

    extra = "（联系人王堃、李喆、赵龘、陈𠮷，Zhang Wei；资料见https://www.example.cn/xuncha/2026/report-0001.html）"

    def visit(value):
        if isinstance(value, str) and len(value) > 12 and not value.endswith(("文件", "办公室")):
            return value + extra
        if isinstance(value, list):
            return [visit(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(value, **{f.name: visit(getattr(value, f.name)) for f in dataclasses.fields(value)
                                                 if f.name not in ("doc_number", "issuer_mark", "code", "number")})
        return value

    return visit(data)


@pytest.mark.parametrize("kind", list(kinds.BUILDERS))
def test_a_stress_document_keeps_every_character_in_the_right_face_and_extractable(kind, bundled):
    from app.reports import render_kind

    data = _stress(samples.feedback(500) if kind == "feedback" else samples.all_samples()[kind])
    buf = io.BytesIO()
    result = render_kind(data, buf, fonts=bundled)
    report = result.font_report
    assert report.missing_chars == ""
    for ch, role in report.fallback_roles.items():
        if role == Role.FANGSONG:  # inside 仿宋 text only the wide serif may stand in, never 黑体
            assert report.fallback_chars[ch] == "HanaMinA", (kind, ch, report.fallback_chars[ch])
    text = "".join(p.extract_text() or "" for p in open_pdf(buf.getvalue()).pages)
    for ch in "堃喆龘𠮷":
        assert ch in text, (kind, ch)


def test_a_short_table_moves_whole_with_its_heading(bundled):
    data, _ = render_bytes(kinds.build(samples.working_paper()), bundled)
    pages = [re.sub(r"\s", "", p.extract_text() or "") for p in open_pdf(data).pages]
    (where,) = [k for k, t in enumerate(pages) if "审核签批" in t]
    assert all(role in pages[where] for role in ("承办人", "副组长审核", "组长审签"))
