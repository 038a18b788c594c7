"""The merge's inserts on SQLite (bulk.insert_json_rows): the fast parameters (ids by one itemgetter,
their dashes stripped by SQLite, only JSON, time and boolean columns converted in Python) store
exactly what the column-at-a-time path stores, for events and rows as they travel and for the odd
ones too; what that path refuses is still refused, and nothing of it is stored."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest
from sqlalchemy import create_engine

from app.models import Base, ChangeEvent, Interview, RowHeads, bulk

EVENT = {
    "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "site_id": "11111111-2222-4333-8444-555555555555", "seq": 3,
    "hlc": "001796319735945:000000", "table_name": "findings", "row_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
    "op": "insert", "fields": {"title": "问题", "n": [1, None], "ok": True}, "supersedes": [],
    "schema_version": "0012", "author_id": None, "author_name": "于丽",
    "recorded_at": "2026-12-01T08:00:00.123456+00:00", "prev_hash": "0" * 64, "hash": "a" * 64, "batch": None,
}
COLUMNS = [c.key for c in ChangeEvent.__table__.columns if c.key != "received_at"]
RECEIVED = {"received_at": "2026-12-02T09:30:00+00:00"}

INTERVIEW = {
    "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a60", "inspection_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a61",
    "unit_id": None, "kind": "individual", "start_at": "2026-12-01T08:00:00+00:00",
    "end_at": "2026-12-01T09:15:30.5+08:00", "place": "二楼会议室", "interviewer_ids": ["甲", "乙"],
    "interviewee_name": "张三", "topics_asked": [], "signed_by_interviewee": True,
    "created_at": "2026-12-01T08:00:00.000001+00:00", "updated_at": "2026-12-01T08:00:00+00:00", "deleted_at": None,
}


class _Pair(NamedTuple):  # as a row's heads hold them: orjson writes these only through json_text
    event: str
    hlc: str


def _event(n: int, **changes: Any) -> dict[str, Any]:
    return {**EVENT, "id": EVENT["id"][:-2] + f"{n:02x}", "seq": n, **changes}


def _stored(rows: list[dict[str, Any]], table: Any, *, fast: bool, monkeypatch: Any, taken: list[bool] | None = None,
            **options: Any) -> list[tuple]:
    """What `table` holds after insert_json_rows(rows), through the fast parameters or not (whether
    they were taken: appended to `taken`)."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine, tables=[table])
    taken = [] if taken is None else taken
    real = bulk._sqlite_params

    def spy(*args: Any) -> Any:
        found = real(*args) if fast else None
        taken.append(found is not None)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(bulk, "_sqlite_params", spy)
        with engine.begin() as conn:
            bulk.insert_json_rows(conn, table, rows, **options)
    with engine.connect() as conn:
        stored = [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{table.name}" ORDER BY rowid')]
    engine.dispose()
    return stored


def _same(rows: list[dict[str, Any]], table: Any, monkeypatch: Any, *, fast_path: bool = True,
          **options: Any) -> list[tuple]:
    """What the fast parameters store (taken when `fast_path`), checked equal to the old path's."""
    taken: list[bool] = []
    fast = _stored(rows, table, fast=True, monkeypatch=monkeypatch, taken=taken, **options)
    assert taken == [fast_path]
    assert fast == _stored(rows, table, fast=False, monkeypatch=monkeypatch, **options)
    return fast


def test_events_are_stored_as_the_column_at_a_time_path_stores_them(monkeypatch):
    events = [
        _event(1),
        _event(2, author_id="22222222-3333-4444-8555-666666666666", batch="u:22222222-3333-4444-8555-666666666666/7",
               supersedes=[_event(1)["id"]], op="update", recorded_at="2026-12-01T08:00:01+00:00"),
        # Another spelling the validation lets through: its case is kept, as before.
        _event(3, row_id=EVENT["row_id"].upper(), recorded_at="2026-12-01T16:00:02.5+08:00"),
    ]
    stored = _same(events, ChangeEvent.__table__, monkeypatch, columns=COLUMNS, constants=RECEIVED)
    by_column = [dict(zip([c.key for c in ChangeEvent.__table__.columns], row, strict=True)) for row in stored]
    assert [r["id"] for r in by_column] == [e["id"].replace("-", "") for e in events]
    assert by_column[2]["row_id"] == EVENT["row_id"].upper().replace("-", "")
    assert by_column[0]["author_id"] is None and by_column[1]["author_id"] == "22222222333344448555666666666666"
    assert by_column[0]["fields"] == '{"title":"问题","n":[1,null],"ok":true}' and by_column[0]["supersedes"] == "[]"
    assert [r["recorded_at"] for r in by_column] == [
        "2026-12-01 08:00:00.123456", "2026-12-01 08:00:01.000000", "2026-12-01 08:00:02.500000"]
    assert {r["received_at"] for r in by_column} == {"2026-12-02 09:30:00.000000"}


@pytest.mark.parametrize("staged", [False, True])
def test_new_rows_with_booleans_json_and_times_are_stored_alike(monkeypatch, staged):
    rows = [INTERVIEW, {**INTERVIEW, "id": INTERVIEW["id"][:-1] + "1", "unit_id": INTERVIEW["inspection_id"].upper(),
                        "topics_asked": [_Pair("e", "h")], "signed_by_interviewee": False,
                        "deleted_at": "2026-12-01T10:00:00+00:00"}]
    stored = _same(rows, Interview.__table__, monkeypatch, staged=staged)
    assert len(stored) == 2


def test_json_with_named_tuples_and_none_is_stored_alike(monkeypatch):
    rows = [{"table_name": "findings", "row_id": EVENT["row_id"], "heads": {"*": [_Pair("e1", "h1")]}, "pending": None},
            {"table_name": "findings", "row_id": EVENT["id"], "heads": {"title": [_Pair("e2", "h2")]},
             "pending": {"title": ["e3"]}}]
    stored = _same(rows, RowHeads.__table__, monkeypatch)
    assert stored[0][2:] == ('{"*":[["e1","h1"]]}', None) and stored[1][3] == '{"title":["e3"]}'


def test_a_row_lacking_a_column_or_not_a_dict_takes_the_old_path(monkeypatch):
    short = {k: v for k, v in EVENT.items() if k != "batch"}
    assert bulk._sqlite_params(ChangeEvent.__table__, [EVENT, short], COLUMNS, []) is None
    _same([_event(1), {**short, "id": _event(2)["id"], "seq": 2}], ChangeEvent.__table__, monkeypatch,
          fast_path=False, columns=COLUMNS, constants=RECEIVED)
    assert bulk._sqlite_params(ChangeEvent.__table__, [EVENT, ["not", "a", "dict"]], COLUMNS, []) is None


@pytest.mark.parametrize("bad", [5, 5.0, b"0190a1b2c3d47e5f8a9b0c1d2e3f4a5b"])
def test_an_id_that_is_not_text_is_refused_as_before_and_nothing_is_stored(monkeypatch, bad):
    events = [_event(1), _event(2, row_id=bad)]
    # SQLite's replace() would store the number as an id's text: the fast path declines it.
    assert bulk._sqlite_params(ChangeEvent.__table__, events, COLUMNS, []) is None
    for fast in (True, False):
        with pytest.raises((AttributeError, TypeError)):
            _stored(events, ChangeEvent.__table__, fast=fast, monkeypatch=monkeypatch, columns=COLUMNS,
                    constants=RECEIVED)


def test_a_time_that_is_not_text_is_refused_as_before(monkeypatch):
    events = [_event(1), _event(2, recorded_at=20261201)]
    for fast in (True, False):
        with pytest.raises(TypeError):
            _stored(events, ChangeEvent.__table__, fast=fast, monkeypatch=monkeypatch, columns=COLUMNS,
                    constants=RECEIVED)
