#!/usr/bin/env python3
"""Rebuild resources/fonts/ — the open-licensed fallback fonts for official PDFs.

ReportLab embeds only TrueType-outline fonts, and every role of GB/T 9704 (仿宋, 小标宋, 黑体, 楷体,
宋体) needs a font that a fresh machine lacks. This script makes the set reproducible from Debian
packages, so the shipped bytes can always be traced back to a packaged upstream release:

    apt-get install fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-microhei texlive-lang-chinese \
                    fonts-hanazono unicode-data
    pip install fonttools
    python scripts/fonts/build_fonts.py [--out resources/fonts]

* AR PL SungtiL GB / KaitiM GB and WenQuanYi Micro Hei are TrueType already and copied verbatim.
* FandolFang and FandolSong-Bold are OpenType/CFF. They are converted to quadratic TrueType outlines
  (fontTools cu2qu) and subset to what a GBK document can contain (GB2312 + GBK + punctuation) so
  ReportLab can embed them. The licence (GPL-3 with the font exception) allows modification as long
  as the recipe is shipped, which is this file.
* HanaMinA is the serif that 仿宋 (and the other roles) fall back to for characters beyond GB2312:
  it is cut down to every CJK ideograph of the BMP that GB18030 requires (URO, Extension A, the
  compatibility ideographs) less the GB2312 ones every role font already has, plus the Extension B
  characters it carries (2,858 of them: those of JIS X 0213, such as 𠮷, and every one beyond the BMP
  that the 通用规范汉字表 lists — checked against Unihan kTGH when building). It is used under the
  Hanazono Font License (free modification), not the OFL alternative, whose reserved font name would
  forbid keeping the name on a subset.

fontTools is needed only here, never at run time.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path

DEBIAN_FANDOL = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
DEBIAN_FANDOL_DOC = Path("/usr/share/doc/texlive-doc/fonts/fandol")

# (source file, shipped name, licence files to ship) for fonts copied unchanged.
COPIED = [
    (
        Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
        "gbsn00lp.ttf",
        [(Path("/usr/share/doc/fonts-arphic-gbsn00lp/license/english/ARPHICPL.TXT.gz"), "ARPHICPL.TXT"),
         (Path("/usr/share/doc/fonts-arphic-gbsn00lp/license/gb/ARPHICPL.TXT"), "ARPHICPL-GB.TXT")],
    ),
    (
        Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
        "gkai00mp.ttf",
        [],  # same Arphic Public License as gbsn00lp
    ),
    (
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        "wqy-microhei.ttc",
        [(Path("/usr/share/common-licenses/Apache-2.0"), "WQY-MICROHEI-Apache-2.0.txt"),
         (Path("/usr/share/doc/fonts-wqy-microhei/copyright"), "WQY-MICROHEI-COPYRIGHT.txt")],
    ),
]

DEBIAN_HANAZONO = Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf")
UNIHAN_OTHER = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")  # Debian unicode-data
HANA_A_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))

CONVERTED = [
    ("FandolFang-Regular.otf", "FandolFang-Regular.ttf"),
    ("FandolSong-Bold.otf", "FandolSong-Bold.ttf"),
]

# Tables that ReportLab ignores; dropping them keeps the repository lean.
DROP_TABLES = ("BASE", "GPOS", "GSUB", "VORG", "vhea", "vmtx", "DSIG")


def _gbk_encodable(cp: int) -> bool:
    try:
        chr(cp).encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _keep_codepoint(cp: int) -> bool:
    # GBK already contains GB2312 and most CJK punctuation; the ranges add the few symbols official
    # documents use that GBK lacks (e.g. 〔〕 variants, ellipsis forms, enclosed numbers).
    return _gbk_encodable(cp) or any(lo <= cp <= hi for lo, hi in (
        (0x0020, 0x024F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x22FF), (0x2460, 0x24FF), (0x2500, 0x27BF),
        (0x3000, 0x303F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    ))


def convert_cff_to_ttf(src: Path, dst: Path) -> dict:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(src, recalcTimestamp=False)  # reproducible bytes: keep upstream dates
    keep = [cp for cp in font.getBestCmap() if _keep_codepoint(cp)]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += list(DROP_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)

    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise; TrueType wants clockwise outer contours.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")

    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID names are meaningless and cost space
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\0\1\0\0"
    # Mark the outline conversion in the version string so a PDF's font can be told apart from
    # the upstream OpenType file.
    for rec in font["name"].names:
        if rec.nameID == 5:
            rec.string = f"{rec.toUnicode()}; TrueType outlines (cu2qu) and GBK subset by Xuncha"
    dst.parent.mkdir(parents=True, exist_ok=True)
    font.save(dst)
    return {"source": str(src), "codepoints": len(keep), "glyphs": len(glyph_order)}


def _gb2312(cp: int) -> bool:
    try:
        chr(cp).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def tgh_outside_bmp() -> set[int]:
    """Code points beyond the BMP listed in the 通用规范汉字表 (Unihan kTGH)."""
    import bz2

    out = set()
    with bz2.open(UNIHAN_OTHER, "rt", encoding="utf-8") as fh:
        for line in fh:
            if "\tkTGH\t" in line and line.startswith("U+"):
                cp = int(line.split("\t", 1)[0][2:], 16)
                if cp > 0xFFFF:
                    out.add(cp)
    return out


def subset_hana(src: Path, dst: Path, wanted) -> dict:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(src, recalcTimestamp=False)  # reproducible bytes: keep upstream dates
    keep = [cp for cp in font.getBestCmap() if wanted(cp)]
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += list(DROP_TABLES) + ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    font.save(dst)
    return {"source": str(src), "codepoints": len(keep), "glyphs": len(font.getGlyphOrder())}


def build_hana(out: Path) -> dict[str, dict]:
    from fontTools.ttLib import TTFont

    def in_a(cp: int) -> bool:
        return any(lo <= cp <= hi for lo, hi in HANA_A_RANGES) and not _gb2312(cp)

    manifest = {"HanaMinA-GB18030.ttf": subset_hana(DEBIAN_HANAZONO, out / "HanaMinA-GB18030.ttf", in_a)}
    have_a = set(TTFont(DEBIAN_HANAZONO, lazy=True).getBestCmap())
    # HanaMinB would be needed for a 通用规范汉字表 character beyond the BMP that HanaMinA lacks;
    # with the Debian release of 2017 there is none, and a build that finds one must say so.
    lacking = tgh_outside_bmp() - have_a
    if lacking:
        raise SystemExit(f"HanaMinA lacks {len(lacking)} characters of the 通用规范汉字表: add a HanaMinB subset")
    for info in manifest.values():
        info["converted"] = False
    (out / "HanaMinA-ExtA.ttf").unlink(missing_ok=True)  # replaced by HanaMinA-GB18030.ttf
    return manifest


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_text(src: Path, dst: Path) -> None:
    data = gzip.decompress(src.read_bytes()) if src.suffix == ".gz" else src.read_bytes()
    dst.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=root / "resources" / "fonts")
    parser.add_argument("--fandol", type=Path, default=DEBIAN_FANDOL)
    parser.add_argument("--only-hana", action="store_true", help="rebuild only the HanaMin subsets")
    args = parser.parse_args(argv)
    out: Path = args.out
    licences = out / "LICENSES"
    licences.mkdir(parents=True, exist_ok=True)
    if args.only_hana:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        manifest.pop("HanaMinA-ExtA.ttf", None)
        fresh = build_hana(out)
        for name, info in fresh.items():
            info["sha256"] = _sha256(out / name)
            info["bytes"] = (out / name).stat().st_size
        manifest.update(fresh)
        (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for name, info in fresh.items():
            print(f"{name:28} {info['bytes'] / 1e6:6.2f} MB, {info['codepoints']} code points")
        return 0

    manifest: dict[str, dict] = {}
    for src, name, lic in COPIED:
        if not src.exists():
            print(f"missing {src}: install the Debian package that provides it", file=sys.stderr)
            return 1
        shutil.copyfile(src, out / name)
        for lsrc, lname in lic:
            _copy_text(lsrc, licences / lname)
        manifest[name] = {"source": str(src), "converted": False}

    for src_name, dst_name in CONVERTED:
        src = args.fandol / src_name
        if not src.exists():
            print(f"missing {src}: install texlive-lang-chinese", file=sys.stderr)
            return 1
        info = convert_cff_to_ttf(src, out / dst_name)
        info["converted"] = True
        manifest[dst_name] = info
    _copy_text(DEBIAN_FANDOL_DOC / "COPYING.gz", licences / "FANDOL-GPL-3.0.txt")
    if not (DEBIAN_HANAZONO.exists() and UNIHAN_OTHER.exists()):
        print("missing HanaMinA or Unihan: install fonts-hanazono and unicode-data", file=sys.stderr)
        return 1
    manifest.update(build_hana(out))
    _copy_text(Path("/usr/share/doc/fonts-hanazono/copyright"), licences / "HANAZONO-COPYRIGHT.txt")
    _copy_text(DEBIAN_FANDOL_DOC / "README", licences / "FANDOL-README.txt")

    for name, info in manifest.items():
        info["sha256"] = _sha256(out / name)
        info["bytes"] = (out / name).stat().st_size
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for name, info in manifest.items():
        print(f"{name:28} {info['bytes'] / 1e6:6.2f} MB")
    print(f"total {total / 1e6:.2f} MB in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
