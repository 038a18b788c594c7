"""An import that fails at any step, or whose process is killed, leaves the database as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import ChangeEvent
from app.services.context import ServiceContext
from app.services.units import UnitService
from app.sync import exchange
from app.sync.exchange import export_package, import_package

from .helpers import clone, fingerprint_of, introduce, unit_ids

STEPS = ("validate", "events", "blobs", "rows", "bookkeeping", "commit")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(template, tmp_path):
    a = clone(template, tmp_path / "a.sqlite3", "甲")
    b = clone(template, tmp_path / "b.sqlite3", "乙")
    introduce([a, b])
    rows = unit_ids(a[0])
    service = UnitService(ServiceContext(a[0]))
    for i in range(30):
        service.update(rows[i % 2], notes=f"第{i}次修改")
    import datetime as dt

    from app.services.attachments import AttachmentService
    from app.services.fieldwork import PetitionService
    from app.services.inspections import InspectionService

    ctx = ServiceContext(a[0])
    inspection = InspectionService(ctx).create(name="巡察市财政局", kind="regular", stage="fieldwork")
    petition = PetitionService(ctx).create(inspection_id=inspection.id, received_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
                                           channel="letter", content="反映公车私用", anonymous=True)
    AttachmentService(ctx).attach_bytes("petition", petition.id, "来信扫描.txt", "附件内容".encode())
    path = tmp_path / "a-to-b.xsync"
    export_package(a[0], a[1], b[1].site_id, path)
    a[0].dispose()
    yield path, b
    b[0].dispose()


@pytest.mark.parametrize("step", STEPS)
def test_an_exception_at_any_step_changes_nothing(package, monkeypatch, step):
    path, (b_db, b) = package
    db_path = b_db.url.removeprefix("sqlite:///")
    before = fingerprint_of(db_path)

    def fail(name: str) -> None:
        if name == step:
            raise RuntimeError(f"injected failure at {name}")

    monkeypatch.setattr(exchange, "_checkpoint", fail)
    with pytest.raises(RuntimeError, match="injected"):
        import_package(b_db, b, path)
    assert fingerprint_of(db_path) == before
    monkeypatch.undo()
    assert import_package(b_db, b, path).new_events > 0


def test_cancel_changes_nothing(package):
    path, (b_db, b) = package
    db_path = b_db.url.removeprefix("sqlite:///")
    before = fingerprint_of(db_path)
    with pytest.raises(exchange.ImportCancelled):
        import_package(b_db, b, path, cancelled=lambda: True)
    assert fingerprint_of(db_path) == before


_KILL_SCRIPT = """
import sys
from app.models.db import Database
from app.sync.identity import ensure_identity
from app.sync.exchange import import_package
db = Database.open_path(sys.argv[1])
import_package(db, ensure_identity(db), sys.argv[2])
"""


@pytest.mark.parametrize("step", STEPS)
def test_a_process_killed_mid_import_leaves_a_sound_database_without_the_package(package, step):
    path, (b_db, b) = package
    db_path = b_db.url.removeprefix("sqlite:///")
    with b_db.read() as session:
        events_before = session.scalar(select(func.count()).select_from(ChangeEvent))
    b_db.dispose()
    env = {**os.environ, "XUNCHA_SYNC_KILL_AT": step, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _KILL_SCRIPT, db_path, str(path)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 137, result.stderr
    assert b_db.integrity_problems() == []
    with b_db.read() as session:
        assert session.scalar(select(func.count()).select_from(ChangeEvent)) == events_before
    assert import_package(b_db, b, path).new_events > 0
