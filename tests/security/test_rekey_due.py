"""A re-key cut short before SQLCipher's commit is owed, not dropped: the disable (or reset, or the
import that brought a disable) marks it due in its own transaction, and the next login finishes it
before anything else — with progress in the CLI and the login dialog — or says it could not."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.models import crypto
from app.models.db import Database
from app.services import keyring
from app.services.accounts import AccountService
from app.services.auth import AuthError
from app.services.errors import ServiceError
from app.services.setup import REKEY_STILL_DUE, finish_due_rekey, open_database

from .conftest import FAST_KDF, FILLER_PAGES, OTHER_PASSWORD, PASSWORD, DisabledOnLaptop
from .test_rekey import _KILLED_CHILD, _filler_rows, _qian


@pytest.fixture
def cut_short(big_enc, tmp_path):
    """qian disabled by a process killed while SQLCipher rewrote the file (before its commit).
    Returns the path, the old key and a copy of the key file qian could have kept."""
    kept = tmp_path / "kept.keys"
    shutil.copy(crypto.keyfile_path(big_enc), kept)
    old_key = crypto.KeyFile.load(kept).unwrap("qian", OTHER_PASSWORD)
    child = _KILLED_CHILD.format(kdf=FAST_KDF, password=PASSWORD)
    result = subprocess.run([sys.executable, "-c", child, str(big_enc), "rewriting"], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    # The kill left the file under the old key: exactly what used to be forgotten.
    assert crypto.opens_with(big_enc, old_key)
    return big_enc, old_key, kept


def _due(path, key) -> bool:
    with crypto.keyed(path, key) as conn:
        return conn.execute("SELECT count(*) FROM settings WHERE key = ?", (keyring.REKEY_DUE_KEY,)).fetchone()[0] > 0


def _old_copy_opens_nothing(path, old_key, kept) -> None:
    assert not crypto.opens_with(path, old_key)
    # qian's kept key file with qian's password still yields only the old key, which fits nothing now.
    assert crypto.KeyFile.load(kept).unwrap("qian", OTHER_PASSWORD) == old_key
    with pytest.raises(AuthError):
        open_database(path, password=OTHER_PASSWORD, username="qian")


def test_the_next_login_finishes_a_rekey_killed_before_its_commit(cut_short):
    path, old_key, kept = cut_short
    heard: list[tuple[int, int]] = []
    opened = open_database(path, password=PASSWORD, username="admin", progress=lambda d, t: heard.append((d, t)))
    try:
        assert opened.notice is None
        assert opened.db.key != old_key
        assert heard and heard[-1][0] == heard[-1][1] > FILLER_PAGES
        assert _filler_rows(path, opened.db.key) == FILLER_PAGES
        assert not _qian(opened).active
        assert not keyring.rekey_due(opened.db)
    finally:
        opened.db.dispose()
    _old_copy_opens_nothing(path, old_key, kept)
    # Done once: the next login re-keys nothing.
    again: list[tuple[int, int]] = []
    opened = open_database(path, password=PASSWORD, username="admin", progress=lambda d, t: again.append((d, t)))
    opened.db.dispose()
    assert again == []


def test_the_cli_shows_the_finishing_rekeys_progress(cut_short, capsys, monkeypatch):
    from app.cli import main

    path, old_key, kept = cut_short
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    assert main(["--db", str(path), "accounts", "list"]) == 0
    err = capsys.readouterr().err
    assert "正在完成上次中断的更换密钥" in err and "正在更换数据库密钥：100%" in err, err
    _old_copy_opens_nothing(path, old_key, kept)


def test_the_login_dialog_shows_the_finishing_rekey(cut_short, qtbot):
    from app.ui.login_dialog import LOGIN, LoginDialog

    path, old_key, kept = cut_short
    dialog = LoginDialog(path, mode=LOGIN, username="admin")
    qtbot.addWidget(dialog)
    shown: list[str] = []
    original = dialog.show_status

    def recorded(message: str) -> None:
        shown.append(message)
        original(message)

    dialog.show_status = recorded  # type: ignore[method-assign]
    dialog.show()
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.opened is not None, timeout=120_000)
    try:
        rekeying = [m for m in shown if m.startswith("正在完成上次中断的更换密钥……")]
        assert rekeying and rekeying[-1].endswith("100%"), shown
        assert not dialog.error.is_error
    finally:
        dialog.opened.db.dispose()
    _old_copy_opens_nothing(path, old_key, kept)


def test_a_rekey_that_fails_again_says_so_keeps_the_mark_and_opens(cut_short, monkeypatch, caplog):
    path, old_key, kept = cut_short

    def broken(self, new_key, progress=None):
        raise OSError("disk full")

    with monkeypatch.context() as patched:
        patched.setattr(Database, "rekey", broken)
        opened = open_database(path, password=PASSWORD, username="admin")
    try:
        assert opened.notice == REKEY_STILL_DUE
        assert _filler_rows(path, opened.db.key) == FILLER_PAGES
        assert keyring.rekey_due(opened.db)
    finally:
        opened.db.dispose()
    assert "disk full" in caplog.text
    # The next login tries again, and this time it works.
    opened = open_database(path, password=PASSWORD, username="admin")
    opened.db.dispose()
    assert opened.notice is None
    _old_copy_opens_nothing(path, old_key, kept)


def test_a_read_only_database_with_a_rekey_due_is_not_written_and_says_so(cut_short, monkeypatch):
    """An encrypted file that cannot be written is refused as before (it is not opened read-only), and
    the refusal adds that the re-key is still due; if ever opened read-only, nothing is re-keyed."""
    from app.services import setup
    from app.services.setup import OpenError

    path, old_key, _kept = cut_short
    before = path.read_bytes()
    with monkeypatch.context() as patched:
        patched.setattr(setup, "is_writable", lambda _path: False)
        with pytest.raises(OpenError) as refused:
            open_database(path, password=PASSWORD, username="admin")
    assert "只读" in str(refused.value) and "更换密钥也仍未完成" in str(refused.value)
    assert "\n" not in str(refused.value)
    db = Database.open_path(path, key=old_key, read_only=True)
    try:
        notice = finish_due_rekey(db) or ""
        assert "只读" in notice and "更换密钥仍未完成" in notice
    finally:
        db.dispose()
    assert path.read_bytes() == before and _due(path, old_key)


def test_a_disable_and_a_reset_mark_the_rekey_in_their_own_transaction(enc, monkeypatch):
    """A re-key that raises before its commit leaves the mark the change wrote."""
    accounts = AccountService(enc.ctx)
    member = accounts.create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD)
    def killed(db, progress=None):
        raise OSError("killed")

    monkeypatch.setattr(keyring, "rekey", killed)
    with pytest.raises(ServiceError, match="更换密钥未完成"):
        accounts.reset_password(member.id, "新的口令-2028年")
    assert keyring.rekey_due(enc.db)
    with enc.db.write() as session:
        session.execute(_delete_due())
    with pytest.raises(ServiceError, match="更换密钥未完成"):
        accounts.deactivate(member.id)
    assert keyring.rekey_due(enc.db)


def _delete_due():
    from sqlalchemy import delete

    from app.models import Setting

    return delete(Setting).where(Setting.key == keyring.REKEY_DUE_KEY)


def test_an_import_that_brings_a_disable_owes_the_rekey_until_a_login_finishes_it(tmp_path, monkeypatch):
    """The office disables a member; the laptop's import commits, its re-key dies: the import is
    reported done with a notice, the member's entry left with it, and the next login re-keys."""
    from app.sync.exchange import import_package

    setup = DisabledOnLaptop(tmp_path, "guanli", PASSWORD)
    laptop_path, laptop_me, old_key = setup.laptop_path, setup.laptop_me, setup.old_key
    laptop = open_database(laptop_path, password=PASSWORD, username="guanli")
    with monkeypatch.context() as patched:
        patched.setattr(Database, "rekey", _cut_short)
        # The package is committed: it is reported imported, with one line saying the re-key is owed.
        summary = import_package(laptop.db, laptop_me, tmp_path / "down.xsync")
    laptop.db.dispose()
    assert summary.new_events and "下次登录时将自动完成" in (summary.notice or "")
    assert crypto.opens_with(laptop_path, old_key) and _due(laptop_path, old_key)
    assert not crypto.KeyFile.for_database(laptop_path).has("qian")

    opened = open_database(laptop_path, password=PASSWORD, username="guanli")
    opened.db.dispose()
    assert opened.notice is None
    assert not crypto.opens_with(laptop_path, old_key)


def _cut_short(self, new_key, progress=None):
    raise OSError("cut short before SQLCipher's commit")


def test_a_reader_that_keeps_the_old_pages_in_the_file_leaves_the_rekey_due(big_enc, tmp_path, monkeypatch):
    """Another process reading the database while an account is disabled: the re-keyed pages wait
    in the WAL, and the file itself (a copy of it without its WAL) still opened with the old key the
    disabled account holds, while the re-key said it was done. Now it says it is not, stays due,
    and the next login, with the reader gone, finishes it."""
    from app.models import db as db_module

    kept = tmp_path / "kept.keys"
    shutil.copy(crypto.keyfile_path(big_enc), kept)
    old_key = crypto.KeyFile.load(kept).unwrap("qian", OTHER_PASSWORD)
    reader = crypto.connect_encrypted(big_enc, old_key)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM settings").fetchone()
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    opened = open_database(big_enc, password=PASSWORD, username="admin")
    read_meanwhile: list[int] = []

    def progress(_done, _total):  # another of the window's threads reads while the re-key runs
        if not read_meanwhile:
            with opened.db.read() as session:
                read_meanwhile.append(session.execute(text("SELECT count(*) FROM filler")).scalar_one())

    try:
        with pytest.raises(ServiceError, match="其他程序") as refused:
            AccountService(opened.ctx).deactivate(_qian(opened).id, progress=progress)
        assert "\n" not in str(refused.value) and "请重试" not in str(refused.value)
        assert read_meanwhile == [FILLER_PAGES]
        with opened.db.read() as session:  # no connection under the old key was left in the pool
            assert session.execute(text("SELECT count(*) FROM filler")).scalar_one() == FILLER_PAGES
        file_alone = tmp_path / "file-alone.sqlite3"
        shutil.copy(big_enc, file_alone)
        assert crypto.opens_with(file_alone, old_key)  # what the message owns up to
        assert keyring.rekey_due(opened.db)
        assert opened.db.key != old_key and _filler_rows(big_enc, opened.db.key) == FILLER_PAGES
    finally:
        opened.db.dispose()
        reader.close()
    again = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        assert again.notice is None and not keyring.rekey_due(again.db)
    finally:
        again.db.dispose()
    _old_copy_opens_nothing(big_enc, old_key, kept)
    shutil.copy(big_enc, file_alone)
    assert not crypto.opens_with(file_alone, old_key)


def test_the_next_login_says_what_keeps_the_old_pages_in_the_file(big_enc, monkeypatch):
    """A reader still there at the login that finishes the re-key: the line says what to do."""
    from app.models import db as db_module

    opened = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        with opened.db.write() as session:
            keyring.mark_rekey_due(opened.db, session)
        key = opened.db.key
    finally:
        opened.db.dispose()
    reader = crypto.connect_encrypted(big_enc, key)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM settings").fetchone()
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    try:
        opened = open_database(big_enc, password=PASSWORD, username="admin")
        opened.db.dispose()
    finally:
        reader.close()
    assert opened.notice is not None and "其他程序" in opened.notice and "详见日志" not in opened.notice
    assert "\n" not in opened.notice
