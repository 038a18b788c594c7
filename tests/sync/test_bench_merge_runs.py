"""`xuncha bench --merge-runs N`: the same packages merged N times, each into a fresh copy of the
same prepared master, the figure their median with the fastest and slowest beside it. On a virtual
machine one merge ranged 11.6–17.1 s within 45 minutes for identical work: one run could not tell
a change from the host's minute."""

from __future__ import annotations

import pytest

from app import cli
from app.sync import benchmark

from .helpers import BENCH_EVENTS_PER_LAPTOP, change_event_count


def test_each_run_merges_into_a_fresh_copy_and_the_figure_is_their_median(small_bench, monkeypatch):
    real_merge_into = benchmark._merge_into
    merges: list[tuple[bool, int, int]] = []  # (encrypted, events before, events after)
    seconds = iter([5.0, 9.0, 3.0, 8.0, 4.0, 7.0])  # plain, encrypted, plain, encrypted, …

    def merge_into(path, paths, key=None):
        # A fresh copy has no log beside it: a stale one of the last run would be read into it.
        assert not path.with_name(f"{path.name}-wal").exists()
        before = change_event_count(path, key)
        _real, reimport = real_merge_into(path, paths, key)
        merges.append((key is not None, before, change_event_count(path, key)))
        return next(seconds), reimport

    monkeypatch.setattr(benchmark, "_merge_into", merge_into)
    progress: list[str] = []
    figures = {f[0]: f for f in benchmark.measure(small_bench, progress.append, merge_runs=3)}

    assert [m[0] for m in merges] == [False, True] * 3
    plain = [m for m in merges if not m[0]]
    encrypted = [m for m in merges if m[0]]
    # Every run starts from the same master and merges every laptop's events into it: a run that
    # merged into the last one's copy would find the events there already and add none.
    assert len({m[1] for m in plain}) == 1 and len({m[1] for m in encrypted}) == 1
    assert all(after - before >= 2 * BENCH_EVENTS_PER_LAPTOP for _enc, before, after in merges)
    assert figures["merge_10_packages"][2] == 4.0  # the median of 5, 3, 4
    assert (figures["merge_10_packages_fastest"][2], figures["merge_10_packages_slowest"][2]) == (3.0, 5.0)
    assert figures["merge_10_packages_encrypted"][2] == 8.0
    assert (figures["merge_10_packages_encrypted_fastest"][2],
            figures["merge_10_packages_encrypted_slowest"][2]) == (7.0, 9.0)
    assert "3 次的中位数" in figures["merge_10_packages"][1]
    assert figures["merge_ratio_raw_sqlite"][2] == pytest.approx(4.0 / figures["merge_raw_sqlite"][2])
    assert any("第 2/3 次合并：3.00 s，加密主库 8.00 s" in line for line in progress)


def test_one_run_reports_as_before(small_bench):
    figures = {f[0]: f for f in benchmark.measure(small_bench, lambda _m: None)}
    assert "merge_10_packages_fastest" not in figures and "次的中位数" not in figures["merge_10_packages"][1]
    assert figures["merge_10_packages"][2] > 0 and figures["merge_10_packages_encrypted"][2] > 0


@pytest.mark.parametrize(("argv", "said"), [
    (["--merge-runs", "0"], "--merge-runs 应为 1 到 20 之间的整数"),
    (["--merge-runs", "21"], "--merge-runs 应为 1 到 20 之间的整数"),
    (["--merge-runs", "3", "--skip-sync"], "--merge-runs 只用于本机 SQLite 文件上的同步合并测量"),
    (["--merge-runs", "3", "--bench-db", "postgresql://nobody@/nothing"], "--merge-runs 只用于本机 SQLite 文件上的同步合并测量"),
])
def test_the_command_refuses_a_run_count_it_cannot_honour(argv, said, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "measure", lambda *a, **k: pytest.fail("measured despite a refused option"))
    code = cli.main(["--db", str(tmp_path / "none.sqlite3"), "bench", "--skip-ui", *argv])
    assert code != 0
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
