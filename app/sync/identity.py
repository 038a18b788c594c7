"""This copy's identity: its site id and its key pairs, created on first run.

The private keys live in the database's settings, so they are exactly as protected as the data
they unlock (the database is encrypted at rest). One place for site keys: sync and security both
read them from here.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Setting
from app.models.changelog import SITE_ID_KEY
from app.models.db import Database

_X25519 = "site.x25519_private"
_ED25519 = "site.ed25519_private"
_NAME = "site.name"
_ROLE = "site.role"
ROLE_MASTER, ROLE_LAPTOP = "master", "laptop"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _raw_private(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def raw_public(key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(x25519_public: str, ed25519_public: str) -> str:
    """Short, readable proof of a peer's keys, to compare by phone or on paper."""
    digest = hashlib.sha256((x25519_public + ed25519_public).encode("ascii")).hexdigest()[:20].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class SiteIdentity:
    site_id: uuid.UUID
    name: str
    role: str
    x25519: X25519PrivateKey
    ed25519: Ed25519PrivateKey

    @property
    def x25519_public(self) -> str:
        return b64(raw_public(self.x25519.public_key()))

    @property
    def ed25519_public(self) -> str:
        return b64(raw_public(self.ed25519.public_key()))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.x25519_public, self.ed25519_public)


def _get(session: Session, key: str) -> str | None:
    return session.scalar(select(Setting.value).where(Setting.key == key))


def ensure_identity(db: Database, *, name: str | None = None, role: str | None = None) -> SiteIdentity:
    """Load this copy's identity, creating whatever part of it is missing."""
    with db.write() as session:
        values: dict[str, Any] = {k: _get(session, k) for k in (SITE_ID_KEY, _X25519, _ED25519, _NAME, _ROLE)}
        if values[SITE_ID_KEY] is None:
            values[SITE_ID_KEY] = str(uuid.uuid4())
        if values[_X25519] is None:
            values[_X25519] = b64(_raw_private(X25519PrivateKey.generate()))
        if values[_ED25519] is None:
            values[_ED25519] = b64(_raw_private(Ed25519PrivateKey.generate()))
        if name is not None or values[_NAME] is None:
            values[_NAME] = name or f"站点 {values[SITE_ID_KEY][:8]}"
        if role is not None or values[_ROLE] is None:
            values[_ROLE] = role or ROLE_MASTER
        for key, value in values.items():
            session.merge(Setting(key=key, value=value))
    return SiteIdentity(
        site_id=uuid.UUID(values[SITE_ID_KEY]),
        name=values[_NAME],
        role=values[_ROLE],
        x25519=X25519PrivateKey.from_private_bytes(unb64(values[_X25519])),
        ed25519=Ed25519PrivateKey.from_private_bytes(unb64(values[_ED25519])),
    )
