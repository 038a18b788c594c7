"""Document numbers (文号) and the register of issued documents.

A 文号 reads 市委巡〔2026〕3号: issuer code, year in 〔〕, the number with no padding and no 第.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import DocumentSequence, Inspection, IssuedDocument, ReferenceItem, utcnow

from . import permissions
from .context import ServiceContext
from .crud import CREATE, EntityService, as_uuid, require_exists
from .errors import ValidationError
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
              "issued_at": "印发时间"}
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
