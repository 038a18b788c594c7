"""The Word (.docx) version of a document, from the same built model as the PDF.

Offices finish and archive documents in WPS or Word, so every kind is also written as .docx with
python-docx on the GB/T 9704 grid: A4, 天头 37 mm, 订口 28 mm, a document grid of 22 lines (characters at
三号 set at their own width, 27–28 a line), the fonts by name (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体: Word and WPS
substitute what is not installed), the red 标志 and rule, 版记 at the foot of the last page, and page
numbers in the footer, right on odd pages and left on even ones. The title breaks where the PDF's
does. The text is the PDF's text; only line breaks inside paragraphs are left to the word processor.

Elements python-docx has no API for (the grid, borders, fields, floating tables) are written as
WordprocessingML in the order the schema requires, which Word checks strictly.
"""

from __future__ import annotations

import os
import re
from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import geometry as g
from .fonts import FontSet, Role
from .gbt9704 import HEADING_ROLE, heading_label
from .model import (
    Attachment,
    Blank,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    RegisterTable,
    Table,
    cn_date,
)
from .text import Span, balanced_layout
from .words import word_breaks

FONT_NAMES = {Role.FANGSONG: "仿宋_GB2312", Role.XIAOBIAOSONG: "方正小标宋简体", Role.HEITI: "黑体",
              Role.KAITI: "楷体_GB2312", Role.SONGTI: "宋体"}
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
TWIPS_PER_MM = 1440 / 25.4
LINE_PITCH_TWIPS = round(225 / 22 * TWIPS_PER_MM)  # 580: the 22-line grid


def _set_font(run, role: Role, size: float, *, color: RGBColor | None = None, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FONT_NAMES[role])
    fonts.set(qn("w:hint"), "eastAsia")
    if color is not None:
        run.font.color.rgb = color
    if bold:
        run.font.bold = True


def _ppr_child(p, tag: str):
    """A pPr child in schema order (python-docx knows the order of the children it models)."""
    ppr = p._p.get_or_add_pPr()
    el = ppr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                      "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                      "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                      "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                      "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
        ppr.insert_element_before(el, *successors[successors.index(tag) + 1:] if tag in successors else successors)
    return el


def _border(p, side: str, *, val: str = "single", size_eighths: int = 4, color: str = "000000",
            space_pt: int = 1) -> None:
    bdr = _ppr_child(p, "w:pBdr")
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), str(space_pt))
    el.set(qn("w:color"), color)
    order = ("top", "left", "bottom", "right", "between", "bar")
    for other in order[order.index(side) + 1:]:
        found = bdr.find(qn(f"w:{other}"))
        if found is not None:
            found.addprevious(el)
            return
    bdr.append(el)


def _indent_chars(p, *, first: int | None = None, left: int | None = None, right: int | None = None,
                  hanging: int | None = None) -> None:
    """Indents in hundredths of a character (firstLineChars="200": two characters)."""
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    # Both forms: Word and WPS read the character count, LibreOffice only the twips.
    for name, value in (("firstLine", first), ("left", left), ("right", right), ("hanging", hanging)):
        if value is not None:
            ind.set(qn(f"w:{name}Chars"), str(value))
            ind.set(qn(f"w:{name}"), str(round(value / 100 * g.CHAR_PITCH * 20)))


def _page_field(paragraph, role: Role, size: float, text_before: str = "— ", text_after: str = " —") -> None:
    _set_font(paragraph.add_run(text_before), role, size)
    run = paragraph.add_run()
    _set_font(run, role, size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)
    _set_font(paragraph.add_run(text_after), role, size)


def _field(run, instr_text: str, shown: str) -> None:
    for kind, text in (("begin", None), ("instr", instr_text), ("separate", None), ("text", shown), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._element.append(el)


class _Writer:
    def __init__(self, fonts: FontSet | None = None) -> None:
        self.fonts = fonts or FontSet.default()
        self.doc = Document()
        self._setup()

    # --- page, grid, styles, footers ---------------------------------------------------------
    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.left_margin = Mm(g.TOP_MM), Mm(g.LEFT_MM)
        section.right_margin = Mm(210 - g.LEFT_MM - 156)
        section.bottom_margin = Mm(297 - g.TOP_MM - 225)
        section.footer_distance = Mm(297 - g.TOP_MM - 225 - 7 - 5.5)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            section._sectPr.append(grid)
        # The 22-line grid. Characters are not snapped to a character grid: a word processor lacking
        # 仿宋_GB2312 substitutes a font whose advance exceeds the 15.79 pt cell and then spreads every
        # character over two cells; at 三号 the text runs 27–28 characters a line either way.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(g.SIZE_SAN)
        normal.font.name = LATIN_FONT
        rpr = normal.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), FONT_NAMES[Role.FANGSONG])
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.widow_control = False
        self.doc.settings.odd_and_even_pages_header_footer = True

    def page_numbers(self, *, letter: bool, record_sign: str | None) -> None:
        section = self.doc.sections[0]
        if record_sign is not None:
            for footer in (section.footer, section.even_page_footer):
                p = footer.paragraphs[0]
                _set_font(p.add_run(f"{record_sign}＿＿＿＿＿＿＿＿　　　　　　第 "), Role.FANGSONG, g.SIZE_SI)
                run = p.add_run()
                _set_font(run, Role.FANGSONG, g.SIZE_SI)
                _field(run, " PAGE ", "1")
                _set_font(p.add_run(" 页 共 "), Role.FANGSONG, g.SIZE_SI)
                run = p.add_run()
                _set_font(run, Role.FANGSONG, g.SIZE_SI)
                _field(run, " NUMPAGES ", "1")
                _set_font(p.add_run(" 页"), Role.FANGSONG, g.SIZE_SI)
            return
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _indent_chars(odd, right=100)
        _page_field(odd, Role.SONGTI, g.SIZE_SI)
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _indent_chars(even, left=100)
        _page_field(even, Role.SONGTI, g.SIZE_SI)
        if letter:
            # 信函格式: no page number on page 1; its footer carries the lower red double rule instead.
            section.different_first_page_header_footer = True
            first = section.first_page_footer.paragraphs[0]
            _border(first, "top", val="thinThickSmallGap", size_eighths=18, color="E60012", space_pt=1)

    # --- paragraphs --------------------------------------------------------------------------
    def para(self, text: str = "", role: Role = Role.FANGSONG, size: float = g.SIZE_SAN, *,
             align: str = "justify", first_indent: bool = False, color: RGBColor | None = None):
        p = self.doc.add_paragraph()
        if align == "justify" and _LONG_LATIN.search(text):
            align = "left"  # justified, a line ending before an unbreakable URL spreads its characters apart
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        if first_indent:
            _indent_chars(p, first=200)
        if text:
            _set_font(p.add_run(text), role, size, color=color)
        return p

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.para()

    def title(self, text: str, keep: list[str]) -> None:
        strict, relaxed = word_breaks(text, keep) if len(text) > 12 else (None, None)
        lines = balanced_layout([Span(text, Role.XIAOBIAOSONG, g.SIZE_ER)], g.BLOCK_W, self.fonts, breaks=strict,
                                relaxed=relaxed)
        p = self.para(align="center")
        for k, line in enumerate(lines):
            run = p.add_run(line.text)
            _set_font(run, Role.XIAOBIAOSONG, g.SIZE_ER)
            if k < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    def heading(self, h: Heading, counters: list[int]) -> None:
        label = ""
        if h.numbered:
            counters[h.level] += 1
            for deeper in range(h.level + 1, 5):
                counters[deeper] = 0
            label = heading_label(h.level, counters[h.level])
        p = self.para(first_indent=True)
        text = label + h.text
        if h.body:
            text += "" if h.text[-1:] in "。：；！？:;!?" else "。"
        _set_font(p.add_run(text), HEADING_ROLE[h.level], g.SIZE_SAN)
        if h.body:
            _set_font(p.add_run(h.body), Role.FANGSONG, g.SIZE_SAN)

    def table(self, t: Table, size: float | None = None, width_mm: float = 156.0) -> None:
        rows = t.header + t.rows
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        # Rows are appended one by one: python-docx's cell(r, c) walks the whole table each time.
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rel = t.col_widths or [1.0] * ncols
        total = sum(rel)
        widths = [Mm(width_mm * w / total) for w in rel]
        for col, width in zip(table.columns, widths, strict=False):
            col.width = width
        # Fixed layout at the full width: word processors otherwise shrink the columns to their text.
        table.autofit = False
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
        if tbl_w is not None:
            tbl_w.set(qn("w:type"), "dxa")
            tbl_w.set(qn("w:w"), str(round(width_mm * TWIPS_PER_MM)))
        font_size = size or t.font_size
        aligns = t.align or ["left"] * ncols
        for r, row in enumerate(rows):
            header = r < len(t.header)
            new_row = table.add_row()
            if header:
                new_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for c, cell in enumerate(new_row.cells):
                cell.width = widths[c] if c < len(widths) else widths[-1]
                text = row[c] if c < len(row) else ""
                p = cell.paragraphs[0]
                align = "center" if header else (aligns[c] if c < len(aligns) else "left")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
                _snap_off(p)
                if text:
                    _set_font(p.add_run(text), Role.HEITI if header else Role.SONGTI, font_size)

    def blocks(self, blocks) -> None:
        counters = [0, 0, 0, 0, 0]
        for b in blocks:
            if isinstance(b, Heading):
                self.heading(b, counters)
            elif isinstance(b, Paragraph):
                self.para(b.text, align=b.align, first_indent=b.indent)
            elif isinstance(b, Table):
                self.table(b)
            elif isinstance(b, Blank):
                self.blank(b.lines)
            elif isinstance(b, PageBreak):
                self.page_break()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- the parts of a 公文 -------------------------------------------------------------------
    def head(self, d: OfficialDocument) -> None:
        # As in the PDF: a classified document always carries its 份号 (a single copy is 000001).
        copy = d.copy_number or ("000001" if d.secrecy else None)
        marks = [m for m in (copy, d.secrecy, d.urgency) if m]
        letter = d.layout == "letter"
        # 信函格式: the 份号 and 密级 stand below the red double rule, the 文号 right of the first of them.
        for m in ([] if letter and d.issuer_mark else marks):
            self.para(m, Role.HEITI, align="left")
        if not d.issuer_mark:
            if marks:
                self.blank()
            return
        size = d.mark_size or (30.0 if letter else 42.0)
        mark = self.para(d.issuer_mark, Role.XIAOBIAOSONG, size, align="center", color=RED)
        _snap_off(mark)
        # Its top 35 mm below the block's top (GB/T 9704 7.2.3), less the lines the 份号 and 密级 take.
        mark.paragraph_format.space_before = Mm(0 if letter else max(0.0, 35 - 2 - len(marks) * 225 / 22))
        # Long names are squeezed to the block's width, as the PDF does (w:w, percent of normal width).
        width = g.SIZE_ER and len(d.issuer_mark) * size
        if width > g.BLOCK_W:
            scale = max(40, int(100 * g.BLOCK_W / width))
            for run in mark.runs:
                w = OxmlElement("w:w")
                w.set(qn("w:val"), str(scale))
                run._element.get_or_add_rPr().insert_element_before(
                    w, "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
                    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")
        if letter:
            _border(mark, "bottom", val="thickThinSmallGap", size_eighths=18, color="E60012", space_pt=4)
            rows = list(marks) or [""]
            for k, m in enumerate(rows):
                p = self.para(align="left")
                if m:
                    _set_font(p.add_run(m), Role.HEITI, g.SIZE_SAN)
                if k == 0 and d.doc_number:
                    tabs = OxmlElement("w:tabs")
                    tab = OxmlElement("w:tab")
                    tab.set(qn("w:val"), "right")
                    tab.set(qn("w:pos"), str(round(156 * TWIPS_PER_MM)))
                    tabs.append(tab)
                    p._p.get_or_add_pPr().insert_element_before(tabs, *_AFTER_TABS)
                    _set_font(p.add_run("\t" + d.doc_number), Role.FANGSONG, g.SIZE_SAN)
            self.blank()
            return
        self.blank(2)
        if d.signers:
            p = self.para(align="left")
            _indent_chars(p, left=100, right=100)
            tabs = OxmlElement("w:tabs")
            tab = OxmlElement("w:tab")
            tab.set(qn("w:val"), "right")
            tab.set(qn("w:pos"), str(round((156 - 5.6) * TWIPS_PER_MM)))
            tabs.append(tab)
            p._p.get_or_add_pPr().insert_element_before(tabs, *_AFTER_TABS)
            _set_font(p.add_run((d.doc_number or "") + "\t签发人："), Role.FANGSONG, g.SIZE_SAN)
            _set_font(p.add_run("　".join(d.signers)), Role.KAITI, g.SIZE_SAN)
            number = p
        else:
            number = self.para(d.doc_number or "", align="center")
        _border(number, "bottom", size_eighths=11, color="E60012", space_pt=11)
        self.blank(2)

    def signature(self, d: OfficialDocument) -> None:
        if not d.signature and not d.date:
            return
        self.blank()
        date = cn_date(d.date) if d.date else ""
        if d.signature:
            p = self.para(d.signature, align="right")
            # Centred over the date, which stands four characters in from the right edge.
            offset = 400 + max(0, round(50 * (_cells(date) - _cells(d.signature))))
            _indent_chars(p, right=offset)
        if date:
            p = self.para(date, align="right")
            _indent_chars(p, right=400 if d.sealed else 200)
        if d.note:
            note = d.note if d.note.startswith("（") else f"（{d.note}）"
            self.para(note, first_indent=True, align="left")

    def attachment_note(self, names: list[str]) -> None:
        if not names:
            return
        self.blank()
        for k, name in enumerate(names, 1):
            number = f"{k}." if len(names) > 1 else ""
            text = ("附件：" if k == 1 else "") + number + name
            p = self.para(text, align="left")
            _indent_chars(p, left=500 if k > 1 else 200, hanging=0)

    def attachment(self, att: Attachment, number: int | None) -> None:
        self.page_break()
        self.para("附件" + (str(number) if number else ""), Role.HEITI, align="left")
        self.blank()
        self.title(att.title, [])
        self.blank()
        self.blocks(att.blocks)

    def banji(self, d: OfficialDocument) -> None:
        letter = d.layout == "letter"
        rows: list[tuple[str, str]] = []
        if d.cc:
            text = "，".join(d.cc)
            rows.append(("抄送：" + text + ("" if text.endswith("。") else "。"), ""))
        if not letter and (d.printer or d.print_date):
            rows.append((d.printer or "", (cn_date(d.print_date) + "印发") if d.print_date else ""))
        if not rows:
            return
        anchor = self.doc.add_paragraph()
        table = self.doc.add_table(rows=len(rows), cols=2)
        anchor._p.addnext(table._tbl)
        # A body never ends with a table: Word adds a paragraph after it, LibreOffice drops the table.
        table._tbl.addnext(OxmlElement("w:p"))
        tblpr = table._tbl.tblPr
        # Floating at the foot of the text block, where GB/T 9704 puts the 版记.
        # Rows exactly one grid line high, so the table's height is known and its top can be placed
        # that far above the block's lower edge (an absolute offset: tblpYSpec is not read everywhere).
        pos = OxmlElement("w:tblpPr")
        pos.set(qn("w:vertAnchor"), "margin")
        pos.set(qn("w:horzAnchor"), "margin")
        pos.set(qn("w:tblpX"), "0")
        pos.set(qn("w:tblpY"), str(round(225 * TWIPS_PER_MM) - len(rows) * LINE_PITCH_TWIPS))
        tblpr.insert(1 if tblpr.find(qn("w:tblStyle")) is not None else 0, pos)
        borders = OxmlElement("w:tblBorders")
        if not letter:
            for side, size in (("top", 8), ("bottom", 8), ("insideH", 6)):
                el = OxmlElement(f"w:{side}")
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), str(size))
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), "000000")
                borders.append(el)
        tblpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                                    "w:tblDescription")
        for r, (left, right) in enumerate(rows):
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(LINE_PITCH_TWIPS))
            height.set(qn("w:hRule"), "exact")
            table.rows[r]._tr.get_or_add_trPr().append(height)
            cell = table.cell(r, 0)
            if not right:
                cell = cell.merge(table.cell(r, 1))
            p = cell.paragraphs[0]
            _indent_chars(p, left=100)
            _set_font(p.add_run(left), Role.FANGSONG, g.SIZE_SI)
            if right:
                p2 = table.cell(r, 1).paragraphs[0]
                p2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _indent_chars(p2, right=100)
                _set_font(p2.add_run(right), Role.FANGSONG, g.SIZE_SI)

    def official(self, d: OfficialDocument) -> None:
        self.page_numbers(letter=d.layout == "letter",
                          record_sign=d.record_sign if d.footer == "record" else None)
        self.head(d)
        self.title(d.title, list(d.keep_together))
        self.blank()
        if d.addressee:
            self.para(d.addressee.rstrip("：:") + "：", align="left")
        self.blocks(d.body)
        names = d.attachments_note if d.attachments_note is not None else [a.title for a in d.attachments]
        self.attachment_note(names)
        self.signature(d)
        many = len(d.attachments) > 1
        for k, att in enumerate(d.attachments, 1):
            self.attachment(att, k if many else None)
        self.banji(d)

    def register(self, r: RegisterTable) -> None:
        section = self.doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(20), Mm(22)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
        self.doc.settings.odd_and_even_pages_header_footer = False
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(footer, Role.SONGTI, g.SIZE_SI)
        p = self.para(r.title, Role.XIAOBIAOSONG, g.SIZE_ER, align="center")
        _snap_off(p)
        if r.subtitle:
            _snap_off(self.para(r.subtitle, Role.FANGSONG, g.SIZE_SI, align="center"))
        self.table(Table([[c.header for c in r.columns]], r.rows, col_widths=[c.width for c in r.columns],
                         align=[c.align for c in r.columns], font_size=r.font_size), width_mm=297 - 40)
        if r.note:
            _snap_off(self.para(r.note, Role.FANGSONG, g.SIZE_XIAOSI, align="left"))


_LONG_LATIN = re.compile(r"[!-~]{16,}")
_AFTER_TABS = ("w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
               "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
               "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
               "w:pPrChange")


def _cells(text: str) -> float:
    """Width in characters: half-width characters count half."""
    return sum(0.5 if " " <= ch <= "\u024f" else 1.0 for ch in text)


def _snap_off(p) -> None:
    """Off the document grid: the 标志, tables and registers keep their own line height."""
    snap = _ppr_child(p, "w:snapToGrid")
    snap.set(qn("w:val"), "0")


def write_docx(doc: OfficialDocument | RegisterTable, out: str | os.PathLike | BinaryIO,
               fonts: FontSet | None = None) -> None:
    """Write doc as .docx to out (a path or a binary file object). fonts only measure the title."""
    w = _Writer(fonts)
    if isinstance(doc, RegisterTable):
        w.register(doc)
    else:
        w.official(doc)
    core = w.doc.core_properties
    core.title = doc.title
    core.author = doc.author or ""
    core.comments = "巡察工作台"
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    w.doc.save(target)
