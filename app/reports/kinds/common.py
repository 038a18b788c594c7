"""Small helpers shared by the document builders."""

from __future__ import annotations

import datetime as dt

from ..model import cn_date


def period(start: dt.date, end: dt.date) -> str:
    """2026年3月10日至5月20日 — the year is not repeated within one year."""
    if start.year == end.year:
        return f"{cn_date(start)}至{end.month}月{end.day}日"
    return f"{cn_date(start)}至{cn_date(end)}"


def deadline_text(d: dt.date | None) -> str:
    return f"{cn_date(d)}前" if d else ""


def sentence(text: str) -> str:
    """Text ending with a full stop (or the punctuation it already has)."""
    text = text.strip()
    if not text or text[-1] in "。！？；：…”":
        return text
    return text + "。"
