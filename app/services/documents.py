"""Document numbers (文号) and the register of issued documents.

A 文号 reads 市委巡〔2026〕3号: issuer code, year in 〔〕, the number with no padding and no 第.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Clue, DocumentSequence, Inspection, IssuedDocument, ReferenceItem, User, utcnow
from app.models.enums import ClueStatus

from . import permissions
from .context import ServiceContext
from .crud import CREATE, EntityService, as_uuid, require_exists
from .errors import NotFoundError, StateError, ValidationError
from .reference import DOCUMENT_KIND

_ISSUER_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{1,20}$")


def format_number(issuer_code: str, year: int, sequence: int) -> str:
    return f"{issuer_code}〔{year}〕{sequence}号"


def next_sequence(session: Session, issuer_code: str, year: int) -> int:
    """Take the next number for (issuer, year) inside the caller's write transaction.

    The UPDATE … RETURNING runs under the write lock (SQLite BEGIN IMMEDIATE, a row lock on
    PostgreSQL), so concurrent writers queue and every number is used exactly once; if the caller's
    transaction rolls back, the number is given back with it, leaving no gap.
    """
    if not _ISSUER_RE.match(issuer_code or ""):
        raise ValidationError("发文机关代字只能由汉字、字母和数字组成，且不超过20个字。", "issuer_code")
    if not 2000 <= year <= 2100:
        raise ValidationError("文号年份应为四位年份。", "year")
    value = session.scalar(
        update(DocumentSequence)
        .where(DocumentSequence.issuer_code == issuer_code, DocumentSequence.year == year)
        .values(last_value=DocumentSequence.last_value + 1)
        .returning(DocumentSequence.last_value)
    )
    if value is None:
        session.add(DocumentSequence(issuer_code=issuer_code, year=year, last_value=1))
        session.flush()
        value = 1
    return int(value)


def default_issuer(session: Session, kind: str) -> str | None:
    item = session.scalar(
        select(ReferenceItem).where(
            ReferenceItem.kind == DOCUMENT_KIND, ReferenceItem.code == kind, ReferenceItem.deleted_at.is_(None)
        )
    )
    if item is None:
        raise ValidationError(f"未知的文书种类「{kind}」。", "kind")
    return (item.extra or {}).get("issuer_code")


class IssuedDocumentService(EntityService[IssuedDocument]):
    model = IssuedDocument
    noun = "文书"
    labels = {"inspection_id": "巡察", "kind": "文书种类", "issuer_code": "发文机关代字", "year": "年份",
              "sequence": "序号", "number_text": "文号", "title": "标题", "recipient": "主送机关",
              "issued_at": "印发时间", "document_date": "成文日期", "copies": "份数", "void_reason": "作废原因"}
    required = ("kind", "issuer_code", "year", "sequence", "number_text", "title", "issued_at")
    reference_kinds = {"kind": DOCUMENT_KIND}
    default_order = ("-issued_at",)

    def rule(self, action: str, values: Any) -> permissions.Rule:
        # A new document row is made only by issuing it (taking a 文号): the team's leaders and the
        # office, never a 组员; an office document of no inspection only by the office.
        if action == CREATE:
            return permissions.operation("document.issue")
        return super().rule(action, values)

    def check(self, session: Session, state: dict[str, Any], current: IssuedDocument | None) -> None:
        if state.get("inspection_id") is not None:
            require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")

    def issue(
        self,
        *,
        kind: str,
        title: str,
        inspection_id: uuid.UUID | str | None = None,
        recipient: str | None = None,
        issuer_code: str | None = None,
        year: int | None = None,
    ) -> IssuedDocument:
        """Give a document its 文号 and record it as issued, in one transaction."""
        with self.ctx.write() as session:
            return self.issue_in(
                session, kind=kind, title=title, inspection_id=inspection_id, recipient=recipient,
                issuer_code=issuer_code, year=year,
            )

    def issue_in(
        self,
        session: Session,
        *,
        kind: str,
        title: str,
        inspection_id: uuid.UUID | str | None = None,
        recipient: str | None = None,
        issuer_code: str | None = None,
        year: int | None = None,
    ) -> IssuedDocument:
        self.check_permission(session, CREATE, None, {"inspection_id": as_uuid(inspection_id) if inspection_id else None})
        issuer = (issuer_code or default_issuer(session, kind) or "").strip()
        year = year or dt.date.today().year
        sequence = next_sequence(session, issuer, year)
        return self.create_in(
            session,
            kind=kind,
            title=title,
            inspection_id=as_uuid(inspection_id) if inspection_id else None,
            recipient=recipient,
            issuer_code=issuer,
            year=year,
            sequence=sequence,
            number_text=format_number(issuer, year, sequence),
            issued_at=utcnow(),
            issued_by=self.ctx.actor.user_id,
        )


def issue_number(ctx: ServiceContext, issuer_code: str, year: int) -> str:
    """Take a bare number without recording a document (for numbers used outside this program)."""
    permissions.require_operation(ctx, "document.issue")
    with ctx.write() as session:
        return format_number(issuer_code, year, next_sequence(session, issuer_code, year))


# --- the register of issued documents (发文登记簿) ----------------------------------------------------
@dataclass(frozen=True)
class RegisterRow:
    """One issued document as the register lists it."""

    id: uuid.UUID
    inspection_id: uuid.UUID | None
    inspection_name: str
    kind: str
    kind_label: str
    number_text: str
    title: str
    recipient: str
    document_date: dt.date | None
    issued_at: dt.datetime
    issued_by: str
    copies: int | None
    voided_at: dt.datetime | None
    void_reason: str
    voided_by: str
    has_pdf: bool
    has_snapshot: bool

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def status(self) -> str:
        return f"已作废：{self.void_reason}" if self.voided else "有效"


def list_issued(ctx: ServiceContext, *, inspection_id: uuid.UUID | str | None = None,
                include_void: bool = True) -> list[RegisterRow]:
    """Every issued document, newest first (of one inspection, or all)."""
    with ctx.db.read() as session:
        stmt = select(IssuedDocument).where(IssuedDocument.deleted_at.is_(None))
        # Reads follow the teams: a member sees the documents of their own teams' inspections only.
        stmt = permissions.readable(stmt, IssuedDocument.inspection_id, session, ctx.actor)
        if inspection_id is not None:
            stmt = stmt.where(IssuedDocument.inspection_id == as_uuid(inspection_id))
        if not include_void:
            stmt = stmt.where(IssuedDocument.voided_at.is_(None))
        docs = list(session.scalars(stmt.order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id)))
        users = {u.id: u.display_name for u in session.scalars(
            select(User).where(User.id.in_({d.issued_by for d in docs} | {d.voided_by for d in docs})))}
        names = dict(session.execute(select(Inspection.id, Inspection.name).where(
            Inspection.id.in_({d.inspection_id for d in docs if d.inspection_id})
        )).all())
        labels = dict(session.execute(select(ReferenceItem.code, ReferenceItem.name).where(
            ReferenceItem.kind == DOCUMENT_KIND)).all())
        return [RegisterRow(
            id=d.id, inspection_id=d.inspection_id, inspection_name=names.get(d.inspection_id, ""), kind=d.kind,
            kind_label=labels.get(d.kind, d.kind), number_text=d.number_text, title=d.title,
            recipient=d.recipient or "", document_date=d.document_date, issued_at=d.issued_at,
            issued_by=users.get(d.issued_by, "系统" if d.issued_by is None else ""), copies=d.copies,
            voided_at=d.voided_at, void_reason=d.void_reason or "", voided_by=users.get(d.voided_by, ""),
            has_pdf=d.attachment_id is not None, has_snapshot=d.snapshot_attachment_id is not None,
        ) for d in docs]


def find_issued(ctx: ServiceContext, key: str) -> uuid.UUID:
    """A document by its id or its 文号 (as printed, e.g. 市委巡〔2026〕3号)."""
    with ctx.db.read() as session:
        try:
            record = session.get(IssuedDocument, as_uuid(key))
        except NotFoundError:
            record = None
        if record is None:
            record = session.scalar(select(IssuedDocument).where(
                IssuedDocument.number_text == key.strip(), IssuedDocument.deleted_at.is_(None)).limit(1))
        if record is None or record.deleted_at is not None:
            raise NotFoundError(f"登记簿中没有文号或编号为「{key}」的文书。")
        return record.id


def void_document(ctx: ServiceContext, document_id: uuid.UUID | str, reason: str) -> IssuedDocument:
    """Mark an issued document void, with the reason. The row and its 文号 stay: a number is never reused.

    A voided 移交函 gives its clues back (they wait for a new letter); a voided 授权书 lets the
    leader be authorised anew.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写作废原因。", "void_reason")
    if len(reason) > 200:
        raise ValidationError("作废原因不能超过 200 个字。", "void_reason")
    service = IssuedDocumentService(ctx)
    with ctx.write() as session:
        record = service._get(session, document_id)
        permissions.require_operation(ctx, "document.void", session=session, table=IssuedDocument.__tablename__,
                                      values=service.values_of(record))
        if record.voided_at is not None:
            raise StateError(f"{record.number_text} 已于 {record.voided_at.astimezone():%Y-%m-%d} 作废。")
        service.update_in(session, record.id, voided_at=utcnow(), voided_by=ctx.actor.user_id, void_reason=reason)
        if record.kind == "clue-transfer":
            from .clues import ClueService

            clues = ClueService(ctx)
            for clue in session.scalars(select(Clue).where(Clue.transfer_document_id == record.id,
                                                           Clue.deleted_at.is_(None))):
                values: dict[str, Any] = {"transfer_document_id": None}
                if clue.status == ClueStatus.HANDED_OVER:
                    values.update(status=ClueStatus.PENDING, handed_over_on=None)
                clues.update_in(session, clue.id, **values)
        return record


def stored_file(ctx: ServiceContext, document_id: uuid.UUID | str, fmt: str = "pdf",
                copies: int | None = None) -> tuple[str, bytes]:
    """(file name, bytes) of an issued document: the stored PDF as issued, or — for "docx", or for
    another number of copies — made again from the document's snapshot, with the same text."""
    from app.reports import FontSet, OfficialDocument, snapshot

    from .attachments import AttachmentService

    attachments = AttachmentService(ctx)
    with ctx.db.read() as session:
        record = session.get(IssuedDocument, as_uuid(document_id))
        if record is None or record.deleted_at is not None:
            raise NotFoundError("找不到该文书，可能已被删除。")
        if record.inspection_id is not None:
            permissions.require_readable(session, ctx.actor, record.inspection_id)
        number, title, pdf_id, snap_id = record.number_text, record.title, record.attachment_id, record.snapshot_attachment_id
        stored_copies = record.copies
    base = re.sub(r'[\\/:*?"<>|\s]+', "", f"{number}{title}")[:120]
    if fmt == "pdf" and (copies is None or copies == stored_copies):
        if pdf_id is None:
            raise NotFoundError(f"{number} 没有保存 PDF。")
        return f"{base}.pdf", attachments.read_bytes(pdf_id)
    if snap_id is None:
        raise NotFoundError(f"{number} 印发于本功能之前，只保存了 PDF，无法另行生成。")
    built = snapshot.loads(attachments.read_bytes(snap_id))
    if fmt == "docx":
        from app.reports.docx import write_docx

        buf = io.BytesIO()
        write_docx(built, buf)
        return f"{base}.docx", buf.getvalue()
    from app.reports import render

    # Only numbered kinds are issued, and none of them is a landscape register.
    assert isinstance(built, OfficialDocument), "an issued document's snapshot is an OfficialDocument"
    buf = io.BytesIO()
    fonts = FontSet.default()
    render(built, buf, fonts=fonts, copies=copies)
    return f"{base}.pdf", buf.getvalue()
