"""What the sync screens ask of the sync layer, bundled as plain functions for background tasks.

Widgets call these through TaskRunner; none of them touches Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import SyncPeer
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.inspections import InspectionService
from app.sync import conflicts
from app.sync.exchange import ImportSummary, coverage, export_package, import_package, my_scope
from app.sync.identity import SiteIdentity, ensure_identity, fingerprint
from app.sync.kit import export_team_kit, import_team_kit


@dataclass(frozen=True)
class Peer:
    site_id: str
    name: str
    role: str
    fingerprint: str


@dataclass(frozen=True)
class Overview:
    identity: SiteIdentity
    peers: list[Peer]
    own_changes: int
    scope: list[str] | None
    open_conflicts: int
    inspections: list[tuple[str, str]]  # (id, name) for preparing kits


def overview(db: Database) -> Overview:
    me = ensure_identity(db)
    with db.read() as session:
        peers = [
            Peer(str(p.site_id), p.name, p.role, fingerprint(p.x25519_public, p.ed25519_public))
            for p in session.scalars(select(SyncPeer).order_by(SyncPeer.name))
        ]
        own = coverage(session, me.site_id).get(str(me.site_id), 0)
        scope = my_scope(session)
    inspections = [(str(i.id), i.name) for i in InspectionService(ServiceContext(db)).list()]
    return Overview(me, peers, own, scope, len(conflicts.list_conflicts(db)), inspections)


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "站点"


def package_name(me: SiteIdentity, peer: Peer, kind: str = "xsync") -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return f"巡察同步_{_safe(me.name)}_至_{_safe(peer.name)}_{stamp}.{kind}"


def export_to_folder(db: Database, peer: Peer, folder: str, everything: bool = False) -> Any:
    me = ensure_identity(db)
    path = Path(folder) / package_name(me, peer)
    return export_package(db, me, peer.site_id, path, everything=everything)


def import_file(db: Database, path: str, progress: Any) -> ImportSummary:
    me = ensure_identity(db)
    return import_package(
        db, me, Path(path), progress=lambda done, total, _message: progress.report(done, total),
        cancelled=progress.cancelled,
    )


def prepare_kit(db: Database, inspection_ids: list[str], passphrase: str, folder: str) -> Any:
    me = ensure_identity(db)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return export_team_kit(db, me, inspection_ids, passphrase, Path(folder) / f"巡察工作包_{stamp}.xkit")


def load_kit(db: Database, path: str, passphrase: str, progress: Any) -> ImportSummary:
    return import_team_kit(
        db, Path(path), passphrase, progress=lambda done, total, _message: progress.report(done, total),
        cancelled=progress.cancelled,
    )


def summary_text(summary: ImportSummary) -> str:
    labels = {"findings": "问题", "interviews": "谈话", "petitions": "信访", "document_reviews": "查阅资料",
              "visits": "走访", "units": "单位", "unit_people": "人员", "inspections": "巡察",
              "rectifications": "整改", "clues": "线索", "issued_documents": "文书"}
    lines = [f"来自“{summary.sender}”：新增变更 {summary.new_events} 条，已有 {summary.known_events} 条（已跳过）。"]
    rows = "，".join(f"{labels.get(t, t)} {n} 条" for t, n in sorted(summary.rows.items()) if n)
    if rows:
        lines.append("更新的记录：" + rows + "。")
    if summary.newly_trusted:
        lines.append("新登记的计算机：" + "、".join(summary.newly_trusted) + "。")
    if summary.new_conflicts or summary.duplicates:
        lines.append(f"发现新冲突 {summary.new_conflicts} 个、重复编号 {summary.duplicates} 组，请到“冲突处理”中处理。")
    return "\n".join(lines)
