"""姓氏笔画 order: how official lists of names are sorted (by the strokes of the surname first).

Stroke counts are Unihan's kTotalStrokes, shipped as resources/reference/hanzi_strokes.bin (built by
scripts/reference/build_strokes.py). Names with the same count for a character are ordered by the
next character, then by code point — the standard's further rule (the first stroke: 横竖撇点折)
needs stroke sequences no permissively licensed source provides.
"""

from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Iterable
from pathlib import Path

from app.paths import resources_dir

# URO + Extension A, then Extensions B–F: names use characters from all of them.
RANGES = ((0x3400, 0x9FFF), (0x20000, 0x2EBEF))


def _resource() -> Path:
    env = os.environ.get("XUNCHA_REFERENCE_DIR")
    if env:
        return Path(env) / "hanzi_strokes.bin"
    return resources_dir() / "reference" / "hanzi_strokes.bin"


@functools.cache
def _table() -> bytes:
    try:
        return zlib.decompress(_resource().read_bytes())
    except (OSError, zlib.error):
        return b""  # without the table, names keep code-point order rather than fail a document


def strokes(ch: str) -> int:
    """The stroke count of a CJK ideograph; 0 for anything else (or when unknown)."""
    cp = ord(ch)
    table = _table()
    offset = 0
    for lo, hi in RANGES:
        if lo <= cp <= hi:
            i = offset + cp - lo
            return table[i] if i < len(table) else 0
        offset += hi - lo + 1
    return 0


def name_key(name: str) -> tuple:
    name = name.strip()
    return tuple((strokes(ch), ord(ch)) for ch in name)


def by_strokes(names: Iterable[str]) -> list[str]:
    """Names in 姓氏笔画 order (王 4 画 before 李 7 画 before 张 7 画 …)."""
    return sorted(names, key=name_key)
