"""Whether a package is large enough for the helper process is decided by counting its new events
only up to the threshold (a bench package's 20,000 events were all walked to learn "over 5,000")."""

from __future__ import annotations

from app.sync import hashcheck
from app.sync.exchange import _at_least


def _counted(n: int, seen: list[int]):
    for i in range(n):
        seen.append(i)
        yield {"seq": i + 1}


def test_counting_stops_at_the_threshold():
    seen: list[int] = []
    assert _at_least(_counted(20_000, seen), hashcheck.PARALLEL_FROM)
    assert len(seen) == hashcheck.PARALLEL_FROM


def test_the_threshold_is_inclusive_and_one_short_is_not_enough():
    assert _at_least(_counted(hashcheck.PARALLEL_FROM, []), hashcheck.PARALLEL_FROM)
    assert not _at_least(_counted(hashcheck.PARALLEL_FROM - 1, []), hashcheck.PARALLEL_FROM)
    assert not _at_least(iter([]), 1)
    assert _at_least(iter([]), 0)  # a threshold of none: every package, the empty one too
