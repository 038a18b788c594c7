"""Keys at rest: wrong passwords locked out on an encrypted database, disabling an account or resetting a
password re-keys the database, the password rule, and the audit naming changes made behind the
program's back."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import pytest
from conftest import World

from app.models import crypto
from app.services import audit
from app.services.accounts import AccountService
from app.services.auth import AccountLockedError, AuthError, PasswordPolicyError, check_password_policy
from app.services.findings import FindingService
from app.services.setup import open_database

from .conftest import OTHER_PASSWORD, PASSWORD, DisabledOnLaptop


def test_five_wrong_passwords_lock_an_encrypted_database_out(enc_path):
    for attempt in range(4):
        with pytest.raises(AuthError, match="用户名或密码不正确"):
            open_database(enc_path, password=f"wrong-{attempt}-xyz", username="admin")
    with pytest.raises(AccountLockedError, match="暂时锁定"):
        open_database(enc_path, password="wrong-4-xyz", username="admin")
    # Even the right password waits now: the count lives in the key file, where no database is needed.
    with pytest.raises(AccountLockedError):
        open_database(enc_path, password=PASSWORD, username="admin")
    keys = crypto.KeyFile.for_database(enc_path)
    entry = keys.entry("admin")
    assert entry is not None and entry.failed == 5
    # Once the lock has run out, the right password opens it and the count starts again.
    entry.locked_until = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).isoformat()
    keys.save()
    opened = open_database(enc_path, password=PASSWORD, username="admin")
    opened.db.dispose()
    assert crypto.KeyFile.for_database(enc_path).entry("admin").failed == 0


@pytest.mark.parametrize("password", ["12345678", "password", "password2026!", "woaini1314", "Zhangwei1987",
                                      "qwertyuiop", "1234567890", "xuncha2026", "abcabcabca", "admin-admin-2026"])
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(PasswordPolicyError):
        check_password_policy(password, username="admin")


def test_a_disabled_accounts_old_key_file_opens_nothing_written_afterwards(enc, enc_path, tmp_path):
    accounts = AccountService(enc.ctx)
    member = accounts.create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD)
    # The member keeps a copy of the key file (and knows their password).
    stolen_keys = tmp_path / "stolen.keys"
    shutil.copy(crypto.keyfile_path(enc_path), stolen_keys)
    old_key = crypto.KeyFile.load(stolen_keys).unwrap("li", OTHER_PASSWORD)
    accounts.deactivate(member.id)
    World(enc.ctx)  # written after the disable
    # The old key no longer fits the database file at all.
    with pytest.raises(crypto.CryptoError):
        crypto.connect_encrypted(enc_path, old_key)
    # Nor does the member's password open it with the current key file.
    with pytest.raises(AuthError):
        open_database(enc_path, password=OTHER_PASSWORD, username="li")
    # The others still open it; their key was sealed anew for them.
    again = open_database(enc_path, password=PASSWORD, username="admin")
    assert again.db.integrity_problems() == []
    again.db.dispose()


def test_a_password_reset_rekeys_and_replaces_the_signing_key(enc, enc_path):
    accounts = AccountService(enc.ctx)
    member = accounts.create_account(username="zhou", display_name="周组员", role="member", password=OTHER_PASSWORD)
    old_key = crypto.KeyFile.for_database(enc_path).unwrap("zhou", OTHER_PASSWORD)
    old_signing = member.signing_key
    accounts.reset_password(member.id, "重设后的口令-2027-丁")
    with pytest.raises(crypto.CryptoError):
        crypto.connect_encrypted(enc_path, old_key)
    reset = accounts.get(member.id)
    assert reset.signing_key != old_signing
    assert [k["key"] for k in reset.retired_keys] == [old_signing]
    opened = open_database(enc_path, password="重设后的口令-2027-丁", username="zhou")
    assert opened.actor.keys.signing_public == reset.signing_key
    opened.db.dispose()


def test_a_backup_carries_only_the_current_entries(enc, enc_path, tmp_path):
    from app.services.setup import backup_database

    accounts = AccountService(enc.ctx)
    member = accounts.create_account(username="wu", display_name="吴组员", role="member", password=OTHER_PASSWORD)
    accounts.deactivate(member.id)
    result = backup_database(enc.ctx, tmp_path / "backup.sqlite3")
    assert not crypto.KeyFile.load(result.keys_path).has("wu")
    with pytest.raises(AuthError):
        open_database(result.path, password=OTHER_PASSWORD, username="wu")


# --- the audit names what was done behind the program's back ------------------------------------
@pytest.fixture
def plain_master(tmp_path):
    path = tmp_path / "audited.sqlite3"
    opened = open_database(path, create=True)
    world = World(opened.ctx)
    finding = world.finding()
    FindingService(opened.ctx).update(finding.id, title="改过一次的标题")
    opened.db.dispose()
    return path, finding


def _verify(path) -> audit.VerifyReport:
    opened = open_database(path)
    try:
        return audit.verify_chains(opened.db)
    finally:
        opened.db.dispose()


def test_the_audit_passes_on_an_untouched_database(plain_master):
    path, _ = plain_master
    report = _verify(path)
    assert report.ok, report.breaks


def test_the_audit_names_a_direct_update_of_a_finding(plain_master):
    path, finding = plain_master
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE findings SET title = '悄悄改掉的标题', severity = 'minor' WHERE id = ?", (finding.id.hex,))
    breaks = [b for b in _verify(path).breaks if b.kind == "table"]
    assert len(breaks) == 1 and str(finding.id) in breaks[0].message
    assert "问题标题" in breaks[0].message and "严重程度" in breaks[0].message


def test_the_audit_names_a_row_inserted_or_deleted_directly(plain_master):
    path, finding = plain_master
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO units (id, name, kind, created_at, updated_at) VALUES "
                     "('0190aaaaaaaa7aaa8aaaaaaaaaaaaaaa', '凭空出现的单位', 'other', '2026-01-01', '2026-01-01')")
        conn.execute("DELETE FROM findings WHERE id = ?", (finding.id.hex,))
    messages = [b.message for b in _verify(path).breaks]
    assert any("凭空" not in m and "没有任何变更记录" in m for m in messages)
    assert any(str(finding.id) in m and "被直接删除" in m for m in messages)


def test_the_audit_names_a_cut_tail_and_a_rehashed_history(tmp_path):
    """The master records the head a laptop signed; cutting the laptop's newest changes, or rewriting
    one and hashing the chain again, is named by the master's audit."""
    from sqlalchemy import select, update

    from app.eventhash import event_hash
    from app.models import ChangeEvent
    from app.services.units import UnitService
    from app.sync.exchange import export_package, import_package
    from tests.sync.helpers import clone, introduce, make_template

    template = make_template(tmp_path)
    master, laptop = clone(template, tmp_path / "m.sqlite3", "巡察办"), clone(template, tmp_path / "l.sqlite3", "笔记本")
    introduce([master, laptop])
    ctx = __import__("app.services.context", fromlist=["ServiceContext"]).ServiceContext(laptop[0])
    for n in range(3):
        UnitService(ctx).create(name=f"笔记本新增单位{n}", kind="gov_dept")
    export_package(laptop[0], laptop[1], master[1].site_id, tmp_path / "p.xsync")
    import_package(master[0], master[1], tmp_path / "p.xsync")
    assert audit.verify_chains(master[0]).ok

    with master[0].write() as session:
        newest = session.scalars(select(ChangeEvent).where(ChangeEvent.site_id == laptop[1].site_id)
                                 .order_by(ChangeEvent.seq.desc()).limit(1)).one()
        # Rewrite it and hash it again, consistently.
        fields = {**newest.fields, "name": "改写的单位"}
        record = {c.key: getattr(newest, c.key) for c in ChangeEvent.__table__.columns}
        session.execute(update(ChangeEvent).where(ChangeEvent.id == newest.id).values(
            fields=fields, hash=event_hash({**record, "fields": fields})))
    kinds = {b.kind for b in audit.verify_chains(master[0]).breaks}
    assert "head" in kinds  # the laptop's signed head no longer matches
    with master[0].write() as session:
        session.execute(ChangeEvent.__table__.delete().where(ChangeEvent.id == newest.id))
    messages = [b.message for b in audit.verify_chains(master[0]).breaks]
    assert any("末尾被删去" in m for m in messages)
    master[0].dispose()
    laptop[0].dispose()


def test_a_laptop_follows_the_accounts_the_office_changed(tmp_path):
    """The office disables a member: the laptop, on its next import, locks them out and re-keys."""
    from app.sync.exchange import import_package

    # qian worked on the laptop (and sent its first package) before the office disabled her.
    setup = DisabledOnLaptop(tmp_path, "qian", OTHER_PASSWORD)
    laptop_path, laptop_me, old_key = setup.laptop_path, setup.laptop_me, setup.old_key
    laptop = open_database(laptop_path, password=PASSWORD, username="guanli")
    import_package(laptop.db, laptop_me, tmp_path / "down.xsync")
    laptop.db.dispose()
    with pytest.raises(AuthError):
        open_database(laptop_path, password=OTHER_PASSWORD, username="qian")
    with pytest.raises(crypto.CryptoError):
        crypto.connect_encrypted(laptop_path, old_key)
