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
