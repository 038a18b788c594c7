"""What the sync screens ask of the sync layer, bundled as plain functions for background tasks.

Widgets call these through TaskRunner; none of them touches Qt or opens a session itself.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.audit import table_label
from app.services.context import ServiceContext
from app.sync.exchange import (
    AlreadyImportedError,
    ImportSummary,
    PackageReadError,
    export_package,
    import_packages,
)
from app.sync.identity import SiteIdentity, ensure_identity
from app.sync.kit import export_team_kit, import_team_kit, kit_fingerprint
from app.sync.status import Overview, Peer, overview

__all__ = ["Overview", "Peer", "export_to_folder", "import_files", "kit_fingerprint", "load_kit", "overview",
           "prepare_kit", "summary_text"]


def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "站点"


def package_name(me: SiteIdentity, peer: Peer, kind: str = "xsync") -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return f"巡察同步_{_safe(me.name)}_至_{_safe(peer.name)}_{stamp}.{kind}"


def export_to_folder(ctx: ServiceContext, peer: Peer, folder: str, everything: bool = False) -> Any:
    me = ensure_identity(ctx.db)
    path = Path(folder) / package_name(me, peer)
    return export_package(ctx.db, me, peer.site_id, path, everything=everything, actor=ctx.actor)


@dataclass
class ImportOutcome:
    """One file of a multi-file import: its summary, or why it was not imported."""

    name: str
    summary: ImportSummary | None = None
    note: str = ""  # 已导入过 / 拒绝 / 失败, with the reason


def import_files(ctx: ServiceContext, paths: list[str], progress: Any) -> list[ImportOutcome]:
    """Import each package in its own transaction (a bad one does not stop the others); the next
    file is read and decrypted while one is written (exchange.import_packages)."""
    me = ensure_identity(ctx.db)
    outcomes = []

    def reporter(n: int) -> Any:
        def report(done: int, total: int, _message: str) -> None:
            progress.report(n * 1000 + done * 1000 // max(total, 1), len(paths) * 1000)
        return report

    for path, result in import_packages(ctx.db, me, [Path(p) for p in paths], progress=reporter,
                                        cancelled=progress.cancelled, actor=ctx.actor):
        name = path.name
        if result is None:
            outcomes.append(ImportOutcome(name, note="已取消，未导入"))
        elif isinstance(result, ImportSummary):
            outcomes.append(ImportOutcome(name, result))
        elif isinstance(result, AlreadyImportedError):
            outcomes.append(ImportOutcome(name, note=f"已导入过：{result.message}"))
        elif isinstance(result, PackageReadError):
            outcomes.append(ImportOutcome(name, note=f"导入失败：{result.message}"))
        else:
            outcomes.append(ImportOutcome(name, note=f"拒绝导入：{result.message}"))
    return outcomes


def prepare_kit(ctx: ServiceContext, inspection_ids: list[str], passphrase: str, folder: str, name: str) -> Any:
    me = ensure_identity(ctx.db)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
    return export_team_kit(ctx.db, me, inspection_ids, passphrase, Path(folder) / f"巡察工作包_{_safe(name)}_{stamp}.xkit",
                           actor=ctx.actor, label=name)


def load_kit(ctx: ServiceContext, path: str, passphrase: str, confirmed: str, progress: Any) -> ImportSummary:
    return import_team_kit(
        ctx.db, Path(path), passphrase, fingerprint_confirmed=confirmed,
        progress=lambda done, total, _message: progress.report(done, total), cancelled=progress.cancelled,
    )


def outcomes_text(outcomes: list[ImportOutcome]) -> str:
    parts = []
    for o in outcomes:
        body = summary_text(o.summary) if o.summary is not None else o.note
        parts.append(f"【{o.name}】\n{body}" if len(outcomes) > 1 else body)
    return "\n".join(parts)


def revoke_copy(ctx: ServiceContext, peer: Peer, reason: str) -> Any:
    from app.sync.revocation import revoke

    return revoke(ctx, uuid.UUID(peer.site_id), reason)


def summary_text(summary: ImportSummary) -> str:
    lines = [f"来自“{summary.sender}”：新增变更 {summary.new_events} 条，已有 {summary.known_events} 条（已跳过）。"]
    rows = "，".join(f"{table_label(t)} {n} 条" for t, n in sorted(summary.rows.items()) if n)
    if rows:
        lines.append("更新的记录：" + rows + "。")
    if summary.newly_trusted:
        lines.append("新登记的计算机：" + "、".join(summary.newly_trusted) + "。")
    if summary.new_conflicts or summary.duplicates:
        lines.append(f"发现新冲突 {summary.new_conflicts} 个、重复编号 {summary.duplicates} 组，请到“冲突处理”中处理。")
    if summary.notice:
        lines.append(summary.notice)
    return "\n".join(lines)
