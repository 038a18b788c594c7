"""Opening a database for use: unlocking, schema upgrade and reference data, with messages for the user.

An encrypted database (SQLCipher) opens with a user name and password: the password unwraps the
database key from the key file beside it (app.models.crypto), then the account is checked. A plain
database (tests, demo data, databases from before encryption) still opens without a password.

Also here: creating an encrypted database with its administrator, encrypting an existing plain
database in place, and making an encrypted backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError

from app.models import User, crypto, new_id
from app.models.account_keys import SealingKey
from app.models.db import Database, DatabaseError, display_url, is_server_url
from app.models.enums import UserRole
from app.models.migrate import SchemaTooNewError
from app.models.peek import encrypted_with_key, file_needs_login

from . import keyring
from .auth import (
    DEFAULT_ADMIN_USERNAME,
    AccountLockedError,
    AuthError,
    actor_for,
    authenticate,
    check_password_policy,
    has_accounts,
    hash_password,
)
from .context import Actor, ServiceContext
from .errors import PermissionDeniedError, ServiceError
from .reference import load_reference_data, reference_data_due

DEFAULT_ADMIN_NAME = "管理员"
# SQLCipher, key files and re-keying are for files; what protects a server's data at rest.
SERVER_AT_REST = ("服务器上的数据库不用 SQLCipher 加密，也没有密钥文件：其静态数据由服务器的磁盘加密、"
                  "访问控制和数据库角色保护（见 README“An office server”）。")
_T = TypeVar("_T")
log = logging.getLogger(__name__)


class OpenError(ServiceError):
    pass


class PasswordRequiredError(OpenError):
    """The database needs a login (it is encrypted, or it has accounts and a login was asked for)."""


@dataclass(frozen=True)
class Opened:
    db: Database
    created: bool
    upgraded: bool
    # Who logged in; the built-in administrator when the database was opened without a login.
    actor: Actor = field(default_factory=Actor.system)
    authenticated: bool = False
    # The file (or its folder) cannot be written: it can be read, not changed.
    read_only: bool = False
    # One line the user must see after a successful open (a re-key still due that could not run).
    notice: str | None = None

    @property
    def encrypted(self) -> bool:
        return self.db.encrypted

    @property
    def ctx(self) -> ServiceContext:
        return ServiceContext(self.db, self.actor)


def database_exists(path: str | Path) -> bool:
    """Whether the file exists (not empty), or the server database holds the workbench's tables."""
    if is_server_url(path):
        return server_schema_exists(str(path))
    path = Path(path)
    return path.exists() and path.stat().st_size > 0


def describe(location: str | Path) -> str:
    """A database's name in a message: the file, or the server URL without its password."""
    return display_url(str(location)) if is_server_url(location) else str(location)


# --- files the workbench must not open as its own -------------------------------------------------
def refuse_unusable(path: Path) -> None:
    """Refuse, before anything is opened or written, a path that is a folder or another program's
    SQLite database (upgrading it would add the workbench's tables to someone else's file)."""
    if path.is_dir():
        raise OpenError(f"“{path}”是一个文件夹，不是数据库文件。请给出数据库文件本身的路径，"
                        f"例如 {path / 'xuncha.sqlite3'}。")
    if not database_exists(path) or not crypto.is_plain_sqlite(path):
        return
    tables = _table_names_read_only(path)
    if tables is not None and tables and "alembic_version" not in tables:
        raise OpenError(f"“{path}”是其他程序的 SQLite 数据库，不是巡察工作台数据库；为免改动其中的数据，未做任何修改。")


def _table_names_read_only(path: Path) -> set[str] | None:
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return None  # unreadable here: opening it says what is wrong
    finally:
        conn.close()


def is_writable(path: Path) -> bool:
    """Whether the database can be changed: the file, and its folder (SQLite writes its -wal and
    -shm files beside it)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(folder, os.W_OK | os.X_OK)


def read_only_message(path: Path, what: str) -> str:
    return (f"数据库文件 {path} 是只读的（或所在文件夹不可写），{what}。"
            "请检查文件和文件夹的权限，或把数据库复制到可写的位置。")


def needs_password(path: str | Path) -> bool:
    """Whether opening this file needs a password before anything can be read: it is encrypted
    (and its key file is there; without it, opening explains what is missing). A server database
    asks for one when it has accounts (see open_server)."""
    return not is_server_url(path) and encrypted_with_key(path)


def needs_login(path: str | Path) -> bool:
    """Whether the window must ask who is working: an encrypted file, or a plain one with accounts.

    Reads a plain file read-only and briefly (nothing is created or upgraded). A server database
    always asks once it has accounts.
    """
    if is_server_url(path):
        return server_has_accounts(str(path))
    # The login dialog asks the same before SQLAlchemy is loaded.
    return file_needs_login(path)


def open_database(
    path: str | Path,
    *,
    create: bool = False,
    password: str | None = None,
    username: str | None = None,
    display_name: str | None = None,
    encrypt: bool | None = None,
    login_required: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Opened:
    """Open (or, when asked, create) a database file and bring it up to this version.

    - An encrypted file needs `password` (and `username`, default "admin"); a wrong one raises
      AuthError before anything is opened or written.
    - `create` makes a missing file: encrypted, with `username` as its administrator, when a
      password is given (unless `encrypt=False`); plain, without accounts, when not.
    - A plain file opens without a password; with one (or with `login_required` when accounts
      exist) the account is checked too.

    A database from a newer version is refused untouched; an older one is upgraded in place.
    A re-key an interrupted disable or password reset still owes the file runs once the login is
    checked, before anything else (`progress` hears (done, total), from another thread; see
    finish_due_rekey). `path` may also be a PostgreSQL URL (see open_server).
    """
    if is_server_url(path):
        return open_server(str(path), create=create, password=password, username=username,
                           display_name=display_name)
    path = Path(path)
    refuse_unusable(path)
    existed = database_exists(path)
    if not existed:
        if not create:
            raise OpenError(f"数据库文件不存在：{path}。请先运行“xuncha --db {path} init”创建。")
        if password is not None and encrypt is not False:
            return create_encrypted(path, password=password, username=username, display_name=display_name)
    encrypted = existed and not crypto.is_plain_sqlite(path)
    if encrypted and not encrypted_with_key(path):
        raise OpenError(
            f"无法打开数据库 {path}：文件已损坏或不是巡察工作台数据库；如果它是加密数据库，"
            f"则找不到密钥文件 {crypto.keyfile_path(path).name}（须与数据库放在同一文件夹）。"
        )
    if encrypted and password is None:
        raise PasswordRequiredError("该数据库已加密，请输入用户名和密码。")
    key: bytes | None = None
    unlocked: crypto.Unlocked | None = None
    if encrypted:
        assert password is not None
        unlocked = _unlock(path, username or DEFAULT_ADMIN_USERNAME, password)
        key = unlocked.key
    db, upgraded = _open_and_upgrade(path, key)
    try:
        actor, authenticated = Actor.system(), False
        if not existed and password is not None:
            # A plain database created with a password (encrypt=False): its first administrator.
            actor = _create_admin(db, username, display_name, password)
            authenticated = True
        elif password is not None and (encrypted or has_accounts(db)):
            actor = authenticate(db, username or DEFAULT_ADMIN_USERNAME, password, unlocked=unlocked)
            authenticated = True
        elif login_required and has_accounts(db):
            raise PasswordRequiredError("该数据库已设置账户，请输入用户名和密码。")
        notice = finish_due_rekey(db, progress) if authenticated and encrypted else None
    except BaseException:
        db.dispose()
        raise
    return Opened(db=db, created=not existed, upgraded=upgraded and existed, actor=actor,
                  authenticated=authenticated, read_only=db.read_only, notice=notice)


REKEY_STILL_DUE = "上次中断的更换密钥仍未完成（详见日志），数据库照常打开；下次登录时会再试。"


def finish_due_rekey(db: Database, progress: Callable[[int, int], None] | None = None) -> str | None:
    """Run a re-key this encrypted file is still owed (`keyring.mark_rekey_due`: a disable or a
    password reset whose re-key a crash cut short). None when nothing was due or it is done now;
    otherwise the one line to show. A failure leaves the mark and the database open: refusing to
    open would lock the team out of its own work, and the next login tries again."""
    if not keyring.rekey_due(db):
        return None
    if db.read_only:
        return "上次中断的更换密钥仍未完成：数据库文件只读，本次以只读方式打开、未更换密钥；文件可写后再次登录即完成。"
    try:
        keyring.rekey(db, progress)
    except crypto.OldPagesLeftError as exc:  # what to do about it, not "see the log"
        log.warning("finishing a re-key still due left old pages", exc_info=True)
        return f"{exc}。"
    except Exception:  # noqa: BLE001 - any failure: one line for the user, the details in the log
        log.warning("finishing a re-key still due failed", exc_info=True)
        return REKEY_STILL_DUE
    return None


def _unlock(path: Path, username: str, password: str) -> crypto.Unlocked:
    """Open the database key with the password (counting failures in the key file), finishing a
    re-key that a crash interrupted: its new entries wait beside the key file (`.keys.next`) and
    replace it once they are the ones that fit the database."""
    keys_path = crypto.keyfile_path(path)
    waiting = keys_path.with_name(keys_path.name + keyring.NEXT_SUFFIX)
    try:
        unlocked = crypto.KeyFile.load(keys_path).unlock(username, password)
        if not waiting.exists() or _fits(path, unlocked.key):
            waiting.unlink(missing_ok=True)
            return unlocked
        newer = crypto.KeyFile.load(waiting).unlock(username, password)
        if not _fits(path, newer.key):
            raise OpenError("数据库与其密钥文件不符（更换密钥时可能中断过）。请从备份恢复。")
        os.replace(waiting, keys_path)
        return newer
    except crypto.LockedOutError as exc:
        raise AccountLockedError(exc.until) from exc
    except crypto.WrongPasswordError as exc:
        raise AuthError(str(exc)) from exc
    except crypto.CryptoError as exc:
        raise OpenError(str(exc)) from exc


def _fits(path: Path, key: bytes) -> bool:
    try:
        crypto.connect_encrypted(path, key).close()
    except crypto.CryptoError:
        return False
    return True


def _open_and_upgrade(path: Path, key: bytes | None, *, reference: bool = True) -> tuple[Database, bool]:
    db: Database | None = None
    read_only = database_exists(path) and not is_writable(path)
    if read_only and key is not None:
        raise OpenError(read_only_message(path, "加密数据库无法以只读方式打开") + _due_on_read_only(path, key))
    try:
        db = Database.open_path(path, create=True, key=key, read_only=read_only)
        state = db.schema_state()
        if state.is_newer_than_app:
            raise OpenError(
                f"该数据库由更新版本的巡察工作台创建（结构版本 {state.current}），本版本无法打开。请升级软件。"
            )
        writable = is_writable(path)
        if state.needs_upgrade:
            if not writable:
                raise OpenError(read_only_message(path, "无法升级到本版本"))
            db.upgrade()
        ctx = ServiceContext(db)
        if reference and reference_data_due(ctx):
            if not writable:
                raise OpenError(read_only_message(path, "无法更新参考数据"))
            load_reference_data(ctx)
        db.refresh_statistics()
        return db, state.needs_upgrade
    except OpenError:
        if db is not None:
            db.dispose()
        raise
    except (SchemaTooNewError, DatabaseError, crypto.CryptoError) as exc:
        if db is not None:
            db.dispose()
        raise OpenError(str(exc)) from exc
    except SQLAlchemyDatabaseError as exc:
        if db is not None:
            db.dispose()
        reason = str(exc.orig)
        if "readonly" in reason.lower() or "unable to open" in reason.lower():
            raise OpenError(read_only_message(path, "无法打开")) from exc
        raise OpenError(f"无法打开数据库 {path}：文件已损坏或不是巡察工作台数据库（{reason}）。") from exc


def _due_on_read_only(path: Path, key: bytes) -> str:
    """For the refusal of a read-only encrypted file: whether a re-key is still owed to it too (read,
    never written); nothing if that cannot be read."""
    try:
        db = Database.open_path(path, key=key, read_only=True)
        try:
            due = keyring.rekey_due(db)
        finally:
            db.dispose()
    except Exception:  # noqa: BLE001 - only a remark on a refusal; the refusal itself is what matters
        log.warning("reading whether a re-key is due on a read-only file failed", exc_info=True)
        return ""
    return "上次中断的更换密钥也仍未完成，文件可写后再次登录即完成。" if due else ""


def _create_admin(db: Database, username: str | None, display_name: str | None, password: str) -> Actor:
    from .accounts import AccountService

    user = AccountService(ServiceContext(db)).create_account(
        username=username or DEFAULT_ADMIN_USERNAME, display_name=display_name or DEFAULT_ADMIN_NAME,
        role=UserRole.ADMIN, password=password,
    )
    return actor_for(user)


# --- a PostgreSQL server ----------------------------------------------------------------------------
def server_message(exc: BaseException, url: str) -> str:
    """One Chinese line for a failure to reach or use a server database (libpq's reasons are English)."""
    reason = str(getattr(exc, "orig", None) or exc).strip()
    lowered = reason.lower()
    where = display_url(url)
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return (f"数据库服务器拒绝了登录 {where}：数据库用户名或密码不对。密码取自环境变量 XUNCHA_DB_PASSWORD "
                "或 ~/.pgpass（与巡察工作台账户的密码不同）。")
    if "does not exist" in lowered and "database" in lowered:
        return f"服务器上没有这个数据库：{where}。请由数据库管理员按 README“An office server”一节创建。"
    if "ssl" in lowered or "certificate" in lowered:
        return f"与数据库服务器的加密连接（TLS）未能建立：{where}。请检查 sslmode 与根证书（sslrootcert）。"
    if "permission denied" in lowered or "must be owner" in lowered:
        return f"数据库用户没有所需的权限：{where}（{reason.splitlines()[0]}）。建表和升级须用数据库的所有者账户。"
    if any(k in lowered for k in ("connection refused", "could not connect", "timeout expired", "no such file",
                                  "could not translate host", "connection to server")):
        return f"无法连接数据库服务器：{where}。请检查服务器地址、端口和网络，以及服务器是否在运行。"
    return f"无法使用服务器上的数据库 {where}：{reason.splitlines()[0] if reason else type(exc).__name__}"


def _server_call(url: str, fn: Callable[[], _T]) -> _T:
    try:
        return fn()
    except (SQLAlchemyDatabaseError, OSError) as exc:
        raise OpenError(server_message(exc, url)) from exc


def server_schema_exists(url: str) -> bool:
    """Whether the server database already holds the workbench's tables."""
    db = _server_call(url, lambda: Database.open_url(url))
    try:
        return not _server_call(url, db.schema_state).is_empty
    finally:
        db.dispose()


def server_has_accounts(url: str) -> bool:
    db = _server_call(url, lambda: Database.open_url(url))
    try:
        if _server_call(url, db.schema_state).is_empty:
            return False
        return bool(_server_call(url, lambda: has_accounts(db)))
    finally:
        db.dispose()


def open_server(url: str, *, create: bool = False, password: str | None = None, username: str | None = None,
                display_name: str | None = None) -> Opened:
    """Open a PostgreSQL database (`postgresql://user@host/dbname`), creating the workbench's schema
    in an empty one when `create` (the database itself is made by the server's administrator).

    The same accounts and roles as a file: once accounts exist, every workstation logs in (user name
    and password of the workbench account; the database user's password is another one, from
    XUNCHA_DB_PASSWORD or ~/.pgpass). A new schema gets `username` as its administrator when a
    password is given. SQLCipher does not apply: no key file, nothing to re-key; the server's disk
    encryption and access control protect the data at rest.
    """
    db = _server_call(url, lambda: Database.open_url(url))
    try:
        state = _server_call(url, db.schema_state)
        if state.is_newer_than_app:
            raise OpenError(f"该数据库由更新版本的巡察工作台创建（结构版本 {state.current}），本版本无法打开。请升级软件。")
        existed = not state.is_empty
        if not existed:
            if not create:
                raise OpenError(f"服务器上的数据库 {display_url(url)} 还没有巡察工作台的数据表。"
                                f"请先运行“xuncha --db {display_url(url)} init”。")
            foreign = [t for t in db.table_names() if t != "alembic_version"]
            if foreign:
                raise OpenError(f"服务器上的数据库 {display_url(url)} 中已有其他程序的数据表（{foreign[0]} 等），"
                                "为免改动其中的数据，未做任何修改。请使用巡察工作台专用的空数据库。")
        if state.needs_upgrade:
            _server_call(url, db.upgrade)
        ctx = ServiceContext(db)
        if reference_data_due(ctx):
            load_reference_data(ctx)
        actor, authenticated = Actor.system(), False
        if not existed and password is not None:
            check_password_policy(password, username=(username or DEFAULT_ADMIN_USERNAME).strip())
            actor = _create_admin(db, username, display_name, password)
            authenticated = True
        elif password is not None and has_accounts(db):
            actor = authenticate(db, username or DEFAULT_ADMIN_USERNAME, password)
            authenticated = True
        elif has_accounts(db):
            raise PasswordRequiredError("服务器上的数据库已设置账户，请输入用户名和密码。")
    except OpenError:
        db.dispose()
        raise
    except (SchemaTooNewError, DatabaseError) as exc:
        db.dispose()
        raise OpenError(str(exc)) from exc
    except SQLAlchemyDatabaseError as exc:
        db.dispose()
        raise OpenError(server_message(exc, url)) from exc
    except BaseException:
        db.dispose()
        raise
    return Opened(db=db, created=not existed, upgraded=existed and state.needs_upgrade, actor=actor,
                  authenticated=authenticated)


# The steps of creating an encrypted database, in order, as `create_encrypted` reports them.
CREATE_STEPS = ("derive", "schema", "reference", "account")


def create_encrypted(
    path: str | Path, *, password: str, username: str | None = None, display_name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Opened:
    """A new encrypted database, its key sealed for its first administrator. `progress` hears each of
    CREATE_STEPS as it starts (the window names them).

    The password's sealing key is derived once, first, and seals the account's keys, whose blob is
    also the key file's entry. The account's password hash is a second Argon2id under its own salt
    (it is stored beside the sealed keys, so it cannot be derived from the same output as the key
    that seals them): it runs on another core while the tables are built, off the critical path."""
    say = progress or (lambda _step: None)
    path = Path(path)
    username = (username or DEFAULT_ADMIN_USERNAME).strip()
    check_password_policy(password, username=username)
    keys_path = crypto.keyfile_path(path)
    if database_exists(path):
        raise OpenError(f"数据库文件已存在：{path}")
    if keys_path.exists():
        raise OpenError(f"数据库旁已有密钥文件 {keys_path}，但没有数据库。请先移走该文件（它可能属于另一个数据库的备份）。")
    path.parent.mkdir(parents=True, exist_ok=True)
    say("derive")
    sealing = SealingKey.derive(password)
    key = crypto.new_key()
    db: Database | None = None
    with ThreadPoolExecutor(1, thread_name_prefix="password-hash") as pool:
        password_hash = pool.submit(hash_password, password)
        try:
            say("schema")
            db, _ = _open_and_upgrade(path, key, reference=False)
            say("reference")
            load_reference_data(ServiceContext(db))
            say("account")
            user = User(id=new_id(), username=username, display_name=(display_name or DEFAULT_ADMIN_NAME).strip(),
                        role=UserRole.ADMIN, password_hash=password_hash.result(), active=True, failed_logins=0)
            account_keys = keyring.provision(user, password, sealing=sealing)
            # The first account is made by this copy itself (no account exists to sign for it).
            with db.write(author_name="系统") as session:
                session.add(user)
                session.flush()
                keys = crypto.KeyFile(keys_path)
                keys.set_account(user.username, user.id, user.sealed_keys or {}, user.exchange_key or "", key)
                keys.save()
        except BaseException:
            _discard_new(db, path)
            raise
    return Opened(db=db, created=True, upgraded=False, actor=actor_for(user, account_keys), authenticated=True)


@contextlib.contextmanager
def created_for_import(path: str | Path, *, username: str, password: str, admin_only: bool = False,
                       logged_in: Callable[[Actor], None] | None = None) -> Iterator[Database]:
    """A new encrypted database without accounts, for a team kit that brings them from the master.

    After the caller's import, `username` must be one of the imported accounts and `password`
    theirs: the database key is then wrapped for them. Otherwise (or if the import fails) the new
    files are removed, leaving nothing behind. `logged_in` hears who that is, keys unlocked, so a
    caller that goes on working in the database need not log in (derive the key) a second time.
    """
    path = Path(path)
    if database_exists(path):
        raise OpenError(f"数据库文件已存在：{path}")
    keys_path = crypto.keyfile_path(path)
    if keys_path.exists():
        raise OpenError(f"数据库旁已有密钥文件 {keys_path}，但没有数据库。请先移走该文件。")
    if not password:
        raise PasswordRequiredError("新建的数据库将被加密，请提供登录用户名和密码。")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = crypto.new_key()
    db: Database | None = None
    try:
        # The built-in lists come with the kit, as the office has them.
        db, _ = _open_and_upgrade(path, key, reference=False)
        yield db
        try:
            actor = authenticate(db, username, password)
        except AuthError as exc:
            raise AuthError(f"工作包中没有与所给用户名和密码相符的账户（{exc}）；新数据库未保留。") from exc
        if admin_only and actor.role != UserRole.ADMIN:
            raise PermissionDeniedError("只有管理员可以导入工作包（由巡察办为巡察组准备笔记本）；新数据库未保留。")
        crypto.KeyFile(keys_path).save()
        keyring.write_key_entries(db)
        if logged_in is not None:
            logged_in(actor)
    except BaseException:
        _discard_new(db, path)
        raise


def _discard_new(db: Database | None, path: Path) -> None:
    """A database this call created and could not finish: closed, and its files removed, leaving
    nothing that looks like a usable copy."""
    if db is not None:
        db.dispose()
    for p in (path, *crypto.companion_files(path)):
        with contextlib.suppress(OSError):
            p.unlink()


def opened_after_import(db: Database, actor: Actor) -> Opened:
    """A database `created_for_import` made and filled, for `actor`, who logged in there: its
    built-in lists brought up to this version when the kit's were older (as opening it would)."""
    ctx = ServiceContext(db)
    if reference_data_due(ctx):
        load_reference_data(ctx)
    db.refresh_statistics()
    return Opened(db=db, created=True, upgraded=False, actor=actor, authenticated=True)


# --- converting and copying ---------------------------------------------------------------------
@dataclass(frozen=True)
class EncryptResult:
    path: Path
    tables: dict[str, int]
    kept_plaintext: Path | None
    accounts_without_key: list[str]


def encrypt_database(
    path: str | Path, *, password: str, username: str | None = None, display_name: str | None = None,
    keep_plaintext: bool = False,
) -> EncryptResult:
    """Encrypt a plain database in place.

    The data is copied with `sqlcipher_export` into a new file beside it, checked (SQLCipher and
    SQLite integrity, row counts of every table, then a real open), and only then swapped in; the
    plain file is kept until that check passed, then overwritten and deleted (unless asked to keep
    it). If the database has no account yet, `username` becomes its administrator; otherwise
    `username` must be an administrator and their password is checked.
    """
    if is_server_url(path):
        raise OpenError(SERVER_AT_REST)
    path = Path(path)
    username = (username or DEFAULT_ADMIN_USERNAME).strip()
    if not database_exists(path):
        raise OpenError(f"数据库文件不存在：{path}")
    if crypto.is_encrypted(path):
        raise OpenError("该数据库已经加密。")
    keys_path = crypto.keyfile_path(path)
    staging = path.with_name(path.name + ".encrypting")
    old = path.with_name(path.name + ".plaintext")
    for leftover in (staging, old):
        if leftover.exists():
            raise OpenError(f"发现上次加密未完成留下的文件 {leftover}；请检查后移走再试。")
    opened = open_database(path)
    try:
        if has_accounts(opened.db):
            actor = authenticate(opened.db, username, password)
            if actor.role != UserRole.ADMIN:
                raise PermissionDeniedError("只有管理员可以加密数据库。")
        else:
            check_password_policy(password, username=username)
            actor = _create_admin(opened.db, username, display_name, password)
        with opened.db.read() as session:
            # Accounts with key pairs get an entry; older ones need a password reset to get keys.
            allowed = [(u.username, u.id, u.sealed_keys or {}, u.exchange_key or "")
                       for u in keyring.accounts_for_this_copy(session)]
            others = sorted(
                u.username for u in session.query(User).filter(User.deleted_at.is_(None), User.active.is_(True))
                if u.id != actor.user_id and not u.sealed_keys
            )
    finally:
        opened.db.dispose()
    crypto.checkpoint_plain(path)
    key = crypto.new_key()
    tables = crypto.export_encrypted(path, None, staging, key)
    keys = crypto.KeyFile(keys_path)
    for entry in allowed:
        keys.set_account(*entry, key)
    keys.save()
    os.replace(path, old)
    for companion in crypto.companion_files(path)[:3]:
        with contextlib.suppress(OSError):
            companion.unlink()
    os.replace(staging, path)
    try:
        check = open_database(path, password=password, username=username)
        try:
            problems = check.db.integrity_problems()
        finally:
            check.db.dispose()
        if problems:
            raise OpenError("加密后的数据库检查未通过：" + "；".join(problems[:3]))
    except BaseException:
        # Put the plain database back exactly as it was.
        os.replace(path, staging)
        for companion in crypto.companion_files(path)[:3]:
            with contextlib.suppress(OSError):
                companion.unlink()
        os.replace(old, path)
        keys_path.unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
        raise
    if not keep_plaintext:
        crypto.shred(old)
    return EncryptResult(path=path, tables=tables, kept_plaintext=old if keep_plaintext else None,
                         accounts_without_key=others)


@dataclass(frozen=True)
class BackupResult:
    path: Path
    keys_path: Path
    tables: dict[str, int]
    bytes: int


def backup_database(ctx: ServiceContext, out: str | Path) -> BackupResult:
    """An encrypted, consistent copy of the database and its key file (`OUT` and `OUT.keys`).

    The copy has the same key: it opens with the passwords valid at the time of the backup.
    """
    ctx.require_admin("备份数据库")
    db = ctx.db
    if db.is_server:
        raise ServiceError("服务器上的数据库由服务器备份：用 PostgreSQL 的 pg_dump，并在备份离开服务器前加密"
                           "（见 README“An office server”）；xuncha backup 只用于数据库文件。")
    if not db.encrypted or db.path is None or db.key is None:
        raise ServiceError("数据库尚未加密，不能生成加密备份。请先运行“xuncha encrypt”加密数据库。")
    out = Path(out)
    if out.resolve() == db.path.resolve():
        raise ServiceError("备份文件不能与数据库是同一个文件。")
    if database_exists(out):
        raise ServiceError(f"备份文件已存在：{out}")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(out.name + ".partial")
    staging.unlink(missing_ok=True)
    try:
        tables = crypto.export_encrypted(db.path, db.key, staging, db.key)
        keys = crypto.KeyFile.load(crypto.keyfile_path(db.path))
        keys.path = crypto.keyfile_path(out)
        keys.save()
        os.replace(staging, out)
    except crypto.CryptoError as exc:
        staging.unlink(missing_ok=True)
        raise ServiceError(str(exc)) from exc
    return BackupResult(path=out, keys_path=crypto.keyfile_path(out), tables=tables, bytes=out.stat().st_size)
