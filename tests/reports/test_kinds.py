"""Every document kind builds from plain data and prints what it was given."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re

import pytest

from app.reports import RegisterTable, kinds, render_kind, render_register, samples
from app.reports.kinds.common import period
from app.reports.model import cn_date

from .helpers import embedded_program, lines_of, open_pdf, page_fonts, table_cells

PAGE_NUMBER = re.compile(r"— \d+ —")


def render_data(data, fonts) -> tuple[bytes, object]:
    buf = io.BytesIO()
    result = render_kind(data, buf, fonts=fonts)
    return buf.getvalue(), result


def text_of(data: bytes) -> str:
    """All text, without line breaks or page numbers, for containment checks."""
    pdf = open_pdf(data)
    return PAGE_NUMBER.sub("", "".join(t for page in pdf.pages for _top, t, _c in lines_of(page)))


@pytest.mark.parametrize("kind", list(kinds.BUILDERS))
def test_every_kind_renders_with_embedded_fonts(kind, bundled):
    data, result = render_data(samples.all_samples()[kind], bundled)
    assert result.page_count == len(open_pdf(data).pages) >= 1
    for _page, base, font in page_fonts(data):
        assert embedded_program(font) is not None, base
    # The samples use 堃 喆 㛃 𠮷 on purpose: the shipped fonts draw every one of them.
    assert result.font_report.missing_chars == ""


def test_feedback_groups_findings_by_category(bundled):
    report = samples.feedback()
    data, _ = render_data(report, bundled)
    text = text_of(data)
    assert "一、总体评价" in text and "二、巡察发现的主要问题" in text and "三、整改意见" in text
    positions = [text.index(f"（{n}）{c}") for n, c in zip("一二三四", samples.CATEGORIES, strict=True)]
    assert positions == sorted(positions)
    for f in report.findings:
        assert f.summary in text and f.facts in text
    assert "整改时限：2026年12月31日前。" in text
    assert f"于{cn_date(report.report_deadline)}前" in text
    assert "巡察反馈问题清单" in text  # the attachment
    assert "抄送：县纪委监委，县委组织部，县委巡察办。" in text


def test_feedback_with_many_findings_keeps_every_one(bundled):
    data, result = render_data(samples.feedback(120), bundled)
    text = text_of(data)
    for i in range(9, 121):
        assert f"（第{i}项）" in text
    assert result.page_count > 20


def test_notice_lists_items_with_deadlines(bundled):
    notice = samples.notice()
    data, _ = render_data(notice, bundled)
    text = text_of(data)
    for n, item in enumerate(notice.items, 1):
        assert f"{n}.{item.problem}" in text
        assert f"责任单位：{item.responsible}" in text
    assert "请于2027年1月15日前" in text


def test_supervision_letter_is_in_letter_format_with_overdue_table(bundled):
    letter = samples.supervision()
    data, result = render_data(letter, bundled)
    pdf = open_pdf(data)
    first = "".join(t for _top, t, _c in lines_of(pdf.pages[0]))
    assert not PAGE_NUMBER.search(first)
    cells = table_cells(data)
    assert cells[:6] == ["序号", "问题", "责任单位", "整改时限", "逾期天数", "目前进展"]
    for n, item in enumerate(letter.items, 1):
        days = (letter.date - item.deadline).days
        assert [str(n), item.problem, item.responsible, cn_date(item.deadline), str(days), item.progress] \
            == cells[6 * n:6 * n + 6]
    assert f"仍有{len(letter.items)}项问题" in text_of(data)


def test_clue_transfer_has_a_listing_attachment(bundled):
    letter = samples.clue_transfer()
    data, _ = render_data(letter, bundled)
    pdf = open_pdf(data)
    last = "".join(t for _top, t, _c in lines_of(pdf.pages[-1]))
    assert last.startswith("附件") and "问题线索移交清单" in last
    cells = table_cells(data)
    for clue in letter.clues:
        # 𠮷 is drawn from the shipped serif and extracts like any other character.
        assert clue.code in cells and clue.person in cells and clue.summary in cells
    text = text_of(data)
    assert "移交人（签字）" in text and "机密" in text


def test_announcement_gives_every_channel(bundled):
    a = samples.announcement()
    data, _ = render_data(a, bundled)
    text = text_of(data)
    for part in (a.phone, a.postbox, a.mailbox_location, a.email, a.address, period(a.start, a.end)):
        assert part in text
    assert text.startswith(f"{a.team}巡察公告")


def test_special_report_with_signer(bundled):
    data, _ = render_data(samples.special_report_with_head(), bundled)
    first = [t for _top, t, _c in lines_of(open_pdf(data).pages[0])]
    assert any(t.startswith("县委二巡〔2026〕5号") and t.endswith("签发人：赵喆") for t in first)
    assert "机密★1年" in first


def test_register_is_landscape_with_header_on_every_page(bundled):
    reg = samples.register(40)
    data, result = render_data(reg, bundled)
    pdf = open_pdf(data)
    assert result.page_count >= 3
    for n, page in enumerate(pdf.pages, 1):
        assert page.width > page.height
        texts = [t for _top, t, _c in lines_of(page)]
        assert any(t.replace(" ", "").startswith("序号问题编号问题类别问题描述") for t in texts), n
        assert f"— {n} —" in texts
    cells = table_cells(data)
    for entry in reg.entries:
        assert cells.count(entry.number) == 1
        assert entry.description in cells


def test_render_register_accepts_a_plain_table(bundled):
    table = RegisterTable(title="测试台账", columns=kinds.register.COLUMNS[:3], rows=[["1", "A-1", "类别"]])
    buf = io.BytesIO()
    result = render_register(table, buf, fonts=bundled)
    assert result.page_count == 1
    assert "测试台账" in open_pdf(buf.getvalue()).pages[0].extract_text()


def test_builders_take_plain_values_only():
    # The database side fills these; they must hold nothing but plain values.
    allowed = (str, int, float, bool, dt.date, list, tuple, type(None))
    for cls, _builder in kinds.BUILDERS.values():
        sample = next(s for s in samples.all_samples().values() if isinstance(s, cls))
        for f in dataclasses.fields(sample):
            assert isinstance(getattr(sample, f.name), allowed), (cls.__name__, f.name)


def test_unknown_data_is_refused():
    with pytest.raises(TypeError):
        kinds.build(object())
