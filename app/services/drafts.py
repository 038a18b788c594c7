"""Where the window keeps the drafts typed against a database, and how they are kept unreadable.

A draft (the 谈话笔录 being typed) lives outside the database so a dead battery loses nothing. For
an encrypted database it is sealed (AES-256-GCM) with the database's `drafts` subkey, so it is as
unreadable as the database itself; files and folder are private to the user (0600/0700).

The folder is named after the database file's real path (absolute, symbolic links resolved), so the
window and `handover --confirm` find the same folder however the path was typed. Versions before
this one named it after the path as typed: `legacy_folders` lists those too, for the hand-over.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from app.models import crypto
from app.models.db import Database
from app.paths import user_data_dir

PURPOSE = "drafts"
SEALED_SUFFIX = ".draft"
PLAIN_SUFFIX = ".json"


def real_path(path: str | Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(os.path.expanduser(str(path)))))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def drafts_root() -> Path:
    return user_data_dir() / "drafts"


def drafts_folder(db: Database) -> Path:
    """The one folder for this database's drafts."""
    path = db.path
    name = f"sqlite:///{real_path(path)}" if path is not None else db.url
    return drafts_root() / _digest(name)


def legacy_folders(db: Database) -> list[Path]:
    """Folders earlier versions may have used for this database (named after the path as typed)."""
    path = db.path
    if path is None:
        return []
    spellings = {db.url, f"sqlite:///{path}", f"sqlite:///{Path(os.path.abspath(path))}",
                 f"sqlite:///{real_path(path)}"}
    current = drafts_folder(db)
    return sorted({drafts_root() / _digest(s) for s in spellings} - {current})


def draft_key(db: Database) -> bytes | None:
    """The key drafts are sealed with: derived from the database key (None for a plain database)."""
    return db.subkey(PURPOSE)


def seal(key: bytes | None, name: str, payload: bytes) -> bytes:
    """The bytes stored for a draft: sealed under `key` (bound to the draft's name), or as given."""
    return crypto.seal(key, payload, aad=name.encode("utf-8")) if key is not None else payload


def unseal(key: bytes | None, name: str, stored: bytes) -> bytes:
    return crypto.unseal(key, stored, aad=name.encode("utf-8")) if key is not None else stored


def all_draft_files(db: Database) -> list[Path]:
    """Every draft file kept for this database, in its folder and the folders earlier versions used."""
    files: list[Path] = []
    for folder in [drafts_folder(db), *legacy_folders(db)]:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    return files
