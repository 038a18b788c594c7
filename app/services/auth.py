"""Passwords and logging in: Argon2id hashes, the password rule, and back-off after failures.

A login is checked against the account's Argon2id hash in the database. Repeated failures lock
the account for a growing time (1 minute after the fifth failure in a row, doubling, at most an
hour); the counters are local bookkeeping, written without a change event so they never travel
to other copies or cause sync conflicts.

On an encrypted database the password has already unwrapped the database key before this check
(app.models.crypto); a wrong password there fails before anything is opened, so nothing can be
counted — that path is slowed by the key derivation itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import User, utcnow
from app.models.changelog import SUPPRESS
from app.models.db import Database
from app.models.enums import UserRole

from .context import Actor
from .errors import ServiceError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
FREE_ATTEMPTS = 5
FIRST_LOCK = dt.timedelta(minutes=1)
LONGEST_LOCK = dt.timedelta(hours=1)
DEFAULT_ADMIN_USERNAME = "admin"


class AuthError(ServiceError):
    """A login refused; the message never tells whether the user name or the password was wrong."""


class AccountLockedError(AuthError):
    def __init__(self, until: dt.datetime) -> None:
        local = until.astimezone().strftime("%H:%M")
        super().__init__(f"密码连续输错次数过多，该账户已暂时锁定，请于 {local} 之后再试。")
        self.until = until


class PasswordPolicyError(ServiceError):
    pass


BAD_CREDENTIALS = "用户名或密码不正确。"


def _hasher():
    from argon2 import PasswordHasher

    # argon2-cffi's defaults are RFC 9106's low-memory option: Argon2id, 64 MiB, 3 passes, 4 lanes.
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    if not password_hash:
        # Same cost as a real check, so timing does not reveal accounts without a password.
        _hasher().hash(password or "")
        return False
    try:
        return _hasher().verify(password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def check_password_policy(password: str, *, username: str | None = None) -> None:
    if not password or not password.strip():
        raise PasswordPolicyError("密码不能为空。")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符。")
    if len(set(password)) < 3:
        raise PasswordPolicyError("密码过于简单，请混合使用不同的字符。")
    if username and password.strip().casefold() == username.strip().casefold():
        raise PasswordPolicyError("密码不能与用户名相同。")


def lock_duration(failures: int) -> dt.timedelta | None:
    if failures < FREE_ATTEMPTS:
        return None
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), LONGEST_LOCK)


def actor_for(user: User) -> Actor:
    return Actor(user_id=user.id, name=user.display_name or user.username, role=user.role,
                 inspector_id=user.inspector_id, username=user.username)


def find_user(session: Session, username: str) -> User | None:
    wanted = (username or "").strip().casefold()
    if not wanted:
        return None
    for user in session.scalars(select(User).where(User.deleted_at.is_(None))):
        if user.username.strip().casefold() == wanted:
            return user
    return None


def has_accounts(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(User.id).where(User.deleted_at.is_(None), User.active.is_(True)).limit(1)) is not None


@dataclass(frozen=True)
class _Outcome:
    actor: Actor | None
    error: AuthError | None


def _record(session: Session, user_id: uuid.UUID, **values: object) -> None:
    # Core UPDATE, and the session marked: login bookkeeping is local, never a change event.
    session.info[SUPPRESS] = True
    session.execute(update(User).where(User.id == user_id).values(**values))


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a user name and password against the accounts; return who is acting.

    Counts failures and locks the account after repeated ones; the counts are committed even
    though the login is refused.
    """
    now = now or utcnow()
    outcome: _Outcome
    with db.write() as session:
        user = find_user(session, username)
        if user is None:
            verify_password(None, password)
            outcome = _Outcome(None, AuthError(BAD_CREDENTIALS))
        elif not user.active:
            verify_password(None, password)
            outcome = _Outcome(None, AuthError("该账户已停用，请联系管理员。"))
        elif user.locked_until is not None and user.locked_until > now:
            outcome = _Outcome(None, AccountLockedError(user.locked_until))
        elif not verify_password(user.password_hash, password):
            failures = (user.failed_logins or 0) + 1
            duration = lock_duration(failures)
            until = now + duration if duration else None
            _record(session, user.id, failed_logins=failures, locked_until=until)
            outcome = _Outcome(None, AccountLockedError(until) if until else AuthError(BAD_CREDENTIALS))
        else:
            if user.failed_logins or user.locked_until is not None:
                _record(session, user.id, failed_logins=0, locked_until=None)
            outcome = _Outcome(actor_for(user), None)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.actor is not None
    return outcome.actor


def is_admin(actor: Actor) -> bool:
    return actor.role == UserRole.ADMIN
