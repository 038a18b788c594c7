"""Security tests: encrypted databases with accounts, made quickly.

Key derivation and password hashing use light Argon2id settings here (the parameters travel with
each key entry and hash, so everything stays consistent); one test measures the real settings.
"""

from __future__ import annotations

import pytest

from app.models import crypto
from app.services import auth

PASSWORD = "巡察一组-口令2026"
OTHER_PASSWORD = "另一个口令-2027"

FAST_KDF = {"name": "argon2id", "time_cost": 1, "memory_kib": 8 * 1024, "parallelism": 1}


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch, request):
    if request.node.get_closest_marker("real_kdf"):
        return
    from argon2 import PasswordHasher

    monkeypatch.setattr(crypto, "KDF_PARAMS", FAST_KDF)
    monkeypatch.setattr(auth, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))


def pytest_configure(config):
    config.addinivalue_line("markers", "real_kdf: use the production Argon2id settings")


@pytest.fixture
def enc_path(tmp_path):
    """An encrypted database with its administrator (admin / PASSWORD), closed."""
    from app.services.setup import open_database

    path = tmp_path / "enc.sqlite3"
    opened = open_database(path, create=True, password=PASSWORD, username="admin", display_name="王管理")
    opened.db.dispose()
    return path


@pytest.fixture
def enc(enc_path):
    """The encrypted database opened as its administrator."""
    from app.services.setup import open_database

    opened = open_database(enc_path, password=PASSWORD, username="admin")
    yield opened
    opened.db.dispose()


FILLER_PAGES = 6000  # about 25 MB: long enough for the progress watcher to see the WAL grow


@pytest.fixture
def big_enc(enc_path):
    """The administrator's database with a member (qian) and some 25 MB of filler rows."""
    from app.services.accounts import AccountService
    from app.services.setup import open_database

    opened = open_database(enc_path, password=PASSWORD, username="admin")
    try:
        AccountService(opened.ctx).create_account(username="qian", display_name="钱文静", role="member",
                                                  password=OTHER_PASSWORD)
        key = opened.db.key
    finally:
        opened.db.dispose()
    assert key is not None
    with crypto.keyed(enc_path, key) as conn:
        conn.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, b BLOB)")
        conn.execute(f"WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {FILLER_PAGES}) "
                     "INSERT INTO filler SELECT n, randomblob(3900) FROM s")
        conn.commit()
    return enc_path
