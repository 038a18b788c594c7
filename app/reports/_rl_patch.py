"""Adjustments to ReportLab that the PDF layer relies on, applied once on import.

ASCII85 stream encoding is turned off: it exists for 7-bit mail channels, makes every page stream a
quarter larger and costs a sixth of a long report's rendering time.

ReportLab writes each subset's ToUnicode CMap entry as ``<%04X>``, which for a code point beyond the
BMP (e.g. 𠮷 U+20BB7, found in personal names) yields five hex digits — an invalid CMap entry, so a
reader extracts nothing (or garbage) for that character. The text must survive copy-and-paste and
search, so entries are written as UTF-16BE, which is what the PDF specification asks for.
"""

from __future__ import annotations

from reportlab import rl_config
from reportlab.pdfbase import ttfonts

_PATCHED = "_xuncha_patched"


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be").hex().upper()


def _make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    # A bfchar block may hold at most 100 entries (PDF 32000-1, 9.10.3).
    for start in range(0, len(subset), 100):
        chunk = subset[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{start + i:02X}> <{_utf16_hex(cp)}>" for i, cp in enumerate(chunk))
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def apply() -> None:
    if getattr(ttfonts, _PATCHED, False):
        return
    ttfonts.makeToUnicodeCMap = _make_to_unicode_cmap
    rl_config.useA85 = 0
    setattr(ttfonts, _PATCHED, True)


apply()
