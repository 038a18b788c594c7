"""The import gate run in the helper process (a large package: app/sync/hashcheck.py): the same
attacks are refused with the same messages and the master left byte for byte as it was, an honest
package is accepted, and an encrypted master's key reaches the helper over its pipe.

`authorize.check` is replaced in this process by one that fails: every verdict below comes from the
helper (a fresh interpreter, which loads the real gate), and a silent fall-back to the gate in line
would fail the test.
"""

from __future__ import annotations

import pytest

from app.models import Finding
from app.services.findings import FindingService
from app.services.setup import encrypt_database, open_database
from app.sync import authorize, hashcheck
from app.sync.exchange import SyncError, import_package

from .test_sync_attacks import (  # noqa: F401 - collected again here, with the gate in the helper
    ADMIN_PW,
    MEMBER_PW,
    Office,
    forge,
    test_a_laptop_may_not_write_into_another_inspection,
    test_a_lost_laptop_once_revoked_is_refused,
    test_a_member_cannot_make_themselves_an_administrator_through_a_package,
    test_a_member_cannot_sign_as_the_leader_through_a_forged_review,
    test_a_member_removed_from_the_team_can_no_longer_send_changes,
    test_an_attachment_name_pointing_out_of_its_folder_is_refused,
    test_an_honest_laptop_package_is_accepted,
    test_changes_claiming_another_author_are_refused,
    test_changes_signed_by_the_laptop_itself_are_not_anyones,
    test_review_state_cannot_be_forged_without_a_review,
    test_time_of_change_decides_the_authors_role,
)


def _not_here(*args, **kwargs):
    raise AssertionError("the gate ran in the importing process, not in the helper")


@pytest.fixture
def office(tmp_path, monkeypatch):
    """The office (its laptop made from a kit, checked in line), then every import through the helper."""
    built = Office(tmp_path)
    monkeypatch.setattr(hashcheck, "PARALLEL_FROM", 1)
    monkeypatch.setattr(authorize, "check", _not_here)
    return built


def _retitle_as_leader(office: Office) -> None:
    def retitle(session):
        finding = session.get(Finding, office.finding.id)
        finding.title = "组长改过的标题"
        finding.updated_by = office.leader.id

    forge(office, retitle, author=office.leader.id, author_name="赵立新")


def test_an_encrypted_master_is_read_by_the_helper_with_its_key(office):
    """SQLCipher: without the key the helper could not read a row; with it, it refuses the forgery
    and accepts the honest change."""
    encrypt_database(office.master_path, password=ADMIN_PW, username="admin")
    _retitle_as_leader(office)
    forged = office.package_from_laptop("forged.xsync")
    master = open_database(office.master_path, password=ADMIN_PW, username="admin")
    try:
        assert master.db.encrypted
        with pytest.raises(SyncError, match="冒用他人名义"):
            import_package(master.db, office.me, forged, actor=master.actor)
        with master.db.read() as session:
            assert session.get(Finding, office.finding.id).title != "组长改过的标题"
    finally:
        master.db.dispose()


def test_an_encrypted_master_accepts_an_honest_package_through_the_helper(office):
    encrypt_database(office.master_path, password=ADMIN_PW, username="admin")
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="组员的发现", facts="事实")
    laptop.db.dispose()
    package = office.package_from_laptop()
    master = open_database(office.master_path, password=ADMIN_PW, username="admin")
    try:
        summary = import_package(master.db, office.me, package, actor=master.actor)
        assert summary.rows.get("findings") == 1
    finally:
        master.db.dispose()


@pytest.mark.parametrize("forged", [True, False])
def test_a_helper_that_cannot_answer_means_the_gate_runs_in_line(office, monkeypatch, forged):
    """The helper dies or cannot open the database: the import is rolled back and done again with the
    gate here, so a forgery is still refused and an honest package imported once."""
    monkeypatch.undo()
    monkeypatch.setattr(hashcheck, "PARALLEL_FROM", 1)
    monkeypatch.setattr(hashcheck, "gate_in_helper", True)
    asked: list[bool] = []

    def lost(self):
        asked.append(True)
        raise hashcheck.GateUnavailable("helper gone")

    monkeypatch.setattr(hashcheck.HashCheck, "refusal", lost)
    if forged:
        _retitle_as_leader(office)
        message = office.refused(office.package_from_laptop(), "赵立新", "冒用他人名义")
        assert "未导入任何数据" in message
    else:
        laptop = office.laptop_as(MEMBER_PW, "qian")
        FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="组员的发现", facts="事实")
        laptop.db.dispose()
        master = office.open_master()
        try:
            summary = import_package(master.db, office.me, office.package_from_laptop(), actor=master.actor)
            assert summary.rows.get("findings") == 1 and summary.new_events >= 1
            with master.db.read() as session:
                assert session.query(Finding).filter(Finding.title == "组员的发现").count() == 1
        finally:
            master.db.dispose()
    assert asked == [True]
    assert not hashcheck.gate_in_helper  # the next large import gates in line instead of twice
