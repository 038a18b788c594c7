"""Two staff editing the same record (two office workstations on one server, or two windows on one
file): a save that would overwrite a change saved since the form was filled is refused with a Chinese
message naming the field and who changed it; changes to different fields both stay."""

from __future__ import annotations

import pytest
from actors import team_actor

from app.models.enums import TeamRole
from app.services.errors import StaleEditError
from app.services.findings import FindingService


def _loaded(record, *names):
    return {n: getattr(record, n) for n in names}


def test_the_second_save_of_the_same_field_is_refused_and_names_who_saved_first(world):
    finding = world.finding()
    leader = team_actor(world.ctx, world.inspection.id, TeamRole.LEADER)
    deputy = team_actor(world.ctx, world.inspection.id, TeamRole.DEPUTY)
    # Both open the working paper.
    seen_by_leader = FindingService(leader).get(finding.id)
    seen_by_deputy = FindingService(deputy).get(finding.id)
    FindingService(leader).update(finding.id, expected=_loaded(seen_by_leader, "title"), title="违规使用公务用车问题")
    with pytest.raises(StaleEditError, match=f"「问题标题」在您打开后已被{leader.actor.name}于.*修改") as caught:
        FindingService(deputy).update(finding.id, expected=_loaded(seen_by_deputy, "title"), title="公车私用")
    assert caught.value.field == "title"
    assert FindingService(world.ctx).get(finding.id).title == "违规使用公务用车问题"


def test_edits_of_different_fields_both_stay(world):
    finding = world.finding()
    leader = team_actor(world.ctx, world.inspection.id, TeamRole.LEADER)
    deputy = team_actor(world.ctx, world.inspection.id, TeamRole.DEPUTY)
    seen_by_leader = FindingService(leader).get(finding.id)
    seen_by_deputy = FindingService(deputy).get(finding.id)
    FindingService(leader).update(finding.id, expected=_loaded(seen_by_leader, "title"), title="违规使用公务用车问题")
    FindingService(deputy).update(finding.id, expected=_loaded(seen_by_deputy, "responsible_people"),
                                  responsible_people="张建国")
    stored = FindingService(world.ctx).get(finding.id)
    assert (stored.title, stored.responsible_people) == ("违规使用公务用车问题", "张建国")


def test_after_reopening_the_record_the_save_goes_through(world):
    finding = world.finding()
    leader = team_actor(world.ctx, world.inspection.id, TeamRole.LEADER)
    stale = FindingService(leader).get(finding.id)
    FindingService(world.ctx).update(finding.id, title="市财政局违规使用公务用车")
    with pytest.raises(StaleEditError):
        FindingService(leader).update(finding.id, expected=_loaded(stale, "title"), title="公车私用")
    fresh = FindingService(leader).get(finding.id)
    FindingService(leader).update(finding.id, expected=_loaded(fresh, "title"), title="公车私用")
    assert FindingService(world.ctx).get(finding.id).title == "公车私用"
