"""A built document as JSON, and back: what an issued document is kept as besides its PDF.

Every later copy (another 份号), the Word version and a reprint are made from this snapshot, so they
carry exactly the text that was issued even after the records behind it changed. Plain JSON, read
back into the model's own dataclasses only (never pickle: a snapshot arrives by sync from other
copies, and reading it must not be able to run anything).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zlib
from typing import Any

from .model import (
    Attachment,
    Blank,
    Column,
    Heading,
    OfficialDocument,
    PageBreak,
    Paragraph,
    RegisterTable,
    Table,
)

_TYPES: dict[str, type] = {cls.__name__: cls for cls in (
    Attachment, Blank, Column, Heading, OfficialDocument, PageBreak, Paragraph, RegisterTable, Table)}
VERSION = 1


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if name not in _TYPES:
            raise TypeError(f"cannot snapshot {name}")
        return {"$": name, **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot snapshot a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        cls = _TYPES.get(value.get("$", ""))
        if cls is None:
            raise ValueError("unknown object in a document snapshot")
        known = {f.name for f in dataclasses.fields(cls)}
        args = {k: _decode(v) for k, v in value.items() if k in known}
        return cls(**args)
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dumps(doc: OfficialDocument | RegisterTable) -> bytes:
    """Compressed JSON of the document."""
    text = json.dumps({"version": VERSION, "document": _encode(doc)}, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), 6)


def loads(data: bytes) -> OfficialDocument | RegisterTable:
    """The document back; ValueError when the bytes are not a snapshot this version can read."""
    try:
        payload = json.loads(zlib.decompress(data).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError("not a document snapshot") from exc
    if not isinstance(payload, dict) or payload.get("version") != VERSION:
        raise ValueError("unsupported document snapshot")
    doc = _decode(payload.get("document"))
    if not isinstance(doc, (OfficialDocument, RegisterTable)):
        raise ValueError("not a document snapshot")
    return doc
