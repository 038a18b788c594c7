"""Work split over turns of the event loop so that the window never stalls on it (issue 16):
a record list fits its columns one per turn, and the pages prepared in the background wait for
the workers (a worker running Python shares the interpreter lock with the page being built)."""

from __future__ import annotations

import datetime as dt
import threading

from app.services.fieldwork import VisitService
from app.ui.models.record_table import format_local
from app.ui.page import Page


def test_a_record_list_fits_one_column_per_turn_and_is_painted_once_all_fit(qtbot, window, world):
    page = window.visits
    window.show_page(Page.VISITS)
    qtbot.waitUntil(lambda: page.lookups is not None, timeout=10_000)
    visits = VisitService(world.ctx)
    for n, place in enumerate(["市财政局办公楼三楼会议室及档案室（东侧）", "预算科", "国库支付中心"]):
        visits.create(inspection_id=world.inspection.id, place=place,
                      visited_at=dt.datetime(2026, 10, 9 + n, 9, 30, tzinfo=dt.UTC), content="实地查看")
    sized: list[int] = []
    fit = page.table.resizeColumnToContents
    page.table.resizeColumnToContents = lambda column: (sized.append(column), fit(column))
    after_rows: list[tuple[int, bool]] = []
    show_rows = page._show_rows
    page._show_rows = lambda rows, select_id: (show_rows(rows, select_id),
                                               after_rows.append((len(sized), page.table.updatesEnabled())))
    page.reload()
    last = page.model.columnCount() - 1  # the last column stretches
    qtbot.waitUntil(lambda: len(sized) == last and page.table.updatesEnabled(), timeout=10_000)
    # The turn that brought the rows fitted one column, and the table was not painted half fitted.
    assert after_rows == [(1, False)]
    assert sized == list(range(last))
    header = page.table.horizontalHeader()
    for column in range(last):
        natural = max(page.table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert page.table.columnWidth(column) == min(natural, 220)
    assert page.model.index(0, 0).data().startswith("2026-10-")


def test_dates_in_lists_read_as_before():
    assert format_local(dt.date(2026, 10, 9)) == "2026-10-09"
    assert format_local(dt.datetime(2026, 10, 9, 14, 30, 59, 123456)) == "2026-10-09 14:30"
    aware = dt.datetime(2026, 10, 9, 1, 5, tzinfo=dt.UTC)
    assert format_local(aware) == aware.astimezone().strftime("%Y-%m-%d %H:%M")


def _not_prepared(window) -> bool:
    return len(window.built_pages()) < len(Page)


def test_pages_prepared_in_the_background_wait_for_a_busy_worker(qtbot, world):
    from app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    release = threading.Event()
    held: list[int] = []

    def hold_a_worker() -> None:  # as a page's list query would, while the pages are prepared
        held.append(len(win.built_pages()))
        win.tasks.run(lambda: release.wait(30), lambda _r: None)

    turns: list[int] = []  # the background turns taken once the pages' modules were imported
    step = win._step

    def counted_step() -> None:
        if win._modules_imported:
            turns.append(len(win.built_pages()))
        step()

    win._step = counted_step
    win.ready.connect(hold_a_worker)
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    try:
        qtbot.waitUntil(lambda: len(turns) >= 4, timeout=15_000)
        assert len(win.built_pages()) == held[0] and _not_prepared(win)  # nothing built meanwhile
    finally:
        release.set()
    qtbot.waitUntil(lambda: not win._preparing, timeout=20_000)
    assert not _not_prepared(win)
    win.close()


def test_a_long_job_does_not_stop_the_pages_being_prepared(qtbot, world):
    from app.ui.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    release = threading.Event()
    win.ready.connect(lambda: win.tasks.run(lambda: release.wait(60), lambda _r: None))
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    try:
        # Each part waits a few turns at most: all are built while the job still runs.
        qtbot.waitUntil(lambda: not win._preparing, timeout=30_000)
        assert not _not_prepared(win) and not release.is_set()
    finally:
        release.set()
    win.tasks.wait(10_000)
    win.close()
