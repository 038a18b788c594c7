"""What the first-start wizard asks of the services: the office's first round and inspection, with
the units it inspects typed by name (a new database has no unit directory yet), in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select

from app.models import Inspection, Unit
from app.models.enums import Stage, UnitKind

from .context import ServiceContext
from .errors import ValidationError
from .inspections import InspectionService, InspectionUnitService, RoundService
from .units import UnitService

MAX_UNITS = 50


def start_first_inspection(
    ctx: ServiceContext, *, name: str, kind: str, unit_names: Sequence[str], unit_kind: str = UnitKind.GOV_DEPT,
    team_name: str | None = None, start_date: dt.date | None = None, end_date: dt.date | None = None,
    round_name: str | None = None, round_year: int | None = None,
) -> Inspection:
    """The first inspection (制定方案 stage), its round when one is named, and its units — those
    not yet in the directory are added to it. All or nothing."""
    ctx.require_admin("新建巡察")
    names = list(dict.fromkeys(n.strip() for n in unit_names if n and n.strip()))
    if not names:
        raise ValidationError("请至少填写一个被巡察单位（每行一个）。", "unit_names")
    if len(names) > MAX_UNITS:
        raise ValidationError(f"一次最多填写 {MAX_UNITS} 个被巡察单位。", "unit_names")
    units, inspections, targets = UnitService(ctx), InspectionService(ctx), InspectionUnitService(ctx)
    with ctx.write() as session:
        round_id = None
        if round_name and round_name.strip():
            round_id = RoundService(ctx).create_in(session, name=round_name, year=round_year or dt.date.today().year).id
        inspection = inspections.create_in(session, name=name, kind=kind, stage=Stage.PLAN, round_id=round_id,
                                           team_name=team_name, start_date=start_date, end_date=end_date)
        for unit_name in names:
            existing = session.scalar(select(Unit).where(func.lower(Unit.name) == unit_name.lower(),
                                                         Unit.deleted_at.is_(None)).limit(1))
            unit = existing or units.create_in(session, name=unit_name, kind=unit_kind)
            targets.create_in(session, inspection_id=inspection.id, unit_id=unit.id)
    return inspection
