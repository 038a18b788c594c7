"""Each account's own key pairs, sealed under its password.

An account holds two key pairs. Its Ed25519 key signs every change the user makes (the batches of
app.models.changelog), so no other account, and no copy, can make a change count as theirs. Its
X25519 key receives the database key on every machine: the key file beside an encrypted database
holds, per account, the database key sealed to that public key (app.models.crypto.KeyFile), so the
office can re-key a database and re-seal the new key for every remaining account without knowing
anyone's password.

The private halves are sealed together under a key derived from the password (Argon2id, one
derivation per login) and travel in the account's row, so an account that reaches another copy by a
kit or a sync package can log in and sign there with the same password. Holding the sealed blob
without the password gives nothing an offline guess of the password hash would not.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import crypto

_SEAL_AAD = b"xuncha-account-keys-v1"
_TO_AAD = b"xuncha-sealed-to-v1"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def public_b64(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


@dataclass(frozen=True)
class AccountKeys:
    signing: Ed25519PrivateKey = field(repr=False)
    exchange: X25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> AccountKeys:
        return cls(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())

    @property
    def signing_public(self) -> str:
        return public_b64(self.signing)

    @property
    def exchange_public(self) -> str:
        return public_b64(self.exchange)


def _aad(user_id: str) -> bytes:
    return _SEAL_AAD + b"|" + str(user_id).encode("ascii")


@dataclass(frozen=True)
class SealingKey:
    """A password's sealing key: one Argon2id derivation (crypto.KDF_PARAMS) under a fresh salt.

    Deriving it ahead of `seal_keys` lets a caller run the slow part first, on its own (creating a
    database says "派生密钥…" while it runs) and then seal without deriving again."""

    salt: bytes = field(repr=False)
    key: bytes = field(repr=False)
    params: dict[str, Any] = field(default_factory=lambda: dict(crypto.KDF_PARAMS))

    @classmethod
    def derive(cls, password: str) -> SealingKey:
        salt, params = secrets.token_bytes(16), dict(crypto.KDF_PARAMS)
        return cls(salt, crypto.derive_key(password, salt, params), params)


def seal_keys(keys: AccountKeys, password: str, user_id: Any, sealing: SealingKey | None = None) -> dict[str, Any]:
    """The private halves sealed under the password: what the account's row and key entries hold.
    `sealing`: the password's key when already derived (it must be derived from `password`)."""
    sealing = sealing or SealingKey.derive(password)
    plain = _raw_private(keys.signing) + _raw_private(keys.exchange)
    return {"salt": b64(sealing.salt), "kdf": dict(sealing.params),
            "sealed": b64(crypto.seal(sealing.key, plain, _aad(user_id)))}


def open_keys(sealed: dict[str, Any], password: str, user_id: Any) -> AccountKeys:
    """The account's keys, given its password; WrongPasswordError otherwise (one key derivation)."""
    try:
        salt, kdf, blob = unb64(sealed["salt"]), dict(sealed["kdf"]), unb64(sealed["sealed"])
    except (KeyError, TypeError, ValueError) as exc:
        raise crypto.CryptoError("账户密钥数据格式不正确。") from exc
    kek = crypto.derive_key(password or "", salt, kdf)
    try:
        plain = crypto.unseal(kek, blob, _aad(user_id))
    except crypto.CryptoError as exc:
        raise crypto.WrongPasswordError() from exc
    if len(plain) != 64:
        raise crypto.CryptoError("账户密钥数据长度不正确。")
    return AccountKeys(Ed25519PrivateKey.from_private_bytes(plain[:32]), X25519PrivateKey.from_private_bytes(plain[32:]))


def _wrap_key(shared: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal_to(exchange_public: str, secret: bytes, context: str) -> str:
    """`secret` readable only by the holder of the X25519 private key (ephemeral X25519, HKDF, AES-GCM)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(unb64(exchange_public)))
    info = _TO_AAD + b"|" + context.encode("utf-8")
    return b64(ephemeral_public + crypto.seal(_wrap_key(shared, info), secret, info))


def open_sealed(exchange: X25519PrivateKey, sealed: str, context: str) -> bytes:
    try:
        raw = unb64(sealed)
        shared = exchange.exchange(X25519PublicKey.from_public_bytes(raw[:32]))
    except (TypeError, ValueError) as exc:
        raise crypto.CryptoError("密钥文件中的数据格式不正确。") from exc
    info = _TO_AAD + b"|" + context.encode("utf-8")
    return crypto.unseal(_wrap_key(shared, info), raw[32:], info)


def verify_signature(public: str, signature: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        Ed25519PublicKey.from_public_bytes(unb64(public)).verify(unb64(signature), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
