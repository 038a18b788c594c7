"""Chinese numerals as official texts write small ordinals: 一 … 十 … 二十一 … 九十九 (headings,
轮次, 巡察组). Standard library only: every layer uses it."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1–99 in Chinese numerals; anything else as Arabic digits."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def parse_cn_number(text: str) -> int | None:
    """The reverse of `cn_number` (None for anything it would not write)."""
    if not text or any(ch not in DIGITS + "十" for ch in text):
        return None
    if "十" not in text:
        return (DIGITS.index(text) or None) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)
    return value if cn_number(value) == text else None
