"""Drafts kept on local disk while someone types, so a dead battery loses nothing.

Each draft is one small file, replaced atomically (written beside, flushed to disk, renamed), so a
crash mid-write leaves the previous draft intact. Drafts are per database file: a draft typed
against one database is never offered in another. A draft is removed once its content is safely
in the database.

For an encrypted database every draft is sealed with the database's draft subkey (see
app/services/drafts.py): nothing typed reaches the disk in plain text. Files are 0600, the folder
0700.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from app.models import crypto
from app.models.db import Database
from app.services import drafts


def journal_folder(db: Database) -> Path:
    return drafts.drafts_folder(db)


class DraftJournal:
    def __init__(self, folder: Path, key: bytes | None = None) -> None:
        self.folder = folder
        self._key = key

    @classmethod
    def for_database(cls, db: Database) -> DraftJournal:
        return cls(drafts.drafts_folder(db), drafts.draft_key(db))

    @property
    def sealed(self) -> bool:
        return self._key is not None

    def _name(self, key: str) -> str:
        return "".join(c for c in key if c.isalnum() or c in "-_")

    def _path(self, key: str) -> Path:
        suffix = drafts.SEALED_SUFFIX if self.sealed else drafts.PLAIN_SUFFIX
        return self.folder / f"{self._name(key)}{suffix}"

    def save(self, key: str, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(self.folder, 0o700)
        payload = json.dumps({"key": key, "saved_at": time.time(), "data": data}, ensure_ascii=False,
                             default=str).encode("utf-8")
        crypto.write_atomically(self._path(key), drafts.seal(self._key, self._name(key), payload), mode=0o600)

    def load(self, key: str) -> dict[str, Any] | None:
        raw = self._read(self._path(key))
        return raw.get("data") if raw else None

    def discard(self, key: str) -> None:
        for suffix in (drafts.SEALED_SUFFIX, drafts.PLAIN_SUFFIX):
            target = self.folder / f"{self._name(key)}{suffix}"
            if target.exists():
                # Overwritten before removal: a plain draft from before sealing held what was typed.
                crypto.shred(target)

    def entries(self, prefix: str = "") -> list[tuple[str, float, dict[str, Any]]]:
        """(key, saved_at, data) of every readable draft whose key starts with `prefix`, newest first."""
        if not self.folder.exists():
            return []
        found = []
        for path in self.folder.iterdir():
            if path.suffix not in (drafts.SEALED_SUFFIX, drafts.PLAIN_SUFFIX):
                continue
            raw = self._read(path)
            if isinstance(raw, dict) and str(raw.get("key", "")).startswith(prefix):
                found.append((raw["key"], float(raw.get("saved_at", 0)), raw.get("data") or {}))
        return sorted(found, key=lambda e: e[1], reverse=True)

    def _read(self, path: Path) -> dict[str, Any] | None:
        try:
            stored = path.read_bytes()
            if path.suffix == drafts.SEALED_SUFFIX:
                if self._key is None:
                    return None
                stored = drafts.unseal(self._key, path.stem, stored)
            raw = json.loads(stored.decode("utf-8"))
        except (OSError, ValueError, crypto.CryptoError):
            return None
        return raw if isinstance(raw, dict) else None
