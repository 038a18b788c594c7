"""Clues handed over (问题线索移交) and the outcomes reported back."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import Clue, ClueOutcome, Finding, Inspection, IssuedDocument
from app.models.enums import ClueOutcomeKind, ClueStatus

from . import permissions
from .crud import EntityService, require_exists
from .errors import ValidationError
from .reference import FOUR_FORM


class ClueService(EntityService[Clue]):
    model = Clue
    noun = "问题线索"
    labels = {"inspection_id": "巡察", "finding_id": "对应问题", "subject_name": "被反映人",
              "subject_post": "职务", "subject_rank": "职级", "summary": "线索摘要", "handed_to": "移交对象",
              "handed_over_on": "移交日期", "transfer_document_id": "移交函", "status": "办理状态"}
    required = ("inspection_id", "subject_name", "summary")
    enums = {"status": ClueStatus}

    def rule(self, action: str, values: Any) -> permissions.Rule:
        # A clue handed over (or concluded) is the leader's and the office's from then on.
        if action == permissions.UPDATE and values.get("status") in (ClueStatus.HANDED_OVER, ClueStatus.CONCLUDED):
            return permissions.operation("clue.hand_over")
        return super().rule(action, values)

    def check(self, session: Session, state: dict[str, Any], current: Clue | None) -> None:
        require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        if state.get("finding_id") is not None:
            finding = require_exists(session, Finding, state["finding_id"], "对应问题", "finding_id")
            if finding.inspection_id != state["inspection_id"]:
                raise ValidationError("对应问题不属于本次巡察。", "finding_id")
        if state.get("transfer_document_id") is not None:
            require_exists(session, IssuedDocument, state["transfer_document_id"], "移交函", "transfer_document_id")
        handed = state.get("status") in (ClueStatus.HANDED_OVER, ClueStatus.CONCLUDED)
        if handed and not (state.get("handed_to") and state.get("handed_over_on")):
            raise ValidationError("已移交的线索须填写「移交对象」和「移交日期」。", "handed_to")


class ClueOutcomeService(EntityService[ClueOutcome]):
    model = ClueOutcome
    noun = "线索办理结果"
    labels = {"clue_id": "问题线索", "kind": "办理结果", "four_form": "四种形态", "people_count": "涉及人数",
              "decided_on": "决定日期", "notes": "说明"}
    required = ("clue_id", "kind")
    enums = {"kind": ClueOutcomeKind}
    reference_kinds = {"four_form": FOUR_FORM}
    default_order = ("decided_on",)

    def check(self, session: Session, state: dict[str, Any], current: ClueOutcome | None) -> None:
        require_exists(session, Clue, state["clue_id"], "问题线索", "clue_id")
        if int(state.get("people_count") or 0) < 0:
            raise ValidationError("「涉及人数」不能为负数。", "people_count")
        if state["kind"] == ClueOutcomeKind.DISCIPLINED and state.get("four_form") is None:
            raise ValidationError("党纪政务处分须注明运用的「四种形态」。", "four_form")
