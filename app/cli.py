"""Headless commands over the services: the stable surface for scripts, tests and benchmarks.

    xuncha [--db PATH] COMMAND …

Exit status 0 on success; otherwise non-zero with a one-line reason on stderr.

An encrypted database is opened with a user name (`--user`, or XUNCHA_USER, default admin) and
a password (XUNCHA_PASSWORD, or a prompt when stdin is a terminal). Every command opens the
database through `args.open(...)`, set up by `main`, so they all behave the same way.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import __version__
from app.models.enums import InspectionKind, Stage
from app.paths import default_database_path
from app.services import reference, statistics
from app.services.context import ServiceContext
from app.services.errors import ServiceError
from app.services.inspections import InspectionService
from app.services.setup import Opened, PasswordRequiredError, database_exists, needs_password, open_database

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A reason to stop, for stderr."""


# --- logging in --------------------------------------------------------------------------------
PASSWORD_ENV, USER_ENV = "XUNCHA_PASSWORD", "XUNCHA_USER"


class Credentials:
    """The user name and password for this run: from the options and environment, or asked once."""

    def __init__(self, user: str | None) -> None:
        self.user = user or os.environ.get(USER_ENV) or None
        self._password: str | None = os.environ.get(PASSWORD_ENV) or None

    @property
    def username(self) -> str:
        from app.services.auth import DEFAULT_ADMIN_USERNAME

        return self.user or DEFAULT_ADMIN_USERNAME

    @property
    def given(self) -> str | None:
        return self._password

    def password(self, *, confirm: bool = False, why: str = "该数据库已加密") -> str:
        if self._password is None:
            self._password = ask_secret(f"{self.username} 的密码：", confirm=confirm, env=PASSWORD_ENV, why=why)
        return self._password


def ask_secret(prompt: str, *, confirm: bool = False, env: str, why: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"{why}：请设置环境变量 {env}，或在终端中运行以输入密码")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输入一次：") != value:
        raise CommandError("两次输入的密码不一致")
    return value


def open_for(args: argparse.Namespace, *, create: bool = False) -> Opened:
    """Open --db for a command: with a login when it is encrypted or has accounts."""
    creds: Credentials = args.credentials
    password = creds.given
    if password is None and (needs_password(args.db) or (create and not database_exists(args.db))):
        why = "该数据库已加密" if database_exists(args.db) else "新建的数据库将被加密"
        password = creds.password(confirm=not database_exists(args.db), why=why)
    try:
        return open_database(args.db, create=create, password=password, username=creds.username, login_required=True)
    except PasswordRequiredError:
        if password is not None:
            raise
        return open_database(args.db, create=create, password=creds.password(why="该数据库已设置账户"),
                             username=creds.username, login_required=True)


def _ctx(args: argparse.Namespace, *, create: bool = False) -> ServiceContext:
    return open_for(args, create=create).ctx


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- commands ----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    existed = database_exists(args.db)
    if existed:
        opened = open_for(args)
    elif args.plaintext:
        opened = open_database(args.db, create=True)
    else:
        creds: Credentials = args.credentials
        password = creds.password(confirm=True, why="新建的数据库将被加密，须为管理员设置密码")
        opened = open_database(args.db, create=True, password=password, username=creds.username,
                               display_name=args.name)
    counts = {kind: len(reference.items(ServiceContext(opened.db), kind)) for kind in reference.LIST_FILES}
    verb = "已打开现有数据库" if existed else "已创建数据库"
    print(f"{verb}：{args.db}（{'已加密' if opened.encrypted else '未加密'}）")
    if not existed and opened.encrypted:
        print(f"管理员账户：{opened.actor.username}；密钥文件：{args.db}.keys（须与数据库放在一起，丢失后无法打开）")
    elif not opened.encrypted:
        print("提示：数据库未加密，电脑丢失时数据可被直接读取。可运行“xuncha encrypt”加密。", file=sys.stderr)
    print("参考数据：" + "，".join(f"{k} {v} 条" for k, v in counts.items()))
    opened.db.dispose()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    ctx = _ctx(args)
    problems = ctx.db.integrity_problems()
    state = ctx.db.schema_state()
    if state.current != state.head:
        problems.append(f"结构版本 {state.current} 不是最新的 {state.head}")
    if args.json:
        _print_json({"ok": not problems, "schema": state.current, "problems": problems})
    elif problems:
        for problem in problems:
            print(problem)
    else:
        print(f"检查通过：结构版本 {state.current}，数据完整，外键有效，全文索引完好。")
    if problems:
        raise CommandError(f"数据库检查发现 {len(problems)} 个问题")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    ctx = _ctx(args)
    stats = statistics.compute(ctx, year=args.year, inspection_id=args.inspection)
    if args.json:
        _print_json(stats.as_dict())
        return EXIT_OK
    scope = f"{args.year}年" if args.year else "全部"
    print(f"统计范围：{scope}")
    print(f"开展巡察 {stats.inspections} 次，巡察单位 {stats.units_inspected} 个，发现问题 {stats.findings} 个")
    print(f"移交问题线索 {stats.clues_handed_over} 件，立案 {stats.cases_filed} 件，党纪政务处分 {stats.people_disciplined} 人")
    print(
        f"整改事项 {stats.rectifications} 项，已整改 {stats.rectified} 项（销号 {stats.closed_out} 项），"
        f"逾期未整改 {stats.overdue} 项，整改率 {stats.rectification_rate:.1%}"
    )
    names = {
        kind: reference.names(ctx, kind)
        for kind in (reference.PROBLEM_CATEGORY, reference.DISCIPLINE, reference.FOUR_FORM)
    }
    for title, data, kind in (
        ("问题类别", stats.findings_by_category, reference.PROBLEM_CATEGORY),
        ("违反纪律", stats.findings_by_discipline, reference.DISCIPLINE),
        ("四种形态（人次）", stats.people_by_four_form, reference.FOUR_FORM),
    ):
        if data:
            print(f"{title}：" + "，".join(f"{names[kind].get(k, k)} {v}" for k, v in sorted(data.items())))
    return EXIT_OK


def cmd_inspections_list(args: argparse.Namespace) -> int:
    ctx = _ctx(args)
    rows = InspectionService(ctx).list()
    if args.json:
        _print_json(
            [
                {
                    "id": str(r.id),
                    "name": r.name,
                    "kind": r.kind,
                    "stage": r.stage,
                    "team": r.team_name,
                    "start_date": r.start_date.isoformat() if r.start_date else None,
                    "end_date": r.end_date.isoformat() if r.end_date else None,
                }
                for r in rows
            ]
        )
        return EXIT_OK
    if not rows:
        print("暂无巡察。")
    for r in rows:
        period = f"{r.start_date or '?'} 至 {r.end_date or '?'}"
        print(f"{r.id}  {r.name}  [{InspectionKind.label_of(r.kind)}·{Stage.label_of(r.stage)}]  {period}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from app.services.demo import generate_demo

    for name in ("units", "findings", "interviews"):
        if getattr(args, name) < 0:
            raise CommandError(f"--{name} 不能为负数")
    ctx = _ctx(args, create=True)
    if InspectionService(ctx).count(include_deleted=True):
        raise CommandError("数据库中已有巡察数据；演示数据只能写入新建的空数据库，以免与真实数据混在一起")
    report = generate_demo(
        ctx.db, seed=args.seed, units=args.units, findings=args.findings, interviews=args.interviews,
        progress=(lambda message: print(message, file=sys.stderr)) if args.verbose else None,
    )
    print(f"演示数据已写入 {args.db}，用时 {report.elapsed_seconds:.1f} 秒")
    for table, count in report.counts.items():
        print(f"  {table}: {count}")
    return EXIT_OK


def _ui_figures(database: Path, progress: Callable[[str], None]) -> list[Any]:
    """The interface's figures, measured in a process of its own (the command line imports no Qt)."""
    import os
    import subprocess

    from app.services.benchmark import Figure

    progress("测量界面（离屏启动主窗口）…")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    result = subprocess.run(
        [sys.executable, "-m", "app.ui.benchmark", str(database), "--json"],
        capture_output=True, text=True, env=env, timeout=900,
    )
    if result.returncode != 0:
        progress(f"界面测量未完成：{result.stderr.strip().splitlines()[-1:] or result.returncode}")
        return []
    return [Figure(f["name"], f["value"], f["unit"], f["budget"]) for f in json.loads(result.stdout)]


def cmd_bench(args: argparse.Namespace) -> int:
    from app.services.benchmark import Figure, default_bench_path, run_benchmarks
    from app.sync import benchmark as sync_benchmark

    database = Path(args.bench_db) if args.bench_db else default_bench_path()
    progress = lambda message: print(message, file=sys.stderr)  # noqa: E731
    figures = run_benchmarks(database=database, rebuild=args.rebuild, progress=progress)
    if not args.skip_ui:
        figures += _ui_figures(database, progress)
    if not args.skip_sync:
        figures += [Figure(*f) for f in sync_benchmark.measure(database, progress)]
    if args.json:
        _print_json([f.as_dict() for f in figures])
        return EXIT_OK
    width = max(len(f.name) for f in figures)
    for f in figures:
        print(f.render(width))
    return EXIT_OK


# --- parsing -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xuncha", description="巡察工作台命令行")
    parser.add_argument("--version", action="version", version=f"xuncha {__version__}")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认：用户数据目录中的 xuncha.sqlite3）")
    parser.add_argument("--user", default=None,
                        help="登录用户名（默认取环境变量 XUNCHA_USER，否则 admin）；密码取自 XUNCHA_PASSWORD 或提示输入")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    init = add("init", cmd_init, "创建加密数据库及其管理员账户（已存在则升级并补充参考数据）")
    init.add_argument("--plaintext", action="store_true", help="创建不加密的数据库（仅用于测试和演示）")
    init.add_argument("--name", help="管理员姓名（默认：管理员）")
    add("check", cmd_check, "检查数据库完整性").add_argument("--json", action="store_true")
    stats = add("stats", cmd_stats, "巡察工作统计")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--year", type=int)
    stats.add_argument("--inspection", help="只统计一次巡察（编号）")

    inspections = sub.add_parser("inspections", help="巡察").add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = inspections.add_parser("list", help="列出巡察")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_inspections_list)

    demo = add("demo", cmd_demo, "向空数据库写入可复现的演示数据")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--units", type=int, default=40)
    demo.add_argument("--findings", type=int, default=2000)
    demo.add_argument("--interviews", type=int, default=600)
    demo.add_argument("--verbose", action="store_true")

    from app import cli_ledger, cli_report, cli_security, cli_sync

    cli_sync.register(sub)
    cli_report.register(sub)
    cli_security.register(sub)
    cli_ledger.register(sub)

    bench = add("bench", cmd_bench, "测量各项性能指标")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--bench-db", help="基准测试数据库（默认在缓存目录中生成并复用）")
    bench.add_argument("--rebuild", action="store_true", help="重新生成基准测试数据库")
    bench.add_argument("--skip-sync", action="store_true", help="不测同步合并（约需一两分钟）")
    bench.add_argument("--skip-ui", action="store_true", help="不测界面（需要 Qt）")
    return parser


def _sync_errors() -> tuple[type[Exception], ...]:
    from app.cli_report import ERRORS as REPORT_ERRORS
    from app.cli_security import ERRORS as SECURITY_ERRORS
    from app.cli_sync import ERRORS

    return ERRORS + REPORT_ERRORS + SECURITY_ERRORS


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = default_database_path()
    # Every command opens --db through args.open (cli_sync, cli_security and cli_report included).
    args.credentials = Credentials(args.user)
    args.open = lambda create=False: open_for(args, create=create)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except (CommandError, ServiceError, *_sync_errors()) as exc:
        print(f"xuncha: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("xuncha: 已取消", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
