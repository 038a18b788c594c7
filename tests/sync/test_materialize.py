"""A row rebuilt from events on another copy is stored exactly as the ORM stored the original."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from app.models.bulk import _sqlite_datetime
from app.services.context import ServiceContext
from app.services.fieldwork import InterviewService
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.inspectors import InspectorService
from app.sync.exchange import export_package, import_package

from .helpers import clone, introduce


def _raw(path, table, row_id):
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id.hex,)).fetchone()


def test_rows_are_byte_identical_on_both_copies(template, tmp_path):
    a = clone(template, tmp_path / "a.sqlite3", "甲")
    b = clone(template, tmp_path / "b.sqlite3", "乙")
    introduce([a, b])
    ctx = ServiceContext(a[0])
    inspection = InspectionService(ctx).create(name="巡察", kind="regular", stage="fieldwork",
                                               start_date=dt.date(2026, 3, 1))
    people = [InspectorService(ctx).create(name=n, expertise=["audit"]) for n in ("甲一", "乙二")]
    interview = InterviewService(ctx).create(
        inspection_id=inspection.id, kind="individual", interviewee_name="丙三",
        start_at=dt.datetime(2026, 3, 2, 9, 0, 0, tzinfo=dt.UTC),  # no microseconds: isoformat omits them
        end_at=dt.datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=dt.UTC),
        interviewer_ids=[p.id for p in people], topics_asked=["duty"], signed_by_interviewee=True,
    )
    finding = FindingService(ctx).create(inspection_id=inspection.id, title="标题", facts="事实“引号”\n换行",
                                         source_kind="interview", source_id=interview.id,
                                         found_on=dt.date(2026, 3, 5))
    path = tmp_path / "a-b.xsync"
    export_package(a[0], a[1], b[1].site_id, path)
    import_package(b[0], b[1], path)
    a_path, b_path = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for table, row in (("inspections", inspection), ("interviews", interview), ("findings", finding),
                       ("inspectors", people[0])):
        assert _raw(a_path, table, row.id) == _raw(b_path, table, row.id), table
    assert InterviewService(ServiceContext(b[0])).get(interview.id).start_at == interview.start_at


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    ],
)
def test_fast_datetime_text_matches_sqlalchemy(value):
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from app.models.base import UTCDateTime

    dialect = sqlite_dialect.dialect()
    expected = UTCDateTime()._cached_bind_processor(dialect)(value)
    assert _sqlite_datetime(value.isoformat()) == expected
