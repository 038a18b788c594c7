"""A light diagonal watermark (who exported, and when) repeated over each page.

Drawn last so that nothing in the content can cover it, but at low opacity and in light grey so the
text under it stays readable.
"""

from __future__ import annotations

from .fonts import FontSet, FontUsage, Role
from .text import Span, draw_line, layout

WATERMARK_SIZE = 18.0
WATERMARK_GREY = (0.55, 0.55, 0.55)
WATERMARK_ALPHA = 0.18
ANGLE = 35.0


def draw_watermark(canvas, text: str, page_w: float, page_h: float, fonts: FontSet, usage: FontUsage) -> None:
    lines = layout([Span(text.strip(), Role.FANGSONG, WATERMARK_SIZE, WATERMARK_GREY)], 1e6, fonts, align="left",
                   usage=usage)
    if not lines:
        return
    line = lines[0]
    step_x = max(line.width + 60.0, 220.0)
    step_y = 150.0
    canvas.saveState()
    canvas.setFillAlpha(WATERMARK_ALPHA)
    canvas.setStrokeAlpha(WATERMARK_ALPHA)
    canvas.translate(page_w / 2, page_h / 2)
    canvas.rotate(ANGLE)
    # Tile a rotated grid large enough to cover the page's corners.
    reach = (page_w ** 2 + page_h ** 2) ** 0.5 / 2
    ny = int(reach // step_y) + 1
    nx = int(reach // step_x) + 1
    for j in range(-ny, ny + 1):
        shift = (step_x / 2) if j % 2 else 0.0
        for i in range(-nx, nx + 1):
            x = i * step_x + shift - line.width / 2
            draw_line(canvas, line, x, line.width, j * step_y)
    canvas.restoreState()
