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


class DisabledOnLaptop:
    """A team laptop made from the office's kit, known to the office by its first package, and the
    office's package that disables 钱文静 (qian) there: `down`, not yet imported on the laptop."""

    def __init__(self, tmp_path, first_user: str, first_password: str) -> None:
        from conftest import World

        from app.services.accounts import AccountService
        from app.services.context import ServiceContext
        from app.services.setup import created_for_import, open_database
        from app.sync.exchange import export_package, import_package
        from app.sync.identity import ensure_identity
        from app.sync.kit import export_team_kit, import_team_kit

        master = open_database(tmp_path / "m.sqlite3", create=True)
        world = World(master.ctx)
        accounts = AccountService(master.ctx)
        accounts.create_account(username="guanli", display_name="管理员", role="admin", password=PASSWORD)
        member = accounts.create_account(username="qian", display_name="钱文静", role="member",
                                         password=OTHER_PASSWORD, inspector_id=world.member_a.id)
        office = ensure_identity(master.db, name="巡察办")
        export_team_kit(master.db, office, [str(world.inspection.id)], "工作包口令-2026", tmp_path / "k.xkit",
                        actor=ServiceContext(master.db).actor)
        self.laptop_path = tmp_path / "laptop.sqlite3"
        with created_for_import(self.laptop_path, username="guanli", password=PASSWORD, admin_only=True) as db:
            import_team_kit(db, tmp_path / "k.xkit", "工作包口令-2026", fingerprint_confirmed=office.fingerprint)
        db.dispose()
        # The office learns the laptop from its first package, sent by `first_user` working on it.
        first = open_database(self.laptop_path, password=first_password, username=first_user)
        self.laptop_me = ensure_identity(first.db)
        export_package(first.db, self.laptop_me, office.site_id, tmp_path / "up.xsync")
        first.db.dispose()
        import_package(master.db, office, tmp_path / "up.xsync")
        self.old_key = crypto.KeyFile.for_database(self.laptop_path).unwrap("qian", OTHER_PASSWORD)
        accounts.deactivate(member.id)
        self.down = tmp_path / "down.xsync"
        export_package(master.db, office, self.laptop_me.site_id, self.down)
        master.db.dispose()
