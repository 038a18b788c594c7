"""`xuncha sync …`: moving data between copies by file (USB stick)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.models import SyncPeer
from app.services.setup import created_for_import, database_exists
from app.sync import conflicts as conflict_service
from app.sync.exchange import coverage, export_package, import_package, my_scope
from app.sync.identity import ensure_identity, fingerprint
from app.sync.kit import export_team_kit, import_team_kit
from app.sync.package import PackageError

TABLE_LABELS = {
    "findings": "问题", "interviews": "谈话", "petitions": "信访", "units": "单位", "unit_people": "人员",
    "inspections": "巡察", "issued_documents": "文书", "rectifications": "整改", "clues": "线索",
}


class SyncCommandError(Exception):
    pass


def _open(args: argparse.Namespace):
    db = args.open().db  # app.cli.open_for: logs in when the database is encrypted
    return db, ensure_identity(db)


def _find_peer(db, name_or_id: str) -> SyncPeer:
    with db.read() as session:
        peers = list(session.scalars(select(SyncPeer)))
    matches = [p for p in peers if str(p.site_id).startswith(name_or_id) or p.name == name_or_id]
    if len(matches) != 1:
        known = "；".join(f"{p.name}（{str(p.site_id)[:8]}）" for p in peers) or "无"
        raise SyncCommandError(f"找不到唯一的接收方「{name_or_id}」。已登记的计算机：{known}")
    return matches[0]


def _passphrase(prompt: str) -> str:
    value = os.environ.get("XUNCHA_KIT_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise SyncCommandError("请通过环境变量 XUNCHA_KIT_PASSPHRASE 提供工作包口令")
    return getpass.getpass(prompt)


def _progress(done: int, total: int, message: str) -> None:
    print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    db, me = _open(args)
    peer = _find_peer(db, args.to)
    summary = export_package(db, me, peer.site_id, Path(args.out), everything=args.all)
    print(f"已导出 {summary.events} 条变更、{summary.blobs} 个附件到 {summary.path}（{summary.bytes // 1024} KB），接收方：{summary.receiver}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    opened = args.open()
    db, me = opened.db, ensure_identity(opened.db)
    summary = import_package(db, me, Path(args.file), progress=None if args.json else _progress, actor=opened.actor)
    if args.json:
        print(json.dumps(summary.__dict__, ensure_ascii=False, indent=2))
        return 0
    print(file=sys.stderr)
    _print_summary(summary)
    return 0


def _print_summary(summary: Any) -> None:
    print(f"来自 {summary.sender}：新增变更 {summary.new_events} 条，已有 {summary.known_events} 条（跳过）")
    for table, count in sorted(summary.rows.items()):
        print(f"  {TABLE_LABELS.get(table, table)}：{count} 条记录")
    if summary.newly_trusted:
        print("新登记的计算机：" + "、".join(summary.newly_trusted))
    if summary.new_conflicts or summary.duplicates:
        print(f"新冲突 {summary.new_conflicts} 个，重复的业务编号 {summary.duplicates} 组；请用“xuncha sync conflicts”查看并处理")


def cmd_kit(args: argparse.Namespace) -> int:
    db, me = _open(args)
    passphrase = _passphrase("为工作包设定口令：")
    summary = export_team_kit(db, me, args.inspection, passphrase, Path(args.out))
    print(f"工作包已写入 {summary.path}：{'、'.join(summary.inspections)}，{summary.events} 条变更")
    print(f"本机（巡察办）指纹：{summary.master_fingerprint} —— 请在笔记本导入时核对")
    return 0


def cmd_import_kit(args: argparse.Namespace) -> int:
    if database_exists(args.db):
        summary = import_team_kit(args.open().db, Path(args.file), _passphrase("工作包口令："))
    else:
        # A new laptop: encrypted from the start, its accounts come with the kit; the key is
        # wrapped for the account logging in (--user / XUNCHA_USER and XUNCHA_PASSWORD).
        creds = args.credentials
        password = creds.password(why="新建的笔记本数据库将被加密，请提供工作包中您账户的密码")
        with created_for_import(args.db, username=creds.username, password=password) as db:
            summary = import_team_kit(db, Path(args.file), _passphrase("工作包口令："))
    _print_summary(summary)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    db, me = _open(args)
    with db.read() as session:
        peers = list(session.scalars(select(SyncPeer).order_by(SyncPeer.name)))
        cover = coverage(session, me.site_id)
        scope = my_scope(session)
    conflicts = conflict_service.list_conflicts(db)
    data = {
        "site_id": str(me.site_id), "name": me.name, "role": me.role, "fingerprint": me.fingerprint,
        "scope": scope, "coverage": cover, "open_conflicts": len(conflicts),
        "peers": [{"site_id": str(p.site_id), "name": p.name, "role": p.role, "trusted_via": p.trusted_via,
                   "fingerprint": fingerprint(p.x25519_public, p.ed25519_public)} for p in peers],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"本机：{me.name}（{me.role}，站点 {me.site_id}）指纹 {me.fingerprint}")
    print(f"数据范围：{'全部' if scope is None else f'{len(scope)} 次巡察'}；本机变更 {cover.get(str(me.site_id), 0)} 条")
    for p in data["peers"]:
        print(f"  已登记：{p['name']}（{p['role']}，{p['site_id'][:8]}，指纹 {p['fingerprint']}）")
    print(f"未处理的冲突：{len(conflicts)} 个")
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    db, _ = _open(args)
    items = conflict_service.list_conflicts(db)
    if args.json:
        print(json.dumps([
            {"kind": c.kind, "table": c.table, "row_id": c.row_id, "field": c.field, "key": c.key, "rows": list(c.rows),
             "versions": [v.__dict__ for v in c.versions]} for c in items
        ], ensure_ascii=False, indent=2, default=str))
        return 0
    if not items:
        print("没有未处理的冲突。")
    for c in items:
        where = f"{TABLE_LABELS.get(c.table, c.table)} {c.row_id[:8]}"
        if c.kind == "duplicate":
            print(f"[重复] {c.key}：{len(c.rows)} 条记录 " + " ".join(r[:8] for r in c.rows))
            continue
        title = f"字段「{c.field}」" if c.kind == "field" else "一方删除、另一方修改"
        print(f"[冲突] {where} {title}")
        for v in c.versions:
            print(f"    {v.recorded_at} {v.author}@{v.site} {v.op}: {json.dumps(v.value, ensure_ascii=False)[:80]}")
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    db, _ = _open(args)
    if args.keep_deleted or args.restore:
        conflict_service.resolve_delete(db, args.table, args.row, keep_deleted=args.keep_deleted)
    elif args.field and args.value is not None:
        conflict_service.resolve_field(db, args.table, args.row, args.field, json.loads(args.value)
                                       if args.json_value else args.value)
    else:
        raise SyncCommandError("请指定 --field 和 --value，或 --keep-deleted / --restore")
    print("已处理；该处理会随下一次同步传到其他计算机。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="离线同步（U盘）").add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sync.add_parser("export", help="导出同步包给一台已登记的计算机")
    export.add_argument("--to", required=True, help="接收方名称或站点编号前缀")
    export.add_argument("--out", required=True)
    export.add_argument("--all", action="store_true", help="导出全部变更，而不只是对方尚未收到的")
    export.set_defaults(handler=cmd_export)
    imp = sync.add_parser("import", help="导入同步包")
    imp.add_argument("file")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=cmd_import)
    kit = sync.add_parser("kit", help="为巡察组笔记本准备工作包（口令取自 XUNCHA_KIT_PASSPHRASE 或提示输入）")
    kit.add_argument("--inspection", action="append", required=True, help="巡察编号，可重复")
    kit.add_argument("--out", required=True)
    kit.set_defaults(handler=cmd_kit)
    ikit = sync.add_parser("import-kit", help="在新笔记本上导入工作包")
    ikit.add_argument("file")
    ikit.set_defaults(handler=cmd_import_kit)
    status = sync.add_parser("status", help="本机身份、已登记的计算机、冲突数")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)
    conflicts = sync.add_parser("conflicts", help="列出未处理的冲突")
    conflicts.add_argument("--json", action="store_true")
    conflicts.set_defaults(handler=cmd_conflicts)
    resolve = sync.add_parser("resolve", help="处理一个冲突")
    resolve.add_argument("table")
    resolve.add_argument("row")
    resolve.add_argument("--field")
    resolve.add_argument("--value")
    resolve.add_argument("--json-value", action="store_true", help="--value 是 JSON")
    resolve.add_argument("--keep-deleted", action="store_true")
    resolve.add_argument("--restore", action="store_true")
    resolve.set_defaults(handler=cmd_resolve)


ERRORS = (PackageError, SyncCommandError, LookupError, ValueError)

