"""`xuncha sync status` on a plain file without accounts is read with sqlite3 (app/cli_quick.py):
the same identity, fingerprint, scope, coverage, peers (revoked or not) and conflict count as the
services give, duplicate groups included."""

from __future__ import annotations

import argparse
import json
import uuid

from sqlalchemy import delete

from app import cli_quick
from app.cli_sync import status_data
from app.models import Setting, SyncConflict
from app.services.context import ServiceContext
from app.services.setup import open_database
from app.sync.conflicts import BUSINESS_KEYS
from app.sync.revocation import revoke

from .helpers import clone, introduce
from .test_duplicate_count import _add_findings


def _services(path) -> dict:
    return status_data(argparse.Namespace(db=path, open=lambda: open_database(path)))


def test_the_duplicate_keys_are_the_sync_business_keys():
    assert {table: columns for table, (_model, columns, _label) in BUSINESS_KEYS.items()} == cli_quick.DUPLICATE_KEYS


def test_sync_status_is_the_services_answer(template, tmp_path):
    copies = [clone(template, tmp_path / f"{n}.sqlite3", n) for n in ("主库", "笔记本甲", "笔记本乙")]
    introduce(copies)
    master, _me = copies[0]
    revoke(ServiceContext(master), copies[2][1].site_id, "笔记本丢失")
    with master.write() as session:
        session.add(SyncConflict(table_name="units", row_id=uuid.uuid4(), kind="field", field="name", competitors=[]))
        session.merge(Setting(key="sync.scope", value=json.dumps([str(uuid.uuid4())])))
    for db, _ in copies:
        db.dispose()
    inspection = uuid.uuid4()
    _add_findings(tmp_path / "主库.sqlite3", [(inspection, 5, False), (inspection, 5, False), (inspection, 6, False)])
    path = tmp_path / "主库.sqlite3"
    quick = cli_quick.sync_status(path)
    assert quick is not None and quick["open_conflicts"] == 2 and len(quick["peers"]) == 2
    assert {p["name"]: p["revoked"] for p in quick["peers"]} == {"笔记本甲": False, "笔记本乙": True}
    assert quick == _services(path)


def test_a_copy_without_its_identity_is_given_one_the_services_way(template, tmp_path):
    db, _me = clone(template, tmp_path / "c.sqlite3", "c")
    with db.write() as session:
        session.execute(delete(Setting).where(Setting.key == "site.x25519_private"))
    db.dispose()
    path = tmp_path / "c.sqlite3"
    assert cli_quick.sync_status(path) is None  # ensure_identity would write it
    made = _services(path)
    assert cli_quick.sync_status(path) == made
