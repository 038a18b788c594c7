"""The bench's heartbeat names the longest UI-thread stalls and where the UI thread was in each."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer

from app.ui.benchmark import STALL_MS, _Heartbeat


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
