"""The directory of inspected units and their people."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Unit, UnitPerson
from app.models.enums import UnitKind

from .crud import EntityService, require_exists
from .errors import ValidationError


class UnitService(EntityService[Unit]):
    model = Unit
    noun = "单位"
    labels = {"name": "单位名称", "short_name": "简称", "kind": "单位类别", "parent_id": "上级单位",
              "code": "单位代码", "address": "地址", "notes": "备注"}
    required = ("name", "kind")
    enums = {"kind": UnitKind}
    default_order = ("name",)

    def check(self, session: Session, state: dict[str, Any], current: Unit | None) -> None:
        duplicate = select(Unit.id).where(
            func.lower(Unit.name) == state["name"].lower(), Unit.deleted_at.is_(None)
        )
        if current is not None:
            duplicate = duplicate.where(Unit.id != current.id)
        if session.scalar(duplicate.limit(1)) is not None:
            raise ValidationError(f"单位「{state['name']}」已存在。", "name")
        parent_id = state.get("parent_id")
        if parent_id is not None:
            require_exists(session, Unit, parent_id, "上级单位", "parent_id")
            # Walk up from the new parent: reaching this unit would make the hierarchy a loop.
            seen = set()
            cursor = parent_id
            while cursor is not None and cursor not in seen:
                if current is not None and cursor == current.id:
                    raise ValidationError("上级单位不能是本单位或其下级单位。", "parent_id")
                seen.add(cursor)
                cursor = session.scalar(select(Unit.parent_id).where(Unit.id == cursor))

    def check_delete(self, session: Session, record: Unit) -> None:
        children = select(func.count()).select_from(Unit).where(Unit.parent_id == record.id, Unit.deleted_at.is_(None))
        if session.scalar(children):
            raise ValidationError(f"「{record.name}」还有下级单位，请先处理下级单位。")


class UnitPersonService(EntityService[UnitPerson]):
    model = UnitPerson
    noun = "人员"
    labels = {"unit_id": "所在单位", "name": "姓名", "gender": "性别", "post": "职务", "rank": "职级",
              "phone": "联系电话", "notes": "备注"}
    required = ("unit_id", "name")
    default_order = ("name",)

    def check(self, session: Session, state: dict[str, Any], current: UnitPerson | None) -> None:
        require_exists(session, Unit, state["unit_id"], "单位", "unit_id")
        if state.get("gender") not in (None, "男", "女"):
            raise ValidationError("「性别」只能填写“男”或“女”。", "gender")
