"""The findings register: working papers, the 三审 review chain, and batch actions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    DocumentReview,
    Finding,
    FindingReview,
    Inspection,
    Inspector,
    Interview,
    Petition,
    Unit,
    Visit,
    utcnow,
)
from app.models.enums import FindingStatus, ReviewAction, ReviewState, Severity, SourceKind

from . import permissions, review_rules
from .crud import EntityService, as_uuid, require_exists
from .errors import NotFoundError, PermissionDeniedError, StateError, ValidationError
from .reference import DISCIPLINE, DISPOSITION, FOUR_FORM, PROBLEM_CATEGORY

SOURCE_MODELS: dict[str, type] = {
    SourceKind.INTERVIEW: Interview,
    SourceKind.PETITION: Petition,
    SourceKind.DOCUMENT_REVIEW: DocumentReview,
    SourceKind.VISIT: Visit,
}

# Once approved, the working paper is what the leader signed: only a send-back reopens it.
_LOCKED_FIELDS = ("title", "facts", "characterisation", "responsibility", "category_code", "discipline_code")


class FindingService(EntityService[Finding]):
    model = Finding
    noun = "问题"
    labels = {"inspection_id": "巡察", "unit_id": "责任单位", "number": "问题编号", "title": "问题标题",
              "facts": "问题现象", "characterisation": "问题定性", "responsibility": "责任认定",
              "category_code": "问题类别", "discipline_code": "违反纪律", "severity": "严重程度",
              "source_kind": "问题来源", "source_id": "来源记录", "responsible_people": "责任人",
              "handler_id": "承办人", "assignee_id": "经办人", "review_state": "审核状态",
              "disposition_code": "处置方式", "four_form": "四种形态", "status": "办理状态", "found_on": "发现日期"}
    required = ("inspection_id", "title", "facts")
    enums = {"severity": Severity, "source_kind": SourceKind, "review_state": ReviewState, "status": FindingStatus}
    reference_kinds = {"category_code": PROBLEM_CATEGORY, "discipline_code": DISCIPLINE,
                       "disposition_code": DISPOSITION, "four_form": FOUR_FORM}
    default_order = ("number",)
    protected_fields = {"review_state": "只能通过审核操作（承办人提交、副组长审核、组长审签、退回）改变。",
                        "number": "由系统按巡察依次编号，不能直接修改。"}

    def _defaults(self) -> dict[str, Any]:
        return {**super()._defaults(), "number": 0}

    def check(self, session: Session, state: dict[str, Any], current: Finding | None) -> None:
        require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        if state.get("unit_id") is not None:
            require_exists(session, Unit, state["unit_id"], "责任单位", "unit_id")
        for name, what in (("handler_id", "承办人"), ("assignee_id", "经办人")):
            if state.get(name) is not None:
                require_exists(session, Inspector, state[name], what, name)
        source_kind, source_id = state.get("source_kind"), state.get("source_id")
        if source_id is not None:
            model = SOURCE_MODELS.get(source_kind or "")
            if model is None:
                raise ValidationError("请选择问题来源的类别。", "source_kind")
            source = require_exists(session, model, source_id, "来源记录", "source_id")
            if source.inspection_id != state["inspection_id"]:
                raise ValidationError("来源记录不属于本次巡察。", "source_id")
        if current is not None and current.review_state == ReviewState.APPROVED:
            changed = [self.label(f) for f in _LOCKED_FIELDS if state.get(f) != getattr(current, f)]
            if changed:
                raise StateError(f"问题底稿已经组长审签，不能直接修改「{'、'.join(changed)}」；如需修改请先退回。")

    def before_insert(self, session: Session, record: Finding) -> None:
        # The write session holds SQLite's write lock, so no other writer can take the same number.
        last = session.scalar(select(func.max(Finding.number)).where(Finding.inspection_id == record.inspection_id))
        record.number = (last or 0) + 1
        record.review_state = ReviewState.DRAFT

    def prefill_from_source(self, source_kind: str, source_id: uuid.UUID | str) -> dict[str, Any]:
        """What "raise a finding" puts into a new working paper drawn from a record."""
        model = SOURCE_MODELS.get(source_kind)
        if model is None:
            raise ValidationError("不支持从该类记录提出问题。")
        with self.ctx.db.read() as session:
            source = require_exists(session, model, source_id, "来源记录", "source_id")
            values: dict[str, Any] = {
                "inspection_id": source.inspection_id,
                "unit_id": source.unit_id,
                "source_kind": source_kind,
                "source_id": source.id,
            }
            if isinstance(source, Interview):
                values["responsible_people"] = source.interviewee_name if source.kind != "group" else None
            elif isinstance(source, Petition):
                values["responsible_people"] = source.subject_name
                values["facts"] = source.content
            return values

    # --- the 三审 chain -------------------------------------------------------------------------
    def submit(self, finding_id: uuid.UUID | str, comment: str | None = None) -> Finding:
        """承办人签字: the drafter hands the working paper to the deputy leader."""
        return self._transition(finding_id, ReviewAction.SUBMIT, comment)

    def approve(self, finding_id: uuid.UUID | str, comment: str | None = None) -> Finding:
        """副组长审核 or 组长审签, whichever step the paper is waiting for."""
        finding = self.get(finding_id)
        return self._transition(finding_id, self.approval_step(finding), comment)

    @staticmethod
    def approval_step(finding: Finding) -> ReviewAction:
        return ReviewAction.DEPUTY_APPROVE if finding.review_state == ReviewState.SUBMITTED else ReviewAction.LEADER_APPROVE

    def send_back(self, finding_id: uuid.UUID | str, reason: str) -> Finding:
        if not (reason or "").strip():
            raise ValidationError("退回须写明理由。", "comment")
        return self._transition(finding_id, ReviewAction.RETURN, reason.strip())

    def review_history(self, finding_id: uuid.UUID | str) -> list[FindingReview]:
        with self.ctx.db.read() as session:
            stmt = (
                select(FindingReview)
                .where(FindingReview.finding_id == as_uuid(finding_id), FindingReview.deleted_at.is_(None))
                .order_by(FindingReview.acted_at, FindingReview.id)
            )
            return list(session.scalars(stmt))

    def _transition(self, finding_id: uuid.UUID | str, action: ReviewAction, comment: str | None) -> Finding:
        step = review_rules.STEPS[action]
        with self.ctx.write() as session:
            finding = self._get(session, finding_id)
            values = self.values_of(finding)
            permissions.Gate(session, self.ctx.actor).require(
                permissions.operation(step.operation), self.table, values, own=self.is_own(values)
            )
            if finding.review_state not in step.from_states:
                raise StateError(
                    f"问题当前为「{ReviewState.label_of(finding.review_state)}」，不能执行「{action.label}」。"
                )
            if action == ReviewAction.SUBMIT and not (finding.characterisation and finding.responsibility):
                raise ValidationError("提交审核前请填写「问题定性」和「责任认定」。", "characterisation")
            history = [(r.action, r.actor_id) for r in self._reviews(session, finding.id)]
            conflict = review_rules.duty_conflict(action, self.ctx.actor.user_id, history)
            if conflict is not None:
                raise PermissionDeniedError(conflict)
            if action == ReviewAction.SUBMIT:
                # 承办人 is the one who signs the paper off to the deputy.
                if self.ctx.actor.inspector_id is None:
                    raise PermissionDeniedError("您的账户没有对应的巡察干部，不能作为承办人提交；请管理员在账户中关联。")
                finding.handler_id = self.ctx.actor.inspector_id
            before = finding.review_state
            finding.review_state = step.to_state
            finding.updated_by = self.ctx.actor.user_id
            session.add(
                FindingReview(
                    finding_id=finding.id,
                    action=action,
                    from_state=before,
                    to_state=step.to_state,
                    actor_id=self.ctx.actor.user_id,
                    actor_name=self.ctx.actor.name,
                    acted_at=utcnow(),
                    comment=comment,
                    created_by=self.ctx.actor.user_id,
                    updated_by=self.ctx.actor.user_id,
                )
            )
        return finding

    @staticmethod
    def _reviews(session: Session, finding_id: uuid.UUID) -> list[FindingReview]:
        stmt = (
            select(FindingReview)
            .where(FindingReview.finding_id == finding_id, FindingReview.deleted_at.is_(None))
            .order_by(FindingReview.acted_at, FindingReview.id)
        )
        return list(session.scalars(stmt))

    def review_steps(self, finding_id: uuid.UUID | str) -> dict[str, str | None]:
        """For each button of the 三审 panel ("submit", "approve", "send_back"): why the acting account
        may not press it now (None: it may)."""
        finding = self.get(finding_id)
        return {"submit": self.can_review(finding.id, ReviewAction.SUBMIT),
                "approve": self.can_review(finding.id, self.approval_step(finding)),
                "send_back": self.can_review(finding.id, ReviewAction.RETURN)}

    def can_review(self, finding_id: uuid.UUID | str, action: ReviewAction) -> str | None:
        """Why the acting account may not take this review step now (None: it may)."""
        step = review_rules.STEPS[action]
        with self.ctx.db.read() as session:
            try:
                finding = self._get(session, finding_id)
            except NotFoundError as exc:
                return exc.message
            values = self.values_of(finding)
            reason = permissions.refusal(permissions.operation(step.operation),
                                         permissions.Gate(session, self.ctx.actor).facts(self.table, values,
                                                                                       own=self.is_own(values)))
            if reason is None and finding.review_state not in step.from_states:
                reason = f"问题当前为「{ReviewState.label_of(finding.review_state)}」，不能执行「{action.label}」。"
            if reason is None:
                history = [(r.action, r.actor_id) for r in self._reviews(session, finding.id)]
                reason = review_rules.duty_conflict(action, self.ctx.actor.user_id, history)
            return reason

    # --- batch actions -------------------------------------------------------------------------
    def batch_update(self, finding_ids: Iterable[uuid.UUID | str], **values: Any) -> int:
        """Apply the same change (assignee, status …) to many findings, all or none."""
        allowed = {"assignee_id", "status", "handler_id", "severity", "disposition_code", "four_form", "category_code"}
        unexpected = set(values) - allowed
        if unexpected:
            raise ValueError(f"batch update of {sorted(unexpected)} is not supported")
        count = 0
        with self.ctx.write() as session:
            for finding_id in finding_ids:
                self.update_in(session, finding_id, **values)
                count += 1
        return count
