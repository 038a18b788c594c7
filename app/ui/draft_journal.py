"""Drafts kept on local disk while someone types, so a dead battery loses nothing.

Each draft is one small JSON file, replaced atomically (written beside, flushed to disk, renamed),
so a crash mid-write leaves the previous draft intact. Drafts are per database file: a draft typed
against one database is never offered in another. A draft is removed once its content is safely
in the database.

The journal holds what the user typed in plain text: it lives in the user's own data folder, and
must be encrypted the same way as the database once database encryption arrives.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from app.paths import user_data_dir


def journal_folder(database_url: str) -> Path:
    digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return user_data_dir() / "drafts" / digest


class DraftJournal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        safe = "".join(c for c in key if c.isalnum() or c in "-_")
        return self.folder / f"{safe}.json"

    def save(self, key: str, data: dict[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(key)
        partial = target.with_suffix(".tmp")
        payload = json.dumps({"key": key, "saved_at": time.time(), "data": data}, ensure_ascii=False, default=str)
        with partial.open("w", encoding="utf-8") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)

    def load(self, key: str) -> dict[str, Any] | None:
        return self._read(self._path(key))

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def entries(self, prefix: str = "") -> list[tuple[str, float, dict[str, Any]]]:
        """(key, saved_at, data) of every readable draft whose key starts with `prefix`, newest first."""
        if not self.folder.exists():
            return []
        found = []
        for path in self.folder.glob("*.json"):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(raw, dict) and str(raw.get("key", "")).startswith(prefix):
                found.append((raw["key"], float(raw.get("saved_at", 0)), raw.get("data") or {}))
        return sorted(found, key=lambda e: e[1], reverse=True)

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return raw.get("data") if isinstance(raw, dict) else None
