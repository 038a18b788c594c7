"""The bench's heartbeat names the longest UI-thread stalls and where the UI thread was in each."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from app.ui.benchmark import LAUNCH_PHASE, STALL_MS, VISIT_PHASE, _Heartbeat, _stall_figures


def hold_the_ui_thread(seconds: float) -> None:
    time.sleep(seconds)  # a slot doing slow work on the UI thread


def test_the_three_longest_stalls_are_listed_longest_first_with_what_ran(qtbot):
    beat = _Heartbeat()
    beat.start()
    done: list[str] = []

    plan = [("甲", 0.16), ("乙", 0.40), ("丙", 0.26), ("丁", 0.01)]

    def stall() -> None:
        phase, seconds = plan[len(done)]
        beat.phase = phase
        hold_the_ui_thread(seconds)
        beat.phase = "空闲"
        done.append(phase)
        if len(done) < len(plan):
            QTimer.singleShot(80, stall)  # the heartbeat ticks in between

    QTimer.singleShot(30, stall)
    qtbot.waitUntil(lambda: len(done) == 4, timeout=10_000)
    beat.stop()

    longest = beat.longest(3)
    assert [s.phase for s in longest] == ["乙", "丙", "甲"]
    assert longest[0].ms >= 400 and longest[1].ms >= 260 and longest[2].ms >= 160
    assert all("hold_the_ui_thread" in s.running for s in longest)
    assert beat.worst == longest[0]
    # A 10 ms slot is no stall.
    assert all(s.ms > STALL_MS for s in beat.stalls) and "丁" not in {s.phase for s in beat.stalls}


def test_a_stall_names_what_the_background_threads_run(qtbot):
    import threading

    beat = _Heartbeat()
    beat.start()
    release = threading.Event()
    worker = threading.Thread(target=lambda: release.wait(5), name="bench-worker")
    worker.start()
    done: list[bool] = []

    def stall() -> None:
        beat.phase = "戊"
        hold_the_ui_thread(0.2)
        done.append(True)

    QTimer.singleShot(30, stall)
    qtbot.waitUntil(lambda: done == [True], timeout=10_000)
    beat.stop()
    release.set()
    worker.join()
    # The waiting worker runs no application code: only the UI thread's own work is named.
    worst = beat.worst
    assert worst.phase == "戊" and worst.running.endswith("test_bench_stalls.hold_the_ui_thread")
    assert "后台" not in worst.running


def test_a_stall_says_how_much_of_it_was_the_ui_threads_own_work(qtbot):
    beat = _Heartbeat()
    beat.start()
    done: list[str] = []

    def work() -> None:  # 0.2 s of the UI thread's own CPU, however long that takes on this machine
        beat.phase = "计算"
        start = time.thread_time()
        while time.thread_time() - start < 0.2:
            pass
        done.append("work")
        QTimer.singleShot(80, wait)

    def wait() -> None:  # as long again waiting (for a lock a worker holds, say): no CPU
        beat.phase = "等待"
        hold_the_ui_thread(0.2)
        done.append("wait")

    QTimer.singleShot(30, work)
    qtbot.waitUntil(lambda: done == ["work", "wait"], timeout=10_000)
    beat.stop()
    by_phase = {s.phase: s for s in beat.stalls}
    assert by_phase["计算"].cpu_ms >= 200 and by_phase["计算"].ms >= by_phase["计算"].cpu_ms
    assert by_phase["等待"].ms >= 200 and by_phase["等待"].cpu_ms < 50


def _gap(beat: _Heartbeat, phase: str, ms: float) -> None:
    """A turn of the heartbeat `ms` after the last one, in `phase` (no event loop needed)."""
    beat.phase = phase
    beat.last = time.perf_counter() - ms / 1000
    beat._tick()


def test_a_quiet_run_reports_the_longest_gaps_it_measured_not_zero(qtbot):
    # No gap over STALL_MS: the figures still give the longest gap of each kind (a 0.0 would read
    # as "measured zero"), and say that none was long enough to be listed as a stall.
    beat = _Heartbeat()
    beat.start()
    beat.timer.stop()  # the gaps below are the only ones
    for phase, ms in [(LAUNCH_PHASE, 30), ("后台读取选项、准备其他页面", 5), ("后台读取选项、准备其他页面", 22),
                      ("后台读取选项、准备其他页面", 8), (f"{VISIT_PHASE}「谈话记录」", 12), ("问题台账滚动", 6)]:
        _gap(beat, phase, ms)
    beat.stop()
    figures = {f[0]: f for f in _stall_figures(beat)}
    after, visits, worst = figures["ui_after_launch_stall"], figures["ui_page_visit_stall"], figures["ui_longest_stall"]
    assert after[2] >= 22 and 12 <= visits[2] <= after[2] and worst[2] >= 30
    assert "后台读取选项、准备其他页面" in after[1] and "谈话记录" in visits[1] and LAUNCH_PHASE in worst[1]
    for _id, name, value, _unit, _budget in (after, visits, worst):
        if value <= STALL_MS:  # (a machine so loaded that a gap grew past it lists it as a stall)
            assert f"无超过 {STALL_MS} ms 的停顿" in name
    assert not any(f.startswith("ui_stall_") for f in figures) or beat.stalls


def test_stalls_over_the_threshold_are_still_the_ones_listed(qtbot):
    beat = _Heartbeat()
    beat.start()
    beat.timer.stop()
    _gap(beat, "甲", 10)
    _gap(beat, "乙", STALL_MS + 40)
    beat.stop()
    figures = {f[0]: f for f in _stall_figures(beat)}
    assert figures["ui_longest_stall"][2] >= STALL_MS + 40 and "无超过" not in figures["ui_longest_stall"][1]
    assert "乙" in figures["ui_stall_1"][1] and all(s.ms > STALL_MS for s in beat.stalls)


def test_a_stall_says_whether_the_process_ran_meanwhile(qtbot):
    # The UI thread waits while a worker runs Python (as for the interpreter lock): the process's
    # CPU in the gap is the worker's; when it merely waits (for a core, say), the process's is low.
    import threading

    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)  # no job of an earlier test runs meanwhile
    beat = _Heartbeat()
    beat.start()
    done: list[str] = []

    def spin() -> None:  # 0.2 s of this worker's own CPU, however long that takes here
        start = time.thread_time()
        while time.thread_time() - start < 0.2:
            pass

    def worker_runs() -> None:
        beat.phase = "后台"
        worker = threading.Thread(target=spin)
        worker.start()
        worker.join()
        done.append("worker")
        QTimer.singleShot(80, nobody_runs)

    def nobody_runs() -> None:
        beat.phase = "等待"
        hold_the_ui_thread(0.2)
        done.append("wait")

    QTimer.singleShot(30, worker_runs)
    qtbot.waitUntil(lambda: done == ["worker", "wait"], timeout=10_000)
    beat.stop()
    by_phase = {s.phase: s for s in beat.stalls}
    ran, waited = by_phase["后台"], by_phase["等待"]
    assert ran.cpu_ms < 50 and ran.process_ms >= 200
    assert waited.cpu_ms < 50 and waited.process_ms < 100
    listed = {f[0]: f[1] for f in _stall_figures(beat)}
    assert any("整个进程 CPU" in name and "后台" in name for name in listed.values())


def test_a_phase_that_never_came_is_named_none(qtbot):
    beat = _Heartbeat()
    beat.start()
    beat.timer.stop()
    _gap(beat, LAUNCH_PHASE, 12)
    beat.stop()
    figures = {f[0]: f for f in _stall_figures(beat)}
    assert figures["ui_page_visit_stall"][1].endswith("（无）") and figures["ui_page_visit_stall"][2] == 0.0
    assert figures["ui_longest_stall"][2] >= 12
