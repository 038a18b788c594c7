"""The sync package file: a signed, encrypted envelope around a compressed JSON payload.

    MAGIC | format (2 bytes) | header length (4) | header (JSON) | body length (8) | body | signature (64)

The header is readable (who sent it, to whom, how it is encrypted) and bound to the body as AES-GCM
associated data; the signature (Ed25519, the sender's site key) covers everything before it, so a
flipped byte anywhere is caught before anything is decrypted or written. The body is encrypted for
one receiver (X25519 with a fresh ephemeral key, HKDF-SHA256, AES-256-GCM), or, for a team kit whose
receiver has no keys yet, with a key derived from a passphrase (Argon2id).
"""

from __future__ import annotations

import json
import os
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.models.crypto import write_atomically  # noqa: F401 - packages are written the same safe way
from app.services.errors import ServiceError

from .identity import SiteIdentity, b64, raw_public, unb64

MAGIC = b"XUNCHA-SYNC\n"
FORMAT_VERSION = 1
MAX_HEADER = 64 * 1024
_SIGNATURE = 64
# Argon2id for a typed passphrase: memory-hard, so guessing a kit's passphrase stays expensive.
KIT_KDF: dict[str, Any] = {"name": "argon2id", "iterations": 3, "lanes": 4, "memory_kib": 64 * 1024}


class PackageError(ServiceError):
    """A package that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Envelope:
    header: dict[str, Any]
    signed: bytes  # everything the signature covers
    header_bytes: bytes
    body: bytes
    signature: bytes


def _hkdf(shared: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def _kit_key(passphrase: str, salt: bytes) -> bytes:
    # The one Argon2id of the program (argon2-cffi), as for passwords: RFC 9106, the same key any
    # implementation derives from these parameters.
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(passphrase.encode("utf-8"), salt, time_cost=KIT_KDF["iterations"],
                           memory_cost=KIT_KDF["memory_kib"], parallelism=KIT_KDF["lanes"], hash_len=32, type=Type.ID)


def _info(header: dict[str, Any]) -> bytes:
    return f"xuncha-sync-v1|{header['sender']}|{header.get('receiver')}".encode()


def seal(
    payload: dict[str, Any],
    sender: SiteIdentity,
    *,
    receiver_site: str | None,
    receiver_x25519: str | None,
    passphrase: str | None = None,
    extra_header: dict[str, Any] | None = None,
) -> bytes:
    """Compress, encrypt for the receiver (or the passphrase), and sign."""
    nonce = os.urandom(12)
    header: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "sender": str(sender.site_id),
        "sender_name": sender.name,
        "receiver": receiver_site,
        "sender_x25519": sender.x25519_public,
        "sender_ed25519": sender.ed25519_public,
        "nonce": b64(nonce),
        **(extra_header or {}),
    }
    if passphrase is not None:
        salt = os.urandom(16)
        header["encryption"] = {"kind": "passphrase", "kdf": KIT_KDF, "salt": b64(salt)}
        key = _kit_key(passphrase, salt)
    else:
        if receiver_x25519 is None:
            raise ValueError("a receiver key or a passphrase is needed")
        ephemeral = X25519PrivateKey.generate()
        header["encryption"] = {"kind": "x25519", "ephemeral": b64(raw_public(ephemeral.public_key()))}
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(unb64(receiver_x25519)))
        key = _hkdf(shared, _info(header))
    header_bytes = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    # orjson: the same compact UTF-8 JSON as json.dumps(separators=(",", ":"), ensure_ascii=False),
    # several times faster for a package of 20,000 events.
    plain = zlib.compress(orjson.dumps(payload), 6)
    body = AESGCM(key).encrypt(nonce, plain, header_bytes)
    signed = (
        MAGIC + struct.pack(">H", FORMAT_VERSION) + struct.pack(">I", len(header_bytes)) + header_bytes
        + struct.pack(">Q", len(body)) + body
    )
    return signed + sender.ed25519.sign(signed)


_DAMAGED = "同步包不完整或已损坏（可能在复制过程中被中断，或被改动过），未导入任何数据。请重新导出后再试。"


def parse(data: bytes) -> Envelope:
    """Split a package into its parts, checking the framing only (nothing is trusted yet)."""
    if not data.startswith(MAGIC):
        raise PackageError("这不是巡察工作台的同步包文件。")
    pos = len(MAGIC)
    try:
        (version,) = struct.unpack_from(">H", data, pos)
        if version > FORMAT_VERSION:
            raise PackageError("该同步包由更新版本的巡察工作台生成，请先升级本软件再导入。")
        (header_len,) = struct.unpack_from(">I", data, pos + 2)
        if header_len > MAX_HEADER:
            raise PackageError(_DAMAGED)
        header_bytes = data[pos + 6 : pos + 6 + header_len]
        pos += 6 + header_len
        (body_len,) = struct.unpack_from(">Q", data, pos)
        body = data[pos + 8 : pos + 8 + body_len]
        pos += 8 + body_len
        signature = data[pos:]
        if len(header_bytes) != header_len or len(body) != body_len or len(signature) != _SIGNATURE:
            raise PackageError(_DAMAGED)
        header = json.loads(header_bytes.decode("utf-8"))
    except (struct.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(_DAMAGED) from exc
    check_header(header)
    return Envelope(header=header, signed=data[:pos], header_bytes=header_bytes, body=body, signature=signature)


def _b64_of(value: Any, size: int) -> bool:
    if not isinstance(value, str) or len(value) > 4 * size:
        return False
    try:
        return len(unb64(value)) == size
    except ValueError:
        return False


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def check_header(header: Any) -> None:
    """Every field of the readable header, checked before anything else is done with the package:
    a flipped byte there gets a sentence, never a Python error."""
    if not isinstance(header, dict):
        raise PackageError(_DAMAGED)
    problems = []
    if not _is_uuid(header.get("sender")):
        problems.append("发送方编号")
    if header.get("receiver") is not None and not _is_uuid(header.get("receiver")):
        problems.append("接收方编号")
    name = header.get("sender_name")
    if name is not None and (not isinstance(name, str) or len(name) > 120):
        problems.append("发送方名称")
    if not _b64_of(header.get("sender_ed25519"), 32):
        problems.append("发送方签名公钥")
    if header.get("sender_x25519") is not None and not _b64_of(header.get("sender_x25519"), 32):
        problems.append("发送方加密公钥")
    if not _b64_of(header.get("nonce"), 12):
        problems.append("随机数")
    encryption = header.get("encryption")
    if not isinstance(encryption, dict) or encryption.get("kind") not in ("x25519", "passphrase"):
        problems.append("加密方式")
    elif encryption["kind"] == "x25519" and not _b64_of(encryption.get("ephemeral"), 32):
        problems.append("临时公钥")
    elif encryption["kind"] == "passphrase" and not (_b64_of(encryption.get("salt"), 16) and isinstance(encryption.get("kdf"), dict)):
        problems.append("口令参数")
    if header.get("kind") not in (None, "sync", "kit"):
        problems.append("包类型")
    if problems:
        raise PackageError(f"同步包的文件头已损坏（{'、'.join(problems)}不正确），未导入任何数据。请重新导出后再试。")


def verify(envelope: Envelope, ed25519_public: str) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(ed25519_public)).verify(envelope.signature, envelope.signed)
    except (InvalidSignature, ValueError) as exc:
        raise PackageError("同步包的签名无效：文件已被改动或来源不符，未导入任何数据。") from exc


def open_body(envelope: Envelope, receiver: SiteIdentity | None, passphrase: str | None = None) -> dict[str, Any]:
    """Decrypt, decompress and read the payload (after `verify`)."""
    return read_payload(plain_body(envelope, receiver, passphrase))


def read_payload(plain: bytes) -> dict[str, Any]:
    try:
        payload = orjson.loads(plain)
    except orjson.JSONDecodeError as exc:
        raise PackageError(_DAMAGED) from exc
    if not isinstance(payload, dict):
        raise PackageError(_DAMAGED)
    return payload


def plain_body(envelope: Envelope, receiver: SiteIdentity | None, passphrase: str | None = None) -> bytes:
    """The decrypted, decompressed payload as JSON text (after `verify`)."""
    encryption = envelope.header["encryption"]
    try:
        if encryption.get("kind") == "passphrase":
            if passphrase is None:
                raise PackageError("这是工作包，需要输入准备工作包时设定的口令。")
            key = _kit_key(passphrase, unb64(encryption["salt"]))
        elif receiver is not None:
            shared = receiver.x25519.exchange(X25519PublicKey.from_public_bytes(unb64(encryption["ephemeral"])))
            key = _hkdf(shared, _info(envelope.header))
        else:
            raise PackageError(_DAMAGED)
        plain = AESGCM(key).decrypt(unb64(envelope.header["nonce"]), envelope.body, envelope.header_bytes)
    except InvalidTag as exc:
        if encryption.get("kind") == "passphrase":
            raise PackageError("口令不正确，无法打开工作包。") from exc
        raise PackageError("无法解密同步包：它不是发给本机的，或已损坏。") from exc
    except (KeyError, ValueError) as exc:
        raise PackageError(_DAMAGED) from exc
    return inflate(plain)


# A package's JSON compresses about five to ten times; anything far beyond is not a package but a
# bomb. The bound is checked while inflating, so nothing larger is ever held in memory.
MAX_INFLATION = 60
MAX_PLAIN_BYTES = 3 * 1024**3
MIN_PLAIN_BOUND = 64 * 1024**2


def inflate(compressed: bytes) -> bytes:
    limit = min(MAX_PLAIN_BYTES, max(MIN_PLAIN_BOUND, MAX_INFLATION * len(compressed)))
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(compressed, limit + 1)
    except zlib.error as exc:
        raise PackageError(_DAMAGED) from exc
    if len(plain) > limit or inflater.unconsumed_tail:
        raise PackageError("同步包解压后的大小远超正常范围（可能是恶意构造的文件），未导入任何数据。")
    if not inflater.eof:
        raise PackageError(_DAMAGED)
    return plain
