"""Reference data: the shipped, versioned lists in resources/reference and users' own additions.

Built-in rows get ids derived from (kind, code), so every installation creates the very same rows
and merging two databases never duplicates them.
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChecklistTemplate, ChecklistTemplateItem, ReferenceItem, Setting
from app.paths import resources_dir

from .context import ServiceContext
from .crud import EntityService
from .errors import ValidationError

_NAMESPACE = uuid.UUID("6f1c6f3e-3a57-4c55-9b1e-5d1b2f0a7c11")

# Reference kinds used across the services.
PROBLEM_CATEGORY = "problem_category"
DISCIPLINE = "discipline"
DISPOSITION = "disposition"
FOUR_FORM = "four_form"
DOCUMENT_KIND = "document_kind"
EXPERTISE = "expertise"

LIST_FILES = {
    PROBLEM_CATEGORY: "problem_categories.toml",
    DISCIPLINE: "disciplines.toml",
    DISPOSITION: "dispositions.toml",
    FOUR_FORM: "four_forms.toml",
    DOCUMENT_KIND: "document_kinds.toml",
    EXPERTISE: "expertise.toml",
}
CHECKLIST_FILE = "checklists.toml"
_ITEM_KEYS = {"code", "name", "sort", "description", "parent"}


def builtin_id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, "/".join(parts))


def reference_dir() -> Path:
    return resources_dir() / "reference"


@dataclass(frozen=True)
class LoadReport:
    loaded: dict[str, int]  # file kind → version now in the database
    added: int
    updated: int


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(f"参考数据文件 {path.name} 无法读取：{exc}") from exc
    if not isinstance(data.get("version"), int):
        raise ValidationError(f"参考数据文件 {path.name} 缺少版本号。")
    return data


def _loaded_version(session: Session, kind: str) -> int:
    setting = session.get(Setting, f"reference.{kind}.version")
    return int(setting.value) if setting else 0


def _upsert(session: Session, model: type, record_id: uuid.UUID, values: dict[str, Any]) -> str:
    record = session.get(model, record_id)
    if record is None:
        session.add(model(id=record_id, **values))
        return "added"
    changed = False
    for key, value in values.items():
        if getattr(record, key) != value:
            setattr(record, key, value)
            changed = True
    return "updated" if changed else "same"


def reference_data_due(ctx: ServiceContext, folder: Path | None = None) -> bool:
    """Whether a shipped list is newer than the database's copy: read-only, so opening a current
    database (a read-only file, or one another program is writing to) needs no write at all."""
    folder = folder or reference_dir()
    with ctx.db.read() as session:
        for kind, filename in (*LIST_FILES.items(), ("checklist", CHECKLIST_FILE)):
            if _read(folder / filename)["version"] > _loaded_version(session, kind):
                return True
    return False


def load_reference_data(ctx: ServiceContext, folder: Path | None = None) -> LoadReport:
    """Bring the built-in lists up to the shipped version. Users' own entries are left alone, and
    nothing built-in is ever deleted (old records still point at old codes)."""
    folder = folder or reference_dir()
    counts = {"added": 0, "updated": 0, "same": 0}
    loaded: dict[str, int] = {}
    # One flush at the end (each `session.get` would otherwise flush the row before it, and every
    # flush writes its own change batch: 117 of them made a new database's lists cost ~0.5 s).
    with ctx.write() as session, session.no_autoflush:
        for kind, filename in LIST_FILES.items():
            data = _read(folder / filename)
            loaded[kind] = data["version"]
            if data["version"] <= _loaded_version(session, kind):
                continue
            for item in data.get("items", []):
                extra = {k: v for k, v in item.items() if k not in _ITEM_KEYS} or None
                values = {
                    "kind": kind,
                    "code": item["code"],
                    "name": item["name"],
                    "description": item.get("description"),
                    "parent_code": item.get("parent"),
                    "sort_order": item.get("sort", 0),
                    "builtin": True,
                    "extra": extra,
                    "data_version": data["version"],
                }
                counts[_upsert(session, ReferenceItem, builtin_id(kind, item["code"]), values)] += 1
            session.merge(Setting(key=f"reference.{kind}.version", value=str(data["version"])))

        data = _read(folder / CHECKLIST_FILE)
        loaded["checklist"] = data["version"]
        if data["version"] > _loaded_version(session, "checklist"):
            for template in data.get("templates", []):
                template_id = builtin_id("checklist", template["code"])
                values = {
                    "list_kind": template["list_kind"],
                    "code": template["code"],
                    "name": template["name"],
                    "description": template.get("description"),
                    "version": data["version"],
                    "builtin": True,
                }
                counts[_upsert(session, ChecklistTemplate, template_id, values)] += 1
                for item in template.get("items", []):
                    values = {
                        "template_id": template_id,
                        "code": item["code"],
                        "title": item["title"],
                        "guidance": item.get("guidance"),
                        "sort_order": item.get("sort", 0),
                    }
                    item_id = builtin_id("checklist", template["code"], item["code"])
                    counts[_upsert(session, ChecklistTemplateItem, item_id, values)] += 1
            session.merge(Setting(key="reference.checklist.version", value=str(data["version"])))
    return LoadReport(loaded=loaded, added=counts["added"], updated=counts["updated"])


def items(ctx: ServiceContext, kind: str) -> list[ReferenceItem]:
    with ctx.db.read() as session:
        stmt = (
            select(ReferenceItem)
            .where(ReferenceItem.kind == kind, ReferenceItem.deleted_at.is_(None))
            .order_by(ReferenceItem.sort_order, ReferenceItem.code)
        )
        return list(session.scalars(stmt))


def names(ctx: ServiceContext, kind: str) -> dict[str, str]:
    return {item.code: item.name for item in items(ctx, kind)}


class ReferenceItemService(EntityService[ReferenceItem]):
    """Users' own reference entries (a local problem category, a new document kind …)."""

    model = ReferenceItem
    noun = "参考条目"
    labels = {"kind": "类别", "code": "代码", "name": "名称", "description": "说明", "parent_code": "上级"}
    required = ("kind", "code", "name")

    def check(self, session: Session, state: dict[str, Any], current: ReferenceItem | None) -> None:
        if current is not None and current.builtin:
            raise ValidationError("内置参考条目不能修改，可新增自定义条目。")
        code = state["code"]
        if not code.replace("_", "").replace("-", "").isascii() or not code.replace("_", "").replace("-", "").isalnum():
            raise ValidationError("「代码」只能由英文字母、数字、下划线和连字符组成。", "code")
        stmt = select(ReferenceItem.id).where(
            ReferenceItem.kind == state["kind"],
            ReferenceItem.code == code,
            ReferenceItem.deleted_at.is_(None),
        )
        if current is not None:
            stmt = stmt.where(ReferenceItem.id != current.id)
        if session.scalar(stmt.limit(1)) is not None:
            raise ValidationError(f"代码「{code}」已被使用。", "code")

    def before_insert(self, session: Session, record: ReferenceItem) -> None:
        record.builtin = False
