"""Accounts, passwords, back-off, and every role's forbidden operations refused by the services."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import World

from app.models import crypto, utcnow
from app.models.enums import UserRole
from app.services.accounts import AccountService
from app.services.auth import (
    AccountLockedError,
    AuthError,
    PasswordPolicyError,
    authenticate,
    check_password_policy,
    hash_password,
    verify_password,
)
from app.services.context import Actor, ServiceContext
from app.services.errors import PermissionDeniedError, ValidationError
from app.services.setup import open_database

from .conftest import OTHER_PASSWORD, PASSWORD


def test_password_hashes_are_argon2id():
    digest = hash_password(PASSWORD)
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, PASSWORD)
    assert not verify_password(digest, PASSWORD + "x")
    assert not verify_password(None, PASSWORD)


@pytest.mark.parametrize("password", ["", "   ", "short", "aaaaaaaaaaaa", "admin123", "ADMIN123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(PasswordPolicyError):
        check_password_policy(password if password != "ADMIN123" else "admin123", username="admin123")


def test_first_run_makes_the_administrator(enc):
    assert enc.authenticated and enc.actor.role == UserRole.ADMIN and enc.actor.username == "admin"
    assert enc.actor.name == "王管理"
    users = AccountService(enc.ctx).accounts()
    assert [(u.username, u.role) for u in users] == [("admin", "admin")]


def test_repeated_failures_lock_the_account_for_a_growing_time(enc):
    AccountService(enc.ctx).create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD)
    db, now = enc.db, utcnow()
    for _ in range(4):
        with pytest.raises(AuthError) as exc:
            authenticate(db, "li", "wrong-password", now=now)
        assert not isinstance(exc.value, AccountLockedError)
    with pytest.raises(AccountLockedError):
        authenticate(db, "li", "wrong-password", now=now)
    # Locked: even the right password waits.
    with pytest.raises(AccountLockedError, match="已暂时锁定"):
        authenticate(db, "li", OTHER_PASSWORD, now=now + dt.timedelta(seconds=30))
    # After the minute, one more failure locks for two.
    with pytest.raises(AccountLockedError) as exc:
        authenticate(db, "li", "wrong-again", now=now + dt.timedelta(minutes=1, seconds=1))
    assert exc.value.until - (now + dt.timedelta(minutes=1, seconds=1)) == dt.timedelta(minutes=2)
    actor = authenticate(db, "li", OTHER_PASSWORD, now=now + dt.timedelta(minutes=4))
    assert actor.username == "li" and actor.role == "member"
    user = AccountService(enc.ctx).list(username="li")[0]
    assert user.failed_logins == 0 and user.locked_until is None


def test_login_bookkeeping_is_not_a_synced_change(enc):
    from app.services import audit

    AccountService(enc.ctx).create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD)
    before = audit.query(enc.ctx).total
    with pytest.raises(AuthError):
        authenticate(enc.db, "li", "wrong-password")
    authenticate(enc.db, "li", OTHER_PASSWORD)
    assert audit.query(enc.ctx).total == before


def test_admin_resets_a_password_and_deactivation_removes_the_key(enc, enc_path):
    accounts = AccountService(enc.ctx)
    li = accounts.create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD)
    accounts.reset_password(li.id, "管理员重设的口令-1")
    with pytest.raises(AuthError):
        open_database(enc_path, password=OTHER_PASSWORD, username="li")
    member = open_database(enc_path, password="管理员重设的口令-1", username="li")
    member.db.dispose()
    accounts.deactivate(li.id)
    assert not crypto.KeyFile.for_database(enc_path).has("li")
    with pytest.raises(AuthError):
        open_database(enc_path, password="管理员重设的口令-1", username="li")


def test_the_last_administrator_cannot_be_demoted_or_disabled(enc):
    accounts = AccountService(enc.ctx)
    admin = accounts.accounts()[0]
    with pytest.raises(ValidationError, match="唯一的管理员"):
        accounts.set_role(admin.id, UserRole.LEADER)
    with pytest.raises(ValidationError):
        accounts.deactivate(admin.id)
    with pytest.raises(ValidationError, match="已被使用"):
        accounts.create_account(username="ADMIN", display_name="重名", role="member", password=OTHER_PASSWORD)
    with pytest.raises(ValueError):
        accounts.update_account(admin.id, password_hash="x")


def test_change_own_password_needs_the_old_one(enc):
    with pytest.raises(AuthError, match="原密码不正确"):
        AccountService(enc.ctx).change_password("not-the-password", "新的口令-abcdef")
    AccountService(enc.ctx).change_password(PASSWORD, "新的口令-abcdef")


# --- roles ---------------------------------------------------------------------------------------
@pytest.fixture
def team(enc):
    """The world inspection plus an account for each role; member accounts map to inspectors."""
    world = World(enc.ctx)
    accounts = AccountService(enc.ctx)
    made = {}
    for username, role, inspector in (("qian", "member", world.member_a), ("sun", "member", world.member_b),
                                      ("deputy", "deputy", None), ("leader", "leader", world.leader)):
        made[role if role != "member" else username] = accounts.create_account(
            username=username, display_name=username, role=role, password=OTHER_PASSWORD,
            inspector_id=inspector.id if inspector else None,
        )

    def as_(key: str) -> ServiceContext:
        u = made[key]
        return ServiceContext(enc.db, Actor(u.id, u.display_name, u.role, u.inspector_id, u.username))

    world.as_ = as_
    return world


# Every role's forbidden operations: tests/security/test_permissions.py.


def test_only_an_administrator_imports_into_the_master(team, tmp_path):
    from app.sync.exchange import import_package
    from app.sync.identity import ROLE_LAPTOP, ensure_identity

    me = ensure_identity(team.ctx.db)  # a master copy by default
    missing = tmp_path / "never-read.xsync"
    for key in ("qian", "deputy", "leader"):
        with pytest.raises(PermissionDeniedError, match="管理员"):
            import_package(team.ctx.db, me, missing, actor=team.as_(key).actor)
    # The administrator gets as far as reading the file.
    with pytest.raises(Exception, match="找不到文件"):
        import_package(team.ctx.db, me, missing, actor=team.ctx.actor)
    laptop = ensure_identity(team.ctx.db, role=ROLE_LAPTOP)
    with pytest.raises(Exception, match="找不到文件"):
        import_package(team.ctx.db, laptop, missing, actor=team.as_("qian").actor)
