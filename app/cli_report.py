"""`xuncha report KIND --inspection ID --out FILE.pdf`: official documents from the database.

A numbered kind is issued: it takes the next 文号, and the PDF is kept in the database beside the
register entry. `--preview` renders the same document with the number left blank and records
nothing. The file is written to a temporary name beside FILE and renamed into place, so FILE is
either the complete PDF or untouched; the temporary file is opened before the document is issued,
so an unwritable folder fails before a number is taken.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
from pathlib import Path

from app.services.context import ServiceContext
from app.services.issuing import CONFIDENTIAL_KINDS, KIND_LABELS, KINDS, UNNUMBERED_KINDS, issue_document
from app.services.setup import open_database


class ReportCommandError(Exception):
    """A reason to stop, for stderr."""


def _open_temp(out: Path):
    folder = out.parent
    if not folder.is_dir():
        raise ReportCommandError(f"输出文件夹不存在：{folder}")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ReportCommandError(f"无法在 {folder} 中写入文件：{exc.strerror or exc}") from exc
    # mkstemp makes the file private (0600); give it the mode any new file would get, as a plain open would.
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(name, 0o666 & ~umask)
    return os.fdopen(fd, "wb"), Path(name)


def _context(args: argparse.Namespace) -> ServiceContext:
    # app.cli's main gives every command args.open, which knows about encrypted databases and accounts
    # (and so who is acting, for the watermark); a plain open serves when the command is driven otherwise.
    opener = getattr(args, "open", None)
    if opener is not None:
        return opener().ctx
    return ServiceContext(open_database(args.db).db)


def cmd_report(args: argparse.Namespace) -> int:
    if args.kind not in KIND_LABELS:
        raise ReportCommandError(f"未知的文书种类「{args.kind}」，可选：{'、'.join(KINDS)}")
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise ReportCommandError(f"--out 应为文件名，而 {out} 是文件夹")
    ctx = _context(args)
    handle, temp = _open_temp(out)
    try:
        with handle:
            result = issue_document(ctx, args.kind, args.inspection, watermark="" if args.no_watermark else None,
                                    preview=args.preview)
            try:
                handle.write(result.pdf_bytes)
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise _write_failed(out, exc, result.number_text) from exc
        try:
            os.replace(temp, out)
        except OSError as exc:
            raise _write_failed(out, exc, result.number_text) from exc
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()

    label = KIND_LABELS[args.kind]
    if result.number_text:
        print(f"文号：{result.number_text}")
        print(f"已印发{label}《{result.title}》，共 {result.page_count} 页：{out}")
    elif args.preview and args.kind not in UNNUMBERED_KINDS:
        print(f"预览{label}《{result.title}》（未编文号、未登记），共 {result.page_count} 页：{out}")
    else:
        print(f"已生成{label}《{result.title}》（不编文号），共 {result.page_count} 页：{out}")
    for message in result.font_messages:
        print(f"字体：{message}")
    return 0


def _write_failed(out: Path, exc: OSError, number: str | None) -> ReportCommandError:
    reason = f"无法写入 {out}：{exc.strerror or exc}"
    if number:
        # The transaction has committed: the document keeps its number and its PDF is in the database.
        reason += f"；文书已登记为 {number}，PDF 已保存在数据库中"
    return ReportCommandError(reason)


def register(sub: argparse._SubParsersAction) -> None:
    kinds = "，".join(f"{k} {v}" for k, v in KIND_LABELS.items())
    confidential = "、".join(KIND_LABELS[k] for k in KINDS if k in CONFIDENTIAL_KINDS)
    report = sub.add_parser(
        "report", help="从数据库生成公文 PDF",
        description=f"从数据库生成公文 PDF（GB/T 9704-2012）。KIND：{kinds}。",
    )
    # Checked by cmd_report rather than argparse `choices`, for a one-line Chinese reason on a typo.
    report.add_argument("kind", metavar="KIND", help="|".join(KINDS))
    report.add_argument("--inspection", required=True, metavar="ID", help="巡察编号（见 xuncha inspections list）")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="输出的 PDF 文件")
    report.add_argument("--no-watermark", action="store_true",
                        help=f"不加水印（{confidential}默认加“导出人 时间”水印）")
    report.add_argument("--preview", action="store_true", help="预览：不编文号、不登记、不保存到数据库")
    report.set_defaults(handler=cmd_report)


ERRORS = (ReportCommandError,)
