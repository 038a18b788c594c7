"""Headless commands over the services: the stable surface for scripts, tests and benchmarks.

    xuncha [--db PATH] COMMAND …

Exit status 0 on success; otherwise non-zero with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import json
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
from app.services.setup import open_database

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A reason to stop, for stderr."""


def _ctx(args: argparse.Namespace, *, create: bool = False) -> ServiceContext:
    return ServiceContext(open_database(args.db, create=create).db)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


# --- commands ----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    existed = Path(args.db).exists()
    opened = open_database(args.db, create=True)
    counts = {kind: len(reference.items(ServiceContext(opened.db), kind)) for kind in reference.LIST_FILES}
    verb = "已打开现有数据库" if existed else "已创建数据库"
    print(f"{verb}：{args.db}")
    print("参考数据：" + "，".join(f"{k} {v} 条" for k, v in counts.items()))
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


def cmd_bench(args: argparse.Namespace) -> int:
    from app.services.benchmark import run_benchmarks

    figures = run_benchmarks(
        database=Path(args.bench_db) if args.bench_db else None,
        rebuild=args.rebuild,
        progress=lambda message: print(message, file=sys.stderr),
    )
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    add("init", cmd_init, "创建数据库（已存在则升级并补充参考数据）")
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

    from app import cli_sync

    cli_sync.register(sub)

    bench = add("bench", cmd_bench, "测量各项性能指标")
    bench.add_argument("--json", action="store_true")
    bench.add_argument("--bench-db", help="基准测试数据库（默认在缓存目录中生成并复用）")
    bench.add_argument("--rebuild", action="store_true", help="重新生成基准测试数据库")
    return parser


def _sync_errors() -> tuple[type[Exception], ...]:
    from app.cli_sync import ERRORS

    return ERRORS


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = default_database_path()
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
