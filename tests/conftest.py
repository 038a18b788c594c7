"""Shared fixtures: a migrated database per test, and Qt offscreen (one QApplication, via pytest-qt)."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from app.services.context import ServiceContext  # noqa: E402
from app.services.setup import open_database  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    # Never touch the developer's real data folder or Qt settings.
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("XUNCHA_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(data / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data / "cache"))


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "test.sqlite3", create=True).db
    yield database
    database.dispose()


@pytest.fixture
def ctx(db):
    return ServiceContext(db)


class World:
    """A small inspection with a unit, its people and a team, built through the services."""

    def __init__(self, ctx: ServiceContext) -> None:
        from app.services.inspections import InspectionService, InspectionUnitService, TeamService
        from app.services.inspectors import InspectorService
        from app.services.units import UnitPersonService, UnitService

        self.ctx = ctx
        self.unit = UnitService(ctx).create(name="市财政局", kind="gov_dept")
        people = UnitPersonService(ctx)
        self.principal = people.create(unit_id=self.unit.id, name="张建国", post="党组书记、局长",
                                       is_principal=True, is_leadership_member=True)
        self.deputy = people.create(unit_id=self.unit.id, name="李红梅", post="副局长", is_leadership_member=True)
        self.accountant = people.create(unit_id=self.unit.id, name="王志强", post="财务科科长", is_key_post=True)
        inspectors = InspectorService(ctx)
        self.leader = inspectors.create(name="赵立新", in_leader_pool=True)
        self.member_a = inspectors.create(name="钱文静")
        self.member_b = inspectors.create(name="孙浩然")
        self.inspection = InspectionService(ctx).create(
            name="市委第一巡察组巡察市财政局党组", kind="regular", stage="fieldwork", team_name="市委第一巡察组",
            start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 12, 20),
        )
        InspectionUnitService(ctx).create(inspection_id=self.inspection.id, unit_id=self.unit.id)
        team = TeamService(ctx)
        team.create(inspection_id=self.inspection.id, inspector_id=self.leader.id, role="leader")
        team.create(inspection_id=self.inspection.id, inspector_id=self.member_a.id, role="member")
        team.create(inspection_id=self.inspection.id, inspector_id=self.member_b.id, role="member")

    def interview(self, **overrides):
        from app.services.fieldwork import InterviewService

        values = dict(
            inspection_id=self.inspection.id, kind="individual",
            start_at=dt.datetime(2026, 10, 9, 9, 0, tzinfo=dt.UTC), end_at=dt.datetime(2026, 10, 9, 10, 30, tzinfo=dt.UTC),
            interviewer_ids=[self.leader.id, self.member_a.id], recorder_id=self.member_b.id,
            interviewee_person_id=self.principal.id, place="市财政局三楼会议室",
        )
        values.update(overrides)
        return InterviewService(self.ctx).create(**values)

    def finding(self, **overrides):
        from app.services.findings import FindingService

        values = dict(
            inspection_id=self.inspection.id, unit_id=self.unit.id, title="违规使用公务用车",
            facts="2025年3月至2026年6月，局机关公务用车多次在节假日驶入景区，累计里程约4200公里。",
            category_code="gov_eight_rules", discipline_code="integrity", severity="major",
        )
        values.update(overrides)
        return FindingService(self.ctx).create(**values)


@pytest.fixture
def world(ctx):
    return World(ctx)
