"""Local accounts: creating them, roles, deactivating, and passwords (change and reset).

Only a 管理员 manages accounts. Anyone changes their own password (knowing the old one). Setting a
password gives the account its key pairs, sealed under it (app.services.keyring); on an encrypted
database the key file beside it then lists exactly the accounts that may open it, written before the
transaction commits. Deactivating an account, or an administrator's reset of a password (it may have
leaked), re-keys an encrypted database: an old key file with an old password opens nothing
written afterwards (a re-key a crash interrupts is finished at the next login). A reset also replaces the account's signing key; changes signed with the old
one are accepted only if made before the reset.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import ChangeEvent, Inspector, User, crypto
from app.models.account_keys import open_keys
from app.models.changelog import SUPPRESS, next_hlc
from app.models.enums import UserRole

from . import keyring, permissions
from .auth import (
    AuthError,
    check_password_policy,
    find_user,
    hash_password,
    verify_password,
)
from .crud import EntityService, as_uuid, require_exists
from .errors import PermissionDeniedError, ServiceError, ValidationError

_USERNAME_RE = re.compile(r"^[\w.\-@\u4e00-\u9fff]{2,40}$")
_SECRET_FIELDS = frozenset({"password_hash", "failed_logins", "locked_until"})
# (done, total) while an encrypted database is re-keyed, heard from another thread.
Progress = Callable[[int, int], None]


class AccountService(EntityService[User]):
    model = User
    noun = "账户"
    labels = {"username": "用户名", "display_name": "姓名", "role": "角色", "inspector_id": "对应巡察干部",
              "active": "启用"}
    required = ("username", "display_name", "role")
    enums = {"role": UserRole}
    default_order = ("username",)

    # --- reading -------------------------------------------------------------------------------
    def accounts(self, *, include_inactive: bool = True) -> list[User]:
        filters: dict[str, Any] = {} if include_inactive else {"active": True}
        return self.list(**filters)

    def can_log_in_here(self) -> set[str]:
        """User names that have a key entry on this machine (every active one on a plain database)."""
        users = self.accounts(include_inactive=False)
        if not self.ctx.db.encrypted:
            return {u.username for u in users if u.password_hash}
        keys = self._keyfile()
        return {u.username for u in users if keys.has(u.username)}

    # --- writing -------------------------------------------------------------------------------
    def create_account(
        self, *, username: str, display_name: str, role: str, password: str,
        inspector_id: uuid.UUID | str | None = None,
    ) -> User:
        check_password_policy(password, username=username)
        with self.ctx.write() as session:
            user = self.create_in(session, username=username, display_name=display_name, role=role,
                                  inspector_id=as_uuid(inspector_id) if inspector_id else None, active=True)
            user.password_hash = hash_password(password)
            user.failed_logins = 0
            keyring.provision(user, password)
            keyring.write_key_entries(self.ctx.db, session)
        return user

    def update_account(self, user_id: uuid.UUID | str, *, progress: Progress | None = None, **values: Any) -> User:
        """Change name, role, linked inspector or active flag (not the password: see below).
        Deactivating re-keys an encrypted database; `progress` hears (done, total) meanwhile."""
        with self.ctx.write() as session:
            before = self._get(session, user_id).active
            user = self.update_in(session, user_id, **values)
            disabled = before and not user.active
            # Also when disabling: the account's entry leaves the key file with the commit, so a
            # re-key interrupted (or failed) below still leaves it no way in on this copy.
            keyring.write_key_entries(self.ctx.db, session)
            if disabled:
                # Owed with the disable's commit: a re-key killed below is finished at the next login.
                keyring.mark_rekey_due(self.ctx.db, session)
        if disabled:
            self._rekey(progress)
        return user

    def set_role(self, user_id: uuid.UUID | str, role: str) -> User:
        return self.update_account(user_id, role=role)

    def deactivate(self, user_id: uuid.UUID | str, *, progress: Progress | None = None) -> User:
        return self.update_account(user_id, active=False, progress=progress)

    def activate(self, user_id: uuid.UUID | str) -> User:
        """Re-enable an account; on an encrypted database it also needs a new password to log in here."""
        return self.update_account(user_id, active=True)

    def reset_password(self, user_id: uuid.UUID | str, new_password: str, *,
                       progress: Progress | None = None) -> User:
        """An administrator sets someone's password (forgotten, or possibly leaked). The account gets
        new keys (its old signing key is retired) and an encrypted database is re-keyed."""
        permissions.require_operation(self.ctx, "accounts.manage")
        with self.ctx.write() as session:
            user = self._get(session, user_id)
            check_password_policy(new_password, username=user.username)
            if user.signing_key:
                latest = session.scalar(select(ChangeEvent.hlc).order_by(ChangeEvent.hlc.desc()).limit(1))
                user.retired_keys = [*(user.retired_keys or []), {"key": user.signing_key, "until": next_hlc(latest)}]
            keyring.provision(user, new_password)
            self._set_password(session, user, new_password)
            keyring.mark_rekey_due(self.ctx.db, session)
        self._rekey(progress)
        return user

    def change_password(self, old_password: str, new_password: str) -> User:
        """The acting user changes their own password (keeping their keys, sealed anew)."""
        actor = self.ctx.actor
        if actor.user_id is None:
            raise PermissionDeniedError("请先登录，再修改自己的密码。")
        with self.ctx.write() as session:
            user = self._get(session, actor.user_id)
            keys = None
            if user.sealed_keys:
                try:
                    keys = open_keys(user.sealed_keys, old_password, user.id)
                except crypto.WrongPasswordError as exc:
                    raise AuthError("原密码不正确，密码未修改。") from exc
            elif not verify_password(user.password_hash, old_password):
                raise AuthError("原密码不正确，密码未修改。")
            if old_password == new_password:
                raise ValidationError("新密码不能与原密码相同。", "password")
            check_password_policy(new_password, username=user.username)
            keyring.provision(user, new_password, keys)
            self._set_password(session, user, new_password)
        return user

    # --- rules ---------------------------------------------------------------------------------
    def check(self, session: Session, state: dict[str, Any], current: User | None) -> None:
        username = (state.get("username") or "").strip()
        if not _USERNAME_RE.match(username):
            raise ValidationError("用户名为 2–40 个字符，可用汉字、字母、数字和 . _ - @。", "username")
        other = find_user(session, username)
        if other is not None and (current is None or other.id != current.id):
            raise ValidationError(f"用户名「{username}」已被使用。", "username")
        if state.get("inspector_id") is not None:
            require_exists(session, Inspector, state["inspector_id"], "巡察干部", "inspector_id")
        if current is not None:
            if current.username != username and self.ctx.db.encrypted:
                raise ValidationError("加密数据库中的用户名不能修改（密钥按用户名保存）；请新建账户。", "username")
            leaving_admin = current.role == UserRole.ADMIN and current.active and (
                state.get("role") != UserRole.ADMIN or not state.get("active", True)
            )
            if leaving_admin and self._other_active_admins(session, current.id) == 0:
                raise ValidationError("这是唯一的管理员账户，不能停用或改为其他角色。", "role")
            if current.id == self.ctx.actor.user_id and not state.get("active", True):
                raise ValidationError("不能停用自己正在使用的账户。", "active")

    def _normalise(self, values: Mapping[str, Any]) -> dict[str, Any]:
        secret = _SECRET_FIELDS & set(values)
        if secret:
            raise ValueError(f"User: {sorted(secret)} are set only through the password methods")
        return super()._normalise(values)

    def _other_active_admins(self, session: Session, user_id: uuid.UUID) -> int:
        stmt = select(User.id).where(User.role == UserRole.ADMIN, User.active.is_(True), User.deleted_at.is_(None),
                                     User.id != user_id)
        return len(list(session.scalars(stmt)))

    # --- passwords and keys --------------------------------------------------------------------
    def _set_password(self, session: Session, user: User, password: str) -> None:
        user.password_hash = hash_password(password)
        user.updated_by = self.ctx.actor.user_id
        session.flush()
        # The lock-out counters are local bookkeeping, not a change to sync.
        previous = session.info.get(SUPPRESS)
        session.info[SUPPRESS] = True
        session.execute(update(User).where(User.id == user.id).values(failed_logins=0, locked_until=None))
        session.info[SUPPRESS] = previous
        keyring.write_key_entries(self.ctx.db, session)

    def _rekey(self, progress: Progress | None = None) -> None:
        try:
            keyring.rekey(self.ctx.db, progress)
        except crypto.OldPagesLeftError as exc:  # still due: the next login finishes it
            raise ServiceError(f"账户已更改。{exc}。") from exc
        except (crypto.CryptoError, OSError) as exc:
            raise ServiceError(f"账户已更改，但数据库更换密钥未完成：{exc}。请重试（停用账户或重设密码）。") from exc

    def _keyfile(self) -> crypto.KeyFile:
        path = self.ctx.db.path
        if path is None:
            raise ServiceError("只有数据库文件才有密钥文件。")
        try:
            return crypto.KeyFile.for_database(path)
        except crypto.CryptoError as exc:
            raise ServiceError(str(exc)) from exc
