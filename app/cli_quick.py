"""The answers of the commands that read a little (`inspections list`, `sync status`), read with the
standard library's sqlite3 before SQLAlchemy, the models and the services are loaded.

Those take ~0.5 s of CPU to import: the whole of DESIGN.md's 0.5 s for such a command (issue 16:
0.35 s with its margin). So where nothing has to be checked first — an existing plain file without
accounts (app.models.peek.opens_without_login, the window's own test: no login, the local
administrator reads everything) whose schema is this version's — the answer is read here, read-only.
Anything else (a server, an encrypted file, a file with accounts, an older or newer schema, a lock,
a copy without its sync identity yet) gives None, and the command goes the services' way, login,
upgrade and all. tests/test_cli_quick.py holds each answer to the services' own.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from app.models.peek import connect_read_only, is_server_url, opens_without_login

# app.sync.conflicts.BUSINESS_KEYS without its models: the tables whose rows may be duplicated by a
# merge, and the columns they are known by (tests/test_cli_quick.py holds the two equal).
DUPLICATE_KEYS: dict[str, tuple[str, ...]] = {
    "issued_documents": ("number_text",),
    "units": ("name",),
    "unit_people": ("unit_id", "name"),
    "inspection_units": ("inspection_id", "unit_id"),
    "team_assignments": ("inspection_id", "inspector_id"),
    "users": ("username",),
    "rectification_plans": ("inspection_id", "unit_id"),
    "findings": ("inspection_id", "number"),
}
# This copy's identity (app.sync.identity) and the inspections it holds (app.sync.exchange.SCOPE_KEY).
SITE_KEYS = ("site.id", "site.x25519_private", "site.ed25519_private", "site.name", "site.role")
SCOPE_KEY = "sync.scope"


def _connect(location: object) -> sqlite3.Connection | None:
    """A read-only connection to `location` when it may be answered here, else None."""
    if location is None or is_server_url(location) or not Path(str(location)).is_file():
        return None
    path = Path(str(location))
    if not opens_without_login(path):
        return None
    from app.models.migrate import head_revision

    try:
        conn = connect_read_only(path)
        versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        # The services' rule (auth.has_accounts), stricter than the window's: an active account
        # without a password here (synced accounts carry none) still makes the command ask.
        accounts = conn.execute("SELECT 1 FROM users WHERE deleted_at IS NULL AND active = 1 LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    if versions != [head_revision()] or accounts is not None:
        conn.close()
        return None
    return conn


def _answer(location: object, read: Any) -> Any:
    conn = _connect(location)
    if conn is None:
        return None
    try:
        return read(conn)
    except (sqlite3.Error, ValueError):
        return None  # a lock held too long, a damaged row: the services' way says what is wrong
    finally:
        conn.close()


def inspections(location: object) -> list[Any] | None:
    """`InspectionService.list` for the local administrator (app.services.launch_summary.InspectionRow)."""
    from app.services.launch_summary import inspection_rows

    return _answer(location, inspection_rows)


def sync_status(location: object) -> dict[str, Any] | None:
    """What `xuncha sync status` shows (app.cli_sync.status_data), or None."""
    return _answer(location, _status)


def _status(conn: sqlite3.Connection) -> dict[str, Any] | None:
    keys = (*SITE_KEYS, SCOPE_KEY)
    settings = dict(conn.execute(f"SELECT key, value FROM settings WHERE key IN ({', '.join('?' * len(keys))})",  # noqa: S608
                                 keys).fetchall())
    if any(not settings.get(key) for key in SITE_KEYS):
        return None  # ensure_identity would create it: a write, the services' way
    me = uuid.UUID(settings["site.id"])
    cover = {str(uuid.UUID(origin)): seq for origin, seq in conn.execute("SELECT origin_site_id, max_seq FROM site_coverage")}
    cover[str(me)] = conn.execute("SELECT max(seq) FROM change_events WHERE site_id = ?", (me.hex,)).fetchone()[0] or 0
    revoked = {uuid.UUID(r[0]) for r in conn.execute("SELECT site_id FROM site_revocations WHERE deleted_at IS NULL")}
    peers = [
        {"site_id": str(uuid.UUID(site)), "name": name, "role": role, "trusted_via": via, "scope": _json(scope),
         "revoked": uuid.UUID(site) in revoked, "fingerprint": _fingerprint(x25519, ed25519),
         "holds_of_mine": cover.get(str(uuid.UUID(site)), 0)}
        for site, name, role, via, scope, x25519, ed25519 in conn.execute(
            "SELECT site_id, name, role, trusted_via, scope, x25519_public, ed25519_public FROM sync_peers ORDER BY name")
    ]
    x25519, ed25519 = _public_keys(settings["site.x25519_private"], settings["site.ed25519_private"])
    return {
        "site_id": str(me), "name": settings["site.name"], "role": settings["site.role"],
        "fingerprint": _fingerprint(x25519, ed25519), "scope": _json(settings.get(SCOPE_KEY) or None),
        "coverage": cover, "open_conflicts": _conflict_count(conn), "peers": peers,
    }


def _json(value: str | None) -> Any:
    return json.loads(value) if value else None


def _conflict_count(conn: sqlite3.Connection) -> int:
    """How many conflicts `app.sync.conflicts.list_conflicts` lists: the recorded ones and the
    duplicate groups, counted as `duplicate_count` counts them (by the database alone; the coalesce
    leaves SQLite the covering index in group order rather than the deleted_at index)."""
    total = conn.execute("SELECT count(*) FROM sync_conflicts").fetchone()[0]
    for table, columns in DUPLICATE_KEYS.items():
        key = ", ".join(columns)
        total += conn.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} WHERE coalesce(deleted_at, NULL) IS NULL "  # noqa: S608 - fixed names
            f"GROUP BY {key} HAVING count(*) > 1)").fetchone()[0]
    return total


def _public_keys(x25519_private: str, ed25519_private: str) -> tuple[str, str]:
    """This copy's public keys, as app.sync.identity.SiteIdentity gives them (base64 of the raw bytes)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    # public_bytes_raw: the raw encoding without importing the serialization module (~30 ms).
    x = X25519PrivateKey.from_private_bytes(base64.b64decode(x25519_private, validate=True)).public_key()
    ed = Ed25519PrivateKey.from_private_bytes(base64.b64decode(ed25519_private, validate=True)).public_key()
    return base64.b64encode(x.public_bytes_raw()).decode("ascii"), base64.b64encode(ed.public_bytes_raw()).decode("ascii")


def _fingerprint(x25519_public: str, ed25519_public: str) -> str:
    """app.sync.identity.fingerprint (that module loads SQLAlchemy): the same digest, the same groups."""
    import hashlib

    digest = hashlib.sha256((x25519_public + ed25519_public).encode("ascii")).hexdigest()[:20].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))
