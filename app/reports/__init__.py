"""Official-document PDFs (GB/T 9704-2012) and landscape registers, built from plain data.

Pure: stdlib and ReportLab only — no database session, no Qt. Typical use::

    from app.reports import render, kinds
    doc = kinds.feedback.build(kinds.FeedbackReport(...))
    result = render(doc, "out.pdf", watermark="张三 2026-11-21 14:30")
    for message in result.font_report.messages():
        ...  # tell the user which fonts were substituted
"""

from __future__ import annotations

import os
from typing import BinaryIO

from . import kinds
from .fonts import FontReport, FontSet, Role, RoleReport
from .landscape import render_register
from .model import (
    Attachment,
    Blank,
    Column,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    RegisterTable,
    RenderResult,
    Table,
    cn_date,
)
from .render import render


def render_kind(
    data,
    out: str | os.PathLike | BinaryIO,
    *,
    fonts: FontSet | None = None,
    watermark: str | None = None,
) -> RenderResult:
    """Build and render any dataclass from app.reports.kinds (portrait document or landscape register)."""
    built = kinds.build(data)
    if isinstance(built, RegisterTable):
        return render_register(built, out, fonts=fonts, watermark=watermark)
    return render(built, out, fonts=fonts, watermark=watermark)


__all__ = [
    "Attachment", "Blank", "Column", "FontReport", "FontSet", "Heading", "OfficialDocument", "PageBreak",
    "Paragraph", "RegisterTable", "RenderResult", "Role", "RoleReport", "Table", "cn_date", "kinds", "render",
    "render_kind", "render_register",
]
