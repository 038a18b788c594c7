"""The PDF performance budgets, measured (for `xuncha bench`; not a timed test).

Budgets (DESIGN.md): a rectification letter < 200 ms; a feedback report with 500 findings < 3 s.
Fonts are loaded once per process, before timing, as the application does at start-up.
"""

from __future__ import annotations

import io
import time

from . import kinds, samples
from .fonts import FontSet
from .render import render

BUDGETS = {"pdf_notice_ms": 200.0, "pdf_feedback_500_ms": 3000.0}


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
    return {
        "pdf_font_load_ms": load_ms,
        "pdf_notice_ms": _best_ms(lambda: render(notice, io.BytesIO(), fonts=fonts), repeat),
        "pdf_feedback_500_ms": _best_ms(lambda: render(feedback, io.BytesIO(), fonts=fonts), repeat),
    }


if __name__ == "__main__":
    for name, ms in measure().items():
        budget = BUDGETS.get(name)
        print(f"{name:24} {ms:8.1f} ms" + (f"  (budget {budget:.0f} ms)" if budget else ""))
