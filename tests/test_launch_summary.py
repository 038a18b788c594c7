"""The first paint's summary (app/services/launch_summary.py), read with sqlite3 before SQLAlchemy
loads, shows what the services then show: the same inspections in the same order, the same one
chosen, the same fieldwork counts and findings by status and review state. And only a plain file
without accounts is painted that way: anything that asks who is working never is."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import World

from app.models import Finding, peek
from app.services.context import ServiceContext
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.launch_summary import read_summary
from app.services.setup import needs_login, open_database
from app.ui.main_window import load_opening

SQLITE_ONLY = "the summary reads a SQLite file directly; a server always loads the services first"


@pytest.fixture
def busy(tmp_path):
    """Two inspections, one with findings in several states, a deleted finding and fieldwork."""
    path = tmp_path / "plain.sqlite3"
    db = open_database(path, create=True).db
    ctx = ServiceContext(db)
    world = World(ctx)
    inspections = InspectionService(ctx)
    inspections.create(name="回头看：市财政局", kind="follow_up", stage="plan", follows_inspection_id=world.inspection.id,
                       start_date=dt.date(2027, 3, 1))
    inspections.create(name="未定日期的专项巡察", kind="special", stage="plan")
    findings = FindingService(ctx)
    made = [world.finding(title=f"问题{n}") for n in range(5)]
    with ctx.write() as session:  # review states as a team's reviews leave them
        session.get(Finding, made[0].id).review_state = "submitted"
        session.get(Finding, made[1].id).review_state = "deputy_approved"
    findings.batch_update([made[2].id, made[3].id], status="rectifying")
    findings.delete(made[4].id)
    world.interview()
    world.interview(interviewee_person_id=world.deputy.id)
    yield path, ctx, world
    db.dispose()


def test_the_summary_is_what_the_services_read(busy):
    path, ctx, world = busy
    for wanted in (None, world.inspection.id):
        opening = load_opening(ctx, wanted)
        summary = read_summary(path, wanted)
        assert summary is not None
        assert [(r.id, r.name, r.kind, r.stage, r.team_name, r.start_date, r.end_date) for r in summary.inspections] == [
            (r.id, r.name, r.kind, r.stage, r.team_name, r.start_date, r.end_date) for r in opening.inspections]
        assert summary.chosen == opening.chosen
        data = opening.dashboard
        assert summary.inspection.id == data.inspection.id == world.inspection.id
        assert summary.counts == data.counts and summary.counts["interview"] == 2
        assert summary.by_status == data.overview.by_status == {"open": 2, "rectifying": 2}
        assert summary.by_review_state == data.overview.by_review_state
        assert summary.findings_total == data.overview.total == 4


def test_the_summary_of_another_chosen_inspection(busy):
    path, ctx, _world = busy
    other = next(r for r in InspectionService(ctx).list() if r.kind == "special")
    summary = read_summary(path, other.id)
    assert summary.inspection.id == other.id and summary.findings_total == 0 and summary.counts["interview"] == 0


def test_no_summary_of_what_is_not_a_workbench_database(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert read_summary(junk, None) is None
    assert read_summary(tmp_path / "missing.sqlite3", None) is None


def test_only_a_plain_file_without_accounts_skips_the_login(tmp_path, busy):
    path, _ctx, _world = busy
    assert peek.opens_without_login(path) and not needs_login(path)
    assert not peek.opens_without_login(tmp_path / "missing.sqlite3")
    assert not peek.opens_without_login("postgresql://user@localhost/xuncha")
    # With an account, the plain file asks who is working, and so does an encrypted one.
    with_account = tmp_path / "accounts.sqlite3"
    open_database(with_account, create=True, password="Zhang-2026-pass", username="zhang", display_name="张三",
                  encrypt=False).db.dispose()
    assert needs_login(with_account) and not peek.opens_without_login(with_account)
    encrypted = tmp_path / "sealed.sqlite3"
    open_database(encrypted, create=True, password="Zhang-2026-pass", username="zhang", display_name="张三",
                  encrypt=True).db.dispose()
    assert needs_login(encrypted) and not peek.opens_without_login(encrypted)


def test_a_file_that_cannot_be_read_asks_who_is_working(tmp_path, monkeypatch):
    """A writer's lock on a plain file with accounts must not let the window open it for the local
    administrator: when the accounts cannot be read, the launch asks who is working."""
    import sqlite3

    path = tmp_path / "accounts.sqlite3"
    open_database(path, create=True, password="Zhang-2026-pass", username="zhang", display_name="张三",
                  encrypt=False).db.dispose()
    monkeypatch.setattr(peek, "READ_TIMEOUT", 0.05)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: an exclusive lock keeps readers out
        writer.execute("BEGIN EXCLUSIVE")
        assert needs_login(path) and not peek.opens_without_login(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert needs_login(path)
