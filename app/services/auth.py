"""Passwords and logging in: the account's sealed keys, the password rule, and back-off after failures.

A login opens the account's key pairs (app.models.account_keys), sealed under its password: one
Argon2id derivation both proves the password and unlocks the key that signs the user's changes.
(Accounts from before key pairs are checked against their Argon2id hash and given keys at once.)
Repeated failures lock the account for a growing time (1 minute after the fifth failure in a row,
doubling, at most an hour); the counters are local bookkeeping, written without a change event so
they never travel to other copies or cause sync conflicts.

On an encrypted database the password has already opened the key file's entry before the database
could be read (app.models.crypto.KeyFile.unlock), which counts failures in the key file itself by
the same rule; the unlocked keys are handed here so the derivation is not run twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import User, crypto, utcnow
from app.models.account_keys import AccountKeys, open_keys
from app.models.changelog import SUPPRESS
from app.models.crypto import FIRST_LOCK, FREE_ATTEMPTS, LONGEST_LOCK, lock_duration  # noqa: F401 - one rule
from app.models.db import Database
from app.models.enums import UserRole
from app.paths import resources_dir

from .context import Actor
from .errors import ServiceError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
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


_COMMON: frozenset[str] | None = None


def common_passwords() -> frozenset[str]:
    """The shipped list of passwords and stems too common to use (resources/security)."""
    global _COMMON
    if _COMMON is None:
        path = resources_dir() / "security" / "common-passwords.txt"
        lines = path.read_text(encoding="utf-8").splitlines()
        _COMMON = frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))
    return _COMMON


def _stem(password: str) -> str:
    """The password without the digits and symbols people add before or after a word."""
    return password.casefold().strip("0123456789!@#$%^&*()_+-=.,;:?~`'\" /|[]{}<>")


def _is_common(password: str, username: str | None) -> bool:
    folded = password.strip().casefold()
    common = common_passwords()
    stem = _stem(folded)
    if folded in common or (stem and stem in common):
        return True
    if username and stem and stem == _stem(username):
        return True
    # Digits only, or one short block repeated (1212121212, abcabcabca).
    if folded.isdigit() and len(set(folded)) <= 4:
        return True
    # A common word or the user name twice, whatever separates them (admin-admin-2026).
    letters = "".join(c for c in folded if c.isalpha())
    for word in {stem, _stem(username or "")} | ({letters[: len(letters) // 2]} if letters else set()):
        if word and len(letters) >= 2 * len(word) and letters == word * (len(letters) // len(word)) \
                and (word in common or word == _stem(username or "")):
            return True
    return any(len(folded) % n == 0 and folded == folded[:n] * (len(folded) // n) for n in (1, 2, 3))


def check_password_policy(password: str, *, username: str | None = None) -> None:
    if not password or not password.strip():
        raise PasswordPolicyError("密码不能为空。")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordPolicyError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 个字符。")
    if len(set(password)) < 4:
        raise PasswordPolicyError("密码过于简单，请混合使用不同的字符。")
    if username and password.strip().casefold() == username.strip().casefold():
        raise PasswordPolicyError("密码不能与用户名相同。")
    if _is_common(password, username):
        raise PasswordPolicyError("这个密码太常见，容易被猜中（如 woaini1314、password2026、用户名加数字），请换一个。")


def actor_for(user: User, keys: AccountKeys | None = None) -> Actor:
    return Actor(user_id=user.id, name=user.display_name or user.username, role=user.role,
                 inspector_id=user.inspector_id, username=user.username, keys=keys)


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
    # An account from before key pairs, whose password was right: give it keys now.
    needs_keys: bool = False


def _record(session: Session, user_id: uuid.UUID, **values: object) -> None:
    # Core UPDATE, and the session marked: login bookkeeping is local, never a change event.
    session.info[SUPPRESS] = True
    session.execute(update(User).where(User.id == user_id).values(**values))


def _check(user: User, password: str, unlocked: crypto.Unlocked | None) -> tuple[bool, AccountKeys | None]:
    """Whether the password is the account's, and its keys when it has them (one derivation)."""
    if unlocked is not None and unlocked.account_keys is not None and unlocked.user_id == str(user.id) \
            and user.sealed_keys is not None:
        # The key file's entry was opened with this password a moment ago.
        return True, unlocked.account_keys
    if user.sealed_keys:
        try:
            return True, open_keys(user.sealed_keys, password, user.id)
        except crypto.WrongPasswordError:
            return False, None
        except crypto.CryptoError:
            return verify_password(user.password_hash, password), None
    return verify_password(user.password_hash, password), None


def authenticate(db: Database, username: str, password: str, *, now: dt.datetime | None = None,
                 unlocked: crypto.Unlocked | None = None) -> Actor:
    """Check a user name and password against the accounts; return who is acting, keys unlocked.

    Counts failures and locks the account after repeated ones; the counts are committed even
    though the login is refused. `unlocked`: what the key file's entry gave for this password
    (encrypted databases).
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
        else:
            ok, keys = _check(user, password, unlocked)
            if not ok:
                failures = (user.failed_logins or 0) + 1
                duration = lock_duration(failures)
                until = now + duration if duration else None
                _record(session, user.id, failed_logins=failures, locked_until=until)
                outcome = _Outcome(None, AccountLockedError(until) if until else AuthError(BAD_CREDENTIALS))
            else:
                if user.failed_logins or user.locked_until is not None:
                    _record(session, user.id, failed_logins=0, locked_until=None)
                outcome = _Outcome(actor_for(user, keys), None, needs_keys=keys is None)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.actor is not None
    if outcome.needs_keys:
        return _give_keys(db, outcome.actor, password)
    return outcome.actor


def _give_keys(db: Database, actor: Actor, password: str) -> Actor:
    """An account from before key pairs logs in: make its keys, sealed under the password it just
    proved, and sign that first change with them."""
    from . import keyring

    keys = AccountKeys.generate()
    with db.write(author_name=actor.name, author_id=actor.user_id, signing_key=keys.signing) as session:
        user = session.get(User, actor.user_id)
        assert user is not None
        keyring.provision(user, password, keys)
        user.updated_by = actor.user_id
    if db.encrypted:
        keyring.write_key_entries(db)
    return actor_for(user, keys)


def is_admin(actor: Actor) -> bool:
    return actor.role == UserRole.ADMIN
