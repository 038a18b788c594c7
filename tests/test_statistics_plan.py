"""Statistics over the whole database read the findings once, from an index, never their rows:
the difference between ~2 s and well under the 300 ms budget on 100,000 findings (`xuncha bench`)."""

from __future__ import annotations

from sqlalchemy import event

from app.services import statistics

# EXPLAIN QUERY PLAN and its index names are SQLite's; the server's plans are PostgreSQL's business.
SQLITE_ONLY = "SQLite query plans"


def test_findings_are_counted_in_one_pass_from_the_covering_index(ctx, world):
    world.finding()
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, sql, parameters, _context, _many):
        statements.append((sql, parameters))

    engine = ctx.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        stats = statistics.compute(ctx)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert stats.findings == 1

    on_findings = [(sql, p) for sql, p in statements if "FROM findings" in sql]
    assert len(on_findings) == 1
    sql, parameters = on_findings[0]
    with engine.connect() as conn:
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
    assert "COVERING INDEX ix_findings_statistics" in plan


def _statements(ctx, run):
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, sql, parameters, _context, _many):
        statements.append((sql, parameters))

    engine = ctx.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        result = run()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return result, statements


def _plan(ctx, sql, parameters) -> str:
    with ctx.db.engine.connect() as conn:
        return " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))


def test_the_office_dashboard_reads_the_findings_in_statistics_pass_and_per_inspection(ctx, world):
    """The dashboard's findings by unit kind come from statistics' one pass (units looked up per
    group), not from a second pass joining 100,000 findings to their units."""
    from app.services.office import dashboard

    world.finding()
    figures, statements = _statements(ctx, lambda: dashboard.compute(ctx, compare=False))
    assert figures.findings == 1 and sum(figures.findings_by_unit_kind.values()) == 1

    on_findings = [(sql, p) for sql, p in statements if "FROM findings" in sql]
    assert len(on_findings) == 2  # statistics' pass, and the count by inspection for the rounds
    for sql, parameters in on_findings:
        plan = _plan(ctx, sql, parameters)
        assert "COVERING INDEX ix_findings_statistics" in plan, sql
        assert "SCAN findings" not in plan, sql


def test_statistics_groups_the_findings_in_the_index_order_without_sorting_them(ctx, world):
    """The inner grouping streams from the index: the only sort left is of the groups (a temporary
    B-tree for the outer GROUP BY), never of the findings themselves."""
    world.finding()
    _stats, statements = _statements(ctx, lambda: statistics.compute(ctx))
    [(sql, parameters)] = [(sql, p) for sql, p in statements if "FROM findings" in sql]
    with ctx.db.engine.connect() as conn:
        plan = list(conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
    by_id = {row[0]: row for row in plan}
    inner = [row for row in plan if "COVERING INDEX ix_findings_statistics" in str(row[-1])]
    assert inner
    # No temporary B-tree inside the co-routine that reads the index.
    parent = inner[0][1]
    assert not any("TEMP B-TREE" in str(row[-1]) and row[1] == parent for row in plan), plan
    assert parent in by_id


def test_the_dashboard_counts_rectification_items_in_one_pass_from_the_covering_indexes(ctx, world):
    """By status, overdue and due soon in one statement answered from indexes, the items taken over
    by a 回头看 too: no query fetches the items themselves (59,000 of them in the bench database
    cost ~0.4 s) or reads their rows."""
    from app.services.office import dashboard

    world.finding()
    _figures, statements = _statements(ctx, lambda: dashboard.compute(ctx, compare=False))
    on_items = [(sql, p) for sql, p in statements if "FROM rectifications" in sql]
    assert len(on_items) == 1
    sql, parameters = on_items[0]
    assert sql.lstrip().startswith("SELECT rectifications.status, count(*)")
    plan = _plan(ctx, sql, parameters)
    assert "COVERING INDEX ix_rectifications_statistics" in plan
    assert "COVERING INDEX ix_rectifications_carried" in plan
