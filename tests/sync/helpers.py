"""Several copies of the database in one test: a shared starting history, distinct site keys."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import uuid
from pathlib import Path

from sqlalchemy import delete, func, select

from app.models import ChangeEvent, Setting, SiteCoverage, SyncPeer, crypto, utcnow
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.setup import open_database
from app.services.units import UnitService
from app.sync.identity import SiteIdentity, ensure_identity

# Each laptop's events in the small bench (`small_bench` in conftest.py).
BENCH_EVENTS_PER_LAPTOP = 300

UNIT_NAMES = ("市财政局", "市审计局")


def make_template(folder: Path) -> Path:
    """A database holding a little shared history (reference data and two units)."""
    path = folder / "template.sqlite3"
    db = open_database(path, create=True).db
    ctx = ServiceContext(db)
    for name in UNIT_NAMES:
        UnitService(ctx).create(name=name, kind="gov_dept")
    db.dispose()
    return path


def clone(template: Path, path: Path, name: str) -> tuple[Database, SiteIdentity]:
    """A copy that holds the template's history as received from its origin, with its own identity."""
    shutil.copy(template, path)
    db = Database.open_path(path)
    with db.write() as session:
        origin, top = session.execute(
            select(ChangeEvent.site_id, func.max(ChangeEvent.seq)).group_by(ChangeEvent.site_id)
        ).one()
        session.execute(delete(Setting).where(Setting.key.like("site.%")))
        session.add(SiteCoverage(origin_site_id=origin, max_seq=top))
    return db, ensure_identity(db, name=name)


def introduce(copies: list[tuple[Database, SiteIdentity]]) -> None:
    """Make every copy trust every other one (as a master's relay would)."""
    for db, me in copies:
        with db.write() as session:
            for _, other in copies:
                if other.site_id != me.site_id:
                    session.merge(SyncPeer(site_id=other.site_id, name=other.name, role="laptop",
                                           x25519_public=other.x25519_public, ed25519_public=other.ed25519_public,
                                           added_at=utcnow(), trusted_via="relay", scope=None))


def unit_ids(db: Database) -> list[uuid.UUID]:
    from app.models import Unit

    with db.read() as session:
        return list(session.scalars(select(Unit.id).order_by(Unit.name)))


def fingerprint_of(path: str | Path) -> str:
    """Everything a database holds, as one hash (to prove a failed import changed nothing)."""
    with sqlite3.connect(path) as conn:
        dump = "\n".join(line for line in conn.iterdump() if "sqlite_sequence" not in line)
    return hashlib.sha256(dump.encode()).hexdigest()


def data_snapshot(db: Database) -> dict:
    """The user-visible state: every synced row, the events held, the open conflicts."""
    from app.models import SyncConflict
    from app.sync.merge import synced_tables

    snapshot: dict = {}
    with db.read() as session:
        for name, table in synced_tables().items():
            rows = session.execute(select(table).order_by(table.c.id)).all()
            snapshot[name] = [tuple(r) for r in rows]
        snapshot["events"] = sorted(str(i) for i in session.scalars(select(ChangeEvent.id)))
        snapshot["conflicts"] = sorted(
            (c.table_name, str(c.row_id), c.kind, c.field or "", tuple(sorted(c.competitors)))
            for c in session.scalars(select(SyncConflict))
        )
    return snapshot


def change_event_count(path: Path, key: bytes | None = None) -> int:
    """How many events the file at `path` holds (a SQLCipher file under `key`), read by the driver
    alone: what a merge left there, whatever the engine still has open."""
    conn = sqlite3.connect(path) if key is None else crypto.connect_encrypted(path, key)
    try:
        return conn.execute("SELECT count(*) FROM change_events").fetchone()[0]
    finally:
        conn.close()
