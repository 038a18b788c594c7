"""Fixtures for the PDF tests."""

from __future__ import annotations

import pytest

from app.reports import FontSet


@pytest.fixture(scope="session")
def bundled() -> FontSet:
    """Only the shipped fonts: results do not depend on what the machine has installed."""
    fs = FontSet.bundled()
    fs.preload()
    return fs


@pytest.fixture(scope="session")
def demo_1000_names(tmp_path_factory):
    """(unit name, party organisation) of every unit, and the team names, of a 1,000-unit demo city."""
    from sqlalchemy import select

    from app.models import Inspection, Unit
    from app.services.demo import generate_demo
    from app.services.issuing import party_organisation
    from app.services.setup import open_database

    db = open_database(tmp_path_factory.mktemp("demo1000") / "demo.sqlite3", create=True).db
    try:
        generate_demo(db, seed=1, units=1000, findings=0, interviews=0)
        with db.read() as session:
            units = [(u.name, party_organisation(u)) for u in session.scalars(select(Unit))]
            teams = sorted({n for n in session.scalars(select(Inspection.team_name)) if n})
    finally:
        db.dispose()
    assert len(units) >= 1000 and teams
    return units, teams
