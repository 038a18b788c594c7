"""The helper process is kept between imports (a merge of ten packages starts one) and leaves when idle;
each import still gets its own package's verdict."""

from __future__ import annotations

import json
import time

from app.eventhash import MISMATCH
from app.sync import hashcheck

from .test_hashcheck import _events


def _plain(events) -> bytes:
    return json.dumps({"events": events}, ensure_ascii=False).encode()


def test_consecutive_imports_share_one_helper_which_leaves_when_idle(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 0.3)
    sound = _events(30)
    first = hashcheck.HashCheck(sound, _plain(sound), helper_from=1, shared=True)
    helper = hashcheck._Shared.pool
    assert first.parallel and helper is not None
    assert first.verdict() is None
    tampered = _events(30)
    tampered[7]["fields"]["notes"] = "改过"
    second = hashcheck.HashCheck(tampered, _plain(tampered), helper_from=1, shared=True)
    assert hashcheck._Shared.pool is helper  # the same process, not a new one
    assert second.verdict() == (MISMATCH, tampered[7]["id"])
    deadline = time.monotonic() + 10
    while hashcheck._Shared.pool is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hashcheck._Shared.pool is None  # shut down once idle


def test_an_import_in_progress_keeps_the_helper_past_the_idle_time(monkeypatch):
    monkeypatch.setattr(hashcheck, "IDLE_SECONDS", 0.2)
    events = _events(30)
    running = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    other = hashcheck.HashCheck(events, _plain(events), helper_from=1, shared=True)
    assert other.verdict() is None  # one import ends while the other still uses the helper
    time.sleep(0.6)
    assert hashcheck._Shared.pool is not None
    assert running.verdict() is None
    running.close()
