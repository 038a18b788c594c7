"""Files attached to records, stored once per content hash."""

from __future__ import annotations

import hashlib
import mimetypes
import re
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Attachment, AttachmentBlob, Base

from . import permissions
from .crud import EntityService, as_uuid
from .errors import ValidationError

# Control and bidirectional-override characters, and path separators: a name must not pretend to
# be another (RTL override turns "gpj.exe" into "exe.jpg") or point outside the folder it is saved in.
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f/\\:*?\"<>|]")


def safe_filename(name: str) -> str:
    """A file name reduced to a safe base name (no folders, no control or bidi characters)."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = _UNSAFE_NAME.sub("", base).strip().strip(".")
    return cleaned[:255] or "附件"


# Set on the session by the issuing of a document: the one write that attaches a document's PDF.
ISSUING = "issuing.document"

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class AttachmentService(EntityService[Attachment]):
    model = Attachment
    noun = "附件"
    labels = {"filename": "文件名", "description": "说明"}
    required = ("owner_kind", "owner_id", "filename", "media_type", "size", "sha256")

    def check_permission(self, session: Session, action: str, record: Attachment | None,
                         state: Mapping[str, Any] | None = None) -> None:
        """Adding or removing an attachment is a change of the record it is attached to: the same
        people may do it (an issued document's PDF is attached only by issuing it)."""
        values = state if record is None else self.values_of(record)
        assert values is not None
        owner_table, rule = permissions.attachment_rule(str(values.get("owner_kind")), action)
        owner = Base.metadata.tables[owner_table]
        found = session.execute(select(owner).where(owner.c.id == as_uuid(str(values.get("owner_id"))))).first()
        if found is None:
            raise ValidationError("附件所属的记录不存在或已被删除。")
        if owner_table == "issued_documents" and not session.info.get(ISSUING):
            raise permissions.PermissionDeniedError("文书的正式文本只能在编号印发时保存。")
        row = found._asdict()
        permissions.Gate(session, self.ctx.actor).require(
            rule, owner_table, row, own=permissions.is_own(self.ctx.actor, owner_table, row)
        )

    def attach_bytes(
        self, owner_kind: str, owner_id: uuid.UUID | str, filename: str, data: bytes, description: str | None = None
    ) -> Attachment:
        with self.ctx.write() as session:
            return self.attach_bytes_in(session, owner_kind, owner_id, filename, data, description)

    def attach_bytes_in(
        self, session: Session, owner_kind: str, owner_id: uuid.UUID | str, filename: str, data: bytes,
        description: str | None = None,
    ) -> Attachment:
        """attach_bytes inside a caller's transaction (e.g. issuing a document stores its PDF atomically)."""
        if not data:
            raise ValidationError(f"文件「{filename}」是空的，未添加。")
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(f"文件「{filename}」超过 200 MB，请压缩或拆分后再添加。")
        digest = hashlib.sha256(data).hexdigest()
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if session.get(AttachmentBlob, digest) is None:
            session.add(AttachmentBlob(sha256=digest, size=len(data), data=data))
            session.flush()
        return self.create_in(
            session, owner_kind=owner_kind, owner_id=as_uuid(owner_id), filename=safe_filename(filename),
            media_type=media_type, size=len(data), sha256=digest, description=description,
        )

    def attach_file(self, owner_kind: str, owner_id: uuid.UUID | str, path: Path, description: str | None = None) -> Attachment:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ValidationError(f"无法读取文件「{path}」：{exc.strerror}") from exc
        return self.attach_bytes(owner_kind, owner_id, Path(path).name, data, description)

    def for_owner(self, owner_id: uuid.UUID | str) -> list[Attachment]:
        return self.list(owner_id=as_uuid(owner_id), order_by=("created_at",))

    def read_bytes(self, attachment_id: uuid.UUID | str) -> bytes:
        with self.ctx.db.read() as session:
            attachment = self._get(session, attachment_id)
            data = session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == attachment.sha256))
        if data is None or hashlib.sha256(data).hexdigest() != attachment.sha256:
            raise ValidationError(f"附件「{attachment.filename}」的内容缺失或已损坏。")
        return data
