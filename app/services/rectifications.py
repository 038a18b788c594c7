"""Rectification (整改): what the unit must fix, by whom and by when, up to close-out (销号)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Finding, Rectification
from app.models.enums import FindingStatus, RectificationStatus

from . import permissions
from .crud import EntityService, require_exists
from .errors import StateError, ValidationError

_OPEN = (RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS)


def today() -> dt.date:
    return dt.date.today()


def is_overdue(rectification: Rectification, on: dt.date | None = None) -> bool:
    return rectification.status in _OPEN and rectification.deadline < (on or today())


class RectificationService(EntityService[Rectification]):
    model = Rectification
    noun = "整改事项"
    labels = {"finding_id": "对应问题", "inspection_id": "巡察", "unit_id": "整改单位", "measures": "整改措施",
              "responsible_person": "整改责任人", "deadline": "整改时限", "status": "整改状态",
              "progress": "整改进展", "evidence": "整改佐证材料", "completed_on": "完成日期",
              "closed_on": "销号日期", "completion_standard": "完成标准", "responsible_leader": "责任领导",
              "responsible_department": "责任部门"}
    # What the 整改台账's 任务清单 and 责任清单 hold beside the measures, deadline and responsible person.
    PLAN_FIELDS = ("completion_standard", "responsible_leader", "responsible_department")
    required = ("finding_id", "measures", "responsible_person", "deadline")
    enums = {"status": RectificationStatus}
    default_order = ("deadline",)
    protected_fields = {"closed_on": "只能通过“销号”操作填写。", "closed_by": "只能通过“销号”操作填写。"}

    def create_in(self, session: Session, **values: Any) -> Rectification:
        # The inspection and unit follow from the finding; nobody should have to type them twice.
        finding = require_exists(session, Finding, values.get("finding_id"), "对应问题", "finding_id")
        values.setdefault("inspection_id", finding.inspection_id)
        values.setdefault("unit_id", finding.unit_id)
        return super().create_in(session, **values)

    def check(self, session: Session, state: dict[str, Any], current: Rectification | None) -> None:
        require_exists(session, Finding, state["finding_id"], "对应问题", "finding_id")
        deadline_changed = current is None or state["deadline"] != current.deadline
        if deadline_changed and state["deadline"] < today():
            raise ValidationError("「整改时限」不能早于今天。", "deadline")
        if state.get("status") == RectificationStatus.CLOSED and (current is None or current.status != RectificationStatus.CLOSED):
            raise StateError("销号须经审核：请使用“销号”操作。")
        completed_on = state.get("completed_on")
        changed = current is None or completed_on != current.completed_on
        if completed_on is not None and changed and completed_on > today():
            raise ValidationError("「完成日期」不能晚于今天。", "completed_on")

    def after_write(self, session: Session, record: Rectification, before: dict[str, Any] | None) -> None:
        finding = session.get(Finding, record.finding_id)
        if finding is not None and finding.status == FindingStatus.OPEN:
            finding.status = FindingStatus.RECTIFYING

    def _require(self, session: Session, operation: str, record: Rectification) -> None:
        values = self.values_of(record)
        permissions.Gate(session, self.ctx.actor).require(
            permissions.operation(operation), self.table, values, own=self.is_own(values)
        )

    def set_plan(self, rectification_id: uuid.UUID | str, **values: Any) -> Rectification:
        """Record the 完成标准, 责任领导 and 责任部门 of an item, from the unit's approved 整改方案."""
        unexpected = set(values) - set(self.PLAN_FIELDS)
        if unexpected:
            raise ValueError(f"not plan fields: {sorted(unexpected)}")
        # The rectifications table's rule: the team's 组长/副组长 or the office.
        return self.update(rectification_id, **values)

    def complete(self, rectification_id: uuid.UUID | str, evidence: str, on: dt.date | None = None) -> Rectification:
        """The unit reports the item done; it waits for a reviewer's close-out."""
        if not (evidence or "").strip():
            raise ValidationError("报告整改完成须提供「整改佐证材料」。", "evidence")
        with self.ctx.write() as session:
            record = self._get(session, rectification_id)
            self._require(session, "rectification.complete", record)
            if record.status not in _OPEN:
                raise StateError(f"整改事项当前为「{RectificationStatus.label_of(record.status)}」，不能再报告完成。")
            record.status = RectificationStatus.COMPLETED
            record.evidence = evidence.strip()
            record.completed_on = on or today()
            record.updated_by = self.ctx.actor.user_id
        return record

    def close_out(self, rectification_id: uuid.UUID | str, on: dt.date | None = None) -> Rectification:
        """销号: a reviewer checked the evidence; the finding counts as rectified."""
        with self.ctx.write() as session:
            record = self._get(session, rectification_id)
            self._require(session, "rectification.close_out", record)
            if record.status != RectificationStatus.COMPLETED or not record.evidence:
                raise StateError("只有已报告完成并附有佐证材料的整改事项才能销号。")
            record.status = RectificationStatus.CLOSED
            record.closed_on = on or today()
            record.closed_by = self.ctx.actor.user_id
            record.updated_by = self.ctx.actor.user_id
            session.flush()
            # A finding is rectified when the last of its items is closed out.
            still_open = session.scalar(
                select(func.count()).where(
                    Rectification.finding_id == record.finding_id,
                    Rectification.deleted_at.is_(None),
                    Rectification.status != RectificationStatus.CLOSED,
                )
            )
            finding = session.get(Finding, record.finding_id)
            if not still_open and finding is not None and finding.status in (FindingStatus.OPEN, FindingStatus.RECTIFYING):
                finding.status = FindingStatus.RECTIFIED
        return record
