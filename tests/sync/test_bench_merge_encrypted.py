"""The bench merges its packages a second time into an encrypted copy of the same master, as an
office keeps it (`xuncha init` encrypts unless told `--plaintext`): the plain file's figure alone
left out SQLCipher's cost, which every real master pays."""

from __future__ import annotations

from app.sync import benchmark

from .helpers import BENCH_EVENTS_PER_LAPTOP, change_event_count


def test_the_merge_is_timed_into_an_encrypted_master_holding_the_same_data(small_bench, monkeypatch):
    counts: list[int] = []
    real_merge_into = benchmark._merge_into

    def merge_into(path, paths, key=None):
        if key is None:
            return real_merge_into(path, paths)
        counts.append(change_event_count(path, key))
        seconds = real_merge_into(path, paths, key)
        counts.append(change_event_count(path, key))
        return seconds

    monkeypatch.setattr(benchmark, "_merge_into", merge_into)
    figures = {f[0]: f for f in benchmark.measure(small_bench, lambda _m: None)}
    assert figures["merge_10_packages_encrypted"][4] == 20.0
    assert figures["merge_10_packages"][2] > 0
    before, after = counts
    assert after - before >= 2 * BENCH_EVENTS_PER_LAPTOP  # every laptop's events (and the import's own), in the encrypted master
