"""Sync figures for `xuncha bench`: merging 10 laptop packages (200,000 change events in all) into
a master database, and re-importing one already merged.

The packages are built from synthetic but valid events (hash-chained, signed, encrypted to the
master), as ten laptops that each recorded and edited findings would produce.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.eventhash import encode_value, event_hash
from app.models import Finding, Inspection, SyncPeer, utcnow
from app.models.changelog import GENESIS_HASH, format_hlc
from app.models.db import Database
from app.models.migrate import head_revision

from .exchange import import_package
from .identity import ensure_identity
from .package import seal, write_atomically

LAPTOPS = 10
EVENTS_PER_LAPTOP = 20_000


def _uuid7(rng: random.Random, wall_ms: int) -> uuid.UUID:
    """A UUIDv7 as a laptop's clock makes them (time-ordered, like new_id()), but reproducible."""
    value = (wall_ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) | rng.getrandbits(62)
    return uuid.UUID(int=value)


def _finding_fields(rng: random.Random, inspection_id: uuid.UUID | None, number: int, now: str) -> dict[str, Any]:
    return {
        "inspection_id": str(inspection_id), "unit_id": None, "number": number,
        "title": f"同步测试问题{number}", "facts": f"笔记本记录的第{number}个问题：抽查凭证{rng.randint(1, 99)}份发现白条入账。",
        "characterisation": None, "responsibility": None, "category_code": "gov_finance", "discipline_code": "work",
        "severity": "general", "source_kind": None, "source_id": None, "responsible_people": None,
        "responsible_person_ids": [], "handler_id": None, "assignee_id": None, "review_state": "draft",
        "disposition_code": None, "four_form": None, "status": "open", "found_on": None,
        "created_at": now, "updated_at": now, "created_by": None, "updated_by": None, "deleted_at": None,
    }


def build_laptop_packages(master_db: Database, folder: Path, *, laptops: int = LAPTOPS,
                          events_per_laptop: int = EVENTS_PER_LAPTOP, seed: int = 7) -> list[Path]:
    """Write `laptops` packages to the master, registering each laptop with the master."""
    master = ensure_identity(master_db)
    with master_db.read() as session:
        inspection_id = session.scalar(select(Inspection.id).order_by(Inspection.id).limit(1))
    rng = random.Random(seed)
    schema = head_revision()
    paths = []
    for n in range(laptops):
        # A throwaway database per laptop only to hold its identity (keys).
        with tempfile.TemporaryDirectory() as tmp:
            laptop_db = Database.open_path(Path(tmp) / "id.sqlite3", create=True)
            laptop_db.upgrade()
            me = ensure_identity(laptop_db, name=f"第{n + 1}组笔记本", role="laptop")
            laptop_db.dispose()
        with master_db.write() as session:
            session.merge(SyncPeer(site_id=me.site_id, name=me.name, role="laptop", x25519_public=me.x25519_public,
                                   ed25519_public=me.ed25519_public, added_at=utcnow(), trusted_via="enrollment",
                                   scope=[str(inspection_id)]))
        events, prev = [], GENESIS_HASH
        latest: dict[uuid.UUID, str] = {}  # row → its newest event, which an edit supersedes
        keys: list[uuid.UUID] = []
        wall = 1_790_000_000_000 + n
        for seq in range(1, events_per_laptop + 1):
            now = encode_value(utcnow())
            if keys and rng.random() < 0.4:
                row_id = rng.choice(keys)
                fields = {"title": f"修改后的问题标题{seq}", "updated_at": now}
                op, supersedes = "update", [latest[row_id]]
            else:
                row_id = _uuid7(rng, wall + seq)
                keys.append(row_id)
                fields = _finding_fields(rng, inspection_id, 100_000 + n * events_per_laptop + seq, now)
                op, supersedes = "insert", []
            event = {
                "id": str(_uuid7(rng, wall + seq)), "site_id": str(me.site_id), "seq": seq,
                "hlc": format_hlc(wall + seq, 0), "table_name": "findings", "row_id": str(row_id), "op": op,
                "fields": fields, "supersedes": supersedes, "schema_version": schema, "author_id": None,
                "author_name": me.name, "recorded_at": now, "prev_hash": prev,
            }
            event["hash"] = event_hash({**event, "recorded_at": dt.datetime.fromisoformat(now)})
            prev = event["hash"]
            events.append(event)
            latest[row_id] = event["id"]
        manifest = {
            "kind": "sync", "app_version": "bench", "schema_version": schema, "created_at": encode_value(utcnow()),
            "sender": str(me.site_id), "sender_scope": [str(inspection_id)], "receiver_scope": None,
            "origins": {str(me.site_id): {"base": 0, "upto": events_per_laptop, "count": events_per_laptop}},
            "coverage": {str(me.site_id): events_per_laptop}, "peers": [], "tables": {"findings": events_per_laptop},
            "event_count": events_per_laptop,
        }
        data = seal({"manifest": manifest, "events": events, "blobs": {}}, me, receiver_site=str(master.site_id),
                    receiver_x25519=master.x25519_public, extra_header={"kind": "sync"})
        path = folder / f"laptop{n + 1}.xsync"
        write_atomically(path, data)
        paths.append(path)
    return paths


def measure(bench_db: Path, progress: Callable[[str], None]) -> list[tuple[str, float, str, float]]:
    """Merge figures on a copy of the benchmark database (the cached one is left as it was)."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "master.sqlite3"
        progress("复制基准数据库用于合并测试…")
        source = Database.open_path(bench_db)
        with source.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        source.dispose()
        shutil.copy(bench_db, copy)
        db = Database.open_path(copy)
        progress(f"生成 {LAPTOPS} 个笔记本同步包（共 {LAPTOPS * EVENTS_PER_LAPTOP} 条变更）…")
        packages = build_laptop_packages(db, Path(tmp))
        me = ensure_identity(db)
        progress("合并中…")
        start = time.perf_counter()
        for path in packages:
            import_package(db, me, path)
        merged = time.perf_counter() - start
        start = time.perf_counter()
        again = import_package(db, me, packages[0])
        reimport = time.perf_counter() - start
        assert again.new_events == 0
        with db.read() as session:
            total = session.query(Finding).count()
        progress(f"合并后问题总数 {total}")
        db.dispose()
    return [
        (f"合并 {LAPTOPS} 个同步包（共 {LAPTOPS * EVENTS_PER_LAPTOP // 1000}k 条变更）", merged, "s", 20.0),
        ("重新导入已合并的同步包", reimport, "s", 2.0),
    ]
