"""Issued documents with their 文号, the numbering sequences, and attachments."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class IssuedDocument(SyncedMixin, Base):
    """A document given a 文号 such as 市委巡〔2026〕3号."""

    __tablename__ = "issued_documents"

    inspection_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    kind: Mapped[str] = code_column(index=True)
    issuer_code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    number_text: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(200))
    recipient: Mapped[str | None] = mapped_column(String(200))
    issued_at: Mapped[dt.datetime] = mapped_column()
    issued_by: Mapped[uuid.UUID | None] = mapped_column()
    attachment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attachments.id"))
    # 成文日期 as printed; the issue time above is when the number was taken.
    document_date: Mapped[dt.date | None] = mapped_column(Date)
    # 份数: copies printed, each with its own 份号 (000001 …); None for an unclassified document.
    copies: Mapped[int | None] = mapped_column(Integer)
    # The built document (plain data, JSON) from which every copy and the Word version are made
    # again, identical to the stored PDF.
    snapshot_attachment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attachments.id"))
    # A void keeps the row and its number (a 文号 is never reused), with who, when and why.
    voided_at: Mapped[dt.datetime | None] = mapped_column()
    voided_by: Mapped[uuid.UUID | None] = mapped_column()
    void_reason: Mapped[str | None] = mapped_column(String(200))


class DocumentSequence(Base):
    """The last number used per issuer code and year.

    Local to one database (not synced): the primary key makes two concurrent writers serialise on
    the row, so numbers are never duplicated or skipped on this copy.
    """

    __tablename__ = "document_sequences"

    issuer_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class Attachment(SyncedMixin, Base):
    """A file attached to a record; its bytes live once per content hash in `attachment_blobs`."""

    __tablename__ = "attachments"

    owner_kind: Mapped[str] = code_column()
    owner_id: Mapped[uuid.UUID] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), ForeignKey("attachment_blobs.sha256"), index=True)
    description: Mapped[str | None] = mapped_column(Text)


class AttachmentBlob(Base):
    """Content-addressed bytes: the same file attached twice, or synced twice, is stored once."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
