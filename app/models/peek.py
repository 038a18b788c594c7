"""What the launch needs to know of a database before SQLAlchemy is loaded (~0.5 s of CPU on the
reference laptop): whether `--db` names a server, whether a file exists, and whether a plain file
has accounts (then the window asks who is working). Standard library only; read-only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .crypto import is_encrypted, is_plain_sqlite, keyfile_path

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_url(location: object) -> bool:
    """Whether `--db` names a PostgreSQL database rather than a file."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def file_exists(path: str | Path) -> bool:
    """Whether the database file exists and is not empty."""
    path = Path(path)
    return path.exists() and path.stat().st_size > 0


# How long a launch waits for a writer's lock before taking the safe answer (a login, or no summary).
READ_TIMEOUT = 1.0


def connect_read_only(path: str | Path) -> sqlite3.Connection:
    """A plain file opened read-only: nothing is created, upgraded or locked for writing."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=READ_TIMEOUT)


def plain_file_has_accounts(path: str | Path) -> bool:
    """Whether a plain (unencrypted) file holds an active account with a password. A file that is
    not a plain SQLite database has none here (opening it asks for its key, or says what is wrong);
    one without an accounts table yet has none. When the file cannot be read, the answer is yes:
    asking who is working is the safe mistake."""
    if not is_plain_sqlite(path):
        return False
    try:
        conn = connect_read_only(path)
    except sqlite3.Error:
        return True
    try:
        row = conn.execute(
            "SELECT 1 FROM users WHERE deleted_at IS NULL AND active = 1 AND password_hash IS NOT NULL LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError as exc:
        # No accounts table yet (a file from before accounts): none. Anything else — a lock held
        # by a writer, a read error — must not open a file that may have accounts without asking
        # who is working: the login path opens it properly and says what is wrong.
        return "no such table" not in str(exc)
    except sqlite3.Error:
        return True
    finally:
        conn.close()
    return row is not None


def file_needs_login(path: str | Path) -> bool:
    """Whether opening an existing file asks who is working (app.services.setup.needs_login, for a
    file): an encrypted one with its key file beside it (without it, opening says what is missing),
    or a plain one with accounts (or whose accounts cannot be read: plain_file_has_accounts). A
    missing file: no (the first start makes one)."""
    if not file_exists(path):
        return False
    if not is_plain_sqlite(path):
        return is_encrypted(path) and keyfile_path(path).exists()
    return plain_file_has_accounts(path)


def opens_without_login(location: str | Path) -> bool:
    """Whether the window may open `location` without asking who is working: an existing plain
    file without accounts. Anything else (a server, an encrypted or missing file) goes through the
    login (or first-start) path, which loads SQLAlchemy."""
    return (not is_server_url(location) and file_exists(location) and is_plain_sqlite(location)
            and not plain_file_has_accounts(location))
