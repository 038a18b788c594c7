"""Shared fixtures: a migrated database per test, and Qt offscreen (one QApplication, via pytest-qt)."""

from __future__ import annotations

import datetime as dt
import gc
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


@pytest.fixture(autouse=True)
def _collector_back_after_each_test():
    # A window's open freezes what is alive (app.gc_pause.freeze_long_lived): right for one window
    # per process, but a test run opens hundreds, and the earlier tests' garbage (open connections
    # among it) would never be collected.
    yield
    gc.unfreeze()


# --- the backend: SQLite, and PostgreSQL for the modules that run on both ------------------------
# The service, sync, report and office modules run against a real PostgreSQL 15 as well as SQLite:
# every module below PG_AREAS whose tests take the database fixtures (db, ctx, world, db_location,
# backend) runs twice. Measured on the 2-core machine under load, the PostgreSQL variants (with
# tests/pg) add about 6 minutes to a ~25-minute suite, well inside the ~10 extra minutes CI allows,
# so CI runs them all. XUNCHA_TEST_BACKENDS=quick takes PostgreSQL only for QUICK_MODULES (each area
# once) while iterating; =sqlite none. See README "An office server".
QUICK_MODULES = (
    "tests/test_search.py", "tests/test_numbering.py", "tests/test_issuing.py", "tests/test_statistics.py",
    "tests/test_validation.py", "tests/test_fieldwork_records.py", "tests/test_profile_documents.py",
    "tests/test_stale_edits.py",
    "tests/office/test_office_services.py", "tests/office/test_dashboard.py",
    "tests/office/test_unit_excel.py", "tests/sync/test_team_kit.py", "tests/security/test_permissions.py",
    "tests/ledger/test_ledger_import.py", "tests/sync/test_cli_sync.py",
)
PG_AREAS = ("tests/test_", "tests/office/", "tests/sync/", "tests/reports/", "tests/security/", "tests/ledger/")


def _backends_for(path: str) -> list[str]:
    choice = os.environ.get("XUNCHA_TEST_BACKENDS", "all").lower()
    if choice == "sqlite":
        return ["sqlite"]
    if choice == "quick":
        return ["sqlite", "postgresql"] if path in QUICK_MODULES else ["sqlite"]
    return ["sqlite", "postgresql"] if path.startswith(PG_AREAS) else ["sqlite"]


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames:
        return
    root = metafunc.config.rootpath
    try:
        path = metafunc.definition.path.relative_to(root).as_posix()
    except ValueError:
        path = str(metafunc.definition.path)
    backends = _backends_for(path)
    # A module about SQLite itself (its query plans, its files) says so: `SQLITE_ONLY = "why"`.
    if getattr(metafunc.module, "SQLITE_ONLY", None):
        backends = ["sqlite"]
    if backends != ["sqlite"]:
        metafunc.parametrize("backend", backends, indirect=True, ids=["sqlite", "pg"][: len(backends)])


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


def postgresql_required() -> bool:
    """In CI, and when bootstrap.py ran as root (it then installed postgresql-15), a missing server is a
    failure: only a developer's machine without the packages may skip the PostgreSQL variants."""
    return bool(os.environ.get("CI") or os.environ.get("XUNCHA_REQUIRE_POSTGRESQL"))


def require_server_binaries() -> None:
    """Skip (a developer's machine without the packages) or fail (CI) when PostgreSQL is absent."""
    from pg.server import available

    if available():
        return
    reason = "PostgreSQL 15 is not installed (bootstrap.py installs postgresql-15 for the tests)"
    if postgresql_required():
        pytest.fail(f"{reason}, but this run must test the server variants (CI, or bootstrap as root)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL 15 server for the session, and a template database with the schema and the
    reference data that each test's database is copied from (a copy takes ~0.1 s)."""
    from pg.server import PgServer

    require_server_binaries()
    server = PgServer.in_new_folder().start()
    try:
        template = server.create_database("xuncha_template")
        opened = open_database(server.url(template), create=True)
        opened.db.dispose()
        server.template = template
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(request):
    """A fresh PostgreSQL database with the workbench's schema, dropped after the test."""
    server = request.getfixturevalue("pg_server")
    name = server.create_database(template=server.template)
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def pg_empty_url(request):
    """An empty PostgreSQL database, as a server's administrator creates it for `xuncha init`."""
    server = request.getfixturevalue("pg_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def db_location(backend, tmp_path, request):
    """Where the test's database is: a SQLite file, or a PostgreSQL URL."""
    if backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_location):
    database = open_database(db_location, create=True).db
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
