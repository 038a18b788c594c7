"""Hand-over and wipe: once a laptop's work is safely in the master database, destroy it here.

The hand-over record says what was handed over: the rows of every table, the last event (and its
hash) of every site's change chain held here, how far the master acknowledged this laptop's own
events, who handed over and when. It is written (PDF, or plain text) before anything is
destroyed. Destroying overwrites and deletes the database, its -wal/-shm/-journal files, its key
file and its typed-draft folder.

The laptop knows the master holds its events from the coverage the master reported in its last
package (`sync status` on the laptop); `master_has` lets the administrator enter instead the number
the master's own `sync status` shows for this laptop.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.models import Base, ChangeEvent, PeerKnowledge, Setting, SyncPeer, crypto, utcnow
from app.models.changelog import SITE_ID_KEY

from . import drafts
from .audit import table_label, verify_chains
from .context import ServiceContext
from .errors import ServiceError, StateError

# Keys the sync identity keeps in settings (app.sync.identity): read here, never written.
_SITE_NAME, _SITE_ROLE = "site.name", "site.role"


@dataclass(frozen=True)
class TableCount:
    table: str
    label: str
    rows: int
    deleted: int


@dataclass(frozen=True)
class ChainHead:
    site_id: str
    name: str
    events: int
    last_seq: int
    last_hash: str


@dataclass
class HandoverRecord:
    database: str
    site_id: str
    site_name: str
    site_role: str
    handed_over_by: str
    handed_over_at: dt.datetime
    encrypted: bool
    own_events: int
    acknowledged: int  # how many of this copy's own events the master is known to hold
    acknowledged_by: str
    chains_ok: bool
    chain_problems: list[str]
    tables: list[TableCount] = field(default_factory=list)
    heads: list[ChainHead] = field(default_factory=list)
    attachments_bytes: int = 0
    wiped: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.acknowledged >= self.own_events

    def lines(self) -> list[str]:
        when = self.handed_over_at.astimezone().strftime("%Y年%m月%d日 %H:%M:%S")
        out = [
            "巡察工作电脑数据交接记录",
            "",
            f"交接时间：{when}",
            f"交接人：{self.handed_over_by}",
            f"计算机：{self.site_name}（站点 {self.site_id}，{self.site_role}）",
            f"数据库：{self.database}（{'已加密' if self.encrypted else '未加密'}）",
            f"本机变更：{self.own_events} 条；巡察办已确认收到：{self.acknowledged} 条（{self.acknowledged_by}）",
            f"变更链校验：{'完整' if self.chains_ok else '发现问题'}",
            *[f"  {p}" for p in self.chain_problems],
            "",
            "各类数据（现有 / 已删除）：",
            *[f"  {t.label}（{t.table}）：{t.rows} / {t.deleted}" for t in self.tables],
            f"  附件内容合计 {self.attachments_bytes} 字节",
            "",
            "各站点变更链末条：",
            *[f"  {h.name}（{h.site_id}）：共 {h.events} 条，第 {h.last_seq} 号，SHA-256 {h.last_hash}" for h in self.heads],
        ]
        if self.wiped:
            out += ["", "已销毁的文件（覆写后删除）：", *[f"  {p}" for p in self.wiped]]
        out += ["", "交接人（签字）：________________    接收人（签字）：________________"]
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def build_record(ctx: ServiceContext, *, master_has: int | None = None) -> HandoverRecord:
    db = ctx.db
    report = verify_chains(db)
    with db.read() as session:
        settings = dict(session.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_([SITE_ID_KEY, _SITE_NAME, _SITE_ROLE])
        )).all())
        site = settings.get(SITE_ID_KEY) or ""
        own = 0
        acknowledged, by = 0, "尚无巡察办的确认"
        if site:
            own = int(session.scalar(select(func.max(ChangeEvent.seq)).where(ChangeEvent.site_id == uuid.UUID(site))) or 0)
            masters = {p.site_id: p.name for p in session.scalars(select(SyncPeer).where(SyncPeer.role == "master"))}
            for k in session.scalars(select(PeerKnowledge).where(PeerKnowledge.origin_site_id == uuid.UUID(site))):
                if k.peer_site_id in masters and k.max_seq >= acknowledged:
                    acknowledged, by = k.max_seq, f"{masters[k.peer_site_id]}的同步回执"
        if master_has is not None and master_has > acknowledged:
            acknowledged, by = master_has, "管理员按巡察办“同步状态”核对"
        tables = []
        for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name):
            if "deleted_at" not in table.c:
                continue
            rows = int(session.scalar(select(func.count()).select_from(table).where(table.c.deleted_at.is_(None))) or 0)
            deleted = int(session.scalar(select(func.count()).select_from(table).where(table.c.deleted_at.is_not(None))) or 0)
            if rows or deleted:
                tables.append(TableCount(table.name, table_label(table.name), rows, deleted))
        blob_table = Base.metadata.tables["attachment_blobs"]
        attachments = int(session.scalar(select(func.coalesce(func.sum(blob_table.c.size), 0))) or 0)
    return HandoverRecord(
        database=str(db.path or db.url), site_id=site, site_name=settings.get(_SITE_NAME) or "本机",
        site_role={"laptop": "巡察组笔记本", "master": "巡察办主库"}.get(settings.get(_SITE_ROLE) or "", "未设置"),
        handed_over_by=f"{ctx.actor.name}" + (f"（{ctx.actor.username}）" if ctx.actor.username else ""),
        handed_over_at=utcnow(), encrypted=db.encrypted, own_events=own, acknowledged=acknowledged,
        acknowledged_by=by, chains_ok=report.ok, chain_problems=[b.message for b in report.breaks],
        tables=tables,
        heads=[ChainHead(s.site_id, s.name, s.events, s.last_seq, s.last_hash) for s in report.sites],
        attachments_bytes=attachments,
    )


def write_record(record: HandoverRecord, out: Path) -> Path:
    """The record as a PDF (when `out` ends in .pdf) or as plain text; written atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        import io

        from app.reports import OfficialDocument, Paragraph, Table, render

        body: list[Any] = [Paragraph(line, indent=False, align="left") for line in record.lines()[2:9] if line]
        body.append(Table(header=[["数据类别", "数据表", "现有", "已删除"]],
                          rows=[[t.label, t.table, str(t.rows), str(t.deleted)] for t in record.tables],
                          col_widths=[3, 3, 1.2, 1.2]))
        body.append(Table(header=[["站点", "变更数", "末条序号", "末条 SHA-256"]],
                          rows=[[f"{h.name}\n{h.site_id}", str(h.events), str(h.last_seq), h.last_hash]
                                for h in record.heads],
                          col_widths=[3, 1.2, 1.2, 5], font_size=9))
        body += [Paragraph("交接人（签字）：", indent=False, align="left"),
                 Paragraph("接收人（签字）：", indent=False, align="left")]
        buffer = io.BytesIO()
        render(OfficialDocument(title="巡察工作电脑数据交接记录", body=body, date=record.handed_over_at.date(),
                                sealed=False, author=record.handed_over_by), buffer)
        crypto.write_atomically(out, buffer.getvalue(), mode=0o644)
    else:
        crypto.write_atomically(out, record.text().encode("utf-8"), mode=0o644)
    return out


def hand_over(ctx: ServiceContext, out: Path, *, confirm: bool, master_has: int | None = None) -> HandoverRecord:
    """Write the hand-over record; with `confirm`, then destroy this copy's files.

    Refused unless the master holds every event this copy made, and unless the change chains are
    intact (what is destroyed must be exactly what the master holds).
    """
    ctx.require_admin("交接并销毁本机数据")
    db = ctx.db
    path = db.path
    if path is None:
        raise ServiceError("只能交接数据库文件。")
    out = Path(out)
    if out.resolve().parent == path.resolve().parent and out.name.startswith(path.name):
        raise ServiceError("交接记录不能写在将被销毁的数据库文件旁边（文件名以数据库名开头）。")
    record = build_record(ctx, master_has=master_has)
    if confirm:
        if not record.chains_ok:
            raise StateError("变更链校验未通过，不能销毁本机数据：" + "；".join(record.chain_problems[:3]))
        if not record.complete:
            raise StateError(
                f"巡察办尚未确认收到本机的全部变更（本机 {record.own_events} 条，已确认 {record.acknowledged} 条）。"
                "请先导出同步包交巡察办导入，再把巡察办的回执包导入本机（或用 --master-has 填写巡察办“同步状态”中本机的数字）。"
            )
        targets = [path, *crypto.companion_files(path)]
        record.wiped = [str(p) for p in targets if p.exists()]
        # However the database path was typed (relative, absolute, through a link), its drafts are
        # found: the folder is named after the real path, and the names earlier versions used too.
        record.wiped += [str(p) for p in drafts.all_draft_files(db)]
    folders = [drafts.drafts_folder(db), *drafts.legacy_folders(db)]
    write_record(record, out)
    if confirm:
        wipe(ctx, extra_folders=folders)
    return record


def wipe(ctx: ServiceContext, *, extra_folders: Sequence[Path] = ()) -> list[Path]:
    """Close the database and overwrite, then delete, every file of it. Returns what was destroyed."""
    ctx.require_admin("销毁本机数据")
    path = ctx.db.path
    if path is None:
        raise ServiceError("只能销毁数据库文件。")
    ctx.db.dispose()
    destroyed = []
    # The key file first: without it the encrypted pages are unreadable even if a copy survives.
    for target in [crypto.keyfile_path(path), path, *crypto.companion_files(path)[:3]]:
        if crypto.shred(target):
            destroyed.append(target)
    for folder in extra_folders:
        if folder.exists():
            for p in sorted(folder.rglob("*"), reverse=True):
                if p.is_file() and crypto.shred(p):
                    destroyed.append(p)
                elif p.is_dir():
                    p.rmdir()
            folder.rmdir()
    return destroyed
