"""The bench merges its packages a second time into an encrypted copy of the same master, as an
office keeps it (`xuncha init` encrypts unless told `--plaintext`): the plain file's figure alone
left out SQLCipher's cost, which every real master pays."""

from __future__ import annotations

from app.models import crypto
from app.services.demo import generate_demo
from app.services.setup import open_database
from app.sync import benchmark


def test_the_merge_is_timed_into_an_encrypted_master_holding_the_same_data(tmp_path, monkeypatch):
    bench_db = tmp_path / "bench.sqlite3"
    db = open_database(bench_db, create=True).db
    try:
        generate_demo(db, seed=3, units=6, findings=60, interviews=10)
    finally:
        db.dispose()
    monkeypatch.setattr(benchmark.build_laptop_packages, "__kwdefaults__",
                        {"laptops": 2, "events_per_laptop": 300, "seed": 7})
    counts: list[int] = []
    real_merge_into = benchmark._merge_into

    def events_in(path, key) -> int:
        conn = crypto.connect_encrypted(path, key)  # refused unless the file is SQLCipher's, under this key
        try:
            return conn.execute("SELECT count(*) FROM change_events").fetchone()[0]
        finally:
            conn.close()

    def merge_into(path, key, paths):
        counts.append(events_in(path, key))
        seconds = real_merge_into(path, key, paths)
        counts.append(events_in(path, key))
        return seconds

    monkeypatch.setattr(benchmark, "_merge_into", merge_into)
    figures = {f[0]: f for f in benchmark.measure(bench_db, lambda _m: None)}
    assert figures["merge_10_packages_encrypted"][4] == 20.0
    assert figures["merge_10_packages"][2] > 0
    before, after = counts
    assert after - before >= 2 * 300  # every laptop's events (and the import's own), in the encrypted master
