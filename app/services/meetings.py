"""The team's collective records: 听取汇报, 分类座谈, 民主测评/问卷调查, and the 见面会/反馈会.

Like the other fieldwork records they belong to one inspection (and optionally one unit), so a
team laptop receives them with its kit and sends them back with its packages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Briefing, GroupTalk, InspectionMeeting, Survey
from app.models.enums import GroupTalkCategory, MeetingKind, SurveyKind

from .errors import ValidationError
from .fieldwork import _FieldworkService, _inspectors, _not_in_future

# The grades a 民主测评 or a 问卷 offers unless the team sets its own.
DEFAULT_SCALES: dict[str, tuple[str, ...]] = {
    SurveyKind.DEMOCRATIC_EVALUATION: ("好", "较好", "一般", "差"),
    SurveyKind.QUESTIONNAIRE: ("满意", "基本满意", "不满意", "不了解"),
}
MAX_GRADES = 7
MAX_ITEMS = 60
MAX_ITEM_CHARS = 100
MAX_ATTENDEES = 500
MAX_COUNT = 1_000_000


def _count(state: dict[str, Any], name: str, label: str, *, required: bool = False) -> int | None:
    value = state.get(name)
    if value is None:
        if required:
            raise ValidationError(f"请填写「{label}」。", name)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError as exc:
            raise ValidationError(f"「{label}」应为整数。", name) from exc
    if not 0 <= value <= MAX_COUNT:
        raise ValidationError(f"「{label}」应在 0 到 {MAX_COUNT} 之间。", name)
    state[name] = value
    return value


class BriefingService(_FieldworkService):
    model = Briefing
    noun = "听取汇报记录"
    labels = {"inspection_id": "巡察", "unit_id": "汇报单位", "held_at": "汇报时间", "place": "地点",
              "reporter_name": "汇报人", "reporter_post": "汇报人职务", "listener_ids": "听取汇报的巡察干部",
              "content": "汇报主要内容", "concerns": "需关注的问题"}
    required = ("inspection_id", "held_at", "reporter_name", "content")
    default_order = ("-held_at",)
    assignee_fields = ("listener_ids",)

    def check(self, session: Session, state: dict[str, Any], current: Briefing | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "held_at", self.labels["held_at"])
        state["listener_ids"] = _inspectors(session, state.get("listener_ids") or [], "listener_ids",
                                            self.labels["listener_ids"])
        if not state["listener_ids"]:
            raise ValidationError("请选择听取汇报的巡察干部。", "listener_ids")


class GroupTalkService(_FieldworkService):
    model = GroupTalk
    noun = "分类座谈记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "held_at": "座谈时间", "place": "座谈地点",
              "category": "座谈对象类别", "host_ids": "主持座谈的巡察干部", "invited_count": "应到人数",
              "attendees": "到会人员", "notes": "座谈记录"}
    required = ("inspection_id", "held_at", "category", "notes")
    enums = {"category": GroupTalkCategory}
    default_order = ("-held_at",)
    assignee_fields = ("host_ids",)

    def check(self, session: Session, state: dict[str, Any], current: GroupTalk | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "held_at", self.labels["held_at"])
        state["host_ids"] = _inspectors(session, state.get("host_ids") or [], "host_ids", self.labels["host_ids"])
        if not state["host_ids"]:
            raise ValidationError("请选择主持座谈的巡察干部。", "host_ids")
        attendees = clean_names(state.get("attendees") or [])
        if not attendees:
            raise ValidationError("请登记到会人员（每行一人，可写“姓名（职务）”）。", "attendees")
        if len(attendees) > MAX_ATTENDEES:
            raise ValidationError(f"到会人员不能超过 {MAX_ATTENDEES} 人。", "attendees")
        state["attendees"] = attendees
        invited = _count(state, "invited_count", self.labels["invited_count"])
        if invited is not None and invited < len(attendees):
            raise ValidationError(f"实到 {len(attendees)} 人，多于应到人数 {invited} 人，请核对。", "invited_count")


def clean_names(lines: Sequence[str]) -> list[str]:
    """One person per entry, trimmed; blank lines and repeats dropped, the order kept."""
    seen: list[str] = []
    for line in lines:
        name = str(line).strip()
        if name and name not in seen:
            seen.append(name)
    return seen


class SurveyService(_FieldworkService):
    model = Survey
    noun = "民主测评（问卷）记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "kind": "类型", "title": "测评名称",
              "subject": "测评对象", "held_at": "测评时间", "distributed": "发放份数", "returned": "收回份数",
              "valid": "有效份数", "scale": "评价等次", "results": "测评结果", "notes": "结果分析"}
    required = ("inspection_id", "kind", "title", "held_at")
    enums = {"kind": SurveyKind}
    default_order = ("-held_at",)

    def check(self, session: Session, state: dict[str, Any], current: Survey | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "held_at", self.labels["held_at"])
        for name in ("distributed", "returned", "valid"):
            if state.get(name) is None:
                state[name] = 0
        distributed = _count(state, "distributed", self.labels["distributed"]) or 0
        returned = _count(state, "returned", self.labels["returned"]) or 0
        valid = _count(state, "valid", self.labels["valid"]) or 0
        if returned > distributed:
            raise ValidationError(f"收回 {returned} 份，多于发放的 {distributed} 份，请核对。", "returned")
        if valid > returned:
            raise ValidationError(f"有效 {valid} 份，多于收回的 {returned} 份，请核对。", "valid")
        scale = clean_names(state.get("scale") or DEFAULT_SCALES.get(state["kind"], ()))
        if not 2 <= len(scale) <= MAX_GRADES:
            raise ValidationError(f"评价等次应有 2 到 {MAX_GRADES} 个。", "scale")
        state["scale"] = scale
        state["results"] = self._results(state.get("results") or [], scale, valid)

    def _results(self, rows: Sequence[Any], scale: list[str], valid: int) -> list[dict[str, Any]]:
        clean: list[dict[str, Any]] = []
        if len(rows) > MAX_ITEMS:
            raise ValidationError(f"测评项目不能超过 {MAX_ITEMS} 项。", "results")
        for n, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise ValidationError(f"第 {n} 项测评结果格式不正确。", "results")
            item = str(row.get("item") or "").strip()
            if not item:
                raise ValidationError(f"第 {n} 项测评结果缺少项目名称。", "results")
            if len(item) > MAX_ITEM_CHARS:
                raise ValidationError(f"测评项目“{item[:20]}…”超过 {MAX_ITEM_CHARS} 个字。", "results")
            if any(r["item"] == item for r in clean):
                raise ValidationError(f"测评项目“{item}”重复。", "results")
            counts = list(row.get("counts") or [])
            if len(counts) != len(scale):
                raise ValidationError(f"“{item}”应填写 {len(scale)} 个等次的票数。", "results")
            numbers = []
            for grade, value in zip(scale, counts, strict=True):
                try:
                    number = int(value)
                except (TypeError, ValueError) as exc:
                    raise ValidationError(f"“{item}”的“{grade}”票数应为整数。", "results") from exc
                if number < 0:
                    raise ValidationError(f"“{item}”的“{grade}”票数不能为负数。", "results")
                numbers.append(number)
            if sum(numbers) > valid:
                raise ValidationError(f"“{item}”共 {sum(numbers)} 票，多于有效份数 {valid} 份，请核对。", "results")
            clean.append({"item": item, "counts": numbers})
        return clean


def favourable_rate(counts: Sequence[int], valid: int, favourable_grades: int = 2) -> float | None:
    """The share of valid ballots in the top grades (好 and 较好; 满意 and 基本满意), or None."""
    if valid <= 0:
        return None
    return sum(counts[:favourable_grades]) / valid


class MeetingService(_FieldworkService):
    model = InspectionMeeting
    noun = "见面会（反馈会）记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "kind": "会议类型", "held_at": "会议时间",
              "place": "会议地点", "host": "主持人", "attendee_count": "参会人数", "attendees": "参会人员",
              "content": "会议主要内容"}
    required = ("inspection_id", "kind", "held_at", "content")
    enums = {"kind": MeetingKind}
    default_order = ("-held_at",)

    def check(self, session: Session, state: dict[str, Any], current: InspectionMeeting | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "held_at", self.labels["held_at"])
        _count(state, "attendee_count", self.labels["attendee_count"])
        same = select(InspectionMeeting.id).where(
            InspectionMeeting.inspection_id == state["inspection_id"],
            InspectionMeeting.kind == state["kind"],
            InspectionMeeting.held_at == state["held_at"],
            InspectionMeeting.deleted_at.is_(None),
        )
        if current is not None:
            same = same.where(InspectionMeeting.id != current.id)
        if session.scalar(same.limit(1)) is not None:
            raise ValidationError(
                f"同一时间已登记过一次{MeetingKind.label_of(state['kind'])}，请勿重复录入。", "held_at")
