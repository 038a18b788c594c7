"""The clue ledger (问题线索台账): what was handed over, to whom and when, and what came back.

The receiving body (纪委监委, 组织部) reports outcomes — 初步核实, 立案审查, 党纪政务处分 (with the
four forms), 组织处理, 予以了结 — and these feed the statistics. A clue whose outcome is not back three
months after the hand-over is flagged for chasing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from app.models import Clue, ClueOutcome, Inspection, ReferenceItem
from app.models.enums import ClueOutcomeKind, ClueStatus
from app.services import permissions
from app.services.clues import ClueOutcomeService, ClueService
from app.services.context import ServiceContext
from app.services.crud import as_uuid, require_exists
from app.services.errors import StateError, ValidationError
from app.services.reference import FOUR_FORM

from .stages import CLUE_REPLY_DAYS


@dataclass
class OutcomeLine:
    id: uuid.UUID
    kind: str
    four_form: str | None
    people_count: int
    decided_on: dt.date | None
    notes: str

    @property
    def kind_label(self) -> str:
        return ClueOutcomeKind.label_of(self.kind)


@dataclass
class LedgerRow:
    id: uuid.UUID
    inspection_id: uuid.UUID
    inspection_name: str
    subject_name: str
    subject_post: str
    summary: str
    handed_to: str
    handed_over_on: dt.date | None
    status: str
    outcomes: list[OutcomeLine] = field(default_factory=list)
    reply_late: bool = False  # handed over more than three months ago, nothing reported back

    @property
    def status_label(self) -> str:
        return ClueStatus.label_of(self.status)

    def outcome_text(self, four_forms: dict[str, str]) -> str:
        parts = []
        for o in self.outcomes:
            text = o.kind_label
            if o.four_form:
                text += f"（{four_forms.get(o.four_form, o.four_form)}）"
            if o.people_count and o.people_count != 1:
                text += f"{o.people_count}人"
            parts.append(text)
        return "；".join(parts)


@dataclass
class Ledger:
    rows: list[LedgerRow]
    four_forms: dict[str, str]

    @property
    def totals(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for row in self.rows:
            counts["clues"] += 1
            counts[row.status] += 1
            counts["reply_late"] += row.reply_late
            for o in row.outcomes:
                counts[o.kind] += 1
                if o.kind == ClueOutcomeKind.DISCIPLINED:
                    counts["people_disciplined"] += o.people_count
        return dict(counts)

    def people_by_four_form(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for row in self.rows:
            for o in row.outcomes:
                if o.four_form:
                    counts[o.four_form] += o.people_count
        return dict(counts)


def ledger(ctx: ServiceContext, *, inspection_id: uuid.UUID | str | None = None, status: str | None = None,
           on: dt.date | None = None) -> Ledger:
    on = on or dt.date.today()
    stmt = (select(Clue, Inspection.name).join(Inspection, Inspection.id == Clue.inspection_id)
            .where(Clue.deleted_at.is_(None), Inspection.deleted_at.is_(None)))
    if inspection_id is not None:
        stmt = stmt.where(Clue.inspection_id == as_uuid(inspection_id))
    if status is not None:
        stmt = stmt.where(Clue.status == status)
    stmt = stmt.order_by(Clue.handed_over_on.desc().nulls_first(), Inspection.name, Clue.subject_name)
    with ctx.db.read() as session:
        rows = session.execute(permissions.readable(stmt, Clue.inspection_id, session, ctx.actor)).all()
        ids = [c.id for c, _ in rows]
        outcomes: dict[uuid.UUID, list[OutcomeLine]] = {}
        for chunk in range(0, len(ids), 500):
            for o in session.scalars(select(ClueOutcome).where(
                    ClueOutcome.clue_id.in_(ids[chunk:chunk + 500]), ClueOutcome.deleted_at.is_(None))
                    .order_by(ClueOutcome.decided_on, ClueOutcome.created_at)):
                outcomes.setdefault(o.clue_id, []).append(
                    OutcomeLine(o.id, o.kind, o.four_form, o.people_count, o.decided_on, o.notes or ""))
        four_forms = dict(session.execute(select(ReferenceItem.code, ReferenceItem.name).where(
            ReferenceItem.kind == FOUR_FORM)).all())
    result = []
    for clue, inspection_name in rows:
        lines = outcomes.get(clue.id, [])
        late = (clue.status == ClueStatus.HANDED_OVER and not lines and clue.handed_over_on is not None
                and (on - clue.handed_over_on).days > CLUE_REPLY_DAYS)
        result.append(LedgerRow(clue.id, clue.inspection_id, inspection_name, clue.subject_name, clue.subject_post or "",
                                clue.summary, clue.handed_to or "", clue.handed_over_on, clue.status, lines, late))
    return Ledger(result, four_forms)


def hand_over(ctx: ServiceContext, clue_id: uuid.UUID | str, *, handed_to: str, on: dt.date,
              transfer_document_id: uuid.UUID | str | None = None) -> Clue:
    """Record a clue as handed over (移交), to whom and when."""
    # Who may hand a clue over is ClueService's rule (an update to 已移交 is the hand-over operation).
    if not (handed_to or "").strip():
        raise ValidationError("请填写「移交对象」（如市纪委监委、市委组织部）。", "handed_to")
    if on > dt.date.today():
        raise ValidationError("「移交日期」不能晚于今天。", "handed_over_on")
    with ctx.db.read() as session:
        clue = require_exists(session, Clue, clue_id, "问题线索", "clue_id")
        if clue.status != ClueStatus.PENDING:
            raise StateError(f"该线索已于{clue.handed_over_on or ''}移交{clue.handed_to or ''}，不能重复移交。")
    values: dict[str, Any] = {"handed_to": handed_to, "handed_over_on": on, "status": ClueStatus.HANDED_OVER}
    if transfer_document_id is not None:
        values["transfer_document_id"] = as_uuid(transfer_document_id)
    return ClueService(ctx).update(clue.id, **values)


def record_outcome(ctx: ServiceContext, clue_id: uuid.UUID | str, *, kind: str, decided_on: dt.date | None = None,
                   four_form: str | None = None, people_count: int = 1, notes: str | None = None,
                   conclude: bool = False) -> ClueOutcome:
    """What the receiving body reported back; `conclude` marks the clue 已办结 with it, in one transaction."""
    # Who may record an outcome is ClueOutcomeService's rule (组长 of the team, or the office).
    if decided_on is not None and decided_on > dt.date.today():
        raise ValidationError("「决定日期」不能晚于今天。", "decided_on")
    outcomes, clues = ClueOutcomeService(ctx), ClueService(ctx)
    with ctx.write() as session:
        clue = require_exists(session, Clue, clue_id, "问题线索", "clue_id")
        if clue.status == ClueStatus.PENDING:
            raise StateError("该线索尚未移交，不能登记办理结果。")
        if decided_on is not None and clue.handed_over_on is not None and decided_on < clue.handed_over_on:
            raise ValidationError("「决定日期」不能早于移交日期。", "decided_on")
        outcome = outcomes.create_in(session, clue_id=clue.id, kind=kind, decided_on=decided_on, four_form=four_form,
                                     people_count=people_count, notes=notes)
        if conclude and clue.status != ClueStatus.CONCLUDED:
            clues.update_in(session, clue.id, status=ClueStatus.CONCLUDED)
    return outcome
