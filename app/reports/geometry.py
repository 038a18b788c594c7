"""GB/T 9704-2012 figures, in PDF points (origin bottom-left) unless named _MM."""

from __future__ import annotations

import math

from reportlab.lib.pagesizes import A4

MM = 72.0 / 25.4

PAGE_W, PAGE_H = A4
TOP_MM = 37.0  # 天头
LEFT_MM = 28.0  # 订口
BLOCK_W = 156.0 * MM  # 版心
BLOCK_H = 225.0 * MM
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

LEFT = LEFT_MM * MM
RIGHT = LEFT + BLOCK_W
BLOCK_TOP = PAGE_H - TOP_MM * MM
BLOCK_BOTTOM = BLOCK_TOP - BLOCK_H

LINE_PITCH = BLOCK_H / LINES_PER_PAGE  # 28.99 pt: the 22-line grid
CHAR_PITCH = BLOCK_W / CHARS_PER_LINE  # 15.79 pt: 28 三号 characters per line

SIZE_ER = 22.0  # 二号: 标题
SIZE_SAN = 16.0  # 三号: 正文
SIZE_SI = 14.0  # 四号: 页码, 版记
SIZE_XIAOSI = 12.0  # 小四: tables

BODY_TRACKING = CHAR_PITCH - SIZE_SAN  # negative: 28 three-size characters fit 156 mm exactly

# Characters sit at the top of their grid line; the em box of a CJK font spans 0.88 em above the
# baseline to 0.12 em below it, so "top of the text" means baseline + 0.88 em.
EM_ASCENT = 0.88
EM_DESCENT = 0.12

RED = (230 / 255, 0.0, 18 / 255)  # #E60012

MARK_TOP_FROM_BLOCK = 35.0 * MM  # 发文机关标志's top edge below the block's top edge
RULE_BELOW_NUMBER = 4.0 * MM
RED_RULE_WIDTH = 0.5 * MM
BANJI_THICK = 0.35 * MM
BANJI_THIN = 0.25 * MM
PAGE_NUMBER_GAP = 7.0 * MM  # 一字线 below the block's bottom edge

# 信函格式
LETTER_MARK_TOP = 30.0 * MM  # from the paper's top edge
LETTER_RULE_LEN = 170.0 * MM
LETTER_RULE_BOTTOM = 20.0 * MM  # lower double rule above the paper's bottom edge
LETTER_THICK = 0.8 * MM
LETTER_THIN = 0.25 * MM
LETTER_RULE_GAP = 0.6 * MM


def slot_top(i: int) -> float:
    """Top edge of grid line i (0-based) of the text block."""
    return BLOCK_TOP - i * LINE_PITCH


def baseline(i: int, size: float = SIZE_SAN) -> float:
    return slot_top(i) - EM_ASCENT * size


def slot_at_or_below(y: float) -> int:
    """The first grid line whose top is at or below y."""
    return max(0, math.ceil((BLOCK_TOP - y) / LINE_PITCH - 1e-6))
