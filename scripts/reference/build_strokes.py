#!/usr/bin/env python3
"""Rebuild resources/reference/hanzi_strokes.bin: the stroke count of every CJK ideograph.

Official lists of names are set in 姓氏笔画 order (by the strokes of the surname, then of the next
characters). The counts come from Unihan's kTotalStrokes (the first, Chinese, value), which Debian's
unicode-data package ships:

    apt-get install unicode-data
    python scripts/reference/build_strokes.py

File format: zlib-compressed; one byte per code point for each range in app/reports/strokes.RANGES,
in order (0 where Unihan gives no count).
"""

from __future__ import annotations

import bz2
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.reports.strokes import RANGES  # noqa: E402

UNIHAN = Path("/usr/share/unicode/Unihan_IRGSources.txt.bz2")


def main() -> int:
    counts: dict[int, int] = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("U+") and "\tkTotalStrokes\t" in line:
                code, _key, value = line.rstrip("\n").split("\t")
                counts[int(code[2:], 16)] = min(255, int(value.split()[0]))
    data = bytearray()
    for lo, hi in RANGES:
        data += bytes(counts.get(cp, 0) for cp in range(lo, hi + 1))
    out = ROOT / "resources" / "reference" / "hanzi_strokes.bin"
    out.write_bytes(zlib.compress(bytes(data), 9))
    print(f"{len(counts)} counts, {out.stat().st_size} bytes: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
