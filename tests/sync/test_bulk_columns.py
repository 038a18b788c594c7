"""The merge's parameter rows (app/models/bulk.py): the column-at-a-time fast paths give exactly the
tuples a row-by-row `dict.get` and conversion give, missing keys and None included, and fail as
that would on a value of the wrong kind (a forged event is refused, never stored differently)."""

from __future__ import annotations

import pytest

from app.models import ChangeEvent, EventBatch, bulk


def _slow(rows, columns, converters, skip_none):
    out = []
    for row in rows:
        values = []
        for column, convert in zip(columns, converters, strict=True):
            v = row.get(column)
            values.append(v if convert is None or (skip_none and v is None) else convert(v))
        out.append(tuple(values))
    return out


def _encoders(table, columns):
    return [bulk._json_encoder(table.c[c].type) for c in columns]


EVENT = {"id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "site_id": "11111111-2222-4333-8444-555555555555",
         "row_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "seq": 3, "fields": {"title": "问题", "n": [1, None]},
         "supersedes": [], "author_id": None, "recorded_at": "2026-12-01T08:00:00.123456+00:00", "batch": None}


@pytest.mark.parametrize("rows", [
    [EVENT, {**EVENT, "author_id": EVENT["site_id"], "batch": "s/1"}],  # every row has every column
    [EVENT, {k: v for k, v in EVENT.items() if k not in ("author_id", "batch")}],  # a column missing
    [{**EVENT, "id": None}],  # None in a column that is text almost always
    [EVENT],
])
def test_columns_are_converted_as_row_by_row(rows):
    table = ChangeEvent.__table__
    columns = list(EVENT)
    converters = _encoders(table, columns)
    assert bulk._columnwise(rows, columns, converters, skip_none=True) == _slow(rows, columns, converters, True)


def test_a_batch_row_is_stored_from_its_json_form():
    table = EventBatch.__table__
    columns = ["site_id", "signer", "number", "hashes"]
    rows = [{"site_id": EVENT["site_id"], "signer": "s", "number": 1, "hashes": ["a" * 64], "extra": 1}]
    assert bulk._columnwise(rows, columns, _encoders(table, columns), skip_none=True) == [
        ("11111111222243338444555555555555", "s", 1, '["' + "a" * 64 + '"]')]


def test_a_value_of_the_wrong_kind_fails_as_before():
    columns = ["id"]
    for rows in ([{"id": 5}], [{"id": EVENT["id"]}, {"id": 5}]):
        with pytest.raises(AttributeError):
            bulk._columnwise(rows, columns, [bulk._sqlite_uuid], skip_none=True)
        with pytest.raises(AttributeError):
            _slow(rows, columns, [bulk._sqlite_uuid], True)
