"""Accounts' keys on this copy: giving an account its key pairs, the key file's entries, re-keying.

An account's key pairs (app.models.account_keys) are made when its password is first set, sealed under
that password, and stored in its row, so they travel with the account. The key file beside an
encrypted database holds one entry per account allowed to open this copy, made from the account's
row and the database key alone (no password needed): after any change to accounts, and after an
import that brought account changes, `write_key_entries` makes the file say exactly who may open
the database.

Disabling an account, or resetting a password because it may have leaked, re-keys the database
(`rekey`): the file is re-encrypted under a new key, and the new key is sealed for every remaining
account. A copy of the old key file, with the old password, then opens nothing written afterwards.
A re-key interrupted by a crash is finished (or undone) the next time the database is opened: the new
entries are written beside the key file first (`.keys.next`) and take its place only after the
database has the new key. And because one killed before SQLCipher's commit leaves the file under the
old key (which the old key file still opens), the change that requires a re-key marks it due in its
own transaction (`mark_rekey_due`); only a finished re-key clears the mark, and every login with a
key runs a re-key still due (app.services.setup) before anything else.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Setting, TeamAssignment, User, crypto
from app.models.account_keys import AccountKeys, SealingKey, seal_keys
from app.models.db import Database
from app.models.enums import UserRole

from .errors import ServiceError

NEXT_SUFFIX = ".next"
# A local setting (never synced): present while a re-key is owed to this file.
REKEY_DUE_KEY = "security.rekey_due"
_ROLE_KEY, _SCOPE_KEY = "site.role", "sync.scope"


def provision(user: User, password: str, keys: AccountKeys | None = None, *,
              sealing: SealingKey | None = None) -> AccountKeys:
    """Give `user` key pairs (new ones unless given) sealed under `password` (with `sealing`, the
    password's key already derived, no derivation runs here). Flush afterwards."""
    keys = keys or AccountKeys.generate()
    user.signing_key = keys.signing_public
    user.exchange_key = keys.exchange_public
    user.sealed_keys = seal_keys(keys, password, user.id, sealing)
    return keys


def _setting(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def accounts_for_this_copy(session: Session) -> list[User]:
    """Who may open this copy: on the office's database every active account; on a team's laptop the
    administrators and the members of the teams of the laptop's inspections."""
    users = [u for u in session.scalars(select(User).where(User.deleted_at.is_(None), User.active.is_(True)))
             if u.exchange_key and u.sealed_keys]
    scope = _setting(session, _SCOPE_KEY)
    if _setting(session, _ROLE_KEY) != "laptop" or not scope:
        return users
    inspections = list(json.loads(scope))
    on_teams = {
        str(i) for i in session.scalars(
            select(TeamAssignment.inspector_id).where(
                TeamAssignment.deleted_at.is_(None),
                TeamAssignment.inspection_id.in_([uuid.UUID(i) for i in inspections]),
            )
        )
    }
    return [u for u in users if u.role == UserRole.ADMIN or (u.inspector_id and str(u.inspector_id) in on_teams)]


def _entries_for(session: Session, key: bytes, base: crypto.KeyFile, *, same_key: bool = True) -> crypto.KeyFile:
    """`base`'s file with one entry per account allowed here, the database key sealed to each.

    An entry whose account and key are unchanged stays byte for byte as it was (with its failure
    count). Older entries of accounts still without key pairs stay too (they get pairs at login)."""
    result = crypto.KeyFile(base.path, base.file_salt, [])
    old = {e.tag: e for e in base.entries}
    for user in accounts_for_this_copy(session):
        tag = result.tag(user.username)
        entry = old.get(tag)
        if same_key and entry is not None and entry.keys == user.sealed_keys and entry.exchange == user.exchange_key \
                and entry.user_id == str(user.id):
            result.entries.append(entry)
            continue
        result.set_account(user.username, user.id, user.sealed_keys or {}, user.exchange_key or "", key)
        if entry is not None:
            result.entries[-1].failed, result.entries[-1].locked_until = entry.failed, entry.locked_until
    kept = result.tags()
    legacy_users = {
        result.tag(u.username) for u in session.scalars(
            select(User).where(User.deleted_at.is_(None), User.active.is_(True), User.sealed_keys.is_(None))
        )
    }
    result.entries += [e for t, e in old.items() if t not in kept and e.keys is None and t in legacy_users]
    return result


def write_key_entries(db: Database, session: Session | None = None) -> None:
    """Make the key file say exactly who may open this (encrypted) database now. Inside a write
    transaction pass its session: the file then follows what the transaction is about to commit, and
    a file that cannot be written rolls the transaction back."""
    path, key = db.path, db.key
    if path is None or key is None:
        return
    base = crypto.KeyFile.for_database(path)
    if session is not None:
        session.flush()
        updated = _entries_for(session, key, base)
    else:
        with db.read() as reading:
            updated = _entries_for(reading, key, base)
    if not updated.entries:
        # Never leave a database nobody can open.
        raise ServiceError("没有任何账户可以打开本数据库，密钥文件未更改。")
    updated.save()


def mark_rekey_due(db: Database, session: Session) -> None:
    """Within the transaction of a change that requires a re-key (a disable, a password reset, an
    import that cost an account its place here): owe this encrypted file a re-key, so a crash
    before the re-key's own commit cannot drop it. Harmless if the re-key then runs twice."""
    if db.path is not None and db.key is not None:
        session.merge(Setting(key=REKEY_DUE_KEY, value="1"))


def rekey_due(db: Database) -> bool:
    """Whether a re-key this encrypted file is owed has not been finished yet."""
    if db.path is None or db.key is None:
        return False
    with db.read() as session:
        return _setting(session, REKEY_DUE_KEY) is not None


def _take_next(next_path: Path, keys_path: Path) -> None:
    os.replace(next_path, keys_path)
    crypto._fsync_dir(keys_path.parent)


def lose_access_in(db: Database, session: Session) -> bool:
    """Within an import's transaction: the key file follows the accounts the import changed, and if
    one lost its place here a re-key is marked due (True). The entries leave with the commit."""
    if db.path is None or db.key is None or not crypto.keyfile_path(db.path).exists():
        return False  # plain, or a kit's new file whose key file is written after its import
    session.flush()
    base = crypto.KeyFile.for_database(db.path)
    allowed = {base.tag(u.username) for u in accounts_for_this_copy(session)}
    lost = bool({e.tag for e in base.entries if e.keys is not None} - allowed)
    if lost:
        mark_rekey_due(db, session)
    write_key_entries(db, session)
    return lost


def rekey(db: Database, progress: Callable[[int, int], None] | None = None) -> None:
    """Re-encrypt the database under a new key, sealed for every account allowed here. `progress`
    hears (done, total) while the file is rewritten (half a minute for 100,000 findings on 2 cores),
    from another thread. A mark of a re-key due (`mark_rekey_due`) is cleared once the file has the
    new key."""
    path, old_key = db.path, db.key
    if path is None or old_key is None:
        return
    keys_path = crypto.keyfile_path(path)
    next_path = keys_path.with_name(keys_path.name + NEXT_SUFFIX)
    new_key = crypto.new_key()
    base = crypto.KeyFile.for_database(path)
    with db.read() as session:
        updated = _entries_for(session, new_key, base, same_key=False)
    # Legacy entries wrap the old key directly and cannot follow the new one.
    updated.entries = [e for e in updated.entries if e.keys is not None]
    if not updated.entries:
        raise ServiceError("没有任何账户可以打开更换密钥后的数据库，未更换密钥。")
    updated.save(next_path)
    try:
        db.rekey(new_key, progress)
    except BaseException:
        # The new entries follow the file. Which key it is under is proven, not assumed: a second
        # Ctrl-C can land between SQLCipher's commit and `db.key` following it. They are dropped
        # only when the old key positively still opens the file; otherwise they wait beside the key
        # file, and the next open (setup._unlock) keeps whichever set fits.
        if db.key == new_key:
            _take_next(next_path, keys_path)
        elif crypto.opens_with(path, old_key):
            next_path.unlink(missing_ok=True)
        raise
    _take_next(next_path, keys_path)
    # Not in the `finally`: an exception after SQLCipher's commit leaves the mark (a second re-key
    # is harmless; a dropped one is not).
    with db.write(author_name="系统") as session:
        session.execute(delete(Setting).where(Setting.key == REKEY_DUE_KEY))
