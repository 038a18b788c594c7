"""GB/T 9704-2012 geometry, measured on the PDF as a reader gets it (tolerance 1 mm)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from app.reports import Heading, OfficialDocument, Paragraph, Table, kinds, samples
from app.reports.text import NO_END, NO_START

from .helpers import lines_of, mm, open_pdf, render_bytes

TOL = 1.0  # mm
BLOCK_TOP, BLOCK_LEFT, BLOCK_W, BLOCK_H = 37.0, 28.0, 156.0, 225.0
BLOCK_RIGHT, BLOCK_BOTTOM = BLOCK_LEFT + BLOCK_W, BLOCK_TOP + BLOCK_H
PITCH = BLOCK_H / 22
PAGE_NUMBER = re.compile(r"^— \d+ —$")

PARA = ("巡察组坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻党的二十大精神，通过个别谈话、"
        "受理信访、查阅资料、走访调研等方式，深入了解情况，发现了“三重一大”决策、《党委工作规则》执行等"
        "方面的问题（详见附件），有的问题较为突出！")


def standard_doc(paragraphs: int = 16, **kw) -> OfficialDocument:
    body = [Heading(1, "总体评价"), Paragraph(PARA), Heading(2, "落实主体责任方面", body="责任压得不实。"),
            Heading(3, "理论学习不深入", body=PARA), Heading(4, "学习记录不规范", body=PARA)]
    body += [Paragraph(PARA) for _ in range(paragraphs)]
    args = dict(
        title="中共××县委第二巡察组关于巡察××镇党委落实全面从严治党主体责任情况的反馈意见", body=body,
        issuer_mark="中共××县委巡察工作领导小组文件", doc_number="县巡〔2026〕3号", addressee="中共××镇委员会",
        signature="中共××县委第二巡察组", date=dt.date(2026, 11, 21), cc=["县纪委监委", "县委组织部"],
        printer="中共××县委巡察工作领导小组办公室", print_date=dt.date(2026, 11, 22),
        attachments_note=["巡察反馈问题清单", "问题线索移交情况说明"],
    )
    args.update(kw)
    return OfficialDocument(**args)


@pytest.fixture(scope="module")
def standard(bundled):
    data, result = render_bytes(standard_doc(), bundled)
    return data, result, open_pdf(data)


def body_lines(page):
    return [(top, text, chars) for top, text, chars in lines_of(page) if not PAGE_NUMBER.match(text)]


def test_text_reads_back_exactly(standard):
    data, result, pdf = standard
    doc = standard_doc()
    expected = [doc.issuer_mark, doc.doc_number, doc.title, doc.addressee + "：", "一、总体评价", PARA,
                "（一）落实主体责任方面。责任压得不实。", "1.理论学习不深入。" + PARA, "（1）学习记录不规范。" + PARA]
    expected += [PARA] * 16
    expected += ["附件：1.巡察反馈问题清单", "2.问题线索移交情况说明", doc.signature, "2026年11月21日",
                 "抄送：县纪委监委，县委组织部。", doc.printer + "2026年11月22日印发"]
    got = "".join(text for page in pdf.pages for _t, text, _c in body_lines(page))
    assert got == "".join(expected)
    assert result.page_count == len(pdf.pages)


def test_margins_and_grid(bundled):
    data, _result = render_bytes(standard_doc(title="正文页", issuer_mark=None, body=[Paragraph(PARA)] * 30), bundled)
    page = open_pdf(data).pages[1]  # a full body page
    lines = [ln for ln in body_lines(page) if abs(ln[2][0]["size"] - 16) < 0.01]
    assert len(lines) == 22
    tops = [mm(t) for t, _x, _c in lines]
    assert tops[0] == pytest.approx(BLOCK_TOP, abs=TOL)
    for a, b in zip(tops, tops[1:], strict=False):
        assert b - a == pytest.approx(PITCH, abs=0.05)
    lefts = [mm(chars[0]["x0"]) for _t, _x, chars in lines]
    assert min(lefts) == pytest.approx(BLOCK_LEFT, abs=TOL)
    full = [chars for _t, text, chars in lines if len(text) == 28]
    assert full, "some lines carry the full 28 characters"
    for chars in full:
        assert mm(chars[-1]["x1"]) == pytest.approx(BLOCK_RIGHT, abs=TOL)


def test_paragraphs_are_indented_two_characters(standard):
    _data, _result, pdf = standard
    firsts = [chars for _t, text, chars in body_lines(pdf.pages[1]) if text.startswith("巡察组坚持")]
    assert firsts
    for chars in firsts:
        assert mm(chars[0]["x0"]) == pytest.approx(BLOCK_LEFT + 2 * BLOCK_W / 28, abs=TOL)


def test_masthead(standard):
    _data, _result, pdf = standard
    page = pdf.pages[0]
    lines = body_lines(page)
    mark = next(chars for _t, text, chars in lines if text.startswith("中共××县委巡察工作领导小组文件"))
    assert mm(mark[0]["top"]) == pytest.approx(BLOCK_TOP + 35, abs=TOL)
    r, g, b = mark[0]["non_stroking_color"]
    assert r > 0.85 and g < 0.1 and b < 0.15
    assert mm(mark[0]["x0"]) >= BLOCK_LEFT - TOL and mm(mark[-1]["x1"]) <= BLOCK_RIGHT + TOL
    number = next(chars for _t, text, chars in lines if text == "县巡〔2026〕3号")
    centre = (mm(number[0]["x0"]) + mm(number[-1]["x1"])) / 2
    assert centre == pytest.approx(BLOCK_LEFT + BLOCK_W / 2, abs=TOL)
    # 发文字号 two blank lines below the 标志.
    assert mm(number[0]["top"]) - mm(mark[0]["bottom"]) >= 2 * PITCH - TOL
    assert mm(number[0]["top"]) - mm(mark[0]["bottom"]) <= 3 * PITCH + TOL
    (rule,) = [ln for ln in page.lines if ln["stroking_color"] and ln["stroking_color"][0] > 0.85]
    r, g, b = rule["stroking_color"]
    assert g < 0.1 and b < 0.15
    assert mm(rule["x0"]) == pytest.approx(BLOCK_LEFT, abs=TOL)
    assert mm(rule["x1"] - rule["x0"]) == pytest.approx(BLOCK_W, abs=TOL)
    assert 0.35 - 1e-6 <= mm(rule["linewidth"]) <= 0.5 + 1e-6
    assert mm(rule["top"]) - mm(number[0]["bottom"]) == pytest.approx(4.0, abs=TOL)
    title = [chars for _t, _x, chars in lines if abs(chars[0]["size"] - 22) < 0.01]
    assert len(title) == 2
    assert all(abs(c["size"] - 22) < 0.01 for chars in title for c in chars)
    assert mm(title[0][0]["top"]) - mm(rule["top"]) >= 2 * PITCH - TOL
    for chars in title:
        centre = (mm(chars[0]["x0"]) + mm(chars[-1]["x1"])) / 2
        assert centre == pytest.approx(BLOCK_LEFT + BLOCK_W / 2, abs=TOL)
    addressee = next(chars for _t, text, chars in lines if text == "中共××镇委员会：")
    assert mm(addressee[0]["x0"]) == pytest.approx(BLOCK_LEFT, abs=TOL)
    assert mm(addressee[0]["top"]) - mm(title[-1][0]["top"]) == pytest.approx(2 * PITCH, abs=TOL)


def test_page_numbers(standard):
    _data, _result, pdf = standard
    assert len(pdf.pages) >= 3
    char_w = 14 / 72 * 25.4  # 四号, one character in from the edge
    for n, page in enumerate(pdf.pages, 1):
        (num,) = [chars for _t, text, chars in lines_of(page) if PAGE_NUMBER.match(text)]
        assert "".join(c["text"] for c in num) == f"— {n} —"
        assert all(abs(c["size"] - 14) < 0.01 for c in num)
        digit = next(c for c in num if c["text"].isdigit())
        assert mm((digit["top"] + digit["bottom"]) / 2) == pytest.approx(BLOCK_BOTTOM + 7, abs=TOL)
        if n % 2:
            assert mm(num[-1]["x1"]) == pytest.approx(BLOCK_RIGHT - char_w, abs=TOL)
        else:
            assert mm(num[0]["x0"]) == pytest.approx(BLOCK_LEFT + char_w, abs=TOL)


def test_signature_date_and_colophon(standard):
    _data, _result, pdf = standard
    last = pdf.pages[-1]
    lines = body_lines(last)
    date = next(chars for _t, text, chars in lines if text == "2026年11月21日")
    sig = next(chars for _t, text, chars in lines if text == "中共××县委第二巡察组")
    assert mm(date[-1]["x1"]) == pytest.approx(BLOCK_RIGHT - 4 * BLOCK_W / 28, abs=TOL)
    centre = lambda chars: (chars[0]["x0"] + chars[-1]["x1"]) / 2  # noqa: E731
    assert mm(centre(sig)) == pytest.approx(mm(centre(date)), abs=TOL)
    assert mm(date[0]["top"] - sig[0]["top"]) == pytest.approx(PITCH, abs=0.1)
    # 版记: rules across the block, the last on its lower edge; 抄送 above 印发.
    black = sorted((ln for ln in last.lines if not ln["stroking_color"] or max(ln["stroking_color"]) < 0.2),
                   key=lambda ln: ln["top"])
    assert len(black) == 3
    for ln in black:
        assert mm(ln["x1"] - ln["x0"]) == pytest.approx(BLOCK_W, abs=TOL)
    assert mm(black[-1]["bottom"] + black[-1]["linewidth"] / 2) == pytest.approx(BLOCK_BOTTOM, abs=0.3)
    assert mm(black[0]["linewidth"]) == pytest.approx(0.35, abs=0.05)
    assert mm(black[1]["linewidth"]) == pytest.approx(0.25, abs=0.05)
    cc = next(chars for _t, text, chars in lines if text.startswith("抄送："))
    printed = next(chars for _t, text, chars in lines if text.endswith("印发"))
    assert black[0]["top"] < cc[0]["top"] < black[1]["top"] < printed[0]["top"] < black[2]["top"]
    assert all(abs(c["size"] - 14) < 0.01 for c in cc + printed)
    assert mm(printed[-1]["x1"]) == pytest.approx(BLOCK_RIGHT - 14 / 72 * 25.4, abs=TOL)
    assert mm(sig[0]["bottom"]) < mm(black[0]["top"])


def test_attachment_note_alignment(standard):
    _data, _result, pdf = standard
    lines = [ln for page in pdf.pages for ln in body_lines(page)]
    first = next(chars for _t, text, chars in lines if text.startswith("附件："))
    second = next(chars for _t, text, chars in lines if text.startswith("2.问题线索"))
    assert mm(first[0]["x0"]) == pytest.approx(BLOCK_LEFT + 2 * BLOCK_W / 28, abs=TOL)
    one = next(c for c in first if c["text"] == "1")
    assert mm(second[0]["x0"]) == pytest.approx(mm(one["x0"]), abs=TOL)


def test_no_line_starts_or_ends_with_forbidden_punctuation(bundled):
    dense = "“巡察”，（一）《条例》：是否？是！“一、二”；……——‘三’。" * 3
    texts = [PARA, dense] + [("察" * k) + dense for k in range(1, 28)]
    data, _ = render_bytes(OfficialDocument(title="禁则", body=[Paragraph(t) for t in texts]), bundled)
    pdf = open_pdf(data)
    count = 0
    for page in pdf.pages:
        for _t, text, _c in body_lines(page):
            count += 1
            assert text[0] not in NO_START, text
            assert text[-1] not in NO_END, text
    assert count > 60


def test_heading_fonts(standard):
    _data, _result, pdf = standard
    lines = [ln for page in pdf.pages for ln in body_lines(page)]
    fonts = {text[:3]: chars[0]["fontname"] for _t, text, chars in lines}
    assert "WenQuanYi" in fonts["一、总"]  # 黑体 substitute
    assert "GBZenKai" in fonts["（一）"]  # 楷体 substitute
    assert "FandolFang" in fonts["1.理"] and "FandolFang" in fonts["（1）"]


def test_table_header_repeats_on_every_page(bundled):
    rows = [[str(i), "问题描述" * (1 + i % 5), "2026年12月31日"] for i in range(1, 80)]
    doc = OfficialDocument(title="清单", body=[Table([["序号", "问题", "整改时限"]], rows, col_widths=[1, 6, 2])])
    data, result = render_bytes(doc, bundled)
    pdf = open_pdf(data)
    assert result.page_count >= 3
    seen = []
    for page in pdf.pages:
        texts = [text for _t, text, _c in body_lines(page)]
        assert any(t.replace(" ", "") == "序号问题整改时限" for t in texts), texts[:3]
        seen += [t.split(" ")[0] for t in texts]
        for _t, _text, chars in body_lines(page):
            assert mm(chars[-1]["bottom"]) <= BLOCK_BOTTOM + TOL
    joined = "".join(page.extract_text() for page in pdf.pages)
    for i in range(1, 80):
        assert f"\n{i} 问题描述" in joined or f"\n{i} " in joined


def test_letter_format(bundled):
    data, result = render_bytes(kinds.supervision.build(samples.supervision()), bundled)
    pdf = open_pdf(data)
    assert result.page_count >= 2
    first = pdf.pages[0]
    assert not [t for _t, t, _c in lines_of(first) if PAGE_NUMBER.match(t)]
    mark = next(chars for _t, text, chars in lines_of(first) if text.startswith("中共××县委巡察工作领导小组办公室"))
    assert mm(mark[0]["top"]) == pytest.approx(30, abs=TOL)
    reds = [r for r in first.rects if r["non_stroking_color"] and r["non_stroking_color"][0] > 0.85]
    assert len(reds) == 4  # two double rules
    upper = sorted(reds, key=lambda r: r["top"])[:2]
    lower = sorted(reds, key=lambda r: r["top"])[2:]
    assert upper[0]["height"] > upper[1]["height"]  # 上粗下细
    assert lower[0]["height"] < lower[1]["height"]  # 下粗上细
    assert mm(upper[0]["top"] - mark[0]["bottom"]) == pytest.approx(4, abs=TOL)
    assert mm(first.height - lower[1]["bottom"]) == pytest.approx(20, abs=TOL)
    for r in reds:
        assert mm(r["width"]) == pytest.approx(170, abs=TOL)
    number = next(chars for _t, text, chars in lines_of(first) if text.endswith("12号"))
    assert mm(number[-1]["x1"]) == pytest.approx(BLOCK_RIGHT, abs=TOL)
    second = pdf.pages[1]
    (num,) = [chars for _t, t, chars in lines_of(second) if PAGE_NUMBER.match(t)]
    assert mm(num[0]["x0"]) < BLOCK_LEFT + 10  # page 2 is even: left


def test_watermark_on_every_page_without_hiding_text(bundled):
    doc = standard_doc()
    plain, _ = render_bytes(doc, bundled)
    marked, _ = render_bytes(doc, bundled, watermark="张三 2026-11-21 14:30")
    reader = PdfReader(io.BytesIO(marked))
    for p_plain, p_marked, page in zip(open_pdf(plain).pages, open_pdf(marked).pages, reader.pages, strict=True):
        level = [c for c in p_marked.chars if abs(c["matrix"][1]) < 1e-6]
        assert "".join(c["text"] for c in level) == "".join(c["text"] for c in p_plain.chars)
        rotated = "".join(c["text"] for c in p_marked.chars if abs(c["matrix"][1]) > 0.1)
        assert "张三" in rotated
        states = page["/Resources"]["/ExtGState"]
        assert any(float(s.get_object().get("/ca", 1)) < 0.5 for s in states.values())


def test_row_taller_than_a_page_continues_on_the_next(bundled):
    long_text = "巡察发现的问题事实" * 260
    doc = OfficialDocument(title="长表格", body=[Table([["序号", "内容", "备注"]], [["1", long_text, "备注"], ["2", "短", ""]],
                                                    col_widths=[1, 6, 2])])
    data, result = render_bytes(doc, bundled)
    pdf = open_pdf(data)
    assert result.page_count >= 3
    inside = "".join(c["text"] for page in pdf.pages for c in page.chars if c["text"] in "巡察发现的问题事实")
    assert inside == long_text
    for page in pdf.pages:
        for c in page.chars:
            assert mm(c["bottom"]) <= BLOCK_BOTTOM + 10  # page number aside, nothing below the block
