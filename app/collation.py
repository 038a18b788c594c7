"""Chinese names in the order people look for them: by pinyin (as a dictionary or a contact list is),
not by the code point of the first character. Official name lists (documents) use 姓氏笔画 instead:
app/reports/strokes.py."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=20000)
def pinyin_key(text: str | None) -> tuple[str, str]:
    """A sort key: the pinyin of the text (tone numbers after each syllable), then the text itself so
    that homophones keep a fixed order."""
    if not text:
        return ("", "")
    from pypinyin import Style, lazy_pinyin

    return (" ".join(lazy_pinyin(text, style=Style.TONE3, errors="default")).lower(), text)
