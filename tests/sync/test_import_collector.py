"""An import frees its decrypted payload while the cycle collector is still paused (app/gc_pause.py):
had the payload's containers been alive when it resumed, they would all be young and the first
collection would walk every one of them (~40 ms a package at the bench's size, more beside a process
that holds much else)."""

from __future__ import annotations

import gc

from app.services.demo import generate_demo
from app.services.setup import open_database
from app.sync.benchmark import build_laptop_packages
from app.sync.exchange import import_package
from app.sync.identity import ensure_identity


def test_an_import_leaves_the_collector_none_of_its_payload_to_walk(tmp_path):
    db = open_database(tmp_path / "master.sqlite3", create=True).db
    try:
        generate_demo(db, seed=3, units=6, findings=60, interviews=10)
        packages = build_laptop_packages(db, tmp_path, laptops=1, events_per_laptop=1500)
        me = ensure_identity(db)
        young: list[int] = []

        def seen(phase: str, info: dict) -> None:
            if phase == "start":  # the package's events among the containers this collection walks
                young.append(sum(1 for o in gc.get_objects(generation=0) if type(o) is dict and "prev_hash" in o))

        was_enabled = gc.isenabled()
        gc.enable()
        gc.collect()
        gc.callbacks.append(seen)
        try:
            summary = import_package(db, me, packages.paths[0])
        finally:
            gc.callbacks.remove(seen)
            if not was_enabled:
                gc.disable()
        assert summary.new_events == packages.events
        # No collection during the import walked the package's events (nor their fields, supersedes…).
        assert young == [0] * len(young)
    finally:
        db.dispose()


def test_the_bench_times_its_merge_with_its_fixtures_out_of_the_collectors_sight():
    """The bench's packages are built in its own process (millions of containers): the merge it
    times must not pay for collections walking them, which an office's import never does."""
    from app.sync import benchmark

    held = [{"event": i, "fields": {}} for i in range(50_000)]
    during: list[int] = []

    def timed() -> tuple[float, float]:
        during.append(gc.get_freeze_count())
        return 1.0, 0.1

    assert benchmark._without_fixtures(timed) == (1.0, 0.1)
    assert during[0] >= len(held)  # frozen while timed
    assert gc.get_freeze_count() == 0  # and given back to the collector after
