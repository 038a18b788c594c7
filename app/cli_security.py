"""`xuncha encrypt | backup | audit … | accounts … | handover`: security from the command line.

Every command opens the database through `args.open()` (app.cli), logging in the same way as the
others: `--user` (or XUNCHA_USER, default admin) and XUNCHA_PASSWORD or a prompt. New passwords
(for `accounts add`, `passwd`, `reset-password`) come from XUNCHA_NEW_PASSWORD or a prompt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models.crypto import CryptoError
from app.models.enums import UserRole

if TYPE_CHECKING:
    from app.services.accounts import AccountService

# The services load SQLAlchemy and the models (~0.5 s of CPU): each command imports what it uses, so
# that building the parser costs every other command nothing.

NEW_PASSWORD_ENV = "XUNCHA_NEW_PASSWORD"


class SecurityCommandError(Exception):
    pass


def _new_password(prompt: str) -> str:
    value = os.environ.get(NEW_PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise SecurityCommandError(f"请通过环境变量 {NEW_PASSWORD_ENV} 提供新密码，或在终端中运行以输入")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise SecurityCommandError("两次输入的密码不一致")
    return first


def _json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- encryption and backup ------------------------------------------------------------------------
def cmd_encrypt(args: argparse.Namespace) -> int:
    creds = args.credentials
    password = creds.password(why="加密数据库须提供管理员密码（数据库尚无账户时，将以此密码创建管理员）")
    from app.services.setup import encrypt_database

    result = encrypt_database(args.db, password=password, username=creds.username, display_name=args.name,
                              keep_plaintext=args.keep_plaintext)
    rows = sum(result.tables.values())
    print(f"数据库已加密：{result.path}（{len(result.tables)} 张表，{rows} 行，已逐表核对）")
    print(f"密钥文件：{result.path}.keys（须与数据库放在一起）")
    if result.kept_plaintext:
        print(f"未加密的原文件保留在 {result.kept_plaintext}，核对后请自行销毁。", file=sys.stderr)
    else:
        print("未加密的原文件已覆写并删除。")
    if result.accounts_without_key:
        print("以下账户须由管理员重设密码后才能在本机登录：" + "、".join(result.accounts_without_key))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.setup import backup_database

    opened = args.open()
    result = backup_database(opened.ctx, Path(args.out))
    print(f"已备份到 {result.path}（{result.bytes // 1024} KB，加密）和密钥文件 {result.keys_path}")
    print("恢复时两个文件须放在一起；备份可用备份时有效的账户密码打开。")
    return 0


# --- audit ---------------------------------------------------------------------------------------
class _VerifyProgress:
    """`校验中… 120000/1018490（11%）` on stderr while `audit verify` works (events checked and rows
    replayed): rewritten in place on a terminal; elsewhere (a log) a line every few seconds. A log
    shorter than one report (a few thousand steps) prints nothing."""

    EVERY_LINE = 5.0  # seconds between lines in a log

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = 0.2 if self.tty else self.EVERY_LINE
        self.last = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total:
            if self.shown and self.tty:
                self.stream.write("\r\033[K")
                self.stream.flush()
            return
        if now - self.last < self.every:
            return
        self.last, self.shown = now, True
        line = f"校验中… {done}/{total}（{done * 100 // max(1, total)}%）"
        self.stream.write(f"\r{line}\033[K" if self.tty else line + "\n")
        self.stream.flush()


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from app.services import audit

    opened = args.open()
    report = audit.verify_chains(opened.db, progress=_VerifyProgress())
    if args.json:
        _json({"ok": report.ok, "events": report.events,
               "sites": [s.__dict__ for s in report.sites], "breaks": [b.__dict__ for b in report.breaks]})
    else:
        for line in audit.describe(report):
            print(line)
    if not report.ok:
        first = report.breaks[0].message
        more = f"（另有 {len(report.breaks) - 1} 处）" if len(report.breaks) > 1 else ""
        raise SecurityCommandError(f"变更记录校验未通过：{first}{more}")
    if not args.json:
        print(f"校验通过：{report.events} 条变更，{len(report.sites)} 条变更链完整。")
    return 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应写作 2026-11-21：{value}") from exc


def cmd_audit_log(args: argparse.Namespace) -> int:
    from app.services import audit

    opened = args.open()
    page = audit.query(opened.ctx, audit.AuditFilter(
        user=args.author, table=args.table, record=args.record, since=args.since, until=args.until, text=args.text,
        limit=args.limit,
    ))
    if args.json:
        _json([{**e.__dict__, "changes": [c.__dict__ for c in e.changes]} for e in page.entries])
        return 0
    for e in page.entries:
        when = e.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"{when}  {e.author_name or '（未记录）'}  {e.op_label}{e.table_label} {e.row_id[:8]}")
        for c in e.changes:
            if c.name in audit.BOOKKEEPING:
                continue
            print(f"    {c.label}：{_clip(c.before)} → {_clip(c.after)}")
    print(f"共 {page.total} 条，显示 {len(page.entries)} 条。")
    return 0


def _clip(value: Any, width: int = 60) -> str:
    text = "（空）" if value is None or value == "" else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


# --- accounts ------------------------------------------------------------------------------------
def _service(args: argparse.Namespace) -> AccountService:
    from app.services.accounts import AccountService

    return AccountService(args.open().ctx)


def _user(service: AccountService, username: str) -> Any:
    from app.services.auth import find_user

    with service.ctx.db.read() as session:
        user = find_user(session, username)
    if user is None:
        raise SecurityCommandError(f"没有用户名为「{username}」的账户")
    return user


def cmd_accounts_list(args: argparse.Namespace) -> int:
    service = _service(args)
    here = service.can_log_in_here()
    rows: list[dict[str, Any]] = [{"id": str(u.id), "username": u.username, "display_name": u.display_name, "role": u.role,
             "active": u.active, "can_log_in_here": u.username in here} for u in service.accounts()]
    if args.json:
        _json(rows)
        return 0
    for r in rows:
        state = "启用" if r["active"] else "停用"
        where = "" if r["can_log_in_here"] or not r["active"] else "（本机未设置密码）"
        print(f"{r['username']}  {r['display_name']}  {UserRole.label_of(r['role'])}  {state}{where}")
    return 0


def cmd_accounts_add(args: argparse.Namespace) -> int:
    service = _service(args)
    password = _new_password(f"{args.username} 的初始密码：")
    user = service.create_account(username=args.username, display_name=args.name or args.username, role=args.role,
                                  password=password, inspector_id=args.inspector)
    print(f"已创建账户 {user.username}（{UserRole.label_of(user.role)}）")
    return 0


def _rekey_progress() -> Callable[[int, int], None]:
    """A line on stderr at every tenth of a re-key (tens of seconds on a large encrypted database);
    silent when the database is plain (nothing is re-keyed, nothing is reported)."""
    started, shown = time.monotonic(), [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth > shown[0]:
            shown[0] = tenth
            print(f"正在更换数据库密钥：{tenth * 10}%（已用 {time.monotonic() - started:.0f} 秒）", file=sys.stderr,
                  flush=True)

    return report


def cmd_accounts_reset(args: argparse.Namespace) -> int:
    service = _service(args)
    user = _user(service, args.username)
    service.reset_password(user.id, _new_password(f"{user.username} 的新密码："), progress=_rekey_progress())
    print(f"已重设 {user.username} 的密码。")
    return 0


def cmd_accounts_passwd(args: argparse.Namespace) -> int:
    from app.services.accounts import AccountService

    opened = args.open()
    old = args.credentials.password()
    AccountService(opened.ctx).change_password(old, _new_password("新密码："))
    print("密码已修改。")
    return 0


def cmd_accounts_role(args: argparse.Namespace) -> int:
    service = _service(args)
    user = service.set_role(_user(service, args.username).id, args.role)
    print(f"{user.username} 的角色已改为{UserRole.label_of(user.role)}。")
    return 0


def cmd_accounts_disable(args: argparse.Namespace) -> int:
    service = _service(args)
    user = service.deactivate(_user(service, args.username).id, progress=_rekey_progress())
    print(f"已停用 {user.username}。")
    return 0


def cmd_accounts_enable(args: argparse.Namespace) -> int:
    service = _service(args)
    user = service.activate(_user(service, args.username).id)
    print(f"已启用 {user.username}；如本机尚无其密码，请用 accounts reset-password 设置。")
    return 0


# --- hand-over -----------------------------------------------------------------------------------
def cmd_handover(args: argparse.Namespace) -> int:
    opened = args.open()
    from app.services.handover import hand_over

    record = hand_over(opened.ctx, Path(args.out), confirm=args.confirm, master_has=args.master_has)
    sys.stdout.write(record.text())
    if args.confirm:
        print(f"交接记录已写入 {args.out}；本机数据已销毁（{len(record.wiped)} 个文件）。")
    else:
        state = "可以交接" if record.complete and record.chains_ok else "尚不能交接"
        print(f"交接记录（预览）已写入 {args.out}；{state}。确认销毁本机数据请加 --confirm。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    enc = sub.add_parser("encrypt", help="加密现有的未加密数据库（先核对再替换）")
    enc.add_argument("--keep-plaintext", action="store_true", help="保留未加密的原文件（默认覆写后删除）")
    enc.add_argument("--name", help="数据库尚无账户时，管理员的姓名")
    enc.set_defaults(handler=cmd_encrypt)

    backup = sub.add_parser("backup", help="加密备份（FILE 和 FILE.keys）")
    backup.add_argument("--out", required=True)
    backup.set_defaults(handler=cmd_backup)

    aud = sub.add_parser("audit", help="审计：变更记录").add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = aud.add_parser("verify", help="校验每个站点的变更链（被改、被删、顺序被打乱）")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=cmd_audit_verify)
    log = aud.add_parser("log", help="查询变更记录")
    log.add_argument("--author", help="操作人（姓名的一部分或账户编号）")
    log.add_argument("--table", help="数据表，如 findings")
    log.add_argument("--record", help="记录编号（或其开头）")
    log.add_argument("--since", type=_date)
    log.add_argument("--until", type=_date)
    log.add_argument("--text", help="修改内容中的文字")
    log.add_argument("--limit", type=int, default=50)
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=cmd_audit_log)

    acc = sub.add_parser("accounts", help="账户管理").add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = acc.add_parser("list", help="列出账户")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_accounts_list)
    roles = [r.value for r in UserRole]
    add = acc.add_parser("add", help="新建账户（初始密码取自 XUNCHA_NEW_PASSWORD 或提示输入）")
    add.add_argument("username")
    add.add_argument("--name", help="姓名")
    add.add_argument("--role", choices=roles, default=UserRole.MEMBER.value)
    add.add_argument("--inspector", help="对应的巡察干部编号（组员据此可修改分配给自己的记录）")
    add.set_defaults(handler=cmd_accounts_add)
    reset = acc.add_parser("reset-password", help="管理员重设他人密码")
    reset.add_argument("username")
    reset.set_defaults(handler=cmd_accounts_reset)
    acc.add_parser("passwd", help="修改自己的密码").set_defaults(handler=cmd_accounts_passwd)
    role = acc.add_parser("set-role", help="修改角色")
    role.add_argument("username")
    role.add_argument("role", choices=roles)
    role.set_defaults(handler=cmd_accounts_role)
    disable = acc.add_parser("disable", help="停用账户")
    disable.add_argument("username")
    disable.set_defaults(handler=cmd_accounts_disable)
    enable = acc.add_parser("enable", help="启用账户")
    enable.add_argument("username")
    enable.set_defaults(handler=cmd_accounts_enable)

    handover = sub.add_parser("handover", help="交接：写出交接记录；加 --confirm 则销毁本机数据")
    handover.add_argument("--out", required=True, help="交接记录文件（.pdf 或 .txt）")
    handover.add_argument("--confirm", action="store_true", help="确认巡察办已收到全部数据，销毁本机数据库")
    handover.add_argument("--master-has", type=int, help="巡察办“同步状态”中显示的本机变更数（无回执包时核对用）")
    handover.set_defaults(handler=cmd_handover)


ERRORS = (SecurityCommandError, CryptoError)
