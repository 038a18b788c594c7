"""Encryption at rest: nothing readable on disk, wrong passwords touch nothing, keys re-wrap per user."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pytest
from conftest import World
from sqlalchemy import text

from app.models import crypto
from app.services.accounts import AccountService
from app.services.attachments import AttachmentService
from app.services.auth import AuthError
from app.services.context import ServiceContext
from app.services.fieldwork import InterviewService, PetitionService
from app.services.findings import FindingService
from app.services.search import search
from app.services.setup import (
    OpenError,
    PasswordRequiredError,
    backup_database,
    encrypt_database,
    open_database,
)

from .conftest import OTHER_PASSWORD, PASSWORD

SECRETS = {
    "transcript": "绝密谈话笔录：张守财承认收受工程款回扣叁拾贰万元",
    "facts": "违规发放津贴补贴底稿：账外设立小金库二百六十万元",
    "petition": "匿名举报某局长在温泉山庄长期违规吃喝",
    "attachment": "附件机密：银行流水显示资金池转入私人账户",
}
ASCII_MARKER = b"XUNCHA-ATTACHMENT-MARKER-7f3a9c"


def needles() -> list[bytes]:
    """Every way the secrets could be written: UTF-8, UTF-16, and JSON's \\u escapes."""
    out = [ASCII_MARKER]
    for value in SECRETS.values():
        part = value[:8]
        out.append(part.encode("utf-8"))
        out.append(part.encode("utf-16-le"))
        out.append(part.encode("utf-16-be"))
        out.append("".join(f"\\u{ord(c):04x}" for c in part).encode("ascii"))
    return out


def leaks(folder: Path) -> dict[str, list[bytes]]:
    found: dict[str, list[bytes]] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        hits = [n for n in needles() if n in data]
        if hits:
            found[path.name] = hits
    return found


def fill(ctx: ServiceContext) -> World:
    world = World(ctx)
    interview = world.interview(interviewee_name="张守财", transcript=SECRETS["transcript"] * 20,
                                summary=SECRETS["transcript"])
    FindingService(ctx).create(inspection_id=world.inspection.id, title="违规发放津贴补贴", facts=SECRETS["facts"])
    PetitionService(ctx).create(inspection_id=world.inspection.id, received_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
                                channel="letter", anonymous=True, content=SECRETS["petition"])
    payload = (SECRETS["attachment"].encode("utf-8") + ASCII_MARKER) * 4000  # ~300 KB: overflow pages
    AttachmentService(ctx).attach_bytes("interview", interview.id, "流水.txt", payload)
    return world


def test_no_plaintext_in_the_database_its_wal_or_attachments(tmp_path):
    folder = tmp_path / "enc"
    opened = open_database(folder / "x.sqlite3", create=True, password=PASSWORD)
    try:
        fill(opened.ctx)
        wal = folder / "x.sqlite3-wal"
        assert wal.exists() and wal.stat().st_size > 0, "the test must look at a WAL holding the writes"
        with opened.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA temp_store")).scalar() == 2  # MEMORY: no temporary files
        assert leaks(folder) == {}
        # The data is there for whoever holds the password.
        assert AttachmentService(opened.ctx).read_bytes(
            AttachmentService(opened.ctx).list()[0].id
        ).startswith(SECRETS["attachment"].encode("utf-8"))
        assert len(search(opened.ctx, "小金库")) >= 1
    finally:
        opened.db.dispose()
    assert leaks(folder) == {}
    assert sorted(p.name for p in folder.iterdir()) == ["x.sqlite3", "x.sqlite3.keys"]


def test_the_same_scan_finds_the_secrets_in_a_plain_database(tmp_path):
    """The control: the scan above would have seen them."""
    folder = tmp_path / "plain"
    opened = open_database(folder / "p.sqlite3", create=True)
    try:
        fill(opened.ctx)
        found = leaks(folder)
    finally:
        opened.db.dispose()
    assert found
    assert any(ASCII_MARKER in hits for hits in found.values())


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_a_wrong_password_fails_cleanly_and_touches_nothing_but_the_count(enc_path):
    keys = crypto.keyfile_path(enc_path)
    before = {name: v for name, v in _snapshot(enc_path.parent).items() if name != keys.name}
    for username, password in (("admin", "wrong-password-1"), ("nobody", PASSWORD), ("admin", "")):
        with pytest.raises(AuthError) as exc:
            open_database(enc_path, password=password, username=username)
        assert "用户名或密码不正确" in exc.value.message and "未作任何改动" in exc.value.message
    with pytest.raises(PasswordRequiredError, match="已加密"):
        open_database(enc_path)
    assert {name: v for name, v in _snapshot(enc_path.parent).items() if name != keys.name} == before
    # Only the failure count of the account tried moved (an unknown name counts nothing).
    entry = crypto.KeyFile.for_database(enc_path).entry("admin")
    assert entry is not None and entry.failed == 2 and entry.locked_until is None


def test_a_missing_or_foreign_key_file_is_named(enc_path, tmp_path):
    keys = crypto.keyfile_path(enc_path)
    other = tmp_path / "other" / "o.sqlite3"
    open_database(other, create=True, password=PASSWORD).db.dispose()
    saved = keys.read_bytes()
    keys.unlink()
    with pytest.raises(OpenError, match="找不到密钥文件"):
        open_database(enc_path, password=PASSWORD)
    keys.write_bytes(crypto.keyfile_path(other).read_bytes())
    with pytest.raises(OpenError, match="密钥与文件不符"):
        open_database(enc_path, password=PASSWORD)
    keys.write_bytes(saved)
    open_database(enc_path, password=PASSWORD).db.dispose()


def test_fts_trigram_search_and_wal_work_encrypted(enc):
    world = World(enc.ctx)
    world.interview(interviewee_name="李四", summary="反映食堂采购价格明显偏高")
    assert len(search(enc.ctx, "采购价")) == 1
    assert len(search(enc.ctx, "食堂")) == 1  # two characters: expanded through the vocabulary
    assert enc.db.integrity_problems() == []


def test_password_change_rewraps_one_entry_and_never_reencrypts(enc, enc_path):
    accounts = AccountService(enc.ctx)
    accounts.create_account(username="zhang", display_name="张组员", role="member", password=OTHER_PASSWORD)
    keys_before = crypto.KeyFile.for_database(enc_path)
    salt_before = enc_path.read_bytes()[:16]  # SQLCipher's per-file salt: the database key is unchanged
    member = open_database(enc_path, password=OTHER_PASSWORD, username="zhang")
    AccountService(member.ctx).change_password(OTHER_PASSWORD, "全新的口令-2028")
    member.db.dispose()
    keys_after = crypto.KeyFile.for_database(enc_path)
    admin_tag = keys_before.tag("admin")
    assert [e for e in keys_before.entries if e.tag == admin_tag] == [e for e in keys_after.entries if e.tag == admin_tag]
    assert keys_before.entry("zhang").keys != keys_after.entry("zhang").keys
    assert enc_path.read_bytes()[:16] == salt_before
    with pytest.raises(AuthError):
        open_database(enc_path, password=OTHER_PASSWORD, username="zhang")
    again = open_database(enc_path, password="全新的口令-2028", username="zhang")
    assert again.actor.username == "zhang" and again.actor.role == "member"
    again.db.dispose()


def test_encrypt_an_existing_plain_database(tmp_path):
    path = tmp_path / "legacy.sqlite3"
    plain = open_database(path, create=True)
    fill(plain.ctx)
    plain.db.dispose()
    assert leaks(tmp_path)
    result = encrypt_database(path, password=PASSWORD, username="admin")
    assert result.kept_plaintext is None and result.tables["interviews"] == 1
    assert crypto.is_encrypted(path)
    assert leaks(tmp_path) == {}
    assert not (tmp_path / "legacy.sqlite3.plaintext").exists()
    opened = open_database(path, password=PASSWORD)
    try:
        assert opened.db.integrity_problems() == []
        assert len(search(opened.ctx, "小金库")) == 1
        assert InterviewService(opened.ctx).count() == 1
        assert opened.actor.role == "admin"
    finally:
        opened.db.dispose()


def test_encrypt_keeps_the_plain_file_until_the_copy_is_verified(tmp_path, monkeypatch):
    path = tmp_path / "legacy.sqlite3"
    plain = open_database(path, create=True)
    World(plain.ctx)
    plain.db.dispose()
    # The verified copy is checked once more by a real open; make that fail.
    real_open = open_database

    def failing_open(p, **kwargs):
        if kwargs.get("password"):
            raise OpenError("模拟：加密后的数据库打不开")
        return real_open(p, **kwargs)

    monkeypatch.setattr("app.services.setup.open_database", failing_open)
    with pytest.raises(OpenError, match="模拟"):
        encrypt_database(path, password=PASSWORD)
    monkeypatch.undo()
    assert not crypto.is_encrypted(path)
    assert not crypto.keyfile_path(path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["legacy.sqlite3"]
    back = open_database(path)
    assert back.db.integrity_problems() == []
    back.db.dispose()


def test_encrypted_backup(enc, tmp_path):
    fill(enc.ctx)
    out = tmp_path / "backups" / "b.sqlite3"
    result = backup_database(enc.ctx, out)
    assert result.path == out and crypto.keyfile_path(out).exists()
    assert leaks(out.parent) == {}
    copy = open_database(out, password=PASSWORD)
    try:
        assert InterviewService(copy.ctx).count() == 1
        assert copy.db.integrity_problems() == []
    finally:
        copy.db.dispose()
    with pytest.raises(Exception, match="已存在"):
        backup_database(enc.ctx, out)


@pytest.mark.real_kdf
def test_creating_derives_the_password_key_once_and_the_result_opens_only_with_it(tmp_path, monkeypatch):
    """The sealing key is derived once and seals the account's keys, which the key file's entry
    carries; besides it only the account's password hash runs Argon2id (its own salt). The database
    opens with the password, not with another, and not without one."""
    from argon2 import PasswordHasher

    from app.models.account_keys import open_keys
    from app.services import setup

    derived, hashed = [], []
    real_derive, real_hash = crypto.derive_key, PasswordHasher.hash
    monkeypatch.setattr(crypto, "derive_key", lambda *a, **k: (derived.append(1), real_derive(*a, **k))[1])
    monkeypatch.setattr(PasswordHasher, "hash", lambda self, *a, **k: (hashed.append(1), real_hash(self, *a, **k))[1])
    steps: list[str] = []
    path = tmp_path / "new.sqlite3"
    opened = setup.create_encrypted(path, password=PASSWORD, progress=steps.append)
    assert (len(derived), len(hashed)) == (1, 1)
    assert steps == list(setup.CREATE_STEPS) == ["derive", "schema", "reference", "account"]
    with opened.db.read() as session:
        user = session.scalars(text("SELECT id FROM users")).all()
    assert len(user) == 1 and opened.actor.keys is not None
    opened.db.dispose()
    monkeypatch.setattr(crypto, "derive_key", real_derive)
    monkeypatch.setattr(PasswordHasher, "hash", real_hash)
    entry = crypto.KeyFile.for_database(path).entry("admin")
    assert entry is not None and entry.keys is not None
    keys = open_keys(entry.keys, PASSWORD, entry.user_id)  # sealed under the one derived key
    assert keys.signing_public == opened.actor.keys.signing_public
    with pytest.raises(AuthError):
        open_database(path, password=OTHER_PASSWORD)
    with pytest.raises(PasswordRequiredError):
        open_database(path)
    again = open_database(path, password=PASSWORD)
    assert again.authenticated and again.encrypted and again.db.integrity_problems() == []
    again.db.dispose()


def test_a_creation_that_fails_halfway_leaves_nothing(tmp_path, monkeypatch):
    from app.services import setup

    def broken(_ctx):
        raise OSError("disk full")

    monkeypatch.setattr(setup, "load_reference_data", broken)
    path = tmp_path / "half.sqlite3"
    with pytest.raises(OSError):
        setup.create_encrypted(path, password=PASSWORD)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_measured_costs_with_the_real_settings(tmp_path, capsys):
    """Not a budget: prints what a login costs (key derivation, hash check, open)."""
    started = time.perf_counter()
    opened = open_database(tmp_path / "m.sqlite3", create=True, password=PASSWORD)
    opened.db.dispose()
    created = time.perf_counter() - started
    keys = crypto.KeyFile.for_database(tmp_path / "m.sqlite3")
    started = time.perf_counter()
    keys.unwrap("admin", PASSWORD)
    derive = time.perf_counter() - started
    started = time.perf_counter()
    opened = open_database(tmp_path / "m.sqlite3", password=PASSWORD)
    opened.db.dispose()
    login = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n[security] create {created:.2f}s, key derivation {derive:.3f}s, full login+open {login:.2f}s "
              f"(cpus={os.cpu_count()})")
    assert derive > 0


def test_a_changed_byte_in_the_encrypted_file_is_caught_by_check(enc_path, capsys, monkeypatch):
    from app.cli import main

    size = enc_path.stat().st_size
    with open(enc_path, "r+b") as fh:
        fh.seek(size - 1000)  # inside the last page: the file still opens
        byte = fh.read(1)
        fh.seek(size - 1000)
        fh.write(bytes([byte[0] ^ 0x01]))
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    code = main(["--db", str(enc_path), "check"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "加密页校验" in out
