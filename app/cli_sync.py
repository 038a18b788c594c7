"""`xuncha sync …`: moving data between copies by file (USB stick).

`sync import` exit status: 0 imported (or nothing new), 2 refused (the package was read and may not
be accepted: tampered, not for this copy, unauthorized changes, out of scope …), 3 already imported
(nothing changed), 1 failed (the file could not be read, or the import was cut short). With several
files each is imported in its own transaction; the status is the worst of them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import cli_quick
from app.models.peek import is_server_url

if TYPE_CHECKING:
    from app.models import SyncPeer
    from app.sync.exchange import ImportSummary

# The sync modules load SQLAlchemy, the models and the services (~0.5 s of CPU): each command
# imports what it uses, so that `xuncha sync status` and every other command start without them.

EXIT_IMPORTED, EXIT_FAILED, EXIT_REFUSED, EXIT_ALREADY = 0, 1, 2, 3


class SyncCommandError(Exception):
    pass


def _open(args: argparse.Namespace):
    from app.sync.identity import ensure_identity

    opened = args.open()  # app.cli.open_for: logs in when the database is encrypted or has accounts
    return opened, ensure_identity(opened.db)


def _find_peer(db, name_or_id: str) -> SyncPeer:
    from sqlalchemy import select

    from app.models import SyncPeer

    with db.read() as session:
        peers = list(session.scalars(select(SyncPeer)))
    wanted = name_or_id.strip()
    matches = [p for p in peers if p.name == wanted] or [p for p in peers if str(p.site_id).startswith(wanted.lower())]
    if len(matches) != 1:
        known = "；".join(f"{p.name}（{p.site_id}）" for p in peers) or "无"
        raise SyncCommandError(f"找不到唯一的计算机「{name_or_id}」。已登记的计算机：{known}")
    return matches[0]


def _passphrase(prompt: str) -> str:
    value = os.environ.get("XUNCHA_KIT_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise SyncCommandError("请通过环境变量 XUNCHA_KIT_PASSPHRASE 提供工作包口令")
    return getpass.getpass(prompt)


class _Progress:
    """A progress line on stderr, ended with a newline only if one was started."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int, message: str) -> None:
        self.shown = True
        print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.shown:
            print(file=sys.stderr)
            self.shown = False


def cmd_export(args: argparse.Namespace) -> int:
    from app.sync.exchange import export_package

    opened, me = _open(args)
    peer = _find_peer(opened.db, args.to)
    summary = export_package(opened.db, me, peer.site_id, Path(args.out), everything=args.all, actor=opened.actor)
    print(f"已导出 {summary.events} 条变更、{summary.blobs} 个附件到 {summary.path}（{summary.bytes // 1024} KB），"
          f"接收方：{summary.receiver}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.sync.exchange import AlreadyImportedError, ImportSummary, PackageReadError, import_packages

    opened, me = _open(args)
    worst, results = EXIT_IMPORTED, []
    outcome: ImportSummary | str
    progress = _Progress()
    # Each file in its own transaction; the next one is read and decrypted while one is written.
    for path, result in import_packages(opened.db, me, [Path(f) for f in args.file],
                                        progress=None if args.json else lambda _n: progress, actor=opened.actor):
        if isinstance(result, ImportSummary):
            status, outcome = EXIT_IMPORTED, result
        elif isinstance(result, AlreadyImportedError):
            status, outcome = EXIT_ALREADY, result.message
        elif isinstance(result, PackageReadError):
            status, outcome = EXIT_FAILED, result.message
        else:
            assert result is not None  # no cancel on the command line
            status, outcome = EXIT_REFUSED, result.message
        progress.end()
        results.append((str(path), status, outcome))
        worst = max(worst, status, key=lambda s: {EXIT_IMPORTED: 0, EXIT_ALREADY: 1, EXIT_REFUSED: 2, EXIT_FAILED: 3}[s])
    if args.json:
        print(json.dumps([{"file": f, "status": s, **(o.__dict__ if isinstance(o, ImportSummary) else {"message": o})}
                          for f, s, o in results], ensure_ascii=False, indent=2))
        return worst
    for file, status, outcome in results:
        print(f"【{Path(file).name}】")
        if isinstance(outcome, ImportSummary):
            _print_summary(outcome)
        else:
            label = {EXIT_ALREADY: "未导入（已导入过）", EXIT_REFUSED: "拒绝导入", EXIT_FAILED: "导入失败"}[status]
            print(f"  {label}：{outcome}")
            if status != EXIT_ALREADY:
                print(f"xuncha: {Path(file).name}：{outcome}", file=sys.stderr)
    if len(results) > 1:
        done = sum(1 for _, s, _ in results if s == EXIT_IMPORTED)
        print(f"共 {len(results)} 个同步包：导入 {done} 个，已导入过 {sum(1 for _, s, _ in results if s == EXIT_ALREADY)} 个，"
              f"拒绝 {sum(1 for _, s, _ in results if s == EXIT_REFUSED)} 个，失败 {sum(1 for _, s, _ in results if s == EXIT_FAILED)} 个。")
    return worst


def _print_summary(summary: Any) -> None:
    from app.services.audit import table_label

    print(f"  来自「{summary.sender}」：新增变更 {summary.new_events} 条，已有 {summary.known_events} 条（跳过）")
    for table, count in sorted(summary.rows.items(), key=lambda item: table_label(item[0])):
        print(f"    {table_label(table)}：{count} 条")
    if summary.newly_trusted:
        print("  新登记的计算机：" + "、".join(summary.newly_trusted))
    if summary.new_conflicts or summary.duplicates:
        print(f"  新冲突 {summary.new_conflicts} 个，重复的编号或名称 {summary.duplicates} 组；请用“xuncha sync conflicts”查看并处理")
    if summary.notice:
        print(f"  {summary.notice}")
        print(f"xuncha: {summary.notice}", file=sys.stderr)


def cmd_kit(args: argparse.Namespace) -> int:
    from app.sync.kit import export_team_kit

    opened, me = _open(args)
    passphrase = _passphrase("为工作包设定口令：")
    summary = export_team_kit(opened.db, me, args.inspection, passphrase, Path(args.out), actor=opened.actor,
                              label=args.name)
    print(f"工作包已写入 {summary.path}：{'、'.join(summary.inspections)}，{summary.events} 条变更")
    print(f"本机（巡察办）指纹：{summary.master_fingerprint} —— 导入时须在笔记本上核对输入")
    return 0


def _confirmed_fingerprint(args: argparse.Namespace) -> str:
    from app.sync.kit import kit_fingerprint

    shown = kit_fingerprint(Path(args.file))
    if args.fingerprint:
        return args.fingerprint
    if not sys.stdin.isatty():
        raise SyncCommandError(f"请用 --fingerprint 给出巡察办告知的指纹（本工作包的指纹为 {shown}，须与巡察办核对）")
    print(f"工作包的巡察办指纹：{shown}")
    return input("请输入巡察办当面或电话告知的指纹以确认：")


def cmd_import_kit(args: argparse.Namespace) -> int:
    from app.services.setup import created_for_import, database_exists
    from app.sync.kit import import_team_kit

    if is_server_url(args.db):
        raise SyncCommandError("工作包用于准备巡察组的笔记本（加密的数据库文件），不能导入服务器上的数据库")
    confirmed = _confirmed_fingerprint(args)
    if database_exists(args.db):
        opened = args.open()
        summary = import_team_kit(opened.db, Path(args.file), _passphrase("工作包口令："),
                                  fingerprint_confirmed=confirmed)
    else:
        # A new laptop: encrypted from the start, its accounts come with the kit; an administrator
        # of the office (--user / XUNCHA_USER and XUNCHA_PASSWORD) prepares it.
        creds = args.credentials
        password = creds.password(why="新建的笔记本数据库将被加密，请提供工作包中管理员账户的密码")
        with created_for_import(args.db, username=creds.username, password=password, admin_only=True) as db:
            summary = import_team_kit(db, Path(args.file), _passphrase("工作包口令："), fingerprint_confirmed=confirmed)
    _print_summary(summary)
    return 0


def status_data(args: argparse.Namespace) -> dict[str, Any]:
    """What `sync status` shows, read by the services (after the login, when one is asked)."""
    from sqlalchemy import select

    from app.models import SiteRevocation, SyncPeer
    from app.sync import conflicts as conflict_service
    from app.sync.exchange import coverage, my_scope
    from app.sync.identity import fingerprint

    opened, me = _open(args)
    db = opened.db
    with db.read() as session:
        peers = list(session.scalars(select(SyncPeer).order_by(SyncPeer.name)))
        revoked = {r.site_id: r for r in session.scalars(select(SiteRevocation).where(SiteRevocation.deleted_at.is_(None)))}
        cover = coverage(session, me.site_id)
        scope = my_scope(session)
    conflicts = conflict_service.list_conflicts(db)
    return {
        "site_id": str(me.site_id), "name": me.name, "role": me.role, "fingerprint": me.fingerprint,
        "scope": scope, "coverage": cover, "open_conflicts": len(conflicts),
        "peers": [{"site_id": str(p.site_id), "name": p.name, "role": p.role, "trusted_via": p.trusted_via,
                   "scope": p.scope, "revoked": p.site_id in revoked,
                   "fingerprint": fingerprint(p.x25519_public, p.ed25519_public),
                   "holds_of_mine": cover.get(str(p.site_id), 0)} for p in peers],
    }


def cmd_status(args: argparse.Namespace) -> int:
    # A plain file without accounts is answered without the services (app/cli_quick.py).
    data = cli_quick.sync_status(args.db) or status_data(args)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    roles = {"master": "巡察办主库", "laptop": "巡察组笔记本"}
    role, scope, cover = data["role"], data["scope"], data["coverage"]
    print(f"本机：{data['name']}（{roles.get(role, role)}，站点 {data['site_id']}）指纹 {data['fingerprint']}")
    print(f"数据范围：{'全部' if scope is None else f'{len(scope)} 次巡察'}；本机变更 {cover.get(data['site_id'], 0)} 条")
    for p in data["peers"]:
        state = "，已吊销" if p["revoked"] else ""
        print(f"  已登记：{p['name']}（{roles.get(p['role'], p['role'])}{state}，{p['site_id']}，指纹 {p['fingerprint']}）")
    print(f"未处理的冲突：{data['open_conflicts']} 个")
    return 0


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:79] + "…"


def cmd_conflicts(args: argparse.Namespace) -> int:
    from app.sync import conflicts as conflict_service

    opened, _ = _open(args)
    items = conflict_service.list_conflicts(opened.db)
    if args.json:
        print(json.dumps([
            {"kind": c.kind, "table": c.table, "table_label": c.table_label, "row_id": c.row_id,
             "row_label": c.row_label, "field": c.field, "field_label": c.field_label, "key": c.key,
             "rows": list(c.rows), "row_labels": list(c.row_labels), "versions": [v.__dict__ for v in c.versions]}
            for c in items
        ], ensure_ascii=False, indent=2, default=str))
        return 0
    if not items:
        print("没有未处理的冲突。")
    for c in items:
        if c.kind == "duplicate":
            print(f"[重复] {c.table_label}：{c.key}，{len(c.rows)} 条记录")
            for row, label in zip(c.rows, c.row_labels, strict=True):
                print(f"    {label}  {c.table} {row}")
            if c.table == "findings":
                print("    处理：在问题台账中为其中一条“重新编号”，或 xuncha sync renumber findings 记录编号")
            else:
                print("    处理：删除或改名其中多余的一条（在相应页面中）")
            continue
        if c.kind == "field":
            print(f"[冲突] {c.table_label}{c.row_label} 的「{c.field_label}」：两台计算机改成了不同的值")
            hint = f"xuncha sync resolve {c.table} {c.row_id} --field {c.field} --value 值"
        else:
            print(f"[冲突] {c.table_label}{c.row_label}：一方删除、另一方修改")
            hint = f"xuncha sync resolve {c.table} {c.row_id} --keep-deleted（或 --restore）"
        for v in c.versions:
            print(f"    {v.recorded_at} {v.author}（{v.site}）：{_shown(v.value)}")
        print(f"    处理：{hint}")
    return 0


def _table_named(name: str) -> str:
    from app.services.audit import table_choices

    wanted = name.strip()
    for table, label in table_choices():
        if wanted in (table, label):
            return table
    raise SyncCommandError(f"没有名为「{name}」的记录类别（可用：{'、'.join(label for _, label in table_choices())}）")


def _field_named(table: str, name: str) -> str:
    from app.models import Base
    from app.services.audit import field_label, table_label

    columns = Base.metadata.tables[table].columns
    wanted = name.strip()
    if wanted in columns:
        return wanted
    for column in columns:
        if field_label(table, column.key) == wanted:
            return column.key
    raise SyncCommandError(f"「{table_label(table)}」没有名为「{name}」的字段")


def cmd_resolve(args: argparse.Namespace) -> int:
    from app.sync import conflicts as conflict_service

    opened, _ = _open(args)
    table = _table_named(args.table)
    if args.keep_deleted or args.restore:
        conflict_service.resolve_delete(opened.ctx, table, args.row, keep_deleted=args.keep_deleted)
    elif args.field and args.value is not None:
        value = json.loads(args.value) if args.json_value else args.value
        conflict_service.resolve_field(opened.ctx, table, args.row, _field_named(table, args.field), value)
    else:
        raise SyncCommandError("请指定 --field 和 --value，或 --keep-deleted / --restore")
    print("已处理；该处理会随下一次同步传到其他计算机。")
    return 0


def cmd_renumber(args: argparse.Namespace) -> int:
    from app.services.findings import FindingService

    opened, _ = _open(args)
    if _table_named(args.table) != "findings":
        raise SyncCommandError("只有问题可以重新编号")
    finding = FindingService(opened.ctx).renumber(args.row)
    print(f"已改为第 {finding.number} 号。")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from app.sync.revocation import revoke

    opened, _ = _open(args)
    peer = _find_peer(opened.db, args.copy)
    revocation = revoke(opened.ctx, peer.site_id, args.reason)
    print(f"已吊销「{revocation.name}」：其第 {revocation.after_seq} 号以后的变更和今后的同步包一律不再接受；"
          "吊销记录会随同步传到其他计算机。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="离线同步（U盘）").add_subparsers(dest="action", metavar="ACTION", required=True)
    export = sync.add_parser("export", help="导出同步包给一台已登记的计算机")
    export.add_argument("--to", required=True, help="接收方的名称（或站点编号开头）")
    export.add_argument("--out", required=True, help="同步包文件")
    export.add_argument("--all", action="store_true", help="导出全部变更，而不只是对方尚未收到的")
    export.set_defaults(handler=cmd_export)
    imp = sync.add_parser(
        "import", help="导入同步包（可一次给多个，各自独立导入）",
        description="导入同步包。退出码：0 已导入，1 失败（文件读不出或导入中断），2 拒绝（内容不可接受），3 已导入过（未做更改）。",
    )
    imp.add_argument("file", nargs="+", help="同步包文件")
    imp.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    imp.set_defaults(handler=cmd_import)
    kit = sync.add_parser("kit", help="为巡察组笔记本准备工作包（管理员；口令取自 XUNCHA_KIT_PASSPHRASE 或提示输入）")
    kit.add_argument("--inspection", action="append", required=True, help="巡察编号，可重复")
    kit.add_argument("--name", help="这台笔记本的名称（如“第一巡察组笔记本1”），各处以此称呼它")
    kit.add_argument("--out", required=True, help="工作包文件")
    kit.set_defaults(handler=cmd_kit)
    ikit = sync.add_parser("import-kit", help="在新笔记本上导入工作包（须核对巡察办指纹）")
    ikit.add_argument("file", help="工作包文件")
    ikit.add_argument("--fingerprint", help="巡察办当面或电话告知的指纹（不给则显示后提示输入）")
    ikit.set_defaults(handler=cmd_import_kit)
    status = sync.add_parser("status", help="本机身份、已登记的计算机、冲突数")
    status.add_argument("--json", action="store_true", help="以 JSON 输出")
    status.set_defaults(handler=cmd_status)
    conflicts = sync.add_parser("conflicts", help="列出未处理的冲突（可直接照抄处理命令）")
    conflicts.add_argument("--json", action="store_true", help="以 JSON 输出")
    conflicts.set_defaults(handler=cmd_conflicts)
    resolve = sync.add_parser("resolve", help="处理一个冲突（需有修改该记录的权限）")
    resolve.add_argument("table", help="记录类别：表名或中文名称（如 findings 或 问题）")
    resolve.add_argument("row", help="记录编号（完整）")
    resolve.add_argument("--field", help="字段：字段名或中文名称（如 title 或 问题标题）")
    resolve.add_argument("--value", help="采用的值")
    resolve.add_argument("--json-value", action="store_true", help="--value 是 JSON")
    resolve.add_argument("--keep-deleted", action="store_true", help="一方删除、一方修改时：保持删除")
    resolve.add_argument("--restore", action="store_true", help="一方删除、一方修改时：恢复并保留修改")
    resolve.set_defaults(handler=cmd_resolve)
    renumber = sync.add_parser("renumber", help="为编号重复的问题重新编号（组长、副组长或管理员）")
    renumber.add_argument("table", help="findings 或 问题")
    renumber.add_argument("row", help="问题的记录编号（完整）")
    renumber.set_defaults(handler=cmd_renumber)
    revoke_cmd = sync.add_parser("revoke", help="吊销一台计算机（如丢失的笔记本；管理员）")
    revoke_cmd.add_argument("copy", help="计算机名称（或站点编号开头）")
    revoke_cmd.add_argument("--reason", required=True, help="吊销原因")
    revoke_cmd.set_defaults(handler=cmd_revoke)


def __getattr__(name: str) -> Any:
    """ERRORS, the failures ending a sync command with their one-line message: read by app.cli only
    when one happens (the package module loads the sync machinery)."""
    if name == "ERRORS":
        from app.sync.package import PackageError

        return (PackageError, SyncCommandError)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
