"""The duplicate-number count a merge reports after every package (发现…重复编号 M 组): every live
group of findings sharing an inspection and a number, older unresolved ones included, counted from
the covering index ix_findings_number (revision 0012) instead of every finding's row."""

from __future__ import annotations

import sqlite3
import uuid

from app.models.db import Database
from app.sync.conflicts import duplicate_count, duplicate_groups

from .helpers import clone


def _add_findings(path, rows: list[tuple[uuid.UUID, int, bool]]) -> None:
    """Findings (inspection, number, deleted) written straight into the file, every other
    required column a placeholder: only the business key matters here."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    columns = [(r[1], r[2].upper(), r[3]) for r in conn.execute("PRAGMA table_info(findings)")]
    for inspection, number, deleted in rows:
        values = {name: ("x" if "CHAR" in kind or "TEXT" in kind else 0) if notnull else None
                  for name, kind, notnull in columns}
        values.update(id=uuid.uuid4().hex, inspection_id=inspection.hex, number=number,
                      created_at="2026-01-01 00:00:00.000000", updated_at="2026-01-01 00:00:00.000000",
                      deleted_at="2026-02-01 00:00:00.000000" if deleted else None)
        names = ", ".join(f'"{n}"' for n in values)
        conn.execute(f"INSERT INTO findings ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values()))
    conn.commit()
    conn.close()


def test_the_count_names_every_live_group_as_the_list_does(template, tmp_path):
    db, _me = clone(template, tmp_path / "m.sqlite3", "m")
    db.dispose()
    a, b = uuid.uuid4(), uuid.uuid4()
    _add_findings(tmp_path / "m.sqlite3", [
        (a, 5, False), (a, 5, False),  # 第5号 twice: a group
        (a, 6, False), (a, 6, True),  # one of them deleted: no group
        (b, 5, False),  # another inspection's 第5号: no group
        (b, 7, False), (b, 7, False), (b, 7, False),  # three of one number: one group
    ])
    db = Database.open_path(tmp_path / "m.sqlite3")
    try:
        with db.read() as session:
            assert duplicate_count(session, {"findings"}) == 2
            assert duplicate_count(session) == len(duplicate_groups(session)) == 2
            assert duplicate_count(session, {"units"}) == 0  # tables the package did not touch are left out
    finally:
        db.dispose()


def test_the_findings_are_counted_from_the_covering_index(template, tmp_path):
    db, _me = clone(template, tmp_path / "m.sqlite3", "m")
    try:
        with db.read() as session:
            statements: list[str] = []
            conn = session.connection()
            from sqlalchemy import event

            @event.listens_for(conn, "before_cursor_execute")
            def _seen(_conn, _cursor, statement, *_args):
                statements.append(statement)

            duplicate_count(session, {"findings"})
            event.remove(conn, "before_cursor_execute", _seen)
            (statement,) = [s for s in statements if "findings" in s]
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, (1,)))
        # Not a search through the deleted_at index followed by a sort of every live finding.
        assert "COVERING INDEX ix_findings_number" in plan and "TEMP B-TREE" not in plan
    finally:
        db.dispose()
