"""The 三审 chain as the practice has it: 承办人提交 → 副组长审核 → 组长审签, three different people.

Shared by the findings service (a review made here) and the sync import (a review made on another
copy), so both refuse exactly the same steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.models.enums import ReviewAction, ReviewState


@dataclass(frozen=True)
class Step:
    from_states: tuple[str, ...]
    to_state: str
    operation: str  # app.services.permissions.OPERATIONS


STEPS: dict[str, Step] = {
    ReviewAction.SUBMIT: Step((ReviewState.DRAFT, ReviewState.RETURNED), ReviewState.SUBMITTED, "review.submit"),
    ReviewAction.DEPUTY_APPROVE: Step((ReviewState.SUBMITTED,), ReviewState.DEPUTY_APPROVED, "review.deputy"),
    ReviewAction.LEADER_APPROVE: Step((ReviewState.DEPUTY_APPROVED,), ReviewState.APPROVED, "review.leader"),
    ReviewAction.RETURN: Step(
        (ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED, ReviewState.APPROVED), ReviewState.RETURNED, "review.return"
    ),
}


def current_round(history: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The steps since the paper was last submitted: (action, actor id) in the order taken."""
    start = max((i for i, (action, _) in enumerate(history) if action == ReviewAction.SUBMIT), default=None)
    return list(history[start:]) if start is not None else []


def duty_conflict(action: str, actor_id: Any, history: Sequence[tuple[str, Any]]) -> str | None:
    """Why `actor_id` may not take this step given the paper's steps so far (None: they may)."""
    if action not in (ReviewAction.DEPUTY_APPROVE, ReviewAction.LEADER_APPROVE) or actor_id is None:
        return None
    round_ = current_round(history)
    submitter = next((who for step, who in round_ if step == ReviewAction.SUBMIT), None)
    deputy = next((who for step, who in round_ if step == ReviewAction.DEPUTY_APPROVE), None)
    if str(actor_id) == str(submitter):
        return "承办人不能审核自己提交的问题底稿：三审须由三个不同的人完成。"
    if action == ReviewAction.LEADER_APPROVE and str(actor_id) == str(deputy):
        return "副组长审核与组长审签须由不同的人完成。"
    return None
