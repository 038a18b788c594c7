"""Draw the application icon (installer/xuncha.ico and installer/xuncha.png) with the standard library only.

A red rounded square with a gold magnifying glass holding a white tick: "inspection, checked".
The shapes are signed-distance functions, so every size is drawn sharp and anti-aliased rather
than scaled down. The outputs are committed; run this again only to change the design:

    python installer/make_icon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

RED = (183, 28, 28)
GOLD = (255, 202, 40)
WHITE = (255, 255, 255)


# --- shapes, in a 256 x 256 design space; negative inside -------------------------------------

def _rounded_rect(x: float, y: float) -> float:
    half, radius = 120.0, 44.0
    qx, qy = abs(x - 128) - (half - radius), abs(y - 128) - (half - radius)
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - radius


def _segment(x: float, y: float, ax: float, ay: float, bx: float, by: float, r: float) -> float:
    px, py, dx, dy = x - ax, y - ay, bx - ax, by - ay
    t = max(0.0, min(1.0, (px * dx + py * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - t * dx, py - t * dy) - r


def _magnifier(x: float, y: float) -> float:
    ring = abs(math.hypot(x - 112, y - 110) - 56) - 13
    handle = _segment(x, y, 156, 154, 200, 198, 15)
    return min(ring, handle)


def _tick(x: float, y: float) -> float:
    return min(_segment(x, y, 86, 112, 104, 132, 9), _segment(x, y, 104, 132, 138, 90, 9))


def _coverage(distance: float, pixel: float) -> float:
    return max(0.0, min(1.0, 0.5 - distance / pixel))


def render(size: int) -> bytes:
    """RGBA rows, top to bottom."""
    pixel = 256.0 / size  # design units per output pixel
    out = bytearray()
    for j in range(size):
        y = (j + 0.5) * pixel
        for i in range(size):
            x = (i + 0.5) * pixel
            bg = _coverage(_rounded_rect(x, y), pixel)
            if bg == 0.0:
                out += b"\0\0\0\0"
                continue
            color: list[float] = list(RED)
            for shape, paint in ((_magnifier, GOLD), (_tick, WHITE)):
                a = _coverage(shape(x, y), pixel)
                color = [c * (1 - a) + p * a for c, p in zip(color, paint, strict=True)]
            out += bytes(round(c) for c in color) + bytes((round(255 * bg),))
    return bytes(out)


# --- file formats -----------------------------------------------------------------------------

def png(size: int, rgba: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    stride = size * 4
    raw = b"".join(b"\0" + rgba[r * stride:(r + 1) * stride] for r in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def dib(size: int, rgba: bytes) -> bytes:
    """A classic icon image: BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask."""
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    stride = size * 4
    pixels = bytearray()
    for r in reversed(range(size)):
        row = rgba[r * stride:(r + 1) * stride]
        for i in range(0, stride, 4):
            pixels += bytes((row[i + 2], row[i + 1], row[i], row[i + 3]))
    mask_stride = ((size + 31) // 32) * 4
    mask = bytearray()
    for r in reversed(range(size)):
        bits = bytearray(mask_stride)
        for i in range(size):
            if rgba[(r * size + i) * 4 + 3] == 0:
                bits[i // 8] |= 0x80 >> (i % 8)
        mask += bits
    return header + bytes(pixels) + bytes(mask)


def ico(images: dict[int, bytes]) -> bytes:
    """PNG from 64 px up (small files), classic bitmaps for the small sizes (most compatible)."""
    entries, payloads = [], []
    offset = 6 + 16 * len(images)
    for size, rgba in sorted(images.items()):
        data = png(size, rgba) if size >= 64 else dib(size, rgba)
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        payloads.append(data)
        offset += len(data)
    return struct.pack("<HHH", 0, 1, len(images)) + b"".join(entries) + b"".join(payloads)


def main() -> None:
    images = {size: render(size) for size in ICO_SIZES}
    (HERE / "xuncha.ico").write_bytes(ico(images))
    (HERE / "xuncha.png").write_bytes(png(256, images[256]))
    print(f"wrote {HERE / 'xuncha.ico'} and {HERE / 'xuncha.png'}")


if __name__ == "__main__":
    main()
