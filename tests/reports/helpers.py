"""Helpers for the PDF tests: render to bytes, read lines back, build tiny fonts."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pdfplumber
import pytest

from app.reports import FontSet, render
from app.reports.geometry import MM


def render_bytes(doc, fonts: FontSet, **kw) -> tuple[bytes, object]:
    buf = io.BytesIO()
    result = render(doc, buf, fonts=fonts, **kw)
    return buf.getvalue(), result


def open_pdf(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))


def mm(points: float) -> float:
    return points / MM


def lines_of(page, *, min_size: float = 0.0) -> list[tuple[float, str, list[dict]]]:
    """Text lines of a page as (top, text, chars), top to bottom, grouping chars by baseline.

    The baseline (not the glyph box) decides: a fallback font with another descent sits on the
    same line as its neighbours.
    """
    rows: dict[int, list[dict]] = {}
    for ch in page.chars:
        if ch["size"] < min_size or abs(ch["matrix"][1]) > 1e-6:  # skip rotated (watermark) text
            continue
        key = round(ch["matrix"][5] * 2)  # half-point buckets
        rows.setdefault(key, []).append(ch)
    out = []
    for key in sorted(rows, reverse=True):
        chars = sorted(rows[key], key=lambda c: c["x0"])
        out.append((min(c["top"] for c in chars), "".join(c["text"] for c in chars), chars))
    return out


def table_cells(data: bytes) -> list[str]:
    """Text of every ruled table cell in the document, wrapped lines joined."""
    cells = []
    for page in open_pdf(data).pages:
        for table in page.extract_tables():
            for row in table:
                # pdfplumber reads a wide justification gap as a space; the PDF holds none.
                cells += [(c or "").replace("\n", "").replace(" ", "") for c in row]
    return cells


def build_font(path: Path, family: str, chars: Iterable[str], *, ps_name: str | None = None,
               cff: bool = False, fs_type: int = 0) -> Path:
    """A small font whose glyphs are solid boxes: enough to test discovery, fallback and embedding."""
    pytest.importorskip("fontTools")
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = list(dict.fromkeys(chars))
    names = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})

    def draw(pen):
        pen.moveTo((100, -80))
        pen.lineTo((100, 800))
        pen.lineTo((900, 800))
        pen.lineTo((900, -80))
        pen.closePath()

    if cff:
        charstrings = {}
        for n in names:
            pen = T2CharStringPen(1000, None)
            draw(pen)
            charstrings[n] = pen.getCharString()
        fb.setupCFF(ps_name or "TestFont", {"FullName": ps_name or "TestFont"}, charstrings, {})
    else:
        glyphs = {}
        for n in names:
            pen = TTGlyphPen(None)
            draw(pen)
            glyphs[n] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    # PostScript names are ASCII by specification (and ReportLab refuses others).
    fb.setupNameTable({"familyName": family, "styleName": "Regular", "psName": ps_name or "TestFont"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsType=fs_type)
    fb.setupPost()
    fb.save(str(path))
    return path


STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
    "Times-BoldItalic", "Symbol", "ZapfDingbats",
}


def page_fonts(data: bytes) -> list[tuple[int, str, object]]:
    """(page number, BaseFont, font dictionary) for every font every page refers to."""
    from pypdf import PdfReader

    out = []
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        # Resolved by hand: pypdf before 4.1 hands out the indirect references themselves.
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else {}
        for ref in fonts.values():
            font = ref.get_object()
            out.append((n, str(font.get("/BaseFont", "")).lstrip("/"), font))
    return out


def embedded_program(font) -> bytes | None:
    """The embedded font file of a PDF font dictionary, or None when the font is not embedded."""
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    desc = font.get("/FontDescriptor")
    if desc is None:
        return None
    desc = desc.get_object()
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in desc:
            return desc[key].get_object().get_data()
    return None


def _to_unicode(font) -> dict[str, int]:
    import re

    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out = {}
    for code, uni in re.findall(r"<([0-9A-Fa-f]{2})>\s*<((?:[0-9A-Fa-f]{4})+)>", data):
        out[bytes.fromhex(uni).decode("utf-16-be")] = int(code, 16)
    return out


def glyph_drawn(data: bytes, fontname: str, char: str) -> bool:
    """Whether the embedded font named fontname has a real (non-empty) outline for char."""
    pytest.importorskip("fontTools")
    from fontTools.ttLib import TTFont

    for _n, base, font in page_fonts(data):
        if base != fontname:
            continue
        code = _to_unicode(font).get(char)
        program = embedded_program(font)
        if code is None or program is None:
            continue
        tt = TTFont(io.BytesIO(program))
        cmap = tt["cmap"].tables[0].cmap  # ReportLab writes one byte-encoded subtable
        name = cmap.get(code)
        if not name or name == ".notdef":
            return False
        glyph = tt["glyf"][name]
        return glyph.numberOfContours != 0
    return False
