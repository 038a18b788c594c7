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


def test_the_office_dashboard_counts_findings_from_the_index_too(ctx, world):
    from app.services.office import dashboard

    world.finding()
    statements: list[tuple[str, object]] = []

    def seen(_conn, _cursor, sql, parameters, _context, _many):
        statements.append((sql, parameters))

    engine = ctx.db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        figures = dashboard.compute(ctx, compare=False)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert figures.findings == 1 and sum(figures.findings_by_unit_kind.values()) == 1

    on_findings = [(sql, p) for sql, p in statements if "FROM findings" in sql]
    assert len(on_findings) >= 3  # statistics' pass, by unit kind, by inspection
    with engine.connect() as conn:
        for sql, parameters in on_findings:
            plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", parameters))
            assert "COVERING INDEX ix_findings_statistics" in plan, sql


def test_the_dashboard_counts_rectification_items_in_two_aggregate_passes(ctx, world):
    """Statistics' one pass (by status, with the overdue ones) and the dashboard's due-soon count: no
    query fetches the items themselves (59,000 of them in the bench database cost ~0.4 s)."""
    from app.services.office import dashboard

    world.finding()
    statements: list[str] = []
    engine = ctx.db.engine

    def seen(_conn, _cursor, sql, _parameters, _context, _many):
        statements.append(sql)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        dashboard.compute(ctx, compare=False)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    on_items = [sql for sql in statements if "FROM rectifications" in sql]
    assert len(on_items) == 2
    assert all(sql.lstrip().startswith(("SELECT count(*)", "SELECT rectifications.status, count(*)")) for sql in on_items)
