"""A large package's hashes are checked in a helper process, with the same verdict as in line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.eventhash import MALFORMED, MISMATCH, event_hash, first_bad_event
from app.sync import hashcheck


def _events(n: int) -> list[dict]:
    events = []
    for i in range(1, n + 1):
        e = {
            "id": f"00000000-0000-7000-8000-{i:012d}", "site_id": "00000000-0000-7000-8000-000000000000", "seq": i,
            "hlc": f"{1_790_000_000_000 + i:015d}:000000", "table_name": "units",
            "row_id": f"00000000-0000-7000-9000-{i:012d}", "op": "insert",
            "fields": {"name": f"单位{i}", "notes": "换行\n与“引号”"}, "supersedes": [], "schema_version": "0003",
            "author_id": None, "author_name": "甲", "recorded_at": dt.datetime(2026, 11, 21, tzinfo=dt.UTC).isoformat(),
            "prev_hash": "0" * 64,
        }
        e["hash"] = event_hash(e)
        events.append(e)
    return events


def _check(events, monkeypatch) -> tuple[bool, tuple[str, str] | None]:
    monkeypatch.setattr(hashcheck, "PARALLEL_FROM", 1)
    check = hashcheck.HashCheck(events, json.dumps({"events": events}, ensure_ascii=False).encode())
    return check.parallel, check.verdict()


def test_a_sound_package_passes_in_the_helper(monkeypatch):
    assert _check(_events(30), monkeypatch) == (True, None)


def test_the_helper_names_the_edited_event(monkeypatch):
    events = _events(30)
    events[17]["fields"]["notes"] = "改过"
    assert _check(events, monkeypatch) == (True, (MISMATCH, events[17]["id"]))


def test_the_helper_names_a_malformed_event(monkeypatch):
    events = _events(30)
    del events[3]["supersedes"]
    assert _check(events, monkeypatch) == (True, (MALFORMED, events[3]["id"]))


@pytest.mark.parametrize("field, value", [("op", ["insert"]), ("op", {"insert": 1}), ("hash", None)])
def test_a_forged_value_of_the_wrong_type_is_named_not_a_crash(monkeypatch, field, value):
    # A list where the operation's name belongs cannot even be looked up among the names: the
    # package is malformed, in the helper and in line alike, never a TypeError reaching the user.
    events = _events(30)
    events[9][field] = value
    assert _check(events, monkeypatch) == (True, (MALFORMED, events[9]["id"]))
    assert first_bad_event(events) == (MALFORMED, events[9]["id"])


def test_without_a_helper_the_check_runs_in_line(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(hashcheck, "ProcessPoolExecutor", refuse)
    events = _events(30)
    events[5]["hash"] = "f" * 64
    assert _check(events, monkeypatch) == (False, (MISMATCH, events[5]["id"]))


@pytest.mark.parametrize("size", [1, hashcheck.PARALLEL_FROM - 1])
def test_small_packages_are_checked_in_line(size):
    check = hashcheck.HashCheck(_events(size), b"{}")
    assert not check.parallel and check.verdict() is None


@pytest.mark.parametrize("plain", [b"[]", b'{"manifest": {}}', b'{"events": {"a": 1}}', b'"events"', b"{not json"])
def test_a_payload_without_a_list_of_events_is_malformed_whether_kept_for_the_gate_or_not(plain):
    # One rule (eventhash.events_of) for the helper that keeps the parse for its gate and the one
    # that does not.
    from app.eventhash import first_bad_event_in

    assert first_bad_event_in(plain) == (MALFORMED, "")
    assert hashcheck._check("t", plain, keep=True) == (MALFORMED, "")
    assert "t" not in hashcheck._KEPT
