"""Just enough of the sfnt (TrueType/OpenType) format to choose fonts without loading them.

Font discovery reads every font in the system folders; parsing each with ReportLab (or fontTools)
would take seconds on a Windows machine with hundreds of fonts. Here only the table directory, the
name table and, on demand, the cmap are read.

Measured against fontTools (2026-12, the 2-core reference machine, 36 font files / 63 faces): this
reader 25 ms, fontTools' lazy TTFont reading the same name tables 251 ms including its import, so
fontTools stays a test-only dependency (the tests use it to check embedded glyphs).
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

_TTC_TAG = b"ttcf"
_TRUETYPE_TAGS = (b"\x00\x01\x00\x00", b"true")
_OTTO = b"OTTO"


@dataclass(frozen=True)
class FaceInfo:
    path: Path
    index: int  # subfont index inside a .ttc, 0 otherwise
    names: frozenset[str]  # every family / full name in every language, as written
    subfamily: str  # English style name, e.g. "Regular", "Bold"
    postscript: str
    truetype_outlines: bool  # has a glyf table: the only kind ReportLab can embed
    embeddable: bool  # OS/2 fsType allows embedding the way ReportLab does it


class _Reader:
    def __init__(self, data: bytes):
        self.data = data

    def u16(self, off: int) -> int:
        return struct.unpack_from(">H", self.data, off)[0]

    def u32(self, off: int) -> int:
        return struct.unpack_from(">I", self.data, off)[0]


def _read_at(fh, offset: int, length: int) -> bytes:
    fh.seek(offset)
    return fh.read(length)


def _table_directory(fh, offset: int) -> tuple[bytes, dict[bytes, tuple[int, int]]]:
    head = _read_at(fh, offset, 12)
    if len(head) < 12:
        raise ValueError("truncated font header")
    version = head[:4]
    num_tables = struct.unpack(">H", head[4:6])[0]
    raw = _read_at(fh, offset + 12, 16 * num_tables)
    tables = {}
    for i in range(num_tables):
        tag, _checksum, toff, tlen = struct.unpack_from(">4sIII", raw, 16 * i)
        tables[tag] = (toff, tlen)
    return version, tables


def _face_offsets(fh) -> list[int]:
    tag = _read_at(fh, 0, 4)
    if tag != _TTC_TAG:
        return [0]
    raw = _read_at(fh, 8, 4)
    count = struct.unpack(">I", raw)[0]
    raw = _read_at(fh, 12, 4 * count)
    return list(struct.unpack(f">{count}I", raw))


def _decode_name(platform: int, encoding: int, raw: bytes) -> str | None:
    try:
        if platform in (0, 3):
            # Chinese fonts from the 1990s label GB-encoded names with platform 3 encoding 3.
            if platform == 3 and encoding == 3:
                units = struct.unpack(f">{len(raw) // 2}H", raw[: len(raw) // 2 * 2])
                gb = bytearray()
                for u in units:
                    gb.extend((u,) if u < 0x100 else (u >> 8, u & 0xFF))
                return gb.decode("gbk")
            return raw.decode("utf-16-be")
        if platform == 1:
            codec = {1: "shift_jis", 2: "big5", 3: "euc_kr", 25: "gb2312"}.get(encoding, "mac_roman")
            return raw.decode(codec)
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None
    return None


def _names(data: bytes) -> tuple[set[str], str, str]:
    r = _Reader(data)
    count, string_offset = r.u16(2), r.u16(4)
    names: set[str] = set()
    subfamily = ""
    postscript = ""
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", data, 6 + 12 * i)
        if name_id not in (1, 2, 4, 6, 16, 17):
            continue
        raw = data[string_offset + offset:string_offset + offset + length]
        text = _decode_name(platform, encoding, raw)
        if not text:
            continue
        text = text.strip("\x00 ")
        if name_id in (1, 4, 16):
            names.add(text)
        elif name_id == 6 and not postscript:
            postscript = text
        elif name_id in (2, 17) and (language in (0, 0x409) or not subfamily):
            subfamily = text
    return names, subfamily, postscript


def read_faces(path: Path) -> list[FaceInfo]:
    """Every face in a font file; an unreadable file yields nothing rather than an error."""
    faces: list[FaceInfo] = []
    try:
        with open(path, "rb") as fh:
            for index, offset in enumerate(_face_offsets(fh)):
                version, tables = _table_directory(fh, offset)
                if b"name" not in tables:
                    continue
                noff, nlen = tables[b"name"]
                names, subfamily, postscript = _names(_read_at(fh, noff, nlen))
                embeddable = True
                if b"OS/2" in tables:
                    ooff, _ = tables[b"OS/2"]
                    fs_type = struct.unpack(">H", _read_at(fh, ooff + 8, 2))[0]
                    # Mirrors ReportLab's own refusal, so a refused font is never chosen.
                    embeddable = not (fs_type == 0x0002 or fs_type & 0x0300)
                faces.append(FaceInfo(
                    path=path, index=index, names=frozenset(names), subfamily=subfamily,
                    postscript=postscript,
                    truetype_outlines=version in _TRUETYPE_TAGS and b"glyf" in tables and b"loca" in tables,
                    embeddable=embeddable,
                ))
    except (OSError, ValueError, struct.error):
        return []
    return faces


class Coverage:
    """Which code points a face maps to a real glyph, as sorted ranges (fast membership tests)."""

    def __init__(self, starts: list[int], ends: list[int]):
        self._starts = starts
        self._ends = ends

    def __contains__(self, cp: int) -> bool:
        i = bisect_right(self._starts, cp) - 1
        return i >= 0 and cp <= self._ends[i]

    @classmethod
    def empty(cls) -> Coverage:
        return cls([], [])


def _cmap_format4(r: _Reader, off: int) -> list[tuple[int, int]]:
    seg_count = r.u16(off + 6) // 2
    ends_off = off + 14
    starts_off = ends_off + 2 * seg_count + 2
    delta_off = starts_off + 2 * seg_count
    range_off = delta_off + 2 * seg_count
    ranges = []
    for s in range(seg_count):
        end, start = r.u16(ends_off + 2 * s), r.u16(starts_off + 2 * s)
        delta, ro = r.u16(delta_off + 2 * s), r.u16(range_off + 2 * s)
        if start == 0xFFFF:
            continue
        if ro == 0:
            # glyph = (cp + delta) & 0xFFFF; the one code point that lands on glyph 0 is unmapped.
            hole = (-delta) & 0xFFFF
            if start <= hole <= end:
                if start < hole:
                    ranges.append((start, hole - 1))
                if hole < end:
                    ranges.append((hole + 1, end))
            else:
                ranges.append((start, end))
            continue
        run_start = None
        for cp in range(start, end + 1):
            gid_off = range_off + 2 * s + ro + 2 * (cp - start)
            gid = r.u16(gid_off) if gid_off + 2 <= len(r.data) else 0
            if gid:
                gid = (gid + delta) & 0xFFFF
            if gid and run_start is None:
                run_start = cp
            elif not gid and run_start is not None:
                ranges.append((run_start, cp - 1))
                run_start = None
        if run_start is not None:
            ranges.append((run_start, end))
    return ranges


def _cmap_format12(r: _Reader, off: int) -> list[tuple[int, int]]:
    groups = r.u32(off + 12)
    ranges = []
    for g in range(groups):
        start, end, gid = struct.unpack_from(">III", r.data, off + 16 + 12 * g)
        if gid == 0:
            start += 1  # a group starting at .notdef maps its first code point to nothing
        if start <= end:
            ranges.append((start, end))
    return ranges


def read_coverage(face: FaceInfo) -> Coverage:
    try:
        with open(face.path, "rb") as fh:
            offset = _face_offsets(fh)[face.index]
            _version, tables = _table_directory(fh, offset)
            if b"cmap" not in tables:
                return Coverage.empty()
            coff, clen = tables[b"cmap"]
            data = _read_at(fh, coff, clen)
    except (OSError, ValueError, struct.error, IndexError):
        return Coverage.empty()
    r = _Reader(data)
    best = None
    for i in range(r.u16(2)):
        platform, encoding, sub_off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        fmt = r.u16(sub_off)
        rank = {(3, 10, 12): 4, (0, 4, 12): 3, (3, 1, 4): 2, (0, 3, 4): 1}.get((platform, encoding, fmt))
        if rank is None and platform == 0 and fmt in (4, 12):
            rank = 1
        if rank and (best is None or rank > best[0]):
            best = (rank, fmt, sub_off)
    if best is None:
        return Coverage.empty()
    try:
        ranges = _cmap_format12(r, best[2]) if best[1] == 12 else _cmap_format4(r, best[2])
    except struct.error:
        return Coverage.empty()
    ranges.sort()
    return Coverage([a for a, _ in ranges], [b for _, b in ranges])
