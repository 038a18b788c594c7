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
from typing import TYPE_CHECKING, Any

from app import __version__, cli_quick
from app.models.enums import InspectionKind, Stage
from app.models.peek import is_server_url
from app.paths import default_database_path

if TYPE_CHECKING:
    from app.services.context import ServiceContext
    from app.services.setup import Opened

# SQLAlchemy, the models and the services take ~0.5 s of CPU to import, the whole budget of a
# command that reads a little (DESIGN.md: < 0.5 s): they are imported by the commands that use them,
# and `inspections list` and `sync status` answer a plain file without them (app/cli_quick.py).

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
# sysexits' EX_TEMPFAIL: nothing is wrong, try again later (check while another program writes).
EXIT_BUSY = 75


class CommandError(Exception):
    """A reason to stop, for stderr."""


class BusyError(CommandError):
    """The database is in use by another program: nothing is wrong, try again later."""


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


def db_location(value: str) -> str | Path:
    """--db: a file, or a PostgreSQL URL kept as typed (a Path would fold its '//')."""
    return value if is_server_url(value) else Path(value)


def _open_server(args: argparse.Namespace, *, create: bool) -> Opened:
    """A server database: its accounts' login is asked for only when it has accounts."""
    from app.services.setup import PasswordRequiredError, open_database

    creds: Credentials = args.credentials
    try:
        return open_database(args.db, create=create, password=creds.given, username=creds.username)
    except PasswordRequiredError:
        if creds.given is not None:
            raise
        return open_database(args.db, create=create, password=creds.password(why="服务器上的数据库已设置账户"),
                             username=creds.username)


def open_for(args: argparse.Namespace, *, create: bool = False) -> Opened:
    """Open --db for a command: with a login when it is encrypted or has accounts."""
    if is_server_url(args.db):
        return _open_server(args, create=create)
    opened = _open_file(args, create=create)
    if opened.notice:
        print(f"xuncha: {opened.notice}", file=sys.stderr, flush=True)
    return opened


def _open_file(args: argparse.Namespace, *, create: bool) -> Opened:
    from app.services.setup import PasswordRequiredError, database_exists, needs_password, open_database

    creds: Credentials = args.credentials
    password = creds.given
    if password is None and (needs_password(args.db) or (create and not database_exists(args.db))):
        why = "该数据库已加密" if database_exists(args.db) else "新建的数据库将被加密"
        password = creds.password(confirm=not database_exists(args.db), why=why)
    try:
        return open_database(args.db, create=create, password=password, username=creds.username, login_required=True,
                             progress=_finishing_rekey())
    except PasswordRequiredError:
        if password is not None:
            raise
        return open_database(args.db, create=create, password=creds.password(why="该数据库已设置账户"),
                             username=creds.username, login_required=True, progress=_finishing_rekey())


def _finishing_rekey() -> Callable[[int, int], None]:
    """The progress of a re-key an interrupted disable left due, finished at this login: the same
    stderr lines as the disable's, after one saying why a login takes half a minute."""
    from app.cli_security import _rekey_progress

    report, announced = _rekey_progress(), [False]

    def first(done: int, total: int) -> None:
        if not announced[0]:
            announced[0] = True
            print("正在完成上次中断的更换密钥……", file=sys.stderr, flush=True)
        report(done, total)

    return first


def _ctx(args: argparse.Namespace, *, create: bool = False) -> ServiceContext:
    return open_for(args, create=create).ctx


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- commands ----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from app.services import reference
    from app.services.context import ServiceContext
    from app.services.setup import database_exists, open_database

    if is_server_url(args.db):
        return _init_server(args)
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


def _init_server(args: argparse.Namespace) -> int:
    """The schema in an empty server database (and its first administrator), or an upgrade."""
    from app.services import reference
    from app.services.context import ServiceContext
    from app.services.setup import database_exists, describe, open_database

    where = describe(args.db)
    creds: Credentials = args.credentials
    existed = database_exists(args.db)
    if existed:
        opened = open_for(args)
    else:
        if args.plaintext:
            raise CommandError("服务器上的数据库不用 SQLCipher 加密，--plaintext 不适用；其静态数据由服务器的磁盘加密与访问控制保护")
        password = creds.password(confirm=True, why="新建的服务器数据库须为管理员设置密码")
        opened = open_database(args.db, create=True, password=password, username=creds.username,
                               display_name=args.name)
    counts = {kind: len(reference.items(ServiceContext(opened.db), kind)) for kind in reference.LIST_FILES}
    print(f"{'已打开现有数据库' if existed else '已在服务器上创建数据库结构'}：{where}（PostgreSQL）")
    if not existed:
        print(f"管理员账户：{opened.actor.username}（各工作站以巡察工作台账户登录；无密钥文件）")
    print("参考数据：" + "，".join(f"{k} {v} 条" for k, v in counts.items()))
    opened.db.dispose()
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    opened = open_for(args)
    report = opened.db.integrity_report()
    problems = list(report.problems)
    state = opened.db.schema_state()
    if state.current != state.head:
        problems.append(f"结构版本 {state.current} 不是最新的 {state.head}")
    if args.json:
        _print_json({"ok": not problems, "schema": state.current, "problems": problems, "skipped": report.skipped,
                     "busy": report.busy, "read_only": opened.read_only})
    else:
        for line in problems + report.skipped:
            print(line)
        if not problems:
            checked = "数据完整，外键有效" + ("" if report.skipped else "，全文索引完好")
            print(f"检查通过：结构版本 {state.current}，{checked}。")
    opened.db.dispose()
    if problems:
        raise CommandError(f"数据库检查发现 {len(problems)} 个问题")
    if report.busy:
        raise BusyError("数据库正被另一个程序写入，检查未能全部完成（已完成的检查均通过）；请稍后再试")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from app.services import reference, statistics

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
    rows = cli_quick.inspections(args.db)
    if rows is None:  # not a plain file without accounts at this version: the services, login and all
        from app.services.inspections import InspectionService

        rows = InspectionService(_ctx(args)).list()
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
    from app.services.inspections import InspectionService
    from app.services.setup import describe

    for name in ("units", "findings", "interviews"):
        if getattr(args, name) < 0:
            raise CommandError(f"--{name} 不能为负数")
    opened = open_for(args, create=True)
    if opened.read_only:
        raise CommandError(f"数据库文件 {describe(args.db)} 是只读的（或所在文件夹不可写），不能写入演示数据；请检查权限")
    ctx = opened.ctx
    if InspectionService(ctx).count(include_deleted=True):
        raise CommandError("数据库中已有巡察数据；演示数据只能写入新建的空数据库，以免与真实数据混在一起")
    report = generate_demo(
        ctx.db, seed=args.seed, units=args.units, findings=args.findings, interviews=args.interviews,
        progress=(lambda message: print(message, file=sys.stderr)) if args.verbose else None,
    )
    print(f"演示数据已写入 {describe(args.db)}，用时 {report.elapsed_seconds:.1f} 秒")
    for table, count in report.counts.items():
        print(f"  {table}: {count}")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    """The office's master database, from its SQLite file to an empty PostgreSQL database."""
    from app.services import migrate_office

    if not is_server_url(args.to):
        raise CommandError("--to 须是 PostgreSQL 数据库地址，例如 postgresql://xuncha@db.example.org/xuncha?sslmode=verify-full")
    source = argparse.Namespace(**{**vars(args), "db": migrate_office.source_path(args.source)})
    opened = open_for(source)
    try:
        report = migrate_office.migrate_office(opened.ctx, args.to, progress=lambda m: print(m, file=sys.stderr))
    finally:
        opened.db.dispose()
    for line in migrate_office.describe(report):
        print(line)
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
    return [Figure(f["id"], f["name"], f["value"], f["unit"], f["budget"]) for f in json.loads(result.stdout)]


def cmd_bench(args: argparse.Namespace) -> int:
    from app.services.benchmark import (
        Figure,
        cli_figures,
        default_bench_path,
        describe_after,
        describe_machine,
        machine_info,
        run_benchmarks,
    )
    from app.sync import benchmark as sync_benchmark

    progress = lambda message: print(message, file=sys.stderr)  # noqa: E731
    if not 1 <= args.merge_runs <= sync_benchmark.MAX_MERGE_RUNS:
        raise CommandError(f"--merge-runs 应为 1 到 {sync_benchmark.MAX_MERGE_RUNS} 之间的整数")
    if args.merge_runs > 1 and (args.skip_sync or is_server_url(args.bench_db)):
        raise CommandError("--merge-runs 只用于本机 SQLite 文件上的同步合并测量（不能与 --skip-sync 或服务器数据库同用）")
    if is_server_url(args.bench_db):
        from app.services import server_bench

        # A server database that is not the bench's is refused before anything is printed or built.
        server_bench.check_server_bench(args.bench_db)
        progress(describe_machine(machine_info()))
        code = _bench_server(args, progress)
        progress(describe_after(machine_info()))
        return code
    before = machine_info()
    progress(describe_machine(before))
    database = Path(args.bench_db) if args.bench_db else default_bench_path()
    figures = run_benchmarks(database=database, rebuild=args.rebuild, progress=progress)
    figures += cli_figures(database, progress)
    if not args.skip_ui:
        from app.services.benchmark import launch_figures

        figures += launch_figures(database, progress)
        figures += _ui_figures(database, progress)
    if not args.skip_sync:
        figures += [Figure(*f) for f in sync_benchmark.measure(database, progress, merge_runs=args.merge_runs)]
    after = machine_info()
    if args.json:
        _print_json({"machine": {**before, "load_average_after": after["load_average"],
                                 "reference_loop_after_s": after["reference_loop_s"]},
                     "figures": [f.as_dict() for f in figures]})
        return EXIT_OK
    print(describe_machine(before))
    print(describe_after(after))
    width = max(len(f.name) for f in figures)
    for f in figures:
        print(f.render(width))
    return EXIT_OK


def _bench_server(args: argparse.Namespace, progress: Callable[[str], None]) -> int:
    """Every figure on the office server beside the same figure on SQLite (the cached demo file)."""
    from app.services import server_bench
    from app.services.benchmark import Figure, default_bench_path, run_benchmarks
    from app.services.setup import describe
    from app.sync import benchmark as sync_benchmark
    from app.sync import server_bench as sync_server_bench

    sqlite_path = default_bench_path()
    # A server database that is not the bench's is refused before anything is built or measured.
    server_bench.check_server_bench(args.bench_db)
    sqlite = run_benchmarks(database=sqlite_path, rebuild=args.rebuild, progress=progress)
    server = server_bench.server_figures(args.bench_db, progress)
    if not args.skip_ui:
        sqlite += _ui_figures(sqlite_path, progress)
        server += _ui_figures(args.bench_db, progress)
    missing = None
    if not args.skip_sync:
        sqlite += [Figure(*f) for f in sync_benchmark.measure(sqlite_path, progress)]
        merged, missing = sync_server_bench.measure_server(args.bench_db, progress)
        server += [Figure(*f) for f in merged]
    rows = server_bench.side_by_side(sqlite, server)
    if args.json:
        _print_json(rows)
    else:
        print(f"SQLite：{sqlite_path}；PostgreSQL：{describe(args.bench_db)}")
        for line in server_bench.render_rows(rows):
            print(line)
    if missing:
        print(f"xuncha: 服务器上的合并未测量：{missing}", file=sys.stderr)
    return EXIT_OK


# --- parsing -----------------------------------------------------------------------------------
# argparse's own words (usage, errors, the -h help), in Chinese: argparse looks them up through
# gettext, so its module-level lookups are pointed at this table before any parser is built.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的取值：%(value)r（应为 %(type)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


def _chinese_argparse() -> None:
    argparse._ = lambda message: _ARGPARSE_ZH.get(message, message)  # type: ignore[attr-defined]
    argparse.ngettext = lambda singular, plural, n: _ARGPARSE_ZH.get(singular if n == 1 else plural,  # type: ignore[attr-defined]
                                                                     singular if n == 1 else plural)


# Help for options whose command module gave none, by "command path: option" or by option alone.
_FALLBACK_HELP = {
    "--json": "以 JSON 格式输出（供脚本读取）",
    "--out": "输出文件",
    "file": "文件路径",
    "username": "账户的用户名",
    "--name": "姓名",
    "--role": "角色：member（组员）、deputy（副组长）、leader（组长）、admin（管理员）",
    "role": "新角色：member（组员）、deputy（副组长）、leader（组长）、admin（管理员）",
    "--since": "起始日期（如 2026-11-01）",
    "--until": "截止日期（如 2026-11-30）",
    "--limit": "最多显示的条数",
    "sync import: file": "同步包文件（.xsync）",
    "sync import-kit: file": "工作包文件（.xkit）",
    "sync export: --out": "要写出的同步包文件（.xsync）",
    "sync kit: --out": "要写出的工作包文件（.xkit）",
    "sync resolve: table": "数据表（sync conflicts 列出的表名）",
    "sync resolve: row": "记录编号（sync conflicts 列出的编号）",
    "sync resolve: --field": "要处理的字段",
    "sync resolve: --value": "采用的取值",
    "sync resolve: --keep-deleted": "维持删除（放弃另一方的修改）",
    "sync resolve: --restore": "恢复被删除的记录",
    "backup: --out": "备份文件（同时写出同名的 .keys 密钥文件）",
    "report: kind": "公文种类",
}


def _has_chinese(text: str | None) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text or "")


def _fill_help(parser: argparse.ArgumentParser, path: str = "") -> None:
    """Give every option of every command a Chinese help text (the sync, security and report
    modules register their own commands; what they left without help is filled from the table)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                _fill_help(sub, f"{path} {name}".strip())
            continue
        if action.help == argparse.SUPPRESS or _has_chinese(action.help):
            continue
        names = [*action.option_strings, action.dest]
        text = next((_FALLBACK_HELP[k] for n in names for k in (f"{path}: {n}", n) if k in _FALLBACK_HELP), None)
        if text is None:
            continue
        action.help = f"{text}（{action.help}）" if action.help else text


EPILOG = ("退出状态：0 成功；1 失败（原因写在标准错误输出的一行中，意外错误的详细信息写入日志）；"
          "2 参数错误；75 数据库正忙，稍后再试（check）。")


def build_parser() -> argparse.ArgumentParser:
    _chinese_argparse()
    parser = argparse.ArgumentParser(prog="xuncha", description="巡察工作台命令行", epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"xuncha {__version__}", help="显示版本号并退出")
    parser.add_argument("--db", type=db_location, default=None,
                        help="数据库文件（默认：用户数据目录中的 xuncha.sqlite3），或服务器上的数据库 "
                             "postgresql://用户@主机/数据库（其密码取自 XUNCHA_DB_PASSWORD 或 ~/.pgpass）")
    parser.add_argument("--user", default=None,
                        help="登录用户名（默认取环境变量 XUNCHA_USER，否则 admin）；密码取自 XUNCHA_PASSWORD 或提示输入")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    init = add("init", cmd_init, "创建加密数据库及其管理员账户（已存在则升级并补充参考数据）")
    init.add_argument("--plaintext", action="store_true", help="创建不加密的数据库（仅用于测试和演示）")
    init.add_argument("--name", help="管理员姓名（默认：管理员）")
    check = add("check", cmd_check, "检查数据库完整性（只读，不修改数据库）")
    check.add_argument("--json", action="store_true", help="以 JSON 格式输出检查结果")
    stats = add("stats", cmd_stats, "巡察工作统计")
    stats.add_argument("--json", action="store_true", help="以 JSON 格式输出")
    stats.add_argument("--year", type=int, help="只统计某一年（如 2026）")
    stats.add_argument("--inspection", help="只统计一次巡察（编号）")

    inspections = sub.add_parser("inspections", help="巡察").add_subparsers(
        dest="action", metavar="ACTION", required=True, title="操作")
    listing = inspections.add_parser("list", help="列出巡察")
    listing.add_argument("--json", action="store_true", help="以 JSON 格式输出（每项至少含 id 和 name）")
    listing.set_defaults(handler=cmd_inspections_list)

    demo = add("demo", cmd_demo, "向空数据库写入可复现的演示数据")
    demo.add_argument("--seed", type=int, default=1, help="随机种子：相同的种子生成完全相同的数据（默认 1）")
    demo.add_argument("--units", type=int, default=40, help="单位数（默认 40）")
    demo.add_argument("--findings", type=int, default=2000, help="问题数（默认 2000）")
    demo.add_argument("--interviews", type=int, default=600, help="谈话记录数（默认 600）")
    demo.add_argument("--verbose", action="store_true", help="显示生成进度")

    migrate = add("migrate", cmd_migrate, "把巡察办主库从数据库文件迁移到 PostgreSQL 服务器（身份、密钥、变更记录、公文一并迁移并校验）")
    migrate.add_argument("--from", dest="source", required=True, help="主库的数据库文件（SQLite，可为加密的）")
    migrate.add_argument("--to", required=True, help="服务器上新建的空数据库：postgresql://用户@主机/数据库")

    from app import cli_ledger, cli_report, cli_security, cli_sync

    cli_sync.register(sub)
    cli_report.register(sub)
    cli_security.register(sub)
    cli_ledger.register(sub)

    bench = add("bench", cmd_bench, "测量各项性能指标")
    bench.add_argument("--json", action="store_true", help="以 JSON 格式输出各项指标")
    bench.add_argument("--bench-db", help="基准测试数据库（默认在缓存目录中生成并复用）；postgresql://… 则在该服务器数据库上"
                                          "（空库时生成演示数据）测量，与 SQLite 的数值并列输出")
    bench.add_argument("--rebuild", action="store_true", help="重新生成基准测试数据库")
    bench.add_argument("--skip-sync", action="store_true", help="不测同步合并（约需一两分钟）")
    bench.add_argument("--skip-ui", action="store_true", help="不测界面（需要 Qt）")
    bench.add_argument("--merge-runs", type=int, default=1, metavar="N",
                       help="同步合并测 N 次，每次合并到新复制的同一主库，给出中位数及最快、最慢一次（默认 1，最多 20）")
    _fill_help(parser)
    return parser


def _reported_errors() -> tuple[type[Exception], ...]:
    """Failures that end a command with their one-line message (imported only when one happens)."""
    from app.cli_report import ERRORS as REPORT_ERRORS
    from app.cli_security import ERRORS as SECURITY_ERRORS
    from app.cli_sync import ERRORS
    from app.models.db import DatabaseError
    from app.services.errors import ServiceError

    return (CommandError, ServiceError, DatabaseError, *ERRORS, *REPORT_ERRORS, *SECURITY_ERRORS)


def main(argv: Sequence[str] | None = None) -> int:
    from app.logs import describe_exception, log_exception, setup_logging
    from app.tempfiles import use_private_tempdir

    setup_logging("xuncha")
    use_private_tempdir()
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
    except BusyError as exc:
        print(f"xuncha: {exc}", file=sys.stderr)
        return EXIT_BUSY
    except _reported_errors() as exc:
        print(f"xuncha: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("xuncha: 已取消", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place every unexpected failure ends up
        log_exception(exc, f"command {args.command} {getattr(args, 'action', '') or ''} failed")
        print(f"xuncha: {describe_exception(exc)}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
