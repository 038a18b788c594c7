"""`xuncha report KIND --inspection ID --out FILE.pdf|FILE.docx` and `xuncha documents …`.

A numbered kind is issued: it takes the next 文号, and the PDF is kept in the database beside the
register entry. `--preview` renders the same document with the number left blank and records
nothing. An --out ending in .docx writes the Word version (the PDF is still what is kept). The file
is written to a temporary name beside FILE and renamed into place, so FILE is either complete or
untouched; the temporary file is opened before the document is issued, so an unwritable folder
fails before a number is taken.

`xuncha documents list` shows the register of issued documents, `documents save` writes one out again
(as issued, or as Word), `documents void` voids one with a reason (its number is never reused).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.context import ServiceContext

# The documents service loads ReportLab, the fonts and SQLAlchemy (~0.4 s of CPU): imported by the
# commands that issue, and by `report --help` (the kinds' names), never by merely building the parser.


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
    from app.services.context import ServiceContext
    from app.services.setup import open_database

    return ServiceContext(open_database(args.db).db)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ReportCommandError(f"--date 应为 YYYY-MM-DD 形式的日期，而不是「{text}」") from exc


def _record_inspection(ctx: ServiceContext, kind: str, record: str) -> str:
    """The inspection a record (an interview, a finding) belongs to."""
    from sqlalchemy import select

    from app.models import Finding, Interview
    from app.services.crud import as_uuid
    from app.services.errors import NotFoundError
    from app.services.issuing import RECORD_KINDS

    model = Interview if RECORD_KINDS[kind] == "interview" else Finding
    try:
        key = as_uuid(record)
    except NotFoundError as exc:
        raise ReportCommandError(f"--record 的编号格式不正确：{record}") from exc
    with ctx.db.read() as session:
        found = session.scalar(select(model.inspection_id).where(model.id == key, model.deleted_at.is_(None)))
    if found is None:
        raise ReportCommandError(f"找不到编号为 {record} 的{'谈话记录' if model is Interview else '问题'}")
    return str(found)


def cmd_report(args: argparse.Namespace) -> int:
    from app.services.issuing import (
        KIND_LABELS,
        KINDS,
        RECORD_KINDS,
        UNNUMBERED_KINDS,
        AlreadyIssuedError,
        DocumentOptions,
        issue_document,
    )

    if args.kind not in KIND_LABELS:
        raise ReportCommandError(f"未知的文书种类「{args.kind}」，可选：{'、'.join(KINDS)}")
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise ReportCommandError(f"--out 应为文件名，而 {out} 是文件夹")
    word = out.suffix.lower() == ".docx"
    if args.copies is not None and args.copies < 1:
        raise ReportCommandError("--copies 应为正整数")
    ctx = _context(args)
    inspection = args.inspection
    if args.kind in RECORD_KINDS:
        if not args.record:
            what = "谈话记录" if RECORD_KINDS[args.kind] == "interview" else "问题"
            raise ReportCommandError(f"{KIND_LABELS[args.kind]}需用 --record ID 指定{what}")
        inspection = inspection or _record_inspection(ctx, args.kind, args.record)
    if not inspection:
        raise ReportCommandError("请用 --inspection ID 指定巡察（见 xuncha inspections list）")
    options = DocumentOptions(date=_date(args.date), record_id=args.record)
    handle, temp = _open_temp(out)
    try:
        with handle:
            try:
                result = issue_document(ctx, args.kind, inspection, options,
                                        watermark="" if args.no_watermark else None, preview=args.preview,
                                        again=args.again, copies=args.copies, docx=word)
            except AlreadyIssuedError as exc:
                raise ReportCommandError(exc.message.replace("请确认后重试", "请加 --again 重试")) from exc
            try:
                handle.write(result.docx_bytes if word else result.pdf_bytes)
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
    if word:
        label += "（Word）"
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


def _name_kinds_in_help(report: argparse.ArgumentParser, kind: argparse.Action, watermark: argparse.Action) -> None:
    """`report --help` names every kind of document, as the documents service lists them: filled in
    when the help is shown (importing the service to build the parser cost every command ~0.4 s)."""
    format_help = report.format_help

    def with_kinds() -> str:
        from app.services.issuing import CONFIDENTIAL_KINDS, KIND_LABELS, KINDS

        kinds = "，".join(f"{k} {v}" for k, v in KIND_LABELS.items())
        confidential = "、".join(KIND_LABELS[k] for k in KINDS if k in CONFIDENTIAL_KINDS)
        report.description = f"从数据库生成公文 PDF（GB/T 9704-2012）。KIND：{kinds}。"
        kind.help = f"公文种类（{'|'.join(KINDS)}）"
        watermark.help = f"不加水印（{confidential}默认加“导出人 时间”水印）"
        return format_help()

    report.format_help = with_kinds  # type: ignore[method-assign]


def register(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="从数据库生成公文 PDF", description="从数据库生成公文 PDF（GB/T 9704-2012）。")
    # Checked by cmd_report rather than argparse `choices`, for a one-line Chinese reason on a typo.
    kind = report.add_argument("kind", metavar="KIND", help="公文种类")
    report.add_argument("--inspection", metavar="ID", help="巡察编号（见 xuncha inspections list）")
    report.add_argument("--record", metavar="ID",
                        help="interview-record：谈话记录编号；working-paper：问题编号（可省略 --inspection）")
    report.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", help="输出文件；以 .docx 结尾时输出 Word 文档")
    report.add_argument("--date", metavar="YYYY-MM-DD", help="成文日期（默认今天，反馈意见默认反馈日期；不得早于巡察结束日期）")
    report.add_argument("--copies", type=int, metavar="N", help="印制 N 份，涉密文书每份编 6 位份号，份数随文登记")
    report.add_argument("--again", action="store_true", help="该巡察已印发同种文书时仍再次印发（编新文号）")
    watermark = report.add_argument("--no-watermark", action="store_true", help="不加水印（涉密文书默认加“导出人 时间”水印）")
    report.add_argument("--preview", action="store_true", help="预览：不编文号、不登记、不保存到数据库")
    report.set_defaults(handler=cmd_report)
    _name_kinds_in_help(report, kind, watermark)

    documents = sub.add_parser("documents", help="公文登记簿：列出、另存、作废已印发的文书",
                               description="公文登记簿（发文登记）：每份已编文号的文书及其 PDF。")
    dsub = documents.add_subparsers(dest="documents_command", required=True, metavar="list|save|void")
    listing = dsub.add_parser("list", help="列出已印发的文书（最新在前）")
    listing.add_argument("--inspection", metavar="ID", help="只列该巡察的文书")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=cmd_documents_list)
    save = dsub.add_parser("save", help="把已印发的文书另存为文件（PDF 为印发原件；.docx 为 Word 版）")
    save.add_argument("document", metavar="文号|ID", help="文书的文号（如 市委巡〔2026〕3号）或编号")
    save.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx")
    save.add_argument("--copies", type=int, metavar="N", help="重新印制 N 份（涉密文书每份编份号）")
    save.set_defaults(handler=cmd_documents_save)
    void = dsub.add_parser("void", help="作废文书（文号不再使用）")
    void.add_argument("document", metavar="文号|ID", help="要作废的文书的文号或编号")
    void.add_argument("--reason", required=True, metavar="原因", help="作废原因")
    void.set_defaults(handler=cmd_documents_void)


def cmd_documents_list(args: argparse.Namespace) -> int:
    from app.services.documents import list_issued

    rows = list_issued(_context(args), inspection_id=args.inspection)
    if args.json:
        print(json.dumps([{
            "id": str(r.id), "number": r.number_text, "kind": r.kind, "kind_label": r.kind_label, "title": r.title,
            "recipient": r.recipient, "inspection_id": str(r.inspection_id) if r.inspection_id else None,
            "date": r.document_date.isoformat() if r.document_date else None,
            "issued_at": r.issued_at.isoformat(), "issued_by": r.issued_by, "copies": r.copies,
            "voided": r.voided, "void_reason": r.void_reason or None,
        } for r in rows], ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("登记簿中还没有已印发的文书。")
        return 0
    for r in rows:
        date = f"{r.document_date:%Y-%m-%d}" if r.document_date else f"{r.issued_at.astimezone():%Y-%m-%d}"
        copies = f" {r.copies}份" if r.copies else ""
        print(f"{r.number_text}\t{r.kind_label}\t{date}\t{r.issued_by or '—'}{copies}\t{r.status}\t《{r.title}》\t{r.id}")
    return 0


def cmd_documents_save(args: argparse.Namespace) -> int:
    from app.services.documents import find_issued, stored_file

    ctx = _context(args)
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise ReportCommandError(f"--out 应为文件名，而 {out} 是文件夹")
    fmt = "docx" if out.suffix.lower() == ".docx" else "pdf"
    _name, data = stored_file(ctx, find_issued(ctx, args.document), fmt, copies=args.copies)
    handle, temp = _open_temp(out)
    try:
        with handle:
            handle.write(data)
        os.replace(temp, out)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    print(f"已保存：{out}")
    return 0


def cmd_documents_void(args: argparse.Namespace) -> int:
    from app.services.documents import find_issued, void_document

    ctx = _context(args)
    record = void_document(ctx, find_issued(ctx, args.document), args.reason)
    print(f"已作废 {record.number_text}（原因：{args.reason.strip()}）；该文号不再使用。")
    return 0


ERRORS = (ReportCommandError,)
