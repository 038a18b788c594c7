"""Official documents generated from the database: read an inspection, fill the app.reports dataclass,
number it, render it, keep the PDF.

One function per document kind reads what it needs through the models and returns the plain
dataclass the PDF engine takes (app.reports never sees a session). The parts a leader writes rather
than the data — 总体评价, 整改意见, 主送机关, 抄送, 署名, 成文日期 … — come from `DocumentOptions`;
`default_options` proposes them from the data so a dialog can show them for editing, and any field
left as None is filled the same way.

`issue_document` is the one entry point. Issuing a numbered kind is one write transaction: take the
文号, render the PDF with that number printed on it, store the PDF as an attachment and link it to
the IssuedDocument row. Anything failing in between rolls the whole transaction back, and the number
with it, so the register of issued documents never has a gap or a number without its PDF.
`preview=True` renders the same document read-only, with a blank number, and records nothing.

Four kinds take no 文号 and are not recorded: the 巡察公告 is posted publicly without a 版头 or 发文字号
(the engine's Announcement has no number field), the 问题台账 is a working table regenerated whenever it
is needed, and the 谈话笔录 and 问题底稿 are records the team signs, printed from one interview or
finding (DocumentOptions.record_id). The register of issued documents (IssuedDocument: issuer, year,
sequence, 文号 all required) is the 发文登记簿, and a row without a number would be a false entry in
it; these kinds render exactly like a preview.

Who issues what, and under which prefix, comes from the organization profile (app.services.profile);
each kind has the stage it may be issued from (KIND_STAGE), a 成文日期 that never precedes the end of
the fieldwork for the kinds written after it, and a second document of a kind the inspection already
has is refused (AlreadyIssuedError) until it is asked for again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import getpass
import io
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import IssuedDocument
from app.models.enums import Stage
from app.reports import FontSet, cn_date, kinds, snapshot

from .. import permissions
from ..attachments import ISSUING, AttachmentService
from ..context import ServiceContext
from ..documents import IssuedDocumentService
from ..errors import StateError, ValidationError
from .inspection_kinds import (
    _announcement,
    _clue_transfer,
    _feedback,
    _notice,
    _register,
    _special,
    _supervision,
)
from .options import (
    AFTER_FIELDWORK,
    ATTACHMENT_OWNER_KIND,
    CLUE_REPLY_DAYS,
    CONFIDENTIAL_KINDS,
    FEEDBACK_EXCLUDED_DISPOSITIONS,
    ISSUER_OF,
    KIND_LABELS,
    KIND_STAGE,
    KINDS,
    NOTICE_DISPOSITION,
    RECORD_KINDS,
    REPORT_DAYS,
    SINGLE_KINDS,
    UNNUMBERED_KINDS,
    DocumentOptions,
    IssuedResult,
    Prepared,
)
from .record_kinds import _authorization, _interview_record, _work_plan, _working_paper, normalize_transcript
from .scope import Scope, _load_scope, party_organisation

_BUILDERS: dict[str, Callable[..., Prepared]] = {
    "feedback": _feedback,
    "notice": _notice,
    "supervision": _supervision,
    "clue-transfer": _clue_transfer,
    "announcement": _announcement,
    "special": _special,
    "register": _register,
    "interview-record": _interview_record,
    "working-paper": _working_paper,
    "authorization": _authorization,
    "work-plan": _work_plan,
}


# --- the entry points ----------------------------------------------------------------------------
class AlreadyIssuedError(StateError):
    """The inspection already has this document; issuing it again (a new 文号) needs to be confirmed."""

    def __init__(self, message: str, existing: list[str]) -> None:
        super().__init__(message)
        self.existing = existing


def _check_kind(kind: str) -> None:
    if kind not in KIND_LABELS:
        raise ValidationError(f"未知的文书种类「{kind}」，可选：{'、'.join(KINDS)}。", "kind")


def stage_refusal(kind: str, stage: str | None) -> str | None:
    """Why a kind may not be issued at this stage (None: it may). A stage this version does not know
    is not judged."""
    needed = KIND_STAGE.get(kind)
    if needed is None or stage is None:
        return None
    order = list(Stage)
    try:
        current = Stage(stage)
    except ValueError:
        return None
    if order.index(current) >= order.index(needed):
        return None
    return (f"{KIND_LABELS[kind]}须在「{needed.label}」阶段及以后印发，该巡察目前处于「{current.label}」阶段；"
            "可先预览，待进入该阶段后再编号印发。")


def _check_date(scope: Scope, kind: str, date: dt.date) -> None:
    end = scope.inspection.end_date
    if kind in AFTER_FIELDWORK and end is not None and date < end:
        raise ValidationError(f"{KIND_LABELS[kind]}的成文日期（{cn_date(date)}）不能早于巡察结束日期（{cn_date(end)}）。",
                              "date")
    if not 2000 <= date.year <= 2100:
        raise ValidationError("成文日期的年份应在2000年至2100年之间。", "date")


def existing_documents(session: Session, inspection_id: uuid.UUID | None, kind: str, recipient: str | None) -> list[IssuedDocument]:
    """Issued, not voided documents of this kind for the inspection that a new one would repeat."""
    rows = session.scalars(select(IssuedDocument).where(
        IssuedDocument.inspection_id == inspection_id, IssuedDocument.kind == kind,
        IssuedDocument.deleted_at.is_(None), IssuedDocument.voided_at.is_(None)).order_by(IssuedDocument.issued_at))
    return [d for d in rows if kind in SINGLE_KINDS or (d.recipient or "") == (recipient or "")]


def _prepare(ctx: ServiceContext, session: Session, kind: str, inspection_id: uuid.UUID | str,
             options: DocumentOptions, today: dt.date) -> Prepared:
    scope = _load_scope(session, inspection_id, today)
    # A document shows the inspection's records: only to those who may read them.
    permissions.require_readable(session, ctx.actor, scope.inspection.id)
    prepared = _BUILDERS[kind](ctx, session, scope, options)
    prepared.inspection_id = scope.inspection.id
    prepared.scope = scope
    return prepared


def default_options(
    ctx: ServiceContext, kind: str, inspection_id: uuid.UUID | str, *, today: dt.date | None = None,
    record_id: uuid.UUID | str | None = None,
) -> DocumentOptions:
    """The free-text parts as they would be issued, derived from the data: what a dialog shows for editing.

    Raises ValidationError when the document cannot be made (unknown inspection, nothing to list).
    """
    _check_kind(kind)
    with ctx.db.read() as session:
        return _prepare(ctx, session, kind, inspection_id, DocumentOptions(record_id=record_id),
                        today or dt.date.today()).options


def default_watermark(ctx: ServiceContext, kind: str, now: dt.datetime | None = None) -> str | None:
    """Who exported and when, for the confidential kinds; None for the others."""
    if kind not in CONFIDENTIAL_KINDS:
        return None
    who = ctx.actor.name
    if ctx.actor.user_id is None:
        # The command line acts as the system actor until accounts exist; the login is the best name we have.
        with contextlib.suppress(OSError, KeyError, ImportError):
            who = getpass.getuser() or who
    return f"{who} {(now or dt.datetime.now()).strftime('%Y-%m-%d %H:%M')}"


def _blank_number(prefix: str | None, year: int) -> str:
    """A preview's 文号: the issuer and year with the number left blank, as a draft is circulated."""
    return f"{prefix or ''}〔{year}〕　　号"


@dataclass
class Rendered:
    pdf: bytes
    page_count: int
    font_messages: list[str]
    built: Any  # OfficialDocument or RegisterTable


def render_built(built: Any, fonts: FontSet, watermark: str | None, copies: int | None = None) -> Rendered:
    from app.reports import RegisterTable, render, render_register

    buf = io.BytesIO()
    if isinstance(built, RegisterTable):
        result = render_register(built, buf, fonts=fonts, watermark=watermark)
    else:
        result = render(built, buf, fonts=fonts, watermark=watermark, copies=copies)
    return Rendered(buf.getvalue(), result.page_count, result.font_report.messages(), built)


def _render(data: Any, fonts: FontSet, watermark: str | None, copies: int | None = None,
            keep: Sequence[str] = ()) -> Rendered:
    built = kinds.build(data)
    if keep and hasattr(built, "keep_together"):
        built = dataclasses.replace(built, keep_together=list(dict.fromkeys([*built.keep_together, *keep])))
    return render_built(built, fonts, watermark, copies)


def _keep(prepared: Prepared) -> list[str]:
    """The names of the inspection (units, organisations, team, leader) and the people the text names."""
    scope = prepared.scope
    return [*(scope.keep if scope is not None else []), *prepared.people]


def docx_bytes(built: Any) -> bytes:
    """The Word version of a built document (same text, same grid)."""
    from app.reports.docx import write_docx

    buf = io.BytesIO()
    write_docx(built, buf)
    return buf.getvalue()


def _filename(number: str, title: str, suffix: str = ".pdf") -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:100]
    return f"{number}{safe}{suffix}"


def issue_document(
    ctx: ServiceContext,
    kind: str,
    inspection_id: uuid.UUID | str,
    options: DocumentOptions | None = None,
    *,
    watermark: str | None = None,
    preview: bool = False,
    fonts: FontSet | None = None,
    today: dt.date | None = None,
    again: bool = False,
    copies: int | None = None,
    docx: bool = False,
) -> IssuedResult:
    """Generate a document of kind for an inspection; unless preview, number it and keep it.

    watermark: None puts the default on the confidential kinds (see default_watermark); "" puts none;
    any other text is drawn as given. fonts defaults to the process-wide set (system fonts by name,
    shipped ones otherwise). copies: print that many copies, each with its own 份号 on a classified
    document (recorded with it). again: issue even though the inspection already has this document
    (otherwise AlreadyIssuedError). docx: also return the Word version. Raises ValidationError (or
    StateError), with a message for the user, when the data, the stage or the date do not allow it.
    """
    _check_kind(kind)
    options = options or DocumentOptions()
    today = today or dt.date.today()
    mark = default_watermark(ctx, kind) if watermark is None else (watermark.strip() or None)
    if copies is not None and not 1 <= copies <= 999:
        raise ValidationError("份数应为 1 至 999。", "copies")
    fonts = fonts or FontSet.default()
    # Font discovery and loading take a few hundred ms once per process: never while holding the write lock.
    fonts.preload()
    numbered = kind not in UNNUMBERED_KINDS

    if preview or not numbered:
        return _render_unstored(ctx, kind, inspection_id, options, today, fonts, mark, copies, docx, numbered=numbered)

    documents = IssuedDocumentService(ctx)
    with ctx.write() as session:
        # Everything is read and checked before the number is taken; a failure after it (the render,
        # storing the PDF) rolls the number back with the rest.
        prepared = _prepare(ctx, session, kind, inspection_id, options, today)
        recipient = _issuable(session, prepared, kind, again)
        record = documents.issue_in(
            session, kind=kind, title=prepared.title[:200], inspection_id=prepared.inspection_id,
            recipient=recipient, year=prepared.options.date.year, issuer_code=prepared.issuer_code,
        )
        data = dataclasses.replace(prepared.data, doc_number=record.number_text)
        out = _render(data, fonts, mark, copies, _keep(prepared))
        _store(ctx, session, record, prepared, out, kind, copies)
        if prepared.after_issue is not None:
            prepared.after_issue(session, record)
        number, document_id = record.number_text, record.id
    word = docx_bytes(out.built) if docx else None
    return IssuedResult(out.pdf, number, out.font_messages, out.page_count, document_id, prepared.title, kind, word,
                        out.built)


def _render_unstored(ctx: ServiceContext, kind: str, inspection_id: uuid.UUID | str, options: DocumentOptions,
            today: dt.date, fonts: FontSet, mark: str | None, copies: int | None, docx: bool, *,
            numbered: bool) -> IssuedResult:
    """A preview, or a kind that is never numbered: rendered from a read, nothing stored."""
    with ctx.db.read() as session:
        prepared = _prepare(ctx, session, kind, inspection_id, options, today)
        _check_date(prepared.scope, kind, prepared.options.date)
        data = prepared.data
        if numbered:
            data = dataclasses.replace(data, doc_number=_blank_number(prepared.issuer_code,
                                                                      prepared.options.date.year))
    out = _render(data, fonts, mark, copies, _keep(prepared))
    word = docx_bytes(out.built) if docx else None
    return IssuedResult(out.pdf, None, out.font_messages, out.page_count, None, prepared.title, kind, word, out.built)


def _issuable(session: Session, prepared: Prepared, kind: str, again: bool) -> str | None:
    """The recipient the document is recorded with, once the stage, the date and earlier issues allow it."""
    refusal = stage_refusal(kind, prepared.scope.inspection.stage)
    if refusal:
        raise StateError(refusal)
    _check_date(prepared.scope, kind, prepared.options.date)
    recipient = (prepared.recipient or None) and prepared.recipient[:200]
    earlier = existing_documents(session, prepared.inspection_id, kind, recipient)
    if earlier and not again:
        numbers = [d.number_text for d in earlier]
        raise AlreadyIssuedError(
            f"该巡察已印发{KIND_LABELS[kind]}（{'、'.join(numbers)}）。再次印发将编新的文号；"
            "如确需再次印发，请确认后重试，或先作废原文。", numbers)
    return recipient


def _store(ctx: ServiceContext, session: Session, record: IssuedDocument, prepared: Prepared, out: Rendered,
           kind: str, copies: int | None) -> None:
    """Keep the PDF and the document's data with the numbered record."""
    # Storing the PDF and the snapshot is part of issuing, not an edit of the issued document.
    session.info[ISSUING] = True
    attachments = AttachmentService(ctx)
    attachment = attachments.attach_bytes_in(
        session, ATTACHMENT_OWNER_KIND, record.id, _filename(record.number_text, prepared.title), out.pdf,
        description=f"{KIND_LABELS[kind]}（{record.number_text}）",
    )
    kept = attachments.attach_bytes_in(
        session, ATTACHMENT_OWNER_KIND, record.id, _filename(record.number_text, prepared.title, ".json.z"),
        snapshot.dumps(out.built), description=f"{KIND_LABELS[kind]}（{record.number_text}）的文书数据",
    )
    record.attachment_id = attachment.id
    record.snapshot_attachment_id = kept.id
    record.document_date = prepared.options.date
    # A classified document printed once is copy 000001: its 份数 is recorded as 1.
    record.copies = copies or (1 if getattr(out.built, "secrecy", None) else None)
    session.flush()


__all__ = [
    "CLUE_REPLY_DAYS", "FEEDBACK_EXCLUDED_DISPOSITIONS", "ISSUER_OF", "NOTICE_DISPOSITION", "REPORT_DAYS",
    "normalize_transcript", "KIND_STAGE", "SINGLE_KINDS", "AFTER_FIELDWORK",
    "ATTACHMENT_OWNER_KIND", "CONFIDENTIAL_KINDS", "KINDS", "KIND_LABELS", "RECORD_KINDS", "UNNUMBERED_KINDS",
    "AlreadyIssuedError", "DocumentOptions", "IssuedResult", "default_options", "default_watermark", "docx_bytes",
    "issue_document", "party_organisation", "render_built", "stage_refusal",
]
