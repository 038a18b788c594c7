"""Re-keying after an account is disabled: progress while it runs, and all-or-nothing when it is
interrupted (a killed process at any stage leaves a database that opens, under the old key or the new,
with every row)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from app.models import crypto
from app.services.accounts import AccountService
from app.services.auth import AuthError
from app.services.setup import open_database

from .conftest import FAST_KDF, FILLER_PAGES, OTHER_PASSWORD, PASSWORD


def _filler_rows(path, key) -> int:
    with crypto.keyed(path, key) as conn:
        return int(conn.execute("SELECT count(*) FROM filler").fetchone()[0])


def _qian(opened):
    return next(u for u in AccountService(opened.ctx).accounts() if u.username == "qian")


def test_disabling_an_account_reports_the_rekey_until_done(big_enc, monkeypatch):
    monkeypatch.setattr(crypto, "_PROGRESS_EVERY_S", 0.005)
    opened = open_database(big_enc, password=PASSWORD, username="admin")
    heard: list[tuple[int, int]] = []
    try:
        old_key = opened.db.key
        AccountService(opened.ctx).deactivate(_qian(opened).id, progress=lambda d, t: heard.append((d, t)))
    finally:
        opened.db.dispose()
    total = heard[-1][1]
    done = [d for d, _ in heard]
    assert heard[-1] == (total, total) and done == sorted(done) and len(heard) >= 3
    assert all(t == total for _, t in heard)
    assert total > FILLER_PAGES
    assert not crypto.opens_with(big_enc, old_key)
    with pytest.raises(AuthError):
        open_database(big_enc, password=OTHER_PASSWORD, username="qian")
    again = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        assert _filler_rows(big_enc, again.db.key) == FILLER_PAGES
    finally:
        again.db.dispose()


def test_the_cli_prints_the_rekeys_progress(big_enc, capsys, monkeypatch):
    from app.cli import main

    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    assert main(["--db", str(big_enc), "accounts", "disable", "qian"]) == 0
    err = capsys.readouterr().err
    assert "正在更换数据库密钥：100%" in err, err


def test_an_interrupt_as_the_rekey_returns_keeps_the_new_keys_entries(big_enc):
    """Ctrl-C heard just after SQLCipher committed: the file is under the new key, so the key file
    must follow it (throwing the new entries away would leave a database nobody can open)."""
    opened = open_database(big_enc, password=PASSWORD, username="admin")

    def interrupt(done: int, total: int) -> None:
        # The first report on the re-keying thread itself comes as SQLCipher's call returns.
        if 0 < done < total and threading.current_thread() is threading.main_thread():
            raise KeyboardInterrupt

    try:
        old_key = opened.db.key
        with pytest.raises(KeyboardInterrupt):
            AccountService(opened.ctx).deactivate(_qian(opened).id, progress=interrupt)
        assert opened.db.key != old_key
    finally:
        opened.db.dispose()
    again = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        assert _filler_rows(big_enc, again.db.key) == FILLER_PAGES
    finally:
        again.db.dispose()
    assert not crypto.opens_with(big_enc, old_key)


# The child disables qian and kills itself (SIGKILL: no clean-up runs) at the stage given.
_KILLED_CHILD = textwrap.dedent("""
    import os, signal, sys
    from app.models import crypto
    from app.services import auth
    from argon2 import PasswordHasher
    crypto.KDF_PARAMS = {kdf!r}
    auth._hasher = lambda: PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    crypto._PROGRESS_EVERY_S = 0.002
    from app.services.accounts import AccountService
    from app.services.setup import open_database
    stage = sys.argv[2]
    opened = open_database(sys.argv[1], password={password!r}, username="admin")
    accounts = AccountService(opened.ctx)
    qian = next(u for u in accounts.accounts() if u.username == "qian")
    def die(done, total):
        share = crypto.REKEY_CHECKPOINT_SHARE
        pages = next(p for p in range(total) if p + int(p * share) >= total)
        if (stage == "rewriting" and 0 < done < pages) or (stage == "committed" and done == pages) \\
                or (stage == "checkpointed" and done == total):
            os.kill(os.getpid(), signal.SIGKILL)
    accounts.deactivate(qian.id, progress=die)
    print("not killed")
""")


@pytest.mark.parametrize("stage", ["rewriting", "committed", "checkpointed"])
def test_a_rekey_killed_at_any_stage_leaves_a_database_that_opens(big_enc, stage):
    child = _KILLED_CHILD.format(kdf=FAST_KDF, password=PASSWORD)
    result = subprocess.run([sys.executable, "-c", child, str(big_enc), stage], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    opened = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        assert _filler_rows(big_enc, opened.db.key) == FILLER_PAGES
        assert opened.db.integrity_problems() == []
        # The disable itself was committed before the re-key began: qian may not log in, either way.
        assert not _qian(opened).active
    finally:
        opened.db.dispose()
    with pytest.raises(AuthError):
        open_database(big_enc, password=OTHER_PASSWORD, username="qian")
    waiting = crypto.keyfile_path(big_enc).with_name(crypto.keyfile_path(big_enc).name + ".next")
    assert not waiting.exists()
    # Even where the re-key did not happen, the disabled account's entry left with the disable.
    assert not crypto.KeyFile.for_database(big_enc).has("qian")


def test_a_second_interrupt_before_the_key_is_known_keeps_the_new_entries(big_enc, monkeypatch):
    """Ctrl-C as SQLCipher's call returns, and again while the re-key finds out which key the file
    is under: the new entries are never thrown away on a guess, and the next login opens the file."""
    from app.models import db as db_module

    opened = open_database(big_enc, password=PASSWORD, username="admin")
    real_rekey = crypto.rekey

    def committed_then_interrupted(*args, **kwargs):
        real_rekey(*args, **kwargs)
        raise KeyboardInterrupt

    def interrupted_again(*_args, **_kwargs):
        raise KeyboardInterrupt

    try:
        old_key = opened.db.key
        with monkeypatch.context() as patched:
            patched.setattr(crypto, "rekey", committed_then_interrupted)
            patched.setattr(db_module.crypto, "opens_with", interrupted_again)
            with pytest.raises(KeyboardInterrupt):
                AccountService(opened.ctx).deactivate(_qian(opened).id)
    finally:
        opened.db.dispose()
    assert not crypto.opens_with(big_enc, old_key)
    again = open_database(big_enc, password=PASSWORD, username="admin")
    try:
        assert _filler_rows(big_enc, again.db.key) == FILLER_PAGES
    finally:
        again.db.dispose()
