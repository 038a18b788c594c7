"""The event hash is what every copy, every package and every old log agrees on: pinned to the hashes
the json-module encoder gave, whatever writes the canonical text now."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.eventhash import canonical_bytes, canonical_json, event_hash

BASE = {"id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "site_id": "0193a1b2-0000-7000-8000-000000000001", "seq": 42,
        "hlc": "001764698400000:000003", "table_name": "findings", "row_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60",
        "op": "insert", "supersedes": [], "schema_version": "0011", "author_id": None, "author_name": "（导入时补记）",
        "recorded_at": "2026-12-02T17:48:00.123456+00:00", "prev_hash": "0" * 64}

# Computed by the json-module encoder this project hashed with up to December 2026.
PINNED = [
    ({"fields": {"title": "违反中央八项规定精神，公车私用", "unit_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61",
                 "amount_yuan": 125000, "is_key": True, "deleted_at": None, "found_on": "2026-03-05",
                 "tags": ["扶贫资金", "挪用"], "meta": {"z": 1, "a": [1, {"b": None}]}}},
     "1ac9297ec8aa5af6104f273851759b794ed978eae28d29248676b1068f83fcdb"),
    ({"fields": {"text": '引号" 反斜杠\\ \b\f\n\r\t \x00\x1f\x7f \u2028\u2029 😀 \ue000 ～', "键": 1, "𝒜": 2, "\uffff": 3}},
     "61a639a34460990ce4ee2f78938ccd1eb73c0d8a8d96866b100c9d0fbf66a7bf"),
    ({"fields": {"ratio": 1e-07, "share": 0.1, "huge": 2**70, "pair": (1, "二")},
      "supersedes": ["0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a63", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a62"]},
     "512b29ecea363f392496efe0efd2fa89104ce363127c4dfb996b04311e23e6fe"),
    ({"fields": {}, "author_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a64", "author_name": "张伟",
      "recorded_at": dt.datetime(2026, 12, 2, 1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=8)))},
     "939d0fe970b433775e4ab2f5a7ca138bfa2c0199cee55a724043e6d54945d7c4"),
]


@pytest.mark.parametrize(("changes", "expected"), PINNED)
def test_event_hashes_are_the_ones_every_copy_has_recorded(changes, expected):
    assert event_hash({**BASE, **changes}) == expected


_OLD = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_values)
def test_canonical_text_is_the_json_modules_byte_for_byte(value):
    try:
        old = _OLD(value).encode("utf-8")
    except (TypeError, ValueError) as exc:  # lone surrogates cannot be UTF-8: refused either way
        with pytest.raises(type(exc)):
            canonical_bytes(value)
        return
    assert canonical_bytes(value) == old
    assert canonical_json(value) == old.decode("utf-8")


def test_what_the_json_module_refuses_is_still_refused():
    # orjson would write these without a word: a hash over them would be one no older copy computes.
    for value in ({"id": uuid.UUID(int=1)}, {"at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}):
        with pytest.raises(TypeError):
            canonical_bytes(value)
    # …and what it writes its own way is written its way: integer keys as text, sorted as text.
    assert canonical_bytes({10: "十", 9: "九"}) == _OLD({10: "十", 9: "九"}).encode("utf-8")
