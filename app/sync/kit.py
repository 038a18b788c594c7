"""The team kit: what turns a fresh installation into a team's workstation.

The administrator exports the inspection, its team, units, people, templates and reference data,
with the master's public keys and a one-time enrollment token, encrypted under a passphrase (the
laptop has no keys the master knows yet). The laptop imports it with the passphrase, trusts the
master from then on, and proves itself to the master with the token in its first package.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.gc_pause import paused_gc
from app.models import Inspection, Setting, SyncEnrollment, SyncPeer, utcnow
from app.models.changelog import SUPPRESS
from app.models.db import Database

from .exchange import (
    ENROLLMENT_KEY,
    SCOPE_KEY,
    ImportSummary,
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
                    label: str | None = None) -> KitSummary:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise SyncError(f"口令至少需要 {MIN_PASSPHRASE} 个字符。")
    if not inspection_ids:
        raise SyncError("请选择工作包包含的巡察。")
    scope = [str(uuid.UUID(str(i))) for i in inspection_ids]
    ensure_logged(db, me, scope)
    with db.write() as session:
        names = [session.get(Inspection, uuid.UUID(i)) for i in scope]
        if any(n is None or n.deleted_at is not None for n in names):
            raise SyncError("所选巡察不存在或已被删除。")
        token = secrets.token_hex(32)
        session.add(SyncEnrollment(token=token, label=label or "、".join(n.name for n in names), scope=scope,
                                   created_at=utcnow()))
        events, blobs, origins = _collect(session, me, {}, scope)
        manifest = _manifest(session, me, origins, events, "kit", scope)
        manifest["enrollment_token"] = token
    data = seal({"manifest": manifest, "events": events, "blobs": blobs}, me, receiver_site=None,
                receiver_x25519=None, passphrase=passphrase, extra_header={"kind": "kit"})
    write_atomically(out, data)
    return KitSummary(Path(out), [n.name for n in names], len(events), len(data), me.fingerprint)


def import_team_kit(db: Database, path: Path, passphrase: str, *, progress: Progress | None = None,
                    cancelled=None) -> ImportSummary:
    envelope = parse(_read_file(path))
    header = envelope.header
    if header.get("kind") != "kit":
        raise SyncError("这不是工作包，而是普通同步包，请使用“导入同步包”。")
    verify(envelope, header["sender_ed25519"])
    payload = open_body(envelope, None, passphrase)
    manifest = payload["manifest"]
    master = uuid.UUID(header["sender"])
    me = ensure_identity(db)
    if master == me.site_id:
        raise SyncError("不能在准备工作包的同一个数据库中导入它。")
    summary = ImportSummary(sender=header.get("sender_name") or str(master), new_events=0, known_events=0)
    with paused_gc(), db.write() as session:
        other = session.scalar(select(SyncPeer).where(SyncPeer.trusted_via == "kit", SyncPeer.site_id != master))
        if other is not None:
            raise SyncError(f"本机已由另一个巡察办数据库（{other.name}）准备，不能再导入其他来源的工作包。")
        session.info[SUPPRESS] = True
        _apply(session, me, payload, None, progress, cancelled, summary)
        session.merge(SyncPeer(site_id=master, name=summary.sender, role=ROLE_MASTER,
                               x25519_public=header["sender_x25519"], ed25519_public=header["sender_ed25519"],
                               added_at=utcnow(), trusted_via="kit", scope=None))
        session.merge(Setting(key=ENROLLMENT_KEY + str(master), value=manifest["enrollment_token"]))
        previous = session.scalar(select(Setting.value).where(Setting.key == SCOPE_KEY))
        scope = sorted(set(json.loads(previous) if previous else []) | set(manifest["receiver_scope"]))
        session.merge(Setting(key=SCOPE_KEY, value=json.dumps(scope)))
        session.flush()
        from .exchange import _record_coverage

        peer = session.get(SyncPeer, master)
        _record_coverage(session, me, manifest, peer)
    ensure_identity(db, role=ROLE_LAPTOP)
    summary.newly_trusted = [f"{summary.sender}（指纹 {fingerprint(header['sender_x25519'], header['sender_ed25519'])}）"]
    return summary
