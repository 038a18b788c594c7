"""The team kit: what turns a fresh installation into a team's workstation.

Only an administrator exports one: the inspection, its team, units, people, templates, reference data
and accounts, with the master's public keys and a one-time enrollment token, encrypted under a
passphrase (the laptop has no keys the master knows yet), and the name the laptop will go by. It is
imported only into a new, empty database, and only after the person importing it has compared the
office's key fingerprint (read out by the office, as SSH does) with the kit's: a kit made by anyone
else carries another fingerprint. The laptop then trusts the master, and proves itself to the master
with the token in its first package.
"""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.gc_pause import paused_gc
from app.models import Inspection, Setting, SyncEnrollment, SyncPeer, User, utcnow
from app.models.changelog import SUPPRESS
from app.models.db import Database
from app.services.context import Actor
from app.services.permissions import Facts, operation, require

from . import batches
from .exchange import (
    ENROLLMENT_KEY,
    SCOPE_KEY,
    ImportSummary,
    KitOrigin,
    Progress,
    SyncError,
    _apply,
    _collect,
    _manifest,
    _read_file,
    ensure_logged,
)
from .identity import ROLE_LAPTOP, ROLE_MASTER, SiteIdentity, ensure_identity, fingerprint
from .package import open_body, parse, seal, verify, write_atomically

MIN_PASSPHRASE = 8


@dataclass
class KitSummary:
    path: Path
    inspections: list[str]
    events: int
    bytes: int
    master_fingerprint: str


def export_team_kit(db: Database, me: SiteIdentity, inspection_ids: list[str], passphrase: str, out: Path, *,
                    actor: Actor, label: str | None = None) -> KitSummary:
    """`label`: the laptop's name, shown on every copy and usable with `sync export --to`."""
    require(operation("kit.export"), Facts(role=actor.role, bound=False))
    if me.role == ROLE_LAPTOP:
        raise SyncError("只有巡察办主库可以准备工作包。")
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise SyncError(f"口令至少需要 {MIN_PASSPHRASE} 个字符。")
    if not inspection_ids:
        raise SyncError("请选择工作包包含的巡察。")
    scope = [str(uuid.UUID(str(i))) for i in inspection_ids]
    ensure_logged(db, me, scope)
    with db.write() as session:
        names = [n for i in scope if (n := session.get(Inspection, uuid.UUID(i))) is not None and n.deleted_at is None]
        if len(names) != len(scope):
            raise SyncError("所选巡察不存在或已被删除。")
        token = secrets.token_hex(32)
        name = (label or "").strip()[:120] or ("笔记本（" + "、".join(n.name for n in names) + "）")[:120]
        session.add(SyncEnrollment(token=token, label=name, scope=scope, created_at=utcnow()))
        events, blobs, origins = _collect(session, me, {}, scope)
        manifest = _manifest(session, me, origins, events, "kit", scope)
        manifest["enrollment_token"] = token
        manifest["laptop_name"] = name
        manifest["reference_versions"] = {
            s.key: s.value for s in session.scalars(select(Setting).where(Setting.key.like("reference.%.version")))
        }
        signed = batches.for_events(session, events)
    data = seal({"manifest": manifest, "events": events, "blobs": blobs, "batches": signed}, me, receiver_site=None,
                receiver_x25519=None, passphrase=passphrase, extra_header={"kind": "kit"})
    write_atomically(out, data)
    return KitSummary(Path(out), [n.name for n in names], len(events), len(data), me.fingerprint)


def kit_fingerprint(path: Path) -> str:
    """The office fingerprint a kit carries, to show before asking for it to be confirmed."""
    header = parse(_read_file(path)).header
    if header.get("kind") != "kit":
        raise SyncError("这不是工作包，而是普通同步包，请使用“导入同步包”。")
    return fingerprint(header.get("sender_x25519", ""), header["sender_ed25519"])


def _same_fingerprint(typed: str, actual: str) -> bool:
    def norm(text: str) -> str:
        return "".join(c for c in (text or "").upper() if c.isalnum())

    return bool(norm(typed)) and hmac.compare_digest(norm(typed), norm(actual))


def is_empty(session: Any) -> bool:
    """A new database: no accounts, no inspections, no other copy known (reference data aside)."""
    return (session.scalar(select(User.id).limit(1)) is None and session.scalar(select(Inspection.id).limit(1)) is None
            and session.scalar(select(SyncPeer.site_id).limit(1)) is None)


def import_team_kit(db: Database, path: Path, passphrase: str, *, fingerprint_confirmed: str,
                    progress: Progress | None = None, cancelled=None) -> ImportSummary:
    """Turn a new, empty database into the team laptop the kit describes. `fingerprint_confirmed`: the
    office fingerprint as the office read it out; the kit's must be the same."""
    envelope = parse(_read_file(path))
    header = envelope.header
    if header.get("kind") != "kit":
        raise SyncError("这不是工作包，而是普通同步包，请使用“导入同步包”。")
    actual = fingerprint(header.get("sender_x25519", ""), header["sender_ed25519"])
    if not _same_fingerprint(fingerprint_confirmed, actual):
        raise SyncError(f"工作包的巡察办指纹（{actual}）与您核对的不一致：它可能不是巡察办制作的，未导入。"
                        "请当面或电话向巡察办核实指纹。")
    verify(envelope, header["sender_ed25519"])
    payload = open_body(envelope, None, passphrase)
    manifest = payload.get("manifest")
    if not isinstance(manifest, dict) or manifest.get("sender") != header["sender"] \
            or not isinstance(manifest.get("receiver_scope"), list) or not manifest.get("enrollment_token"):
        raise SyncError("工作包内容不完整或已损坏，未导入。")
    master = uuid.UUID(header["sender"])
    me = ensure_identity(db)
    if master == me.site_id:
        raise SyncError("不能在准备工作包的同一个数据库中导入它。")
    summary = ImportSummary(sender=header.get("sender_name") or str(master), new_events=0, known_events=0)
    with paused_gc(), db.write() as session:
        if not is_empty(session) or me.role == ROLE_LAPTOP:
            raise SyncError("工作包只能导入新建的空数据库；本数据库已有数据或已是巡察组笔记本（或巡察办主库），未导入。")
        session.info[SUPPRESS] = True
        _apply(session, me, payload, None, progress, cancelled, summary,
               kit=KitOrigin(master, header["sender_ed25519"]))
        session.merge(SyncPeer(site_id=master, name=summary.sender, role=ROLE_MASTER,
                               x25519_public=header["sender_x25519"], ed25519_public=header["sender_ed25519"],
                               added_at=utcnow(), trusted_via="kit", scope=None))
        session.merge(Setting(key=ENROLLMENT_KEY + str(master), value=manifest["enrollment_token"]))
        session.merge(Setting(key=SCOPE_KEY, value=json.dumps(sorted({str(i) for i in manifest["receiver_scope"]}))))
        # The built-in lists came with the kit: this copy loads its own files only when newer.
        for key, value in (manifest.get("reference_versions") or {}).items():
            if isinstance(key, str) and key.startswith("reference.") and str(value).isdigit():
                session.merge(Setting(key=key, value=str(value)))
        session.flush()
        from .exchange import _record_coverage

        peer = session.get(SyncPeer, master)
        _record_coverage(session, me, manifest, peer)
    ensure_identity(db, role=ROLE_LAPTOP, name=str(manifest.get("laptop_name") or "")[:120] or None)
    summary.newly_trusted = [f"{summary.sender}（指纹 {actual}）"]
    return summary
