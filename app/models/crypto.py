"""Encryption at rest: the database key, its per-user wrapping, and SQLCipher files.

The database is encrypted with SQLCipher under a random 256-bit key, passed raw
(`PRAGMA key = "x'…'"`), so opening costs no key derivation inside SQLCipher. That key is never
typed and never stored in clear: a small sidecar file beside the database (`xuncha.sqlite3.keys`)
holds one entry per user, the key wrapped with AES-256-GCM under a key derived from that user's
password with Argon2id (derived once per login). Changing a password re-wraps one entry; the
database itself is never re-encrypted.

Entries are named by an HMAC of the user name (salted per file), so the file does not list the
team's accounts. A wrong password or an unknown user costs the same one derivation and leaves
every file untouched.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"
KEYFILE_SUFFIX = ".keys"
KEYFILE_FORMAT = "xuncha-keys"
KEYFILE_VERSION = 2
# RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes): about 0.25 s on a laptop.
KDF_PARAMS: dict[str, Any] = {"name": "argon2id", "time_cost": 3, "memory_kib": 64 * 1024, "parallelism": 4}
_WRAP_AAD = b"xuncha-dbkey-v1"
# Pages are decrypted on every read that misses SQLite's page cache (the OS cache holds only
# ciphertext), so an encrypted connection keeps a larger cache: 64 MiB, allocated as pages are read.
# Measured on the 100,000-finding demo: global search 377 ms → 36 ms (plain: 38 ms).
ENCRYPTED_CACHE_KIB = 64 * 1024


class CryptoError(Exception):
    """Encryption could not be set up or used; the message is for the user (Chinese)."""


class WrongPasswordError(CryptoError):
    def __init__(self) -> None:
        super().__init__("用户名或密码不正确，数据库未打开，也未作任何改动。")


class EncryptionUnavailableError(CryptoError):
    pass


# --- primitives ---------------------------------------------------------------------------------
def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def derive_key(password: str, salt: bytes, params: dict[str, Any] | None = None) -> bytes:
    """Argon2id, raw output: the key that wraps the database key for one user."""
    from argon2.low_level import Type, hash_secret_raw

    p = params or KDF_PARAMS
    if p.get("name") != "argon2id":
        raise CryptoError(f"密钥文件使用了不支持的密钥派生算法「{p.get('name')}」。")
    return hash_secret_raw(
        password.encode("utf-8"), salt, time_cost=int(p["time_cost"]), memory_cost=int(p["memory_kib"]),
        parallelism=int(p["parallelism"]), hash_len=KEY_BYTES, type=Type.ID,
    )


def subkey(key: bytes, purpose: str) -> bytes:
    """An independent key for another use of the same secret (e.g. encrypting draft files)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=f"xuncha-subkey-v1|{purpose}".encode()).derive(key)


def seal(key: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """AES-256-GCM: nonce ‖ ciphertext ‖ tag."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def unseal(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """Reverse of `seal`; raises CryptoError when the key is wrong or the bytes were changed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("密文无法解开：密钥不对或内容被改动过。") from exc


def key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("database key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


# --- files --------------------------------------------------------------------------------------
def keyfile_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + KEYFILE_SUFFIX)


def companion_files(db_path: str | Path) -> list[Path]:
    """The files SQLite and this module keep beside a database."""
    db_path = Path(db_path)
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm", "-journal", KEYFILE_SUFFIX)]


def is_plain_sqlite(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def is_encrypted(path: str | Path) -> bool:
    """Whether the file looks like a SQLCipher database: random from the first byte (no plain
    SQLite header) and made of whole pages. Whether it really is one only its key can tell."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return False
    return size > 0 and size % 512 == 0 and not is_plain_sqlite(path)


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write beside, flush to disk, rename over: a crash leaves the old file or the new, never half."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def shred(path: Path, *, passes: int = 1) -> bool:
    """Overwrite a file with random bytes, flush, then delete it. Returns whether it existed.

    On SSDs and journaling file systems an overwrite is not a guarantee that no copy survives;
    that is why the data is encrypted in the first place: shredding the key file is what counts.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    with open(path, "r+b", buffering=0) as fh:
        for _ in range(passes):
            fh.seek(0)
            remaining = size
            while remaining > 0:
                chunk = min(remaining, 1024 * 1024)
                fh.write(secrets.token_bytes(chunk))
                remaining -= chunk
            os.fsync(fh.fileno())
    path.unlink()
    _fsync_dir(path.parent)
    return True


# --- the key file -------------------------------------------------------------------------------
# Wrong passwords are counted per entry, in the key file itself: on an encrypted database a wrong
# password is refused before the database can be read, so the counters must live where it can still
# reach them. After FREE_ATTEMPTS failures in a row the entry waits FIRST_LOCK, doubling up to
# LONGEST_LOCK (the same rule as accounts of a plain database, app.services.auth).
FREE_ATTEMPTS = 5
FIRST_LOCK = dt.timedelta(minutes=1)
LONGEST_LOCK = dt.timedelta(hours=1)


def lock_duration(failures: int) -> dt.timedelta | None:
    if failures < FREE_ATTEMPTS:
        return None
    return min(FIRST_LOCK * 2 ** (failures - FREE_ATTEMPTS), LONGEST_LOCK)


class LockedOutError(CryptoError):
    def __init__(self, until: dt.datetime) -> None:
        local = until.astimezone().strftime("%H:%M")
        super().__init__(f"密码连续输错次数过多，该账户已暂时锁定，请于 {local} 之后再试。")
        self.until = until


@dataclass
class KeyEntry:
    """One account's way into the database.

    Version 2 (every account with its own keys): `keys` is the account's private keys sealed under its
    password (as in its row), `db_key` the database key sealed to its exchange key. Version 1 (older
    files): the database key wrapped directly under the password (`salt`, `wrapped`, `kdf`)."""

    tag: str  # HMAC of the user name under the file's salt
    user_id: str | None
    keys: dict[str, Any] | None = None
    exchange: str | None = None
    db_key: str | None = None
    salt: bytes | None = None
    wrapped: bytes | None = None
    kdf: dict[str, Any] | None = None
    failed: int = 0
    locked_until: str | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tag": self.tag, "user_id": self.user_id, "failed": self.failed,
                                "locked_until": self.locked_until}
        if self.keys is not None:
            data.update(keys=self.keys, exchange=self.exchange, db_key=self.db_key)
        else:
            data.update(salt=b64(self.salt or b""), wrapped=b64(self.wrapped or b""), kdf=self.kdf)
        return data

    @classmethod
    def from_json(cls, e: dict[str, Any]) -> KeyEntry:
        common = {"tag": e["tag"], "user_id": e.get("user_id"), "failed": int(e.get("failed") or 0),
                  "locked_until": e.get("locked_until")}
        if "keys" in e:
            return cls(**common, keys=dict(e["keys"]), exchange=str(e["exchange"]), db_key=str(e["db_key"]))
        return cls(**common, salt=unb64(e["salt"]), wrapped=unb64(e["wrapped"]), kdf=dict(e["kdf"]))


@dataclass(frozen=True)
class Unlocked:
    """What a right password opens: the database key, and (version 2) the account's keys."""

    key: bytes
    user_id: str | None
    account_keys: Any | None  # app.models.account_keys.AccountKeys


def normalise_username(username: str) -> str:
    return (username or "").strip().casefold()


def db_key_context(user_id: Any) -> str:
    return f"db-key|{user_id}"


class KeyFile:
    """The sidecar holding the database key, once per account."""

    def __init__(self, path: Path, file_salt: bytes | None = None, entries: list[KeyEntry] | None = None) -> None:
        self.path = Path(path)
        self.file_salt = file_salt or secrets.token_bytes(16)
        self.entries = entries or []

    @classmethod
    def for_database(cls, db_path: str | Path) -> KeyFile:
        return cls.load(keyfile_path(db_path))

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CryptoError(
                f"找不到密钥文件 {path}。加密数据库须与同名的 .keys 文件放在一起；如已丢失，请从备份恢复。"
            ) from exc
        except (OSError, ValueError) as exc:
            raise CryptoError(f"密钥文件 {path} 无法读取或已损坏。") from exc
        try:
            if raw.get("format") != KEYFILE_FORMAT:
                raise ValueError("format")
            if int(raw.get("version", 0)) > KEYFILE_VERSION:
                raise CryptoError("密钥文件由更新版本的巡察工作台写入，请升级软件。")
            entries = [KeyEntry.from_json(e) for e in raw["entries"]]
            return cls(Path(path), unb64(raw["file_salt"]), entries)
        except (KeyError, TypeError, ValueError) as exc:
            raise CryptoError(f"密钥文件 {path} 格式不正确。") from exc

    def save(self, path: Path | None = None) -> None:
        data = {"format": KEYFILE_FORMAT, "version": KEYFILE_VERSION, "cipher": "sqlcipher4-raw-key",
                "file_salt": b64(self.file_salt), "entries": [e.as_json() for e in self.entries]}
        write_atomically(path or self.path, json.dumps(data, indent=1).encode("utf-8"))

    def tag(self, username: str) -> str:
        return hmac.new(self.file_salt, normalise_username(username).encode("utf-8"), hashlib.sha256).hexdigest()

    def entry(self, username: str) -> KeyEntry | None:
        tag = self.tag(username)
        return next((e for e in self.entries if hmac.compare_digest(e.tag, tag)), None)

    def has(self, username: str) -> bool:
        return self.entry(username) is not None

    def unlock(self, username: str, password: str, *, now: dt.datetime | None = None) -> Unlocked:
        """Open the database key with a password, counting failures in the entry (saved at once).

        A wrong password or an unknown user costs the same one key derivation; an unknown user is not
        counted (there is nothing to count against, and counting would tell which names exist)."""
        now = now or dt.datetime.now(dt.UTC)
        entry = self.entry(username)
        if entry is None:
            derive_key(password or "", secrets.token_bytes(16))
            raise WrongPasswordError()
        if entry.locked_until:
            until = dt.datetime.fromisoformat(entry.locked_until)
            if until > now:
                raise LockedOutError(until)
        try:
            unlocked = self._open(entry, password)
        except WrongPasswordError:
            entry.failed += 1
            duration = lock_duration(entry.failed)
            entry.locked_until = (now + duration).isoformat() if duration else None
            self.save()
            if duration:
                raise LockedOutError(now + duration) from None
            raise
        if entry.failed or entry.locked_until:
            entry.failed, entry.locked_until = 0, None
            self.save()
        return unlocked

    def _open(self, entry: KeyEntry, password: str) -> Unlocked:
        if entry.keys is not None:
            from .account_keys import open_keys, open_sealed

            keys = open_keys(entry.keys, password, entry.user_id)
            try:
                key = open_sealed(keys.exchange, entry.db_key or "", db_key_context(entry.user_id))
            except CryptoError as exc:
                raise CryptoError("密钥文件中的数据库密钥无法解开：密钥文件已损坏或被改动。") from exc
            account_keys = keys
        else:
            kek = derive_key(password or "", entry.salt or b"", entry.kdf)
            try:
                key = unseal(kek, entry.wrapped or b"", _WRAP_AAD + b"|" + entry.tag.encode("ascii"))
            except CryptoError as exc:
                raise WrongPasswordError() from exc
            account_keys = None
        if len(key) != KEY_BYTES:
            raise CryptoError("密钥文件中的数据库密钥长度不正确。")
        return Unlocked(key=key, user_id=entry.user_id, account_keys=account_keys)

    def unwrap(self, username: str, password: str) -> bytes:
        return self.unlock(username, password).key

    def set_account(self, username: str, user_id: Any, sealed_keys: dict[str, Any], exchange_public: str,
                    key: bytes) -> None:
        """An account's entry: its sealed keys and the database key sealed to its exchange key. Needs
        no password, so the office can re-seal a new key for every account. Keeps the entry's
        failure count. Call `save` afterwards."""
        from .account_keys import seal_to

        tag = self.tag(username)
        old = next((e for e in self.entries if e.tag == tag), None)
        entry = KeyEntry(tag=tag, user_id=str(user_id), keys=dict(sealed_keys), exchange=exchange_public,
                         db_key=seal_to(exchange_public, key, db_key_context(user_id)),
                         failed=old.failed if old else 0, locked_until=old.locked_until if old else None)
        self.entries = [e for e in self.entries if e.tag != tag] + [entry]

    def remove(self, username: str) -> bool:
        tag = self.tag(username)
        before = len(self.entries)
        self.entries = [e for e in self.entries if e.tag != tag]
        return len(self.entries) != before

    def tags(self) -> set[str]:
        return {e.tag for e in self.entries}


# --- SQLCipher ----------------------------------------------------------------------------------
def sqlcipher_module() -> Any:
    try:
        from sqlcipher3 import dbapi2
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise EncryptionUnavailableError(
            "未安装数据库加密组件 sqlcipher3，无法打开或创建加密数据库。请重新安装巡察工作台。"
        ) from exc
    return dbapi2


def connect_encrypted(path: str | Path, key: bytes, *, check_same_thread: bool = False) -> Any:
    """A SQLCipher connection, keyed before anything else touches the file, and proven to work."""
    module = sqlcipher_module()
    conn = module.connect(str(path), check_same_thread=check_same_thread)
    try:
        # SQLCipher otherwise prints its own diagnostics (a wrong key) to stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_pragma(key))
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{ENCRYPTED_CACHE_KIB}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        conn.close()
        raise CryptoError("数据库密钥与文件不符（密钥文件可能属于另一个数据库），或文件已损坏。") from exc
    return conn


# Re-keying writes every page, re-encrypted, into the WAL in one transaction (a crash before its
# commit leaves the file under the old key), then checkpoints them into the file. On the bench
# database (1.5 GB) the checkpoint is about a sixth of the time, so it gets that share of the bar.
REKEY_CHECKPOINT_SHARE = 0.2
_WAL_HEADER, _WAL_FRAME_HEADER = 32, 24
_PROGRESS_EVERY_S = 0.25


def rekey(conn: Any, path: str | Path, new_key: bytes, progress: Callable[[int, int], None] | None = None) -> None:
    """Re-encrypt the database `conn` (keyed with the old key) under `new_key`: SQLCipher's
    `PRAGMA rekey`, then a checkpoint, so the file itself holds only the new key's pages.

    `PRAGMA rekey` is one call that says nothing until it is done; `progress` hears (done, total)
    from a thread that watches the WAL (or rollback journal) grow by one frame per page."""
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    total = pages + int(pages * REKEY_CHECKPOINT_SHARE)
    say = _never_raising(progress)
    # The checkpoint is the next step here, not a side effect of the commit.
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_rekey, args=(Path(path), pages, page_size, total, say, stop),
                               name="rekey-progress", daemon=True)
    if progress is not None:
        watcher.start()
    try:
        try:
            conn.execute(key_pragma(new_key).replace("PRAGMA key", "PRAGMA rekey", 1))
        finally:
            # Stopped before the checkpoint empties the WAL it measures.
            stop.set()
            if watcher.is_alive():
                watcher.join()
    except sqlcipher_module().Error as exc:
        raise CryptoError(f"更换密钥失败：{exc}") from exc
    say(pages, total)
    _checkpoint_rekeyed(conn)
    say(total, total)


OLD_PAGES_LEFT = ("新密钥已生效，但有其他程序（另一个巡察工作台窗口或命令）正在读取数据库，文件中仍留有旧密钥加密的内容；"
                  "请关闭它们后重新登录，将自动完成更换")
# Another connection's checkpoint holds the checkpoint lock: SQLite answers at once, without the busy
# handler; tried again this many times, this long apart.
_CHECKPOINT_TRIES, _CHECKPOINT_PAUSE_S = 10, 0.2


class OldPagesLeftError(CryptoError):
    """A re-key is committed but pages under the old key are still in the file (OLD_PAGES_LEFT)."""

    def __init__(self) -> None:
        super().__init__(OLD_PAGES_LEFT)


def _checkpoint_rekeyed(conn: Any) -> None:
    """Copy the re-keyed pages from the WAL over the old ones in the file. Until that is done the
    file itself (a copy of it without its WAL, say) still opens with the old key, which the account
    the re-key shuts out may hold: a reader that outlasts the busy timeout, or a failure, is an
    error (OldPagesLeftError), and the re-key stays due (`keyring.rekey`), finished at the next login.
    Every frame copied with only the WAL's truncation blocked is done: the file holds no old page."""
    log = logging.getLogger(__name__)
    for _ in range(_CHECKPOINT_TRIES):
        try:
            busy, in_wal, copied = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher_module().Error as exc:
            log.exception("checkpoint after re-keying failed")
            raise OldPagesLeftError() from exc
        if in_wal == copied and (not busy or in_wal >= 0):  # (0, -1, -1): not in WAL mode at all
            return
        if not (busy and in_wal < 0):
            break
        time.sleep(_CHECKPOINT_PAUSE_S)
    log.warning("checkpoint after re-keying left frames in the WAL (busy %s, %s in the WAL, %s copied)",
                busy, in_wal, copied)
    raise OldPagesLeftError()


def _never_raising(progress: Callable[[int, int], None] | None) -> Callable[[int, int], None]:
    """A progress report that cannot break the re-key it reports on (a closed window, a broken pipe):
    failing once the new key is committed would leave the key file behind the database."""
    def say(done: int, total: int) -> None:
        if progress is None:
            return
        try:
            progress(done, total)
        except Exception:
            logging.getLogger(__name__).exception("re-key progress report failed")

    return say


def opens_with(path: str | Path, key: bytes) -> bool:
    """Whether `key` opens the encrypted database at `path`."""
    try:
        connect_encrypted(path, key).close()
    except CryptoError:
        return False
    return True


def _watch_rekey(path: Path, pages: int, page_size: int, total: int, say: Callable[[int, int], None],
                 stop: threading.Event) -> None:
    wal, journal = path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")
    shown = 0
    say(shown, total)
    while not stop.wait(_PROGRESS_EVERY_S):
        try:
            written = (wal.stat().st_size - _WAL_HEADER) // (page_size + _WAL_FRAME_HEADER)
        except OSError:
            try:
                written = journal.stat().st_size // (page_size + 8)
            except OSError:
                continue
        # A WAL left by an earlier writer is overwritten from its start: the count never goes back.
        if min(written, pages) > shown:
            shown = min(written, pages)
            say(shown, total)


def table_counts(conn: Any, schema: str = "main") -> dict[str, int]:
    names = [
        r[0] for r in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in sorted(names)}


def export_encrypted(source: Path, source_key: bytes | None, target: Path, target_key: bytes) -> dict[str, int]:
    """Copy a database (plain or encrypted) into a new encrypted file with `sqlcipher_export`.

    Reads one consistent snapshot. Returns the row count of every table, checked equal on both
    sides; the target is removed again if anything differs or fails.
    """
    if target.exists():
        raise CryptoError(f"目标文件已存在：{target}")
    module = sqlcipher_module()
    conn = module.connect(str(source))
    try:
        conn.isolation_level = None
        conn.execute("PRAGMA cipher_log_level = NONE")
        if source_key is not None:
            conn.execute(key_pragma(source_key))
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("BEGIN")
        before = table_counts(conn)
        conn.execute(f"ATTACH DATABASE ? AS target KEY \"x'{target_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('target')")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE target")
    except module.Error as exc:
        conn.close()
        _remove_with_companions(target)
        raise CryptoError(f"加密复制失败：{exc}") from exc
    finally:
        with contextlib.suppress(Exception):
            conn.close()
    # Counted on a fresh connection: the exporting one does not see the copied schema.
    problems = verify_encrypted(target, target_key, expected=before)
    if problems:
        _remove_with_companions(target)
        raise CryptoError("加密复制后的检查未通过：" + "；".join(problems))
    return before


def verify_encrypted(path: Path, key: bytes, expected: dict[str, int] | None = None) -> list[str]:
    """Open with the key and run SQLCipher's and SQLite's own checks (and compare row counts)."""
    try:
        conn = connect_encrypted(path, key)
    except CryptoError as exc:
        return [str(exc)]
    try:
        problems = [f"加密页校验：{r[0]}" for r in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [f"完整性检查：{r[0]}" for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        if expected is not None:
            counts = table_counts(conn)
            if counts != expected:
                problems.append("各表行数与原数据库不一致")
        return problems
    finally:
        conn.close()


def _remove_with_companions(path: Path) -> None:
    for p in (path, *companion_files(path)[:3]):
        with contextlib.suppress(OSError):
            p.unlink()


def checkpoint_plain(path: Path) -> None:
    """Fold a plain database's WAL back into the file (before it is copied or shredded)."""
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


@contextlib.contextmanager
def keyed(path: Path, key: bytes | None) -> Iterator[Any]:
    """A short-lived raw connection to a plain (key None) or encrypted database."""
    if key is None:
        import sqlite3

        conn = sqlite3.connect(str(path))
    else:
        conn = connect_encrypted(path, key)
    try:
        yield conn
    finally:
        conn.close()
