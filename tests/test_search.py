"""Keyword search finds Chinese substrings of any length and follows every write."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from app.services import search
from app.services.crud import as_uuid
from app.services.fieldwork import PetitionService
from app.services.findings import FindingService


@pytest.fixture
def indexed(world):
    world.finding(title="违规使用公务用车", facts="局机关公务用车多次在节假日驶入景区，累计里程约4200公里。")
    world.finding(title="扶贫资金被挪用", facts="2025年拨付的扶贫专项资金中有38万元被挪作办公楼装修。",
                  category_code="gov_finance")
    world.interview(summary="谈及公款吃喝问题", transcript="问：单位是否存在公款吃喝？\n答：去年有过几次接待超标。")
    PetitionService(world.ctx).create(
        inspection_id=world.inspection.id, received_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC), channel="hotline_12345",
        anonymous=True, subject_name="王志强", content="反映财务科长王志强虚报差旅费。",
    )
    return world


def _titles(ctx, query, **kw):
    return sorted((h.entity, h.title) for h in search.search(ctx, query, **kw))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("公务用车", [("finding", "违规使用公务用车")]),  # 4 characters: trigram phrase
        ("挪用", [("finding", "扶贫资金被挪用")]),  # 2 characters: through the vocabulary
        ("吃喝", [("interview", "张建国")]),
        ("差旅", [("petition", "王志强")]),
        ("虚", [("petition", "王志强")]),  # a single character
        ("38万元", [("finding", "扶贫资金被挪用")]),  # digits and Chinese mixed
        ("景区", [("finding", "违规使用公务用车")]),  # at the very end of a sentence
        ("资金 装修", [("finding", "扶贫资金被挪用")]),  # every word must match
        ("资金 景区", []),
        ("航天飞机", []),
        ("", []),
    ],
)
def test_chinese_substrings_match(indexed, query, expected):
    assert _titles(indexed.ctx, query) == expected


def test_latin_text_is_case_insensitive(world):
    world.finding(title="OA系统审批缺失", facts="OA系统中的采购审批单缺少分管领导签字。")
    assert _titles(world.ctx, "oa系统") == [("finding", "OA系统审批缺失")]
    assert _titles(world.ctx, "Oa") == [("finding", "OA系统审批缺失")]


def test_query_syntax_characters_are_plain_text(indexed):
    for query in ('"', 'AND', '公车" OR "x', "*", "(", "NEAR(资金)"):
        search.search(indexed.ctx, query)  # must not raise


def test_the_index_follows_edits_deletes_and_restores(indexed):
    ctx = indexed.ctx
    service = FindingService(ctx)
    finding = next(f for f in service.list() if f.title == "扶贫资金被挪用")
    service.update(finding.id, facts="专项资金被用于购置接待用酒。")
    assert _titles(ctx, "装修") == []
    assert _titles(ctx, "接待用酒") == [("finding", "扶贫资金被挪用")]
    service.delete(finding.id)
    assert _titles(ctx, "接待用酒") == []
    service.restore(finding.id)
    assert _titles(ctx, "接待用酒") == [("finding", "扶贫资金被挪用")]


def test_status_changes_do_not_reindex(indexed):
    ctx = indexed.ctx
    service = FindingService(ctx)
    finding = service.list()[0]
    with ctx.db.read() as session:
        before = session.execute(search.select(search.SearchDoc.rowid).where(
            search.SearchDoc.entity_id == finding.id)).scalar()
    service.update(finding.id, status="transferred")
    with ctx.db.read() as session:
        after = session.execute(search.select(search.SearchDoc.rowid).where(
            search.SearchDoc.entity_id == finding.id)).scalar()
    assert before == after


def test_filters_by_entity_and_inspection(indexed):
    ctx = indexed.ctx
    assert _titles(ctx, "王志强", entities=("finding",)) == []
    assert _titles(ctx, "王志强", entities=("petition",)) == [("petition", "王志强")]
    assert _titles(ctx, "资金", inspection_id=indexed.inspection.id) == [("finding", "扶贫资金被挪用")]


def test_register_filter_counts_matching_findings(indexed):
    assert search.count_matches(indexed.ctx, "公务", "finding") == 1
    assert search.count_matches(indexed.ctx, "问题", "finding") == 0


def test_snippet_shows_the_match(indexed):
    hit = search.search(indexed.ctx, "38万元")[0]
    assert "38万元" in hit.snippet


def test_rebuild_gives_the_same_results(indexed):
    before = _titles(indexed.ctx, "资金")
    search.rebuild_index(indexed.ctx)
    assert _titles(indexed.ctx, "资金") == before
    assert indexed.ctx.db.integrity_problems() == []


# Words of one and two characters (and a few longer ones) against the plain truth: a record matches
# when one of its texts holds the word. SQLite answers them through FTS5's vocabulary, PostgreSQL
# through its index of characters and character pairs; both must give exactly this.
_SHORT_WORD_TEXTS = [
    ("公车私用", "节假日驾驶公车去景区"),
    ("违规吃喝", "在农家乐吃喝，费用报销"),
    ("资金", "见附件"),
    ("账外资金𠀀", "含扩展B区汉字𠀀与标点：“小金库”。"),
    ("2025年度", "38万元、12.5%"),
    ("车", "多"),  # "车多" spans two texts: it is in neither
]
_SHORT_WORDS = ["车", "公车", "车多", "吃喝", "资金", "𠀀", "金𠀀", "“小", "%", "5%", "38", "万元", "。", "喝，",
                "私", "无此", "公车 景区", "资金 𠀀", "年度 38", "驾驶公车", "费用报销", "金库”。"]


def test_short_words_match_exactly_the_records_that_hold_them(world):
    for title, facts in _SHORT_WORD_TEXTS:
        world.finding(title=title, facts=facts)
    for query in _SHORT_WORDS:
        words = query.split()
        expected = sorted(title for title, facts in _SHORT_WORD_TEXTS
                          if all(w in title or w in facts for w in words))
        assert sorted(h.title for h in search.search(world.ctx, query)) == expected, query
        assert search.count_matches(world.ctx, query) == len(expected), query


def test_short_words_follow_edits_and_deletes(world):
    finding = world.finding(title="发放津贴", facts="违规发放")
    findings = FindingService(world.ctx)
    assert search.count_matches(world.ctx, "津贴") == 1
    findings.update(finding.id, title="发放补助")
    assert search.count_matches(world.ctx, "津贴") == 0 and search.count_matches(world.ctx, "补助") == 1
    findings.delete(finding.id)
    assert search.count_matches(world.ctx, "补") == 0


# --- a word in most records: the first page without listing every match -----------------------------
# A small window stands in for the thousand rows the register reads for its first page; the answers
# are computed here from the texts, so the same expectations hold on SQLite and on PostgreSQL.

def _common_world(world, monkeypatch, n=24):
    monkeypatch.setattr(search, "WINDOW", 10)
    monkeypatch.setattr(search, "PROBE", 5)
    made = []
    for i in range(n):
        # "违规" in every finding but each fourth; "补助" only in each sixth.
        facts = ("违规" if i % 4 else "一般") + ("发放补助" if i % 6 == 0 else "")
        made.append(world.finding(title=f"问题{i + 1:02d}", facts=facts))
    return made


def test_a_word_in_most_findings_fills_the_first_page_from_the_newest_rows(world, monkeypatch):
    from app.services import register
    from app.services.register import RegisterFilter

    made = _common_world(world, monkeypatch)
    holding = [f for f in reversed(made) if "违规" in f.facts]  # newest first: the order shown
    first = register.first_rows(world.ctx, RegisterFilter(keyword="违规"), "created", True, limit=3)
    assert [r.title for r in first.rows] == [f.title for f in holding[:3]]
    # The count is what the window held (the newest 10: 8 of them hold the word), said to be a lower
    # bound; every key follows from matching_ids.
    assert (first.total, first.exact, first.keys) == (8, False, None)
    every = register.matching_ids(world.ctx, RegisterFilter(keyword="违规"), "created", True)
    assert [as_uuid(k) for k in every] == [f.id for f in holding]

    # Within one inspection by number, and sorted by title the other way: the same first page as the
    # full answer, in its order.
    scope = RegisterFilter(inspection_id=world.inspection.id, keyword="违规")
    for sort, descending in (("number", False), ("title", True)):
        first = register.first_rows(world.ctx, scope, sort, descending, limit=3)
        full = register.rows(world.ctx, register.matching_ids(world.ctx, scope, sort, descending))
        assert [r.id for r in first.rows] == [r.id for r in full[:3]], sort
        assert not first.exact and 3 <= first.total < len(full)


def test_a_finding_saved_while_the_window_is_read_does_not_shift_the_first_page(world, monkeypatch):
    """Someone saves a finding between the window's head and its rest: the page is the one the list
    had when it was asked for, no row twice, none skipped (PostgreSQL reads each statement as of its
    own start)."""
    from app.services import register
    from app.services.register import RegisterFilter

    made = _common_world(world, monkeypatch)
    holding = [f for f in reversed(made) if "违规" in f.facts]
    tested = search.body_matches
    saved: list[object] = []

    def meanwhile(body, terms):
        if not saved:
            saved.append(world.finding(title="刚保存的问题", facts="违规发放"))  # committed by another session
        return tested(body, terms)

    monkeypatch.setattr(search, "body_matches", meanwhile)
    # The newest five hold the word four times: the page of six needs the window's rest.
    first = register.first_rows(world.ctx, RegisterFilter(keyword="违规"), "created", True, limit=6)
    assert saved
    assert [r.title for r in first.rows] == [f.title for f in holding[:6]]
    assert first.total == 8


def test_a_rarer_word_and_a_small_scope_are_counted_exactly(world, monkeypatch):
    from app.services import register
    from app.services.register import RegisterFilter

    made = _common_world(world, monkeypatch)
    rare = register.first_rows(world.ctx, RegisterFilter(keyword="补助"), "created", True, limit=3)
    assert rare.exact and rare.total == 4 and [r.title for r in rare.rows] == ["问题19", "问题13", "问题07"]
    # Seven findings left open, under ten: the window is the whole answer, counted exactly.
    FindingService(world.ctx).batch_update([f.id for f in made[:17]], status="rectifying")
    small = register.first_rows(world.ctx, RegisterFilter(keyword="违规", status="open"), "number", limit=3)
    assert small.exact and small.total == 6 and small.keys is not None and len(small.keys) == 6
    assert [r.title for r in small.rows] == ["问题18", "问题19", "问题20"]


def test_a_word_in_a_few_findings_fills_the_first_page_from_a_walk_down_the_index(world, monkeypatch):
    """Too rare for the newest rows, common enough to fill a page among the newest records of the
    index: the page comes from walking the index's ids down to PAGE_REACH records, without looking
    up and sorting every match (7,806 of them for 违反中央八项规定 at 100,000: 30 ms of the
    keystroke's 50); the count is a lower bound until every key follows."""
    from sqlalchemy import event

    from app.services import register
    from app.services.register import RegisterFilter

    if world.ctx.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan: a server lists and counts every match at once")
    monkeypatch.setattr(search, "WINDOW", 10)
    monkeypatch.setattr(search, "PROBE", 5)
    monkeypatch.setattr(register, "PAGE_REACH", 40)
    # "补助" in every fifth finding (one in the newest five: too few for a page of four at that
    # rate, enough to promise two among the newest forty); "违纪" in every fifteenth (none there).
    made = [world.finding(title=f"问题{i:02d}", facts=("发放补助" if i % 5 == 2 else "一般") + ("违纪" if i % 15 == 0 else ""))
            for i in range(45)]
    holding = [f for f in reversed(made) if "补助" in f.facts]  # 问题42, 37, 32, …, 02
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "MATCH" in statement:
            statements.append((statement, parameters))

    event.listen(world.ctx.db.engine, "before_cursor_execute", seen)
    try:
        first = register.first_rows(world.ctx, RegisterFilter(keyword="补助"), "created", True, limit=4)
    finally:
        event.remove(world.ctx.db.engine, "before_cursor_execute", seen)
    assert [r.title for r in first.rows] == ["问题42", "问题37", "问题32", "问题27"]
    assert (first.total, first.exact, first.keys) == (4, False, None)
    every = register.matching_ids(world.ctx, RegisterFilter(keyword="补助"), "created", True)
    assert [as_uuid(k) for k in every] == [f.id for f in holding]
    (statement, parameters), = statements
    with world.ctx.db.engine.connect() as conn:
        plan = " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    assert plan.startswith("SEARCH search_docs USING INDEX") and "TEMP B-TREE" not in plan, plan

    # Oldest first, the same walk from the other end.
    oldest = register.first_rows(world.ctx, RegisterFilter(keyword="补助"), "created", False, limit=4)
    assert [r.title for r in oldest.rows] == ["问题02", "问题07", "问题12", "问题17"] and not oldest.exact
    # Not walked, every match listed and counted: a word the window's rate says the walk would not
    # fill a page with, and one inspection's findings (a member's teams are a small part of the
    # records a walk reads).
    rare = register.first_rows(world.ctx, RegisterFilter(keyword="违纪"), "created", True, limit=4)
    assert rare.exact and [r.title for r in rare.rows] == ["问题30", "问题15", "问题00"]
    scoped = register.first_rows(world.ctx, RegisterFilter(keyword="补助", inspection_id=world.inspection.id),
                                 "created", True, limit=4)
    assert scoped.exact and scoped.total == 9


def test_global_search_gives_the_newest_matches_first(world, monkeypatch):
    made = _common_world(world, monkeypatch)
    FindingService(world.ctx).update(made[1].id, facts="违规发放津贴")  # re-indexed: now the newest
    with world.ctx.db.read() as session:
        newest = session.scalars(search.select(search.SearchDoc.entity_id).where(
            search.SearchDoc.body.contains("违规")).order_by(search.SearchDoc.rowid.desc())).all()
    hits = search.search(world.ctx, "违规", limit=4)
    assert [h.entity_id for h in hits] == list(newest[:4])
    assert hits[0].title == "问题02"


def test_global_search_on_sqlite_reads_the_matches_newest_first_without_sorting_them(world, monkeypatch):
    # The FTS5 table hands out its matches in descending rowid order, so the query stops after the
    # page; listing every match and sorting them (a temporary B-tree) cost 50 ms for 违 at 100k.
    from sqlalchemy import event

    if world.ctx.db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan; the server's is tests/pg/test_short_words_on_server.py")
    _common_world(world, monkeypatch)
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        if "search_docs.body" in statement and "MATCH" in statement:
            statements.append((statement, parameters))

    event.listen(world.ctx.db.engine, "before_cursor_execute", seen)
    try:
        assert len(search.search(world.ctx, "补助", limit=2)) == 2  # too rare for the newest rows
    finally:
        event.remove(world.ctx.db.engine, "before_cursor_execute", seen)
    (statement, parameters), = statements
    with world.ctx.db.engine.connect() as conn:
        plan = " | ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    assert plan.startswith("SCAN search_fts") and "TEMP B-TREE" not in plan, plan


def test_the_index_is_read_through_once_for_the_first_search_after_a_start(indexed, backend):
    """What `read_index_once` reads is every block of the index and every indexed text (their bytes
    as SQLite counts them); a file it cannot read gives 0, never an error (nothing waits on it).
    A server keeps its own cache: nothing is read there."""
    if backend == "postgresql":
        assert search.read_index_once(indexed.ctx) == 0
        return
    with indexed.ctx.db.read() as session:
        blocks = session.execute(text(f"SELECT sum(length(block)) FROM {search.FTS_TABLE}_data")).scalar()
        bodies = session.execute(text("SELECT sum(length(body)) FROM search_docs")).scalar()
    assert blocks > 0 and bodies > 0
    assert search.read_index_once(indexed.ctx) == blocks + bodies
    with indexed.ctx.write() as session:
        session.execute(text(f"DROP TABLE {search.FTS_TABLE}"))  # a damaged file: the read fails
    assert search.read_index_once(indexed.ctx) == 0
