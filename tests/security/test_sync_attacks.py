"""The attacks of an insider with a valid 组员 password, through sync packages and kits: each refused
by the office's master database, naming the author, the record and the rule, with the master left byte
for byte as it was.

The member controls their own laptop database completely (its file, its site key, their own account
keys): the tests write the forged changes straight into the laptop's change log with those keys, as a
member with some SQL and Python could. What they do not have is anyone else's password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import uuid
from pathlib import Path

import pytest
from conftest import World

from app.cli import main
from app.models import Finding, User
from app.services.accounts import AccountService
from app.services.context import Actor
from app.services.errors import PermissionDeniedError
from app.services.findings import FindingService
from app.services.inspections import InspectionService, TeamService
from app.services.setup import open_database
from app.sync.exchange import SyncError, export_package, import_package
from app.sync.identity import ensure_identity
from app.sync.kit import export_team_kit, import_team_kit
from app.sync.revocation import revoke

ADMIN_PW, LEADER_PW, MEMBER_PW = "管理员的口令-2026-甲", "组长的口令-2026-乙", "组员的口令-2026-丙"
KIT_PASS = "一组的工作包口令"


def fingerprint_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        dump = "\n".join(line for line in conn.iterdump() if "sqlite_sequence" not in line)
    return hashlib.sha256(dump.encode()).hexdigest()


class Office:
    """A master with accounts (so it has something to protect), two inspections with their own teams,
    and a laptop made from a kit for the first one."""

    def __init__(self, folder: Path) -> None:
        self.master_path = folder / "master.sqlite3"
        system = open_database(self.master_path, create=True)
        self.world = World(system.ctx)
        w = self.world
        accounts = AccountService(system.ctx)
        self.admin = accounts.create_account(username="admin", display_name="王管理", role="admin", password=ADMIN_PW)
        self.leader = accounts.create_account(username="zhao", display_name="赵立新", role="leader", password=LEADER_PW,
                                              inspector_id=w.leader.id)
        self.member = accounts.create_account(username="qian", display_name="钱文静", role="member", password=MEMBER_PW,
                                              inspector_id=w.member_a.id)
        self.other = InspectionService(system.ctx).create(name="巡察市审计局党组", kind="regular", stage="fieldwork")
        self.finding = w.finding(characterisation="定性", responsibility="责任")
        self.me = ensure_identity(system.db, name="市委巡察办")
        system.db.dispose()
        master = self.open_master(ADMIN_PW, "admin")
        kit = folder / "team1.xkit"
        export_team_kit(master.db, self.me, [str(w.inspection.id)], KIT_PASS, kit, actor=master.actor, label="一组笔记本")
        master.db.dispose()
        self.laptop_path = folder / "laptop.sqlite3"
        laptop = open_database(self.laptop_path, create=True)
        import_team_kit(laptop.db, kit, KIT_PASS, fingerprint_confirmed=self.me.fingerprint)
        laptop.db.dispose()
        self.folder = folder

    def open_master(self, password: str = ADMIN_PW, user: str = "admin"):
        return open_database(self.master_path, password=password, username=user)

    def laptop_as(self, password: str, user: str):
        return open_database(self.laptop_path, password=password, username=user)

    def package_from_laptop(self, name: str = "to-master.xsync") -> Path:
        laptop = self.laptop_as(MEMBER_PW, "qian")
        me = ensure_identity(laptop.db)
        path = self.folder / name
        export_package(laptop.db, me, self.me.site_id, path)
        laptop.db.dispose()
        return path

    def refused(self, package: Path, *words: str) -> str:
        """Import as the administrator: refused, the master byte for byte as it was."""
        before = fingerprint_of(self.master_path)
        master = self.open_master()
        try:
            with pytest.raises(SyncError) as exc:
                import_package(master.db, self.me, package, actor=master.actor)
        finally:
            master.db.dispose()
        assert fingerprint_of(self.master_path) == before
        for word in words:
            assert word in exc.value.message, exc.value.message
        return exc.value.message


@pytest.fixture
def office(tmp_path):
    return Office(tmp_path)


MEMBER = object()


def forge(office: Office, change, *, author=MEMBER, sign_with=None, author_name: str = "钱文静") -> None:
    """Write straight into the laptop's change log as the member could: their own account's keys by
    default, or another signer's key they hold (the site's)."""
    laptop = office.laptop_as(MEMBER_PW, "qian")
    keys = laptop.actor.keys
    author_id = office.member.id if author is MEMBER else author
    signing_key = keys.signing if sign_with is None else sign_with
    try:
        with laptop.db.write(author_name=author_name, author_id=author_id, signing_key=signing_key) as session:
            change(session)
    finally:
        laptop.db.dispose()


def test_an_honest_laptop_package_is_accepted(office):
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="组员的发现", facts="事实")
    laptop.db.dispose()
    package = office.package_from_laptop()
    master = office.open_master()
    summary = import_package(master.db, office.me, package, actor=master.actor)
    assert summary.rows.get("findings") == 1
    master.db.dispose()


def test_a_member_cannot_make_themselves_an_administrator_through_a_package(office):
    def promote(session):
        session.get(User, office.member.id).role = "admin"

    forge(office, promote)
    office.refused(office.package_from_laptop(), "钱文静", "账户", str(office.member.id))


def test_changes_claiming_another_author_are_refused(office):
    # Signed with the member's own key but claiming to be the leader's: the signer is not the author.
    def retitle(session):
        finding = session.get(Finding, office.finding.id)
        finding.title = "组长改过的标题"
        finding.updated_by = office.leader.id

    forge(office, retitle, author=office.leader.id, author_name="赵立新")
    office.refused(office.package_from_laptop(), "赵立新", "冒用他人名义")


def test_changes_signed_by_the_laptop_itself_are_not_anyones(office):
    from app.models.changelog import site_signing_key

    laptop = office.laptop_as(MEMBER_PW, "qian")
    with laptop.db.read() as session:
        site_key = site_signing_key(session.connection())
    laptop.db.dispose()

    def retitle(session):
        session.get(Finding, office.finding.id).title = "系统改的标题"

    forge(office, retitle, author=None, sign_with=site_key, author_name="系统")
    office.refused(office.package_from_laptop(), "未经作者本人签名")


def resign_last_event(office: Office, change) -> None:
    """The member rewrites their newest change (say, moves it into another inspection), hashes it
    again and signs its batch again with their own key: all of which they can do on their laptop."""
    import base64

    from sqlalchemy import select, update

    from app.eventhash import batch_digest, batch_message, event_hash
    from app.models import ChangeEvent, EventBatch

    laptop = office.laptop_as(MEMBER_PW, "qian")
    key = laptop.actor.keys.signing
    with laptop.db.write() as session:
        last = session.scalars(select(ChangeEvent).order_by(ChangeEvent.hlc.desc()).limit(1)).one()
        fields = dict(last.fields)
        change(fields)
        record = {c.key: getattr(last, c.key) for c in ChangeEvent.__table__.columns}
        record["fields"] = fields
        new_hash = event_hash(record)
        signer, number = last.batch.rsplit("/", 1)
        batch = session.get(EventBatch, (last.site_id, signer, int(number)))
        hashes = [new_hash if h == last.hash else h for h in batch.hashes]
        digest = batch_digest(str(last.site_id), signer, int(number), batch.prev, hashes)
        session.execute(update(ChangeEvent).where(ChangeEvent.id == last.id).values(fields=fields, hash=new_hash))
        session.execute(update(EventBatch).where(EventBatch.site_id == batch.site_id, EventBatch.signer == signer,
                                                 EventBatch.number == batch.number).values(
            hashes=hashes, digest=digest, signature=base64.b64encode(key.sign(batch_message(digest))).decode()))
    laptop.db.dispose()


def test_a_laptop_may_not_write_into_another_inspection(office):
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="本组的问题", facts="事实")
    laptop.db.dispose()
    resign_last_event(office, lambda fields: fields.update(inspection_id=str(office.other.id)))
    office.refused(office.package_from_laptop(), "巡察市审计局党组", "工作范围")


def test_review_state_cannot_be_forged_without_a_review(office):
    def approve(session):
        finding = session.get(Finding, office.finding.id)
        finding.review_state = "approved"
        finding.updated_by = office.member.id

    forge(office, approve)
    office.refused(office.package_from_laptop(), "审核状态")


def test_a_member_cannot_sign_as_the_leader_through_a_forged_review(office):
    from app.models import FindingReview, utcnow

    def sign(session):
        finding = session.get(Finding, office.finding.id)
        finding.review_state = "approved"
        finding.updated_by = office.member.id
        session.add(FindingReview(finding_id=finding.id, action="leader_approve", from_state="deputy_approved",
                                  to_state="approved", actor_id=office.member.id, actor_name="钱文静", acted_at=utcnow(),
                                  created_by=office.member.id, updated_by=office.member.id))

    forge(office, sign)
    office.refused(office.package_from_laptop(), "审核")


def test_a_member_removed_from_the_team_can_no_longer_send_changes(office):
    # The office takes the member off the team; the laptop has not heard of it yet.
    master = office.open_master()
    assignment = TeamService(master.ctx).list(inspection_id=office.world.inspection.id,
                                              inspector_id=office.world.member_a.id)[0]
    TeamService(master.ctx).delete(assignment.id)
    master.db.dispose()
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="离组后写的问题", facts="事实")
    laptop.db.dispose()
    office.refused(office.package_from_laptop(), "不在该巡察的巡察组中")


def test_a_lost_laptop_once_revoked_is_refused(office):
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="丢失前写的问题", facts="事实")
    laptop.db.dispose()
    first = office.package_from_laptop("first.xsync")
    master = office.open_master()
    import_package(master.db, office.me, first, actor=master.actor)
    peer = ensure_identity(office.laptop_as(MEMBER_PW, "qian").db).site_id
    with pytest.raises(PermissionDeniedError):
        member_on_master = open_database(office.master_path, password=MEMBER_PW, username="qian")
        revoke(member_on_master.ctx, peer, "组员试图吊销")
    revoke(master.ctx, peer, "笔记本丢失")
    master.db.dispose()
    laptop = office.laptop_as(MEMBER_PW, "qian")
    FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="丢失后写的问题", facts="事实")
    laptop.db.dispose()
    office.refused(office.package_from_laptop("later.xsync"), "被吊销", "笔记本丢失")


def test_a_member_cannot_import_a_kit_into_the_master(office, tmp_path):
    # The member makes a database of their own, as a "master", and a kit from it.
    rogue_path = tmp_path / "rogue.sqlite3"
    rogue = open_database(rogue_path, create=True)
    World(rogue.ctx)
    rogue_me = ensure_identity(rogue.db, name="假巡察办")
    kit = tmp_path / "rogue.xkit"
    export_team_kit(rogue.db, rogue_me, [str(InspectionService(rogue.ctx).list()[0].id)], KIT_PASS, kit,
                    actor=Actor.system())
    rogue.db.dispose()
    before = fingerprint_of(office.master_path)
    master = office.open_master(MEMBER_PW, "qian")
    with pytest.raises(SyncError, match="只能导入新建的空数据库"):
        import_team_kit(master.db, kit, KIT_PASS, fingerprint_confirmed=rogue_me.fingerprint)
    master.db.dispose()
    assert fingerprint_of(office.master_path) == before
    # And a kit must carry the fingerprint the office read out.
    fresh = open_database(tmp_path / "fresh.sqlite3", create=True)
    with pytest.raises(SyncError, match="指纹"):
        import_team_kit(fresh.db, kit, KIT_PASS, fingerprint_confirmed=office.me.fingerprint)
    fresh.db.dispose()


def test_only_an_administrator_prepares_a_kit(office):
    master = office.open_master(MEMBER_PW, "qian")
    with pytest.raises(PermissionDeniedError, match="管理员"):
        export_team_kit(master.db, office.me, [str(office.world.inspection.id)], KIT_PASS,
                        office.folder / "x.xkit", actor=master.actor)
    master.db.dispose()
    assert not (office.folder / "x.xkit").exists()


def test_a_member_cannot_resolve_their_way_to_administrator(office, capsys, monkeypatch):
    """The attack of the first round: `sync resolve users <id> --field role --value admin`."""
    monkeypatch.setenv("XUNCHA_USER", "qian")
    monkeypatch.setenv("XUNCHA_PASSWORD", MEMBER_PW)
    before = fingerprint_of(office.master_path)
    code = main(["--db", str(office.master_path), "sync", "resolve", "users", str(office.member.id), "--field",
                 "role", "--value", "admin"])
    err = capsys.readouterr().err
    assert code != 0 and "没有未处理的冲突" in err and "Traceback" not in err
    assert fingerprint_of(office.master_path) == before


def test_time_of_change_decides_the_authors_role(office):
    """A change made while the author was on the team still imports after they left it."""
    laptop = office.laptop_as(MEMBER_PW, "qian")
    made = FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="在组时写的问题", facts="事实")
    laptop.db.dispose()
    package = office.package_from_laptop()
    master = office.open_master()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    assert later > made.created_at
    assignment = TeamService(master.ctx).list(inspection_id=office.world.inspection.id,
                                              inspector_id=office.world.member_a.id)[0]
    TeamService(master.ctx).delete(assignment.id)
    summary = import_package(master.db, office.me, package, actor=master.actor)
    assert summary.rows.get("findings") == 1
    master.db.dispose()


def test_a_forged_author_id_that_is_no_account_is_refused(office):
    ghost = uuid.uuid4()

    def plant(session):
        session.add(Finding(inspection_id=office.world.inspection.id, number=7, title="幽灵的问题", facts="事实",
                            created_by=ghost, updated_by=ghost))

    forge(office, plant, author=ghost, author_name="幽灵")
    office.refused(office.package_from_laptop(), "幽灵")


def test_an_attachment_name_pointing_out_of_its_folder_is_refused(office):
    from app.models import Attachment, AttachmentBlob

    laptop = office.laptop_as(MEMBER_PW, "qian")
    finding = FindingService(laptop.ctx).create(inspection_id=office.world.inspection.id, title="带附件的问题", facts="事实")
    laptop.db.dispose()

    def attach(session):
        session.add(AttachmentBlob(sha256="a" * 64, size=1, data=b"x"))
        session.flush()
        session.add(Attachment(owner_kind="finding", owner_id=finding.id, filename="..\\\\..\\\\Startup\\\\update.bat",
                               media_type="text/plain", size=1, sha256="a" * 64,
                               created_by=office.member.id, updated_by=office.member.id))

    forge(office, attach)
    office.refused(office.package_from_laptop(), "附件的文件名", "update.bat")
