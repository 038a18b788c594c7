"""The merge's bulk writes on a PostgreSQL master (app/models/pg_bulk.py): rows travel by COPY, never as
one INSERT per row, and a row copied in from an event's JSON values reads back exactly as the ORM
wrote it — text with tabs, newlines and backslashes, JSON, dates, a time given in another zone — with
its keyword-index entry made by the same trigger."""

from __future__ import annotations

import datetime as dt
import uuid

from conftest import World
from sqlalchemy import event, select, text

from app.models import ChangeEvent, Finding, bulk
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.search import search
from app.services.setup import open_database

TRICKY = "第一行\n第二行\t制表符 \\ 反斜杠 \\N 'quote' \"双引号\""


def _row(db: Database, finding_id: uuid.UUID) -> dict:
    with db.read() as session:
        row = session.execute(select(Finding.__table__).where(Finding.id == finding_id)).mappings().one()
    return {k: v for k, v in row.items() if k != "id"}


def test_a_row_copied_from_json_reads_back_as_the_orm_wrote_it(pg_url):
    db = open_database(pg_url, create=True).db
    try:
        world = World(ServiceContext(db))
        written = world.finding(title="白条入账\t三笔", facts=TRICKY, found_on=dt.date(2026, 9, 3),
                                responsible_people="王志强", responsible_person_ids=[str(world.accountant.id)])
        with db.read() as session:
            fields = session.scalars(select(ChangeEvent.fields).where(ChangeEvent.row_id == written.id)).first()
        copy_id = uuid.uuid4()
        created = dt.datetime.fromisoformat(fields["created_at"]).astimezone(dt.timezone(dt.timedelta(hours=8)))
        # The event's JSON values as a package brings them; one time written in Beijing's zone.
        values = {**fields, "id": str(copy_id), "created_at": created.isoformat()}
        with db.write() as session:
            bulk.insert_json_rows(session.connection(), Finding.__table__, [values])
        assert _row(db, copy_id) == _row(db, written.id)
        with db.read() as session:
            bodies = dict(session.execute(text("SELECT entity_id, body FROM search_docs WHERE entity_id IN (:a, :b)"),
                                          {"a": written.id, "b": copy_id}).all())
        assert bodies[copy_id] == bodies[written.id] and TRICKY in bodies[copy_id]
        hits = search(ServiceContext(db), "反斜杠", entities=("finding",))
        assert {h.entity_id for h in hits} >= {written.id, copy_id}
    finally:
        db.dispose()


def test_an_import_on_the_server_sends_no_statement_per_row(pg_url, tmp_path):
    from app.services.demo import generate_demo
    from app.sync.benchmark import build_laptop_packages
    from app.sync.exchange import import_package
    from app.sync.identity import ensure_identity

    db = open_database(pg_url, create=True).db
    try:
        generate_demo(db, seed=3, units=6, findings=60, interviews=10)
        packages = build_laptop_packages(db, tmp_path, laptops=1, events_per_laptop=600)
        me = ensure_identity(db)
        batches: list[tuple[str, int]] = []
        widest: list[tuple[int, str]] = []

        @event.listens_for(db.engine, "before_cursor_execute")
        def _seen(conn, cursor, statement, parameters, context, executemany):
            if executemany:
                batches.append((statement.split("(")[0], len(parameters)))
            elif parameters:
                widest.append((len(parameters), statement[:80]))

        with db.read() as session:
            before = session.scalar(select(text("count(*)")).select_from(ChangeEvent))
        summary = import_package(db, me, packages.paths[0])
        with db.read() as session:
            after = session.scalar(select(text("count(*)")).select_from(ChangeEvent))
        assert summary.new_events == packages.events and after - before == packages.events
        assert summary.rows.get("findings", 0) > 0
        # Events, batches, heads and rows went by COPY: nothing was sent once per row.
        assert [b for b in batches if b[1] > 20] == []
        # The rows' heads and ids, and the batches already held, are looked up by one array parameter
        # (pg_bulk.any_of), not an IN list of a parameter per row rendered afresh for every batch.
        lookups = [w for w in widest if w[1].startswith(("SELECT row_heads.", "SELECT event_batches.number \nFROM",
                                                         "SELECT findings.id, findings.deleted_at"))]
        assert len(lookups) >= 3 and [w for w in lookups if w[0] > 20] == []
    finally:
        db.dispose()


def test_copy_rows_take_a_value_an_event_did_not_carry_as_null():
    from app.models import pg_bulk

    table = ChangeEvent.__table__
    full = {"id": str(uuid.uuid4()), "author_name": "王志强", "fields": {"title": "白条"},
            "recorded_at": "2026-09-03T08:00:00+08:00"}
    short = {k: v for k, v in full.items() if k != "author_name"}
    columns = list(full)
    assert pg_bulk.json_params(table, [full, short], columns) == [
        (full["id"], "王志强", '{"title":"白条"}', "2026-09-03T00:00:00"),
        (full["id"], None, '{"title":"白条"}', "2026-09-03T00:00:00"),
    ]
    assert pg_bulk.json_params(table, [short, full], ["author_name"]) == [(None,), ("王志强",)]
    assert pg_bulk.json_params(table, [], columns) == []
