"""`xuncha export rectification-ledger` and `xuncha import rectification-ledger`: the 整改台账 workbooks
exchanged with inspected units (app.services.office.rectification_ledger).

    xuncha export rectification-ledger --inspection ID --out FILE.xlsx [--unit UNIT]
    xuncha export rectification-ledger --inspection ID --out FOLDER
    xuncha import rectification-ledger FILE.xlsx [--inspection ID] [--dry-run]
    xuncha export register --out FILE.xlsx [--inspection ID] [--keyword WORD] [--status STATUS]

One workbook per inspected unit: with `--unit` (or when only one unit has rectification items) --out
is the file; otherwise --out is a folder that receives one workbook per unit. Import checks the
whole workbook first and prints every bad cell; `--dry-run` prints what would change and writes
nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.models.enums import FindingStatus
from app.services.errors import ValidationError

if TYPE_CHECKING:
    from app.services.context import ServiceContext

# The ledger service loads openpyxl, SQLAlchemy and the models: imported by its commands only, so
# that building the parser costs every other command nothing.


def _context(args: argparse.Namespace) -> ServiceContext:
    opener = getattr(args, "open", None)
    if opener is not None:
        return opener().ctx
    from app.services.context import ServiceContext
    from app.services.setup import open_database

    return ServiceContext(open_database(args.db).db)


def cmd_export(args: argparse.Namespace) -> int:
    from app.services.office import rectification_ledger as ledger

    ctx = _context(args)
    out = Path(args.out).expanduser()
    as_file = out.suffix.lower() == ".xlsx"
    if args.unit:
        unit = ledger.find_unit(ctx, args.inspection, args.unit)
        path = out if as_file else out / ledger.file_name_for(unit.unit_name, dt.date.today())
        if not as_file:
            out.mkdir(parents=True, exist_ok=True)
        written = [ledger.export_unit(ctx, args.inspection, unit.unit_id, path)]
    elif as_file:
        units = ledger.ledger_units(ctx, args.inspection)
        if len(units) != 1:
            names = "、".join(u.unit_name for u in units) or "（无）"
            raise ValidationError(f"该巡察有{len(units)}个单位有整改事项（{names}）：请用 --unit 指定一个单位，"
                                  "或让 --out 指向一个文件夹（每个单位一个工作簿）。")
        written = [ledger.export_unit(ctx, args.inspection, units[0].unit_id, out)]
    else:
        written = ledger.export_all(ctx, args.inspection, out, on=dt.date.today())
    for item in written:
        print(f"已导出「{item.unit_name}」的整改台账：问题{item.problems}个，整改事项{item.tasks}项 → {item.path}")
    return 0


def cmd_export_register(args: argparse.Namespace) -> int:
    """The 问题台账 as the window exports it: the same columns, filtered and ordered by 问题编号."""
    from app.services import register as findings_register
    from app.services.crud import as_uuid

    ctx = _context(args)
    out = Path(args.out).expanduser()
    if args.status is not None and args.status not in FindingStatus.labels():
        by_label = {label: code for code, label in FindingStatus.labels().items()}
        if args.status not in by_label:
            raise ValidationError(f"办理状态「{args.status}」无效，应为：" + "、".join(by_label) + "。")
        args.status = by_label[args.status]
    inspection = as_uuid(args.inspection) if args.inspection else None
    filt = findings_register.RegisterFilter(inspection_id=inspection, keyword=args.keyword or "", status=args.status)
    ids = findings_register.matching_ids(ctx, filt, "number")
    written = findings_register.export_xlsx(ctx, ids, out)
    print(f"已导出问题台账：{written}个问题 → {out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from app.services.office import rectification_ledger as ledger

    ctx = _context(args)
    path = Path(args.file).expanduser()
    try:
        if args.dry_run:
            plan = ledger.check_ledger(ctx, path, inspection_id=args.inspection)
            print("（试导入：以下内容未写入数据库）")
        else:
            plan = ledger.import_ledger(ctx, path, inspection_id=args.inspection)
    except ledger.LedgerRefused as exc:
        # The reason on one line, then each bad cell on its own, so a script can count them.
        print(f"xuncha: 整改台账有{len(exc.problems)}处问题，未导入任何数据", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem.text}", file=sys.stderr)
        return 1
    for line in plan.summary_lines():
        print(line)
    if plan.applied:
        print(f"已导入：来源「{plan.file_name}」，记为{ctx.actor.name}的修改。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser("export", help="导出（整改台账、问题台账）", description="导出整改台账或问题台账")
    kinds = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    out = kinds.add_parser(
        "rectification-ledger", help="整改台账（三张清单，每个被巡察单位一个工作簿）",
        description="导出整改台账：问题清单、任务清单、责任清单，每个被巡察单位一个 .xlsx 工作簿。",
    )
    out.add_argument("--inspection", required=True, metavar="ID", help="巡察编号（见 xuncha inspections list）")
    out.add_argument("--out", required=True, metavar="FILE.xlsx|FOLDER",
                     help="输出文件（一个单位）或文件夹（每个单位一个工作簿）")
    out.add_argument("--unit", metavar="UNIT", help="只导出该单位（名称、简称或编号）")
    out.set_defaults(handler=cmd_export)
    findings = kinds.add_parser(
        "register", help="问题台账（与窗口中“导出Excel”相同的列）",
        description="导出问题台账：窗口中的各列，再加问题现象、整改措施、整改时限、责任人、整改进展、销号情况。",
    )
    findings.add_argument("--out", required=True, metavar="FILE.xlsx", help="输出文件")
    findings.add_argument("--inspection", metavar="ID", help="只导出这次巡察的问题（默认：本账户可见的全部巡察）")
    findings.add_argument("--keyword", metavar="WORD", help="只导出含这个词的问题")
    findings.add_argument("--status", metavar="STATUS", help="只导出这个办理状态的问题（如 整改中）")
    findings.set_defaults(handler=cmd_export_register)

    imports = sub.add_parser("import", help="导入（被巡察单位填回的整改台账）",
                             description="导入被巡察单位填回的工作簿")
    kinds = imports.add_subparsers(dest="what", metavar="WHAT", required=True)
    back = kinds.add_parser(
        "rectification-ledger", help="整改台账（先全部核对，无误才导入）",
        description="导入被巡察单位填回的整改台账：先核对全部单元格，有任何问题则不导入并逐一列出。",
    )
    back.add_argument("file", metavar="FILE.xlsx")
    back.add_argument("--inspection", metavar="ID", help="核对该文件属于这次巡察")
    back.add_argument("--dry-run", action="store_true", help="只核对并列出将要更新的内容（原内容 → 新内容），不写入")
    back.set_defaults(handler=cmd_import)

