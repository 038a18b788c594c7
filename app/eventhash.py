"""The canonical form and hash of a change event: the one definition every copy must agree on.

Standard library and orjson only, so that the process an import starts to check a large package's
hashes (app/sync/hashcheck.py) is ready in milliseconds instead of loading SQLAlchemy first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import uuid
from typing import Any

import orjson

# Sorted keys, no spaces, characters as they are: the hashed text of every copy's events.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def encode_value(value: Any) -> Any:
    """A column value as JSON (the form events carry and hash)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(data: Any) -> str:
    return canonical_bytes(data).decode("utf-8")


def canonical_bytes(data: Any) -> bytes:
    """The canonical JSON of `data` as UTF-8: what `_CANONICAL` writes, byte for byte.

    orjson with sorted keys writes the same bytes as the json module for strings (every code point,
    escapes included), integers within 64 bits, booleans, None, lists, tuples and dicts with string
    keys, four times as fast (hashing a demo's 509,000 events spent most of its time in the json
    module). It writes floats differently (1e-7, not 1e-07) and accepts what the json module refuses
    (UUIDs, datetimes): anything but the plain types above, or what orjson refuses, takes the json
    module, errors included. tests/test_eventhash.py pins the hashes."""
    if _plain(data):
        with contextlib.suppress(orjson.JSONEncodeError):  # integers beyond 64 bits, deep nesting
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    return _CANONICAL(data).encode("utf-8")


_SCALARS = frozenset({str, int, bool, type(None)})
_KEYS = frozenset({str})


def _plain(value: Any) -> bool:
    """Whether `value` holds only the types orjson writes exactly as the json module (exact types:
    a subclass may serialise itself otherwise). A container of scalars only, the common case, is
    checked in one pass of C (`issuperset(map(type, …))`)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        if not _KEYS.issuperset(map(type, value)):
            return False
        items: Any = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return False
    if _SCALARS.issuperset(map(type, items)):
        return True
    try:
        for v in items:
            if type(v) not in _SCALARS and not _plain(v):
                return False
    except RecursionError:  # nested too deep for either encoder: the json module says so
        return False
    return True


def event_content(e: dict[str, Any]) -> dict[str, Any]:
    """The fields of an event that its hash covers."""
    return {
        "id": str(e["id"]),
        "site_id": str(e["site_id"]),
        "seq": e["seq"],
        "hlc": e["hlc"],
        "table_name": e["table_name"],
        "row_id": str(e["row_id"]),
        "op": e["op"],
        "fields": e["fields"],
        "supersedes": sorted(e["supersedes"]),
        "schema_version": e["schema_version"],
        "author_id": str(e["author_id"]) if e["author_id"] else None,
        "author_name": e["author_name"],
        "recorded_at": encode_value(e["recorded_at"]),
        "prev_hash": e["prev_hash"],
    }


def event_hash(e: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(event_content(e))).hexdigest()


_OPS = frozenset({"insert", "update", "delete", "restore", "resolve"})


# What every copy writes: checked by one regular expression, where uuid.UUID() would cost a
# microsecond or two per id, several ids per event (the odd forms it also accepts still pass below).
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HASH_TEXT = re.compile(r"[0-9a-f]{64}")


def is_uuid_text(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    if _CANONICAL_UUID.fullmatch(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_UUID_FULLMATCH = _CANONICAL_UUID.fullmatch
# Whether a text is an id exactly as str(uuid.UUID(text)) prints it (a match, or None).
canonical_uuid_match = _UUID_FULLMATCH
_HASH_FULLMATCH = _HASH_TEXT.fullmatch


def _all_uuid_text(values: Any) -> bool:
    """`is_uuid_text` of every value: in one pass of C when all are in the canonical form (an event's
    ids and the ids it supersedes, checked for each of a package's events)."""
    try:
        if all(map(_UUID_FULLMATCH, values)):
            return True
    except TypeError:  # not text: judged one by one below
        pass
    return all(map(is_uuid_text, values))


def well_formed(e: Any) -> bool:
    """An event whose every field has the type and shape this version writes (checked before any
    of it is used, so a damaged or forged event gets a sentence, never a Python error)."""
    if not isinstance(e, dict):
        return False
    try:
        author, name, batch = e["author_id"], e["author_name"], e.get("batch")
        return (
            _all_uuid_text((e["id"], e["site_id"], e["row_id"]))
            and isinstance(e["seq"], int) and not isinstance(e["seq"], bool) and e["seq"] > 0
            and isinstance(e["hlc"], str) and len(e["hlc"]) == 22 and e["hlc"][15] == ":"
            and isinstance(e["table_name"], str) and e["op"] in _OPS and isinstance(e["fields"], dict)
            and isinstance(e["supersedes"], list) and _all_uuid_text(e["supersedes"])
            and isinstance(e["schema_version"], str) and (author is None or is_uuid_text(author))
            and (name is None or (isinstance(name, str) and len(name) <= 60))
            and isinstance(e["recorded_at"], str)
            and isinstance(e["hash"], str) and _HASH_FULLMATCH(e["hash"]) is not None
            and isinstance(e["prev_hash"], str) and _HASH_FULLMATCH(e["prev_hash"]) is not None
            and (batch is None or (isinstance(batch, str) and len(batch) <= 60))
        )
    except (KeyError, TypeError):
        return False


MALFORMED = "malformed"
MISMATCH = "mismatch"


def first_bad_event(events: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(MALFORMED or MISMATCH, event id) for the first event that is not in the shape this version
    writes, or not what its hash says."""
    for e in events:
        if not well_formed(e):
            return MALFORMED, str(e.get("id") if isinstance(e, dict) else "")
        try:
            if event_hash(e) != e["hash"]:
                return MISMATCH, str(e.get("id"))
        except (KeyError, TypeError, ValueError, AttributeError):
            return MALFORMED, str(e.get("id") if isinstance(e, dict) else "")
    return None


def first_bad_event_in(plain: bytes) -> tuple[str, str] | None:
    """`first_bad_event` over a package's decompressed payload (run in a helper process)."""
    try:
        events = events_of(json.loads(plain))
    except ValueError:
        return MALFORMED, ""
    return first_bad_event(events) if events is not None else (MALFORMED, "")


def events_of(payload: Any) -> list[Any] | None:
    """A parsed payload's list of events; None when it has none in that form (malformed)."""
    try:
        events = payload["events"]
    except (KeyError, TypeError):
        return None
    return events if isinstance(events, list) else None


# --- signed batches ---------------------------------------------------------------------------
GENESIS_DIGEST = "0" * 64


def batch_digest(site_id: str, signer: str, number: int, prev: str, hashes: list[str]) -> str:
    """What a batch's signature covers: its place in the signer's chain and its events' hashes."""
    text = f"xuncha-batch-v1|{site_id}|{signer}|{number}|{prev}|" + ",".join(hashes)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def batch_message(digest: str) -> bytes:
    return b"xuncha-batch-sig-v1|" + digest.encode("ascii")


def head_message(site_id: str, seq: int, event_hash_hex: str) -> bytes:
    """What a copy signs to state the head of its own chain (recorded by those who import from it)."""
    return f"xuncha-head-v1|{site_id}|{seq}|{event_hash_hex}".encode("ascii")
