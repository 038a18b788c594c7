"""What the sync screens ask of the sync layer, bundled as plain functions for background tasks.

Widgets call these through TaskRunner; none of them touches Qt or opens a session itself.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from app.models.db import Database
from app.sync.exchange import ImportSummary, export_package, import_package
from app.sync.identity import SiteIdentity, ensure_identity
from app.sync.kit import export_team_kit, import_team_kit
from app.sync.status import Overview, Peer, overview

__all__ = ["Overview", "Peer", "export_to_folder", "import_file", "load_kit", "overview", "prepare_kit", "summary_text"]


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
