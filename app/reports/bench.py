"""The PDF performance budgets, measured (for `xuncha bench`; not a timed test).

Budgets (DESIGN.md): a rectification letter < 200 ms; a feedback report with 500 findings < 3 s.
Fonts are loaded once per process, before timing, as the application does at start-up.

Beside a document's figure stands a bare baseline measured in the same run: the same paragraphs set
by ReportLab's own Platypus (Paragraph with wordWrap="CJK", one font, no grid, no 禁则 beyond its own,
no fallback per character). The ratio between the two travels between machines where an absolute time
does not, and shows how far the document's own line setting is from the engine's limit.
"""

from __future__ import annotations

import io
import time

from . import kinds, samples
from .fonts import FontSet
from .render import render

BUDGETS = {"pdf_notice_ms": 200.0, "pdf_feedback_500_ms": 3000.0}


def plain_paragraphs(doc) -> list[tuple[str, float]]:
    """Every text of a built document as (text, font size), in reading order: the baseline's input."""
    from .gbt9704 import heading_label
    from .model import Blank, Heading, PageBreak, Paragraph, Table

    out: list[tuple[str, float]] = [(doc.title, 22.0)]
    if doc.addressee:
        out.append((doc.addressee, 16.0))
    counters = [0] * 5

    def walk(blocks) -> None:
        for b in blocks:
            if isinstance(b, Heading):
                counters[b.level] += 1
                out.append((heading_label(b.level, counters[b.level]) + b.text + b.body, 16.0))
            elif isinstance(b, Paragraph):
                out.append((b.text, 16.0))
            elif isinstance(b, Table):
                out.extend(("　".join(row), b.font_size) for row in b.header + b.rows)
            elif isinstance(b, (Blank, PageBreak)):
                continue

    walk(doc.body)
    for att in doc.attachments:
        out.append((att.title, 22.0))
        walk(att.blocks)
    out += [(t, 16.0) for t in (doc.signature or "",) if t]
    return out


def raw_reportlab(doc, fonts: FontSet, out) -> None:
    """The baseline: the same paragraphs through ReportLab's Platypus, on an A4 page with the same block."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph
    from reportlab.platypus import SimpleDocTemplate

    from . import geometry as g
    from .fonts import Role

    font = fonts.font_name(Role.FANGSONG)
    styles: dict[float, ParagraphStyle] = {}
    story = []
    for text, size in plain_paragraphs(doc):
        style = styles.get(size)
        if style is None:
            style = styles[size] = ParagraphStyle(f"s{size}", fontName=font, fontSize=size, leading=size * 1.8,
                                                  wordWrap="CJK", firstLineIndent=2 * size)
        story.append(RLParagraph(text.replace("&", "&amp;").replace("<", "&lt;"), style))
    template = SimpleDocTemplate(out, pagesize=(g.PAGE_W, g.PAGE_H), leftMargin=g.LEFT, rightMargin=g.PAGE_W - g.RIGHT,
                                 topMargin=g.PAGE_H - g.BLOCK_TOP, bottomMargin=g.BLOCK_BOTTOM)
    template.build(story)


def _best_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return best


def measure(fonts: FontSet | None = None, repeat: int = 3) -> dict[str, float]:
    """{figure name: milliseconds}, with the font loading measured separately."""
    t = time.perf_counter()
    fonts = fonts or FontSet.default()
    fonts.preload()
    load_ms = (time.perf_counter() - t) * 1000
    notice = kinds.notice.build(samples.notice())
    feedback = kinds.feedback.build(samples.feedback(500))
    ours = _best_ms(lambda: render(feedback, io.BytesIO(), fonts=fonts), repeat)
    raw = _best_ms(lambda: raw_reportlab(feedback, fonts, io.BytesIO()), repeat)
    return {
        "pdf_font_load_ms": load_ms,
        "pdf_notice_ms": _best_ms(lambda: render(notice, io.BytesIO(), fonts=fonts), repeat),
        "pdf_feedback_500_ms": ours,
        "pdf_feedback_500_raw_reportlab_ms": raw,
        "pdf_feedback_500_ratio": ours / raw if raw else float("nan"),
    }


if __name__ == "__main__":
    for name, ms in measure().items():
        budget = BUDGETS.get(name)
        unit = "×" if name.endswith("_ratio") else "ms"
        print(f"{name:34} {ms:8.1f} {unit}" + (f"  (budget {budget:.0f} ms)" if budget else ""))
