"""The inspector pool (巡察人才库) and the leader pool (组长库)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Inspector, InspectorRelation, Unit

from .crud import EntityService, reference_code_exists, require_exists
from .errors import ValidationError
from .reference import EXPERTISE

RELATION_KINDS = {"relative": "亲属在该单位任职", "former_post": "曾在该单位任职"}


class InspectorService(EntityService[Inspector]):
    model = Inspector
    noun = "巡察干部"
    labels = {"name": "姓名", "gender": "性别", "home_unit_id": "所在单位", "home_unit_name": "所在单位",
              "post": "职务", "rank": "职级", "expertise": "专业特长", "phone": "联系电话", "notes": "备注"}
    required = ("name",)
    default_order = ("name",)

    def check(self, session: Session, state: dict[str, Any], current: Inspector | None) -> None:
        if state.get("home_unit_id") is not None:
            require_exists(session, Unit, state["home_unit_id"], "所在单位", "home_unit_id")
        for code in state.get("expertise") or []:
            if not reference_code_exists(session, EXPERTISE, code):
                raise ValidationError(f"专业特长「{code}」不在参考目录中。", "expertise")


class InspectorRelationService(EntityService[InspectorRelation]):
    model = InspectorRelation
    noun = "回避关系"
    labels = {"inspector_id": "巡察干部", "relation_kind": "关系类别", "unit_id": "相关单位",
              "person_name": "亲属姓名", "relationship": "亲属关系"}
    required = ("inspector_id", "relation_kind", "unit_id")

    def check(self, session: Session, state: dict[str, Any], current: InspectorRelation | None) -> None:
        if state["relation_kind"] not in RELATION_KINDS:
            raise ValidationError("「关系类别」无效。", "relation_kind")
        require_exists(session, Inspector, state["inspector_id"], "巡察干部", "inspector_id")
        require_exists(session, Unit, state["unit_id"], "相关单位", "unit_id")
        if state["relation_kind"] == "relative" and not state.get("person_name"):
            raise ValidationError("请填写「亲属姓名」。", "person_name")
