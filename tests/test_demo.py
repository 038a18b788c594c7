"""Demo data: deterministic, the requested sizes, consistent, and searchable."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.models import (
    ChecklistItem,
    Clue,
    ClueOutcome,
    DocumentSequence,
    Finding,
    FindingReview,
    Inspection,
    Interview,
    IssuedDocument,
    Rectification,
    ReferenceItem,
    TeamAssignment,
    Unit,
    UnitPerson,
)
from app.models.db import Database
from app.services import demo
from app.services.context import ServiceContext
from app.services.demo import BASE_DATE, NOW, DemoReport, generate_demo
from app.services.reference import load_reference_data

SIZES = {"units": 20, "findings": 500, "interviews": 200}


def _new_db(path: Path, *, reference: bool = True) -> Database:
    db = Database.open_path(path, create=True)
    db.upgrade()
    if reference:
        load_reference_data(ServiceContext(db))
    return db


def _build(path: Path, seed: int, **sizes: int) -> tuple[Database, DemoReport]:
    db = _new_db(path)
    return db, generate_demo(db, seed=seed, **{**SIZES, **sizes})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One demo database shared by the read-only checks (generating it is the slow part)."""
    messages: list[str] = []
    db = _new_db(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    report = generate_demo(db, seed=1, progress=messages.append, **SIZES)
    yield db, report, messages
    db.dispose()


def _digest(db: Database, tables: list[str]) -> str:
    """Every stored value of the tables, in id order: equal digests mean byte-identical rows."""
    h = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in sorted(tables):
            order = "rowid" if table == "search_docs" else "1"
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}")):  # noqa: S608 - our names
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


# ── determinism ──────────────────────────────────────────────────────────────


def test_same_seed_writes_identical_rows_and_another_seed_does_not(built, tmp_path):
    db1, report1, _ = built
    db2, report2 = _build(tmp_path / "again.sqlite3", seed=1)
    db3, _ = _build(tmp_path / "other.sqlite3", seed=2)
    try:
        assert report2.counts == report1.counts
        # `settings` also holds the copy's own random site id (the change log's), which must differ.
        # The change log is per copy too (its ids, site and clocks): the rows are what must be identical.
        tables = sorted(set(report1.counts) - {"settings", "change_events"})
        assert _digest(db2, tables) == _digest(db1, tables)
        for table in ("findings", "interviews"):
            assert _digest(db3, [table]) != _digest(db1, [table])
        with db1.read() as s1, db3.read() as s3:
            assert set(s1.scalars(select(Finding.id))).isdisjoint(s3.scalars(select(Finding.id)))
    finally:
        db2.dispose()
        db3.dispose()


def test_ids_are_uuid7_shaped_and_follow_the_record_time(built):
    db, _, _ = built
    with db.read() as session:
        rows = session.execute(select(Finding.id, Finding.created_at).limit(200)).all()
    for record_id, created in rows:
        assert record_id.version == 7 and record_id.variant == uuid.RFC_4122
        assert record_id.int >> 80 == int(created.timestamp() * 1000)


# ── sizes ────────────────────────────────────────────────────────────────────


def test_requested_sizes_are_exact(built):
    db, report, messages = built
    with db.read() as session:
        assert session.query(Unit).count() == SIZES["units"] == report.counts["units"]
        assert session.query(Finding).count() == SIZES["findings"] == report.counts["findings"]
        assert session.query(Interview).count() == SIZES["interviews"] == report.counts["interviews"]
    assert report.elapsed_seconds > 0 and report.seed == 1
    assert messages and all(isinstance(m, str) for m in messages)


def test_unit_directory_is_a_city_with_villages_under_townships(built):
    db, _, _ = built
    with db.read() as session:
        units = {u.id: u for u in session.scalars(select(Unit))}
        people = list(session.scalars(select(UnitPerson)))
    kinds = Counter(u.kind for u in units.values())
    assert {"gov_dept", "township", "village"} <= set(kinds)
    for unit in units.values():
        if unit.kind == "village":
            assert units[unit.parent_id].kind == "township"
        else:
            assert unit.parent_id is None
    per_unit = Counter(p.unit_id for p in people)
    assert set(per_unit) == set(units) and min(per_unit.values()) >= 4 and max(per_unit.values()) <= 12
    principals = Counter(p.unit_id for p in people if p.is_principal)
    assert set(principals) == set(units)
    assert all(p.is_leadership_member for p in people if p.is_principal)


# ── records are well formed ──────────────────────────────────────────────────


def test_every_interview_has_two_team_members_present_and_ends_after_it_starts(built):
    db, _, _ = built
    with db.read() as session:
        teams: dict[uuid.UUID, set[str]] = defaultdict(set)
        for a in session.scalars(select(TeamAssignment)):
            teams[a.inspection_id].add(str(a.inspector_id))
        interviews = list(session.scalars(select(Interview)))
    assert interviews
    for interview in interviews:
        present = interview.interviewer_ids
        assert len(set(present)) >= 2 and len(set(present)) == len(present)
        assert set(present) <= teams[interview.inspection_id]
        assert str(interview.recorder_id) in present
        assert interview.end_at is not None and interview.end_at >= interview.start_at
        assert interview.start_at.tzinfo is not None and interview.end_at <= NOW
        assert interview.transcript.startswith("问：") and "\n答：" in interview.transcript
        assert set(interview.topics_asked) <= {"duty", "ideology", "conduct", "capability", "performance", "integrity"}
    categories = Counter(i.talk_category for i in interviews)
    assert categories["main_leader"] > 0 and categories["leadership_member"] > 0


def test_finding_codes_exist_in_the_reference_lists(built):
    db, _, _ = built
    with db.read() as session:
        reference = defaultdict(set)
        subcategories = set()
        for item in session.scalars(select(ReferenceItem)):
            reference[item.kind].add(item.code)
            if item.kind == "problem_category" and item.parent_code:
                subcategories.add(item.code)
        findings = list(session.scalars(select(Finding)))
    assert {f.category_code for f in findings} <= subcategories
    assert {f.discipline_code for f in findings} <= reference["discipline"]
    assert {f.four_form for f in findings} - {None} <= reference["four_form"]
    assert {f.disposition_code for f in findings} - {None} <= reference["disposition"]
    assert any(f.four_form for f in findings)


def test_findings_read_like_working_papers(built):
    db, _, _ = built
    with db.read() as session:
        findings = list(session.scalars(select(Finding).order_by(Finding.inspection_id, Finding.number)))
    numbers: dict[uuid.UUID, list[int]] = defaultdict(list)
    for f in findings:
        numbers[f.inspection_id].append(f.number)
        assert 100 <= len(f.facts) <= 300, f.facts
        assert re.search(r"\d", f.facts)
        assert f.characterisation and "违反" in f.characterisation
        assert f.responsibility and "责任" in f.responsibility
        assert f.found_on <= BASE_DATE
    for sequence in numbers.values():
        assert sequence == list(range(1, len(sequence) + 1))
    assert len({f.facts for f in findings}) > 0.95 * len(findings)


def test_sources_point_at_records_of_the_same_inspection(built):
    db, _, _ = built
    tables = {"interview": "interviews", "petition": "petitions", "document_review": "document_reviews",
              "visit": "visits", "checklist": "checklist_items"}
    with db.read() as session:
        findings = list(session.scalars(select(Finding)))
        owners = {}
        for table in tables.values():
            owners.update({row[0]: row[1] for row in session.execute(text(f"SELECT id, inspection_id FROM {table}"))})
    linked = [f for f in findings if f.source_id is not None]
    assert len(linked) > 0.9 * len(findings)
    for f in linked:
        assert f.source_kind in tables
        assert owners[f.source_id.hex] == f.inspection_id.hex


def test_review_chain_disposition_and_status_agree(built):
    db, _, _ = built
    with db.read() as session:
        findings = {f.id: f for f in session.scalars(select(Finding))}
        reviews = defaultdict(list)
        for r in session.scalars(select(FindingReview).order_by(FindingReview.acted_at)):
            reviews[r.finding_id].append(r)
        rectifications = list(session.scalars(select(Rectification)))
        clues = list(session.scalars(select(Clue)))
        outcomes = defaultdict(list)
        for o in session.scalars(select(ClueOutcome)):
            outcomes[o.clue_id].append(o)
        stages = {i.id: i.stage for i in session.scalars(select(Inspection))}
    for f in findings.values():
        chain = reviews[f.id]
        assert (chain[-1].to_state if chain else "draft") == f.review_state
        assert all(a.acted_at <= b.acted_at for a, b in zip(chain, chain[1:], strict=False))
        assert (f.disposition_code is not None) == (f.review_state == "approved")
    own = [r for r in rectifications if r.carried_from_id is None]
    assert Counter(r.finding_id for r in own).most_common(1)[0][1] == 1
    for r in own:
        f = findings[r.finding_id]
        assert f.disposition_code == "feedback_rectify"
        assert f.status == {"pending": "rectifying", "in_progress": "rectifying", "completed": "rectified",
                            "closed": "closed"}[r.status]
        if r.status == "closed":
            assert r.completed_on <= r.closed_on <= BASE_DATE and r.evidence and r.closed_by
    assert any(r.status == "in_progress" and r.deadline < BASE_DATE for r in own), "some items are overdue"
    for clue in clues:
        f = findings[clue.finding_id]
        assert f.disposition_code in ("clue_transfer", "transfer_organization")
        assert clue.handed_to == ("市委组织部" if f.disposition_code == "transfer_organization" else "市纪委监委")
        final = [o for o in outcomes[clue.id] if o.kind in ("disciplined", "organisational", "closed")]
        assert (clue.status == "concluded") == bool(final)
        assert (clue.handed_over_on is not None) == (clue.transfer_document_id is not None)
        if clue.handed_over_on:
            assert stages[clue.inspection_id] not in ("fieldwork", "report", "feedback")
    assert len(clues) >= 0.02 * len(findings)


def test_checklists_are_copied_and_mostly_done_for_finished_inspections(built):
    db, _, _ = built
    with db.read() as session:
        inspections = {i.id: i for i in session.scalars(select(Inspection))}
        items = list(session.scalars(select(ChecklistItem)))
    per_inspection = Counter(i.inspection_id for i in items)
    assert set(per_inspection.values()) == {15}  # 五必查 + 六必问 + 四必谈
    finished = [i for i in items if inspections[i.inspection_id].stage in ("closed", "rectification")]
    assert finished and sum(i.status == "done" for i in finished) >= 0.9 * len(finished)
    assert all(i.status == "open" for i in items if inspections[i.inspection_id].stage == "plan")


def test_foreign_keys_and_storage_are_valid(built):
    db, _, _ = built
    assert db.integrity_problems() == []


def test_document_numbers_and_sequences_continue_without_clashes(built):
    db, _, _ = built
    with db.read() as session:
        documents = list(session.scalars(select(IssuedDocument)))
        sequences = {(s.issuer_code, s.year): s.last_value for s in session.scalars(select(DocumentSequence))}
        inspections = {i.id: i for i in session.scalars(select(Inspection))}
    assert len({d.number_text for d in documents}) == len(documents)
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for d in documents:
        assert d.number_text == f"{d.issuer_code}〔{d.year}〕{d.sequence}号"
        highest[(d.issuer_code, d.year)] = max(highest[(d.issuer_code, d.year)], d.sequence)
    assert sequences == dict(highest)
    for key, last in highest.items():
        numbers = sorted(d.sequence for d in documents if (d.issuer_code, d.year) == key)
        assert numbers == list(range(1, last + 1))
    feedback = [d for d in documents if d.kind == "feedback"]
    assert feedback and all(inspections[d.inspection_id].feedback_date for d in feedback)


# ── the keyword index ────────────────────────────────────────────────────────


def test_keyword_index_finds_a_phrase_from_a_findings_facts(built):
    db, report, _ = built
    with db.read() as session:
        finding = session.scalars(select(Finding).order_by(Finding.id).offset(137).limit(1)).one()
    # Six characters from the middle of the facts: a Chinese substring, as a user would type it.
    phrase = finding.facts[40:46]
    assert len(phrase) >= 3
    with db.engine.connect() as conn:
        hits = conn.execute(
            text("SELECT d.entity, d.entity_id FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid "
                 "WHERE search_fts MATCH :q"),
            {"q": '"' + phrase.replace('"', '""') + '"'},
        ).all()
    assert ("finding", finding.id.hex) in {(e, i) for e, i in hits}
    assert report.counts["search_docs"] >= SIZES["findings"] + SIZES["interviews"]


def test_incremental_indexing_is_back_on_after_the_load(built, tmp_path):
    db, _, _ = built
    with db.engine.connect() as conn:
        triggers = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    assert {"findings_search_ai", "interviews_search_ai", "search_docs_ai"} <= triggers


# ── refusals and the storage shortcut ────────────────────────────────────────


def test_refuses_a_database_that_already_has_data(built):
    db, _, _ = built
    with pytest.raises(ValueError, match="已有"):
        generate_demo(db, seed=9, units=3, findings=1, interviews=1)


def test_requires_reference_data(tmp_path):
    db = _new_db(tmp_path / "bare.sqlite3", reference=False)
    try:
        with pytest.raises(ValueError, match="参考数据"):
            generate_demo(db, seed=1, units=5, findings=10, interviews=5)
        with db.read() as session:
            assert session.query(Unit).count() == 0  # nothing half-written
    finally:
        db.dispose()


def test_tiny_sizes_work(tmp_path):
    db, report = _build(tmp_path / "tiny.sqlite3", seed=5, units=3, findings=7, interviews=2)
    try:
        assert report.counts["units"] == 3 and report.counts["findings"] == 7 and report.counts["interviews"] == 2
        assert db.integrity_problems() == []
    finally:
        db.dispose()


def test_sqlite_storage_matches_the_column_types(built):
    """The writer formats values for SQLite itself; it must store exactly what the types would."""
    db, _, _ = built
    dialect = db.engine.dialect
    ids = demo._Ids(demo._Rng("t"))
    samples = {
        Finding.__table__.c.id: [ids.at(NOW), uuid.UUID("01890a5d-ac96-774b-bcce-b302099a8057")],
        Finding.__table__.c.created_at: [NOW, dt.datetime(2025, 3, 9, 8, 30, 0, 123456, tzinfo=demo._CST),
                                         dt.datetime(2024, 1, 1, tzinfo=dt.UTC)],
        Finding.__table__.c.found_on: [BASE_DATE, dt.date(2024, 2, 29)],
        Interview.__table__.c.interviewer_ids: [[str(ids.at(NOW)), "中文"], []],
    }
    for column, values in samples.items():
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        convert = demo._sqlite_storage(column)
        assert convert is not None
        for value in values:
            assert convert(value) == (process(value) if process else value), (column, value)


def test_every_finding_template_states_figures():
    """现象 must carry concrete figures (amounts, dates, counts), whichever template is drawn."""
    figure = re.compile(r"\{(y|y2|n|n_s|n2|n3|n4|n_over|pct|pct_low|amt|amt_s|amt_l|pp|thr|age)\}")
    for code, _discipline, _scope, titles, core in demo._FINDING_TEMPLATES:
        assert figure.search(core), (code, titles[0])


def test_collective_records_pass_their_services_rules_and_follow_the_stages(built):
    """Every 见面会/反馈会, 听取汇报, 分类座谈 and 民主测评 the demo writes is one the services would
    accept, within its inspection's stay, and the 反馈会 only where the inspection reached feedback."""
    from app.models import Briefing, GroupTalk, InspectionMeeting, Survey
    from app.services.fieldwork import BriefingService, GroupTalkService, MeetingService, SurveyService

    db, _report, _ = built
    ctx = ServiceContext(db)
    services = {Briefing: BriefingService, GroupTalk: GroupTalkService, Survey: SurveyService,
                InspectionMeeting: MeetingService}
    with db.read() as session:
        inspections = {i.id: i for i in session.scalars(select(Inspection))}
        for model, service_class in services.items():
            rows = list(session.scalars(select(model)))
            assert rows, model.__tablename__
            service = service_class(ctx)
            for row in rows:
                state = {name: getattr(row, name) for name in service._columns()}
                service._check_all(session, state, row)
                insp = inspections[row.inspection_id]
                assert insp.start_date <= row.held_at.astimezone(demo._CST).date() <= BASE_DATE
        feedback = list(session.scalars(select(InspectionMeeting).where(InspectionMeeting.kind == "feedback")))
    stages_with_feedback = {"feedback", "handover", "rectification", "follow_up", "closed"}
    assert feedback and all(inspections[m.inspection_id].stage in stages_with_feedback for m in feedback)


# ── the change log ───────────────────────────────────────────────────────────


def test_the_change_log_of_the_demo_verifies(built):
    """Every bulk-written row has its signed insert event, and the log replays to the tables
    (`xuncha audit verify`): a wrong field in the SQLite fast path would show as a replay mismatch."""
    from app.services import audit

    db, report, _ = built
    verified = audit.verify_chains(db)
    assert verified.ok, audit.describe(verified)
    assert verified.events >= report.counts["change_events"] > SIZES["findings"]


def test_backfill_reads_sqlite_storage_as_the_typed_path_does(built):
    """The SQLite path decodes stored values itself; for every row of every synced table of the demo
    it must give the fields reading the row through SQLAlchemy's types and encode_value gives."""
    from app.models import backfill

    db, _, _ = built
    with db.engine.connect() as conn:
        for table in backfill._synced_tables():
            ids = list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())
            for start in range(0, len(ids), 2000):
                chunk = ids[start : start + 2000]
                typed = dict(backfill._typed_fields(conn, table, chunk))
                raw = dict(backfill._sqlite_fields(conn, table, [i.hex for i in chunk]))
                assert raw == typed, table.name
                # Same types too (True is not 1, "1" is not 1): the hash is over the JSON text.
                for row_id, fields in raw.items():
                    assert {k: type(v) for k, v in fields.items()} == {k: type(v) for k, v in typed[row_id].items()}


def test_sqlite_decoders_invert_the_stored_forms(built):
    """Edge values the demo may not hold: a whole second (no fraction in ISO), a stored form the
    fast path does not know (taken the typed way), booleans, JSON null and nested JSON."""
    from app.eventhash import encode_value
    from app.models import bulk

    db, _, _ = built
    dialect = db.engine.dialect
    samples = {
        Finding.__table__.c.id: [uuid.UUID("01890a5d-ac96-774b-bcce-b302099a8057"), "01890A5DAC96774BBCCEB302099A8057",
                                 "01890a5d-ac96-774b-bcce-b302099a8057"],
        Finding.__table__.c.created_at: [dt.datetime(2025, 3, 9, 8, 30, 0, 123456, tzinfo=dt.UTC),
                                         dt.datetime(2024, 1, 1, tzinfo=dt.UTC), "2024-01-01 08:00:00"],
        Finding.__table__.c.found_on: [dt.date(2024, 2, 29)],
        Interview.__table__.c.interviewer_ids: [["a", "中文"], [], None, {"x": [1, 2.5, None, True]}],
        Interview.__table__.c.signed_by_interviewee: [True, False],
    }
    for column, values in samples.items():
        store = column.type.dialect_impl(dialect).bind_processor(dialect)
        read = column.type._cached_result_processor(dialect, None)
        decode = bulk.sqlite_decoder(column.type, dialect)
        assert decode is not None
        for value in values:
            stored = value if isinstance(value, str) or store is None else store(value)
            expected = encode_value(read(stored) if read else stored)
            assert decode(stored) == expected and type(decode(stored)) is type(expected), (column, value)


def test_the_demo_is_written_through_a_rollback_journal_and_the_file_is_wal_again(tmp_path):
    """Through the WAL the demo's pages were written twice (log, then checkpoint); it is written with
    a rollback journal, and the database is left in WAL mode, as every copy runs."""
    from sqlalchemy import event

    db = _new_db(tmp_path / "journal.sqlite3")
    modes: list[str] = []

    def seen(_conn, cursor, sql, _parameters, _context, _many):
        if not modes and sql.startswith("INSERT INTO findings"):
            modes.append(cursor.connection.execute("PRAGMA journal_mode").fetchone()[0])

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        generate_demo(db, seed=5, units=3, findings=20, interviews=5)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert modes == ["delete"]
    db.dispose()
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("SELECT count(*) FROM findings").scalar() == 20
    db.dispose()


def test_backfill_of_rows_written_outside_the_log_by_key_and_by_table(tmp_path):
    """What a sync export does before it packs rows bulk-loaded without events (ensure_logged): the
    named rows, then whole tables, get their signed insert events and the log still verifies."""
    from app.models import backfill
    from app.models.changelog import site_id
    from app.services import audit

    db = _new_db(tmp_path / "later.sqlite3")
    generate_demo(db, seed=6, units=3, findings=20, interviews=5)
    new_ids = [uuid.UUID(int=(1 << 120) + n) for n in range(3)]
    with db.write() as session:
        conn = session.connection()
        columns = [c.name for c in Finding.__table__.columns]
        source = conn.exec_driver_sql(f"SELECT {', '.join(columns)} FROM findings LIMIT 1").one()
        for n, new_id in enumerate(new_ids):
            row = dict(zip(columns, source, strict=True))
            row.update(id=new_id.hex, number=1000 + n)
            conn.exec_driver_sql(f"INSERT INTO findings ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                 tuple(row.values()))
    with db.write() as session:
        conn = session.connection()
        assert backfill.rows_without_events(conn) == 3
        assert backfill.backfill(conn, site_id(conn), keys={("findings", new_ids[0])}) == 1
        assert backfill.backfill(conn, site_id(conn), tables={"findings", "units"}) == 2
        assert backfill.rows_without_events(conn) == 0
    verified = audit.verify_chains(db)
    assert verified.ok, audit.describe(verified)
    db.dispose()
