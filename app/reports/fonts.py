"""Fonts for official documents: find the official ones, fall back to the shipped ones, never lose a character.

GB/T 9704 names five typefaces. An official's Windows PC has them (仿宋_GB2312 or 仿宋, 方正小标宋,
黑体, 楷体, 宋体); a fresh machine has none, so open-licensed substitutes ship in resources/fonts.
Whatever is chosen, every character must print: when a role's font lacks a glyph (a rare name
character, an Extension B ideograph) the character is set in the next font that has it, and the
choice is reported so the UI can say what was substituted.
"""

from __future__ import annotations

import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.paths import resources_dir

from . import _rl_patch  # noqa: F401  (ToUnicode fix must be in place before any PDF is written)
from ._sfnt import Coverage, FaceInfo, read_coverage, read_faces


class Role(StrEnum):
    FANGSONG = "fangsong"  # 正文
    XIAOBIAOSONG = "xiaobiaosong"  # 发文机关标志, 标题
    HEITI = "heiti"  # 一级标题
    KAITI = "kaiti"  # 二级标题, 签发人姓名
    SONGTI = "songti"  # 页码, 表格


@dataclass(frozen=True)
class RoleSpec:
    label: str  # the font the standard expects, in the words users know
    official: tuple[str, ...]  # family names that are that font
    acceptable: tuple[str, ...]  # other installed fonts of the same style, better than a bundled one
    bundled_file: str
    bundled_index: int
    bundled_name: str
    fallback: tuple[Role, ...]  # roles whose fonts are tried, in order, for a missing glyph


ROLE_SPECS: dict[Role, RoleSpec] = {
    Role.FANGSONG: RoleSpec(
        "仿宋_GB2312",
        ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
        ("方正仿宋_GBK", "FZFangSong-Z02", "方正仿宋简体", "FZFangSong-Z02S", "华文仿宋", "STFangsong"),
        "FandolFang-Regular.ttf", 0, "FandolFang",
        (Role.SONGTI, Role.KAITI, Role.XIAOBIAOSONG, Role.HEITI),
    ),
    Role.XIAOBIAOSONG: RoleSpec(
        "方正小标宋",
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05", "方正小标宋"),
        ("华文中宋", "STZhongsong"),
        "FandolSong-Bold.ttf", 0, "FandolSong Bold",
        (Role.HEITI, Role.SONGTI, Role.FANGSONG, Role.KAITI),
    ),
    Role.HEITI: RoleSpec(
        "黑体",
        ("黑体", "SimHei"),
        ("方正黑体_GBK", "FZHei-B01", "方正黑体简体", "FZHei-B01S", "华文黑体", "STHeiti"),
        "wqy-microhei.ttc", 0, "WenQuanYi Micro Hei",
        (Role.XIAOBIAOSONG, Role.SONGTI, Role.FANGSONG, Role.KAITI),
    ),
    Role.KAITI: RoleSpec(
        "楷体_GB2312",
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
        ("方正楷体_GBK", "FZKai-Z03", "方正楷体简体", "FZKai-Z03S", "华文楷体", "STKaiti"),
        "gkai00mp.ttf", 0, "AR PL KaitiM GB",
        (Role.FANGSONG, Role.SONGTI, Role.XIAOBIAOSONG, Role.HEITI),
    ),
    Role.SONGTI: RoleSpec(
        "宋体",
        ("宋体", "SimSun"),
        ("方正书宋_GBK", "FZShuSong-Z01", "方正书宋简体", "FZShuSong-Z01S", "华文宋体", "STSong", "新宋体",
         "NSimSun"),
        "gbsn00lp.ttf", 0, "AR PL SungtiL GB",
        (Role.FANGSONG, Role.XIAOBIAOSONG, Role.KAITI, Role.HEITI),
    ),
}

# The serif every role falls back to for characters beyond GB2312 before any other role's font: it
# covers every ideograph GB18030 requires of the BMP (URO, Extension A, compatibility ideographs) and
# the Extension B characters of personal names (通用规范汉字表, JIS X 0213: 𠮷 …). A 堃 in 仿宋 text is
# then drawn in a 宋/明 serif, never in 黑体.
BUNDLED_EXTRA = (("HanaMinA-GB18030.ttf", 0, "HanaMinA"),)

# Files that usually hold a role's font; checked first so the common case needs no full scan.
KNOWN_FILES = frozenset(n.casefold() for n in (
    "simfang.ttf", "fs_gb2312.ttf", "仿宋_gb2312.ttf", "fangsong_gb2312.ttf", "simkai.ttf", "楷体_gb2312.ttf",
    "kaiti_gb2312.ttf", "simhei.ttf", "simsun.ttc", "simsunb.ttf", "fzxbsjw.ttf", "fzxbsk.ttf",
    "fzxbsjw--gb1-0.ttf", "stzhongs.ttf", "stfangso.ttf", "stkaiti.ttf", "stsong.ttf", "stheiti.ttf",
))
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def bundled_font_dir() -> Path:
    env = os.environ.get("XUNCHA_FONTS_DIR")
    if env:
        return Path(env)
    return resources_dir() / "fonts"


def system_font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs = [windir / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path("/System/Library/Fonts/Supplemental"), home / "Library" / "Fonts"]
    xdg = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), xdg / "fonts", home / ".fonts"]


def _norm(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold().replace(" ", "").replace("-", "").replace("_", "")


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int
    name: str  # shown to users
    bundled: bool = False
    official: bool = False

    @property
    def key(self) -> tuple[str, int]:
        return (str(self.path), self.index)


def _display_name(face: FaceInfo, preferred: str) -> str:
    if preferred and _norm(preferred) in {_norm(n) for n in face.names}:
        return preferred
    chinese = sorted(n for n in face.names if any("\u4e00" <= ch <= "\u9fff" for ch in n))
    return chinese[0] if chinese else (sorted(face.names, key=len)[0] if face.names else face.path.stem)


# --- scanning -----------------------------------------------------------------------------------

_scan_lock = threading.Lock()
_scan_cache: dict[tuple[str, ...], list[FaceInfo]] = {}


def _font_files(dirs: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    files: list[Path] = []
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, names in os.walk(d):
            for n in names:
                if n.lower().endswith(FONT_SUFFIXES):
                    p = Path(root) / n
                    try:
                        real = p.resolve()
                    except OSError:
                        continue
                    if real not in seen:
                        seen.add(real)
                        files.append(p)
    # Known official files first: they win ties between faces of the same family name.
    files.sort(key=lambda p: p.name.casefold() not in KNOWN_FILES)
    return files


def scan_faces(dirs: Sequence[Path]) -> list[FaceInfo]:
    """All faces under the folders, read once per process (the scan costs a few hundred ms)."""
    key = tuple(str(d) for d in dirs)
    with _scan_lock:
        if key not in _scan_cache:
            faces: list[FaceInfo] = []
            for f in _font_files(dirs):
                faces.extend(read_faces(f))
            _scan_cache[key] = faces
        return _scan_cache[key]


@dataclass(frozen=True)
class Rejected:
    name: str
    reason: str  # "cff" | "restricted"


def _find(faces: Sequence[FaceInfo], names: Sequence[str]) -> tuple[FaceInfo | None, str, list[Rejected]]:
    """The first usable face matching names (in their priority order), and unusable ones met on the way."""
    rejected: list[Rejected] = []
    by_name: dict[str, list[FaceInfo]] = {}
    for f in faces:
        for n in f.names:
            by_name.setdefault(_norm(n), []).append(f)
    for wanted in names:
        candidates = by_name.get(_norm(wanted), [])
        # A family may come in several weights; the regular one is what the standard means.
        candidates = sorted(candidates, key=lambda f: _norm(f.subfamily) not in ("regular", "常规", "normal", ""))
        for f in candidates:
            if not f.truetype_outlines:
                rejected.append(Rejected(wanted, "cff"))
            elif not f.embeddable:
                rejected.append(Rejected(wanted, "restricted"))
            else:
                return f, wanted, rejected
    return None, "", rejected


# --- ReportLab registration (once per process) ----------------------------------------------------

_reg_lock = threading.RLock()
_registered: dict[tuple[str, int], TTFont | None] = {}
_ps_names: set[bytes] = set()


def _register(face: FontFace) -> TTFont | None:
    with _reg_lock:
        if face.key in _registered:
            return _registered[face.key]
        name = f"XC{len(_registered):03d}-{face.path.stem}-{face.index}"
        try:
            font = TTFont(name, str(face.path), subfontIndex=face.index)
        except (TTFError, OSError, ValueError, KeyError, IndexError):
            font = None
        if font is not None:
            # ReportLab keys fonts by PostScript name twice over: registerFont hands back the first
            # font with the same name, and the PDF's font objects are named after it. A shipped
            # subset and the full system font (or two versions of SimSun) would then share glyphs
            # that only one of them has, so every registered font gets a distinct name.
            ps = bytes(font.face.name)
            if ps in _ps_names or ps in getattr(pdfmetrics, "_dynFaceNames", {}):
                ps = ps + b"-" + str(len(_registered)).encode()
                font.face.name = ps
            _ps_names.add(ps)
            pdfmetrics.registerFont(font)
        _registered[face.key] = font
        return font


def _has_glyph(font: TTFont, cp: int) -> bool:
    return font.face.charToGlyph.get(cp, 0) != 0


# --- usage and report -----------------------------------------------------------------------------

@dataclass
class FontUsage:
    """What one document actually needed; collected while laying it out."""

    roles: set[Role] = field(default_factory=set)
    fallback: dict[str, str] = field(default_factory=dict)  # character -> font name used instead
    fallback_role: dict[str, Role] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class RoleReport:
    role: Role
    wanted: str  # e.g. 仿宋_GB2312
    used: str  # e.g. FandolFang
    path: str
    substitute: bool
    reason: str = ""  # why the official font was not used: "missing" | "cff" | "restricted"

    def message(self) -> str:
        if not self.substitute:
            return ""
        if self.reason == "cff":
            why = f"{self.wanted} 为 OpenType/CFF 格式，无法嵌入 PDF"
        elif self.reason == "restricted":
            why = f"{self.wanted} 的字体许可不允许嵌入 PDF"
        else:
            why = f"{self.wanted} 未安装"
        return f"{why}，已使用 {self.used} 代替"


@dataclass(frozen=True)
class FontReport:
    roles: dict[Role, RoleReport]
    fallback_chars: dict[str, str]  # character -> font that supplied its glyph
    missing_chars: str  # characters no available font has; drawn as an empty box
    fallback_roles: dict[str, Role] = field(default_factory=dict)  # character -> the role whose text it was in

    @property
    def substitutes(self) -> list[RoleReport]:
        return [r for r in self.roles.values() if r.substitute]

    @property
    def ok(self) -> bool:
        return not self.substitutes and not self.missing_chars

    def messages(self) -> list[str]:
        out = [r.message() for r in self.substitutes]
        by_font: dict[str, list[str]] = {}
        for ch, font in self.fallback_chars.items():
            by_font.setdefault(font, []).append(ch)
        for font, chars in by_font.items():
            out.append(f"“{''.join(chars)}”在所选字体中缺字，已使用 {font} 显示")
        if self.missing_chars:
            out.append(f"“{self.missing_chars}”在所有可用字体中均缺字，已显示为方框；"
                       "请安装含这些字的字体（如 SimSun-ExtB）后重新生成")
        return out


# --- the font set ----------------------------------------------------------------------------------

_DEFAULT: FontSet | None = None
_DEFAULT_LOCK = threading.Lock()
_UNRESOLVED: Any = object()  # FontSet.runs: a character not in the cache yet


class FontSet:
    """The face for each role plus the fallback chain; resolves each character to a registered font."""

    def __init__(
        self,
        faces: Mapping[Role, FontFace],
        *,
        extra: Sequence[FontFace] = (),
        reasons: Mapping[Role, str] | None = None,
        system_faces: Sequence[FaceInfo] | None = None,
    ):
        missing = [r for r in Role if r not in faces]
        if missing:
            raise ValueError(f"no font for roles {missing}")
        self.faces: dict[Role, FontFace] = dict(faces)
        self._reasons = dict(reasons or {})
        bundled = _bundled_faces()
        self._bundled = bundled
        self._extra = list(extra) + [f for f in _bundled_extra() if f.path.exists()]
        self._system_faces = system_faces  # None: no system-wide search for missing glyphs
        self._coverage: dict[tuple[str, int], Coverage] = {}
        self._chains: dict[Role, list[FontFace]] = {}
        self._cache: dict[tuple[Role, str], str | None] = {}
        # Per role, the characters its own font draws (resolved once): a span made only of them is
        # one run, found with one set comparison instead of a lookup per character. A character
        # enters it only once in _cache; anything that empties _cache must empty this too.
        self._own_chars: dict[Role, set[str]] = {}
        self._role_font: dict[Role, str] = {}
        self._lock = threading.Lock()

    # construction ------------------------------------------------------------------------------

    @classmethod
    def bundled(cls) -> FontSet:
        """Only the shipped fonts: the same output on every machine (tests, reproducible PDFs)."""
        return cls(_bundled_faces())

    @classmethod
    def discover(cls, dirs: Sequence[Path] | None = None, *, search_all_for_missing: bool = True) -> FontSet:
        faces_found = scan_faces(list(dirs) if dirs is not None else system_font_dirs())
        bundled = _bundled_faces()
        faces: dict[Role, FontFace] = {}
        reasons: dict[Role, str] = {}
        for role, spec in ROLE_SPECS.items():
            info, matched, rejected = _find(faces_found, spec.official)
            official = info is not None
            if info is None:
                info, matched, more = _find(faces_found, spec.acceptable)
                rejected += more
            if info is not None:
                faces[role] = FontFace(info.path, info.index, _display_name(info, matched), official=official)
            else:
                faces[role] = bundled[role]
            if not official:
                official_rejects = [r for r in rejected if r.name in spec.official]
                reasons[role] = official_rejects[0].reason if official_rejects else "missing"
        system = [f for f in faces_found if f.truetype_outlines and f.embeddable]
        return cls(faces, reasons=reasons, system_faces=system if search_all_for_missing else None)

    @classmethod
    def default(cls) -> FontSet:
        """The process-wide set: system fonts by name where usable, shipped ones otherwise."""
        global _DEFAULT
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = cls.discover()
            return _DEFAULT

    def preload(self) -> None:
        """Load every role's font now (a few hundred ms), e.g. in a background thread at start-up,
        so that the first export is as fast as the following ones."""
        for role in Role:
            self.font_name(role)
        for face in self._extra:
            _register(face)

    # resolution ----------------------------------------------------------------------------------

    def _chain(self, role: Role) -> list[FontFace]:
        chain = self._chains.get(role)
        if chain is None:
            # The role's face, then the wide serif, then the other roles (for symbols the serif lacks).
            order = [self.faces[role], self._bundled[role], *self._extra]
            for r in ROLE_SPECS[role].fallback:
                order += [self.faces[r], self._bundled[r]]
            chain, seen = [], set()
            for f in order:
                if f.key not in seen:
                    seen.add(f.key)
                    chain.append(f)
            self._chains[role] = chain
        return chain

    def font_name(self, role: Role) -> str:
        """The registered ReportLab name of the role's own font."""
        name = self._role_font.get(role)
        if name is None:
            face = self.faces[role]
            font = _register(face)
            if font is None:
                face = self._bundled[role]
                font = _register(face)
            if font is None:
                raise RuntimeError(f"cannot load any font for {role.value}")
            name = self._role_font[role] = font.fontName
            _FONT_LABELS.setdefault(name, face.name)
        return name

    def _search_system(self, cp: int) -> FontFace | None:
        if not self._system_faces:
            return None
        for info in self._system_faces:
            key = (str(info.path), info.index)
            cov = self._coverage.get(key)
            if cov is None:
                cov = self._coverage[key] = read_coverage(info)
            if cp in cov:
                return FontFace(info.path, info.index, _display_name(info, ""))
        return None

    def resolve(self, role: Role, ch: str, usage: FontUsage | None = None) -> str | None:
        """Registered font name that has a glyph for ch, or None when no font anywhere has it."""
        key = (role, ch)
        try:
            name = self._cache[key]
        except KeyError:
            name = self._resolve_uncached(role, ch)
            self._cache[key] = name
            if name is not None and name == self.font_name(role):
                self._own_chars.setdefault(role, set()).add(ch)
        if usage is not None:
            if name is None:
                usage.missing.add(ch)
            elif name != self.font_name(role) and not ch.isspace():
                usage.fallback.setdefault(ch, _FONT_LABELS.get(name, name))
                usage.fallback_role.setdefault(ch, role)
        return name

    def _resolve_uncached(self, role: Role, ch: str) -> str | None:
        cp = ord(ch)
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            return self.font_name(role)  # drawn as nothing; any font will do
        with self._lock:
            for face in self._chain(role):
                font = _register(face)
                if font is not None and _has_glyph(font, cp):
                    _FONT_LABELS.setdefault(font.fontName, face.name)
                    return font.fontName
            system = self._search_system(cp)
            if system is not None:
                font = _register(system)
                if font is not None and _has_glyph(font, cp):
                    _FONT_LABELS.setdefault(font.fontName, system.name)
                    return font.fontName
        return None

    def runs(self, text: str, role: Role, usage: FontUsage | None = None) -> list[tuple[str | None, str]]:
        """Split text into (font name, text) runs so each character is set in a font that has it."""
        if usage is not None:
            usage.roles.add(role)
        if not text:
            return []
        own_chars = self._own_chars.get(role)
        if own_chars is not None and own_chars.issuperset(text):
            return [(self.font_name(role), text)]
        # Straight from the cache where it knows the character, and resolve() only for the rest or
        # to note a fallback or a missing glyph in usage.
        cache = self._cache
        own = self.font_name(role) if usage is not None else None
        out: list[tuple[str | None, str]] = []
        cur_font: str | None = ""
        start = 0
        for i, ch in enumerate(text):
            f = cache.get((role, ch), _UNRESOLVED)
            if f is _UNRESOLVED or (usage is not None and f != own):
                f = self.resolve(role, ch, usage)
            if f != cur_font:
                if i > start:
                    out.append((cur_font, text[start:i]))
                cur_font, start = f, i
        if start < len(text):
            out.append((cur_font, text[start:]))
        return out

    # reporting -----------------------------------------------------------------------------------

    def role_report(self, role: Role) -> RoleReport:
        face = self.faces[role]
        spec = ROLE_SPECS[role]
        if _register(face) is None:  # listed, but ReportLab could not read it
            face = self._bundled[role]
        return RoleReport(role, spec.label, face.name, str(face.path), substitute=not face.official,
                          reason="" if face.official else self._reasons.get(role, "missing"))

    def report(self, usage: FontUsage) -> FontReport:
        roles = {r: self.role_report(r) for r in Role if r in usage.roles}
        missing = "".join(sorted(usage.missing))
        return FontReport(roles, dict(usage.fallback), missing, dict(usage.fallback_role))


_FONT_LABELS: dict[str, str] = {}


def _bundled_faces() -> dict[Role, FontFace]:
    d = bundled_font_dir()
    return {role: FontFace(d / s.bundled_file, s.bundled_index, s.bundled_name, bundled=True)
            for role, s in ROLE_SPECS.items()}


def _bundled_extra() -> list[FontFace]:
    d = bundled_font_dir()
    return [FontFace(d / f, i, n, bundled=True) for f, i, n in BUNDLED_EXTRA]


def face_from_file(path: str | os.PathLike, index: int = 0, name: str | None = None,
                   official: bool = False) -> FontFace:
    """A face given by file (e.g. chosen by the user in settings)."""
    p = Path(path)
    infos = read_faces(p)
    label = name or (_display_name(infos[index], "") if len(infos) > index else p.stem)
    return FontFace(p, index, label, official=official)
