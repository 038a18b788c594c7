"""A ReportLab canvas with the document metadata every export carries."""

from __future__ import annotations

import os
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

CREATOR = "巡察工作台"


def new_canvas(out: str | os.PathLike | BinaryIO, pagesize: tuple[float, float], title: str, author: str,
               initial_font: str) -> Canvas:
    """initial_font must be an embedded (TrueType) font: ReportLab otherwise opens every page with a
    reference to Helvetica, a font that is not embedded."""
    target = os.fspath(out) if isinstance(out, (str, os.PathLike)) else out
    canv = Canvas(target, pagesize=pagesize, pageCompression=1, initialFontName=initial_font)
    canv.setTitle(title)
    canv.setAuthor(author)
    canv.setCreator(CREATOR)
    canv.setProducer(CREATOR)
    return canv
