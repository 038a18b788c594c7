#!/usr/bin/env python3
"""Write a sample PDF of every document kind into a folder, to look at them.

    python scripts/render_samples.py OUT_DIR [--bundled-fonts] [--watermark TEXT] [--png]

--png also rasterises each page with pdftoppm (poppler-utils) at 80 dpi.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.reports import FontSet, render_kind, samples  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bundled-fonts", action="store_true", help="ignore system fonts")
    parser.add_argument("--watermark")
    parser.add_argument("--png", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    fonts = FontSet.bundled() if args.bundled_fonts else FontSet.default()
    extra = {"special-with-head": samples.special_report_with_head()}
    for kind, data in {**samples.all_samples(), **extra}.items():
        path = args.out / f"{kind}.pdf"
        t = time.perf_counter()
        result = render_kind(data, path, fonts=fonts, watermark=args.watermark)
        ms = (time.perf_counter() - t) * 1000
        print(f"{kind:18} {result.page_count:3d} pages {ms:7.1f} ms  {path}")
        for msg in result.font_report.messages():
            print(f"{'':18} {msg}")
        if args.png:
            if not shutil.which("pdftoppm"):
                print("pdftoppm not found (apt-get install poppler-utils)", file=sys.stderr)
                return 1
            subprocess.run(["pdftoppm", "-r", "80", "-png", str(path), str(args.out / kind)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
