"""Chinese names in the order people look for them: by pinyin (as a dictionary or a contact list is),
not by the code point of the first character. Official name lists (documents) use 姓氏笔画 instead:
app/reports/strokes.py."""

from __future__ import annotations

import functools
import gc
import importlib.util
import json
import os
import sys
import threading
import types
from pathlib import Path

from app.gc_pause import paused_gc

# pypinyin reads its dictionaries (2.5 MB and 0.8 MB of JSON) with one json.loads each: a C call that
# keeps the interpreter lock for 0.1–0.2 s, so whichever thread loads them freezes the window for that
# long. They are parsed here a piece at a time instead (a millisecond or two each, the lock handed
# back in between) and handed to pypinyin as its dictionary modules.
PIECE_CHARS = 16_000
_DICTIONARIES = (
    # module, file, the text that ends one top-level entry and starts the next (its first n characters
    # belong to the entry)
    ("pypinyin.phrases_dict", "phrases_dict.json", '],\n"', 1),
    ("pypinyin.pinyin_dict", "pinyin_dict.json", '",\n"', 1),
)
_loading = threading.Lock()


def parse_in_pieces(text: str, separator: str, keep: int, piece_chars: int = PIECE_CHARS) -> dict[str, object]:
    """A JSON object whose entries are separated by `separator` (pypinyin's files are written one
    entry after another), parsed a piece of about `piece_chars` at a time."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise ValueError("not a JSON object")
    inner, result, pos = body[1:-1], {}, 0
    while pos < len(inner):
        cut = inner.find(separator, pos + piece_chars)
        end = len(inner) if cut < 0 else cut + keep
        result.update(json.loads("{" + inner[pos:end] + "}"))
        pos = len(inner) if cut < 0 else end + len(",\n")
    return result


def load_pypinyin() -> None:
    """Import pypinyin with its dictionaries parsed in pieces (any thread may call it; the window's
    start calls it in a worker). Falls back to pypinyin's own loading if its files look different."""
    with _loading:
        if "pypinyin" in sys.modules:
            return
        # The dictionaries are about a million containers: built with the cycle collector on, they
        # set off full collections that re-scan all of them while they grow, each one holding the
        # interpreter lock 0.1–0.25 s (the window froze that long while the pickers loaded). Once
        # built they live as long as the process, so they are moved out of the collector's reach
        # (with whatever else is alive now): a later full collection does not scan them either.
        # Frozen before the collector is back: its first collection would otherwise be of a young
        # generation holding the whole dictionaries (0.05-0.07 s with the lock held).
        with paused_gc():
            _load_pypinyin()
            gc.freeze()


def _load_pypinyin() -> None:
    """pypinyin imported with its dictionaries parsed in pieces (the caller holds `_loading`)."""
    spec = importlib.util.find_spec("pypinyin")
    folder = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
    # Nothing here adds words to pypinyin's dictionaries, so its defensive copies of them (each
    # one more long C call) are not needed.
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    for name, filename, separator, keep in _DICTIONARIES:
        try:
            assert folder is not None
            entries = parse_in_pieces((folder / filename).read_text(encoding="utf-8"), separator, keep)
        except (AssertionError, OSError, ValueError):
            continue  # pypinyin loads this one itself
        module = types.ModuleType(name)
        module.__file__ = str(folder / f"{name.rsplit('.', 1)[1]}.py")
        if name.endswith("pinyin_dict"):
            module.pinyin_dict = {int(k): v for k, v in entries.items()}  # type: ignore[attr-defined]
        else:
            module.phrases_dict = entries  # type: ignore[attr-defined]
        sys.modules[name] = module
    import pypinyin  # noqa: F401 - the dictionaries above are taken from sys.modules


@functools.lru_cache(maxsize=20000)
def pinyin_key(text: str | None) -> tuple[str, str]:
    """A sort key: the pinyin of the text (tone numbers after each syllable), then the text itself so
    that homophones keep a fixed order."""
    if not text:
        return ("", "")
    load_pypinyin()
    from pypinyin import Style, lazy_pinyin

    return (" ".join(lazy_pinyin(text, style=Style.TONE3, errors="default")).lower(), text)
