"""Fixtures shared by the sync tests."""

from __future__ import annotations

import pytest

from app.services.demo import generate_demo
from app.services.setup import open_database
from app.sync import benchmark

from .helpers import BENCH_EVENTS_PER_LAPTOP, make_template


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A database with a little shared history, cloned into each copy a test needs."""
    return make_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def small_bench(tmp_path, monkeypatch):
    """A small demo database for `benchmark.measure`, whose packages are two laptops' few events."""
    bench_db = tmp_path / "bench.sqlite3"
    db = open_database(bench_db, create=True).db
    try:
        generate_demo(db, seed=3, units=6, findings=60, interviews=10)
    finally:
        db.dispose()
    monkeypatch.setattr(benchmark.build_laptop_packages, "__kwdefaults__",
                        {"laptops": 2, "events_per_laptop": BENCH_EVENTS_PER_LAPTOP, "seed": 7})
    return bench_db
