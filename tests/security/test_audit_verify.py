"""`audit verify` at size: the log's checks in a helper process find what the in-line checks find,
progress reaches the command line and the window, and the fast JSON reading changes no value."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from types import SimpleNamespace

import pytest
from conftest import World
from PySide6.QtCore import Qt

from app import cli_security
from app.cli import main
from app.services import audit, audit_helper, benchmark
from app.services.audit_scan import loads_exact
from app.services.findings import FindingService
from app.services.setup import open_database


@pytest.fixture
def tampered(tmp_path, capsys):
    """A log with an edited event, a missing one, a finding changed directly and a unit that no
    change ever wrote."""
    path = tmp_path / "audit.sqlite3"
    assert main(["--db", str(path), "init", "--plaintext"]) == 0
    capsys.readouterr()
    opened = open_database(path)
    world = World(opened.ctx)
    finding = world.finding()
    FindingService(opened.ctx).update(finding.id, title="改过的标题")
    opened.db.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE change_events SET author_name = '别人' WHERE seq = 30")
        conn.execute("DELETE FROM change_events WHERE seq = 20")
        conn.execute("UPDATE findings SET title = '悄悄改掉的标题' WHERE id = ?", (finding.id.hex,))
        conn.execute("INSERT INTO units (id, name, kind, created_at, updated_at) VALUES "
                     "('0190aaaaaaaa7aaa8aaaaaaaaaaaaaaa', '凭空出现的单位', 'other', '2026-01-01', '2026-01-01')")
    return path


def _verify(path, progress=None) -> audit.VerifyReport:
    opened = open_database(path)
    try:
        return audit.verify_chains(opened.db, progress=progress)
    finally:
        opened.db.dispose()


def test_the_helper_process_finds_what_the_in_line_check_finds(tampered, monkeypatch, caplog):
    in_line = _verify(tampered)
    kinds = {b.kind for b in in_line.breaks}
    assert {"edited", "deleted", "table"} <= kinds, in_line.breaks

    started = []
    start = audit_helper.start
    monkeypatch.setattr(audit_helper, "HELPER_FROM", 0)
    monkeypatch.setattr(audit_helper, "start", lambda db, events: started.append(start(db, events)) or started[-1])
    monkeypatch.setattr(audit_helper, "EVERY", 7)
    monkeypatch.setattr(audit._Progress, "EVERY", 5)
    seen: list[tuple[int, int]] = []
    helped = _verify(tampered, lambda done, total: seen.append((done, total)))

    assert started and started[0] is not None  # the helper ran, and answered
    assert not any("audit helper" in r.getMessage() for r in caplog.records)
    assert [b.message for b in helped.breaks] == [b.message for b in in_line.breaks]
    assert [(s.site_id, s.events, s.last_seq, s.last_hash) for s in helped.sites] == \
        [(s.site_id, s.events, s.last_seq, s.last_hash) for s in in_line.sites]
    assert (helped.events, helped.unsigned) == (in_line.events, in_line.unsigned)
    # A counter never moves backwards, and ends where it said it would.
    assert len(seen) > 3 and seen == sorted(seen) and seen[-1][0] == seen[-1][1]


def test_a_failing_helper_leaves_the_checks_to_this_process(tampered, monkeypatch, caplog):
    expected = [b.message for b in _verify(tampered).breaks]
    monkeypatch.setattr(audit_helper, "HELPER_FROM", 0)
    start = audit_helper.start
    elsewhere = str(tampered.with_name("missing") / "x.sqlite3")
    # The helper is sent to a file it cannot open: it reports its failure, and this process checks.
    monkeypatch.setattr(audit_helper, "start", lambda db, events: start(
        SimpleNamespace(url=f"sqlite:///{elsewhere}", key=None, path=db.path, engine=db.engine), events))
    assert expected and [b.message for b in _verify(tampered).breaks] == expected
    assert any("audit helper failed" in r.getMessage() for r in caplog.records)


def test_the_command_line_shows_progress_on_stderr(tampered, capsys, monkeypatch):
    monkeypatch.setattr(audit._Progress, "EVERY", 10)
    monkeypatch.setattr(cli_security._VerifyProgress, "EVERY_LINE", 0.0)
    assert main(["--db", str(tampered), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("校验中… ")]
    assert lines and all("/" in line and "%" in line for line in lines)
    assert err.splitlines()[-1].startswith("xuncha: 变更记录校验未通过")


def test_the_audit_page_shows_progress(qtbot, enc, monkeypatch):
    from app.ui.audit_page import AuditPage

    World(enc.ctx)
    monkeypatch.setattr(audit._Progress, "EVERY", 3)
    page = AuditPage(enc.ctx)
    qtbot.addWidget(page)
    shown: list[str] = []
    set_text = page.verify_result.setText
    monkeypatch.setattr(page.verify_result, "setText", lambda text: (shown.append(text), set_text(text)))
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "校验通过" in page.verify_result.text(), timeout=20_000)
    assert any(t.startswith("正在校验变更链……") and "%" in t for t in shown), shown


@pytest.mark.parametrize("text", [
    '{"a": 1, "b": "文字", "c": [true, false, null], "d": {"e": -9223372036854775808}}',
    '{"big": 18446744073709551616, "neg": -9223372036854775809}',  # orjson would make floats
    '{"f": 1.5, "g": 1e-7, "h": 10000000000000000000000}',
    '{"s": "\\ud800 lone surrogate", "t": "\\u4e2d"}',  # orjson refuses a lone surrogate
    '{"n": NaN, "i": Infinity}',
    '[]', 'null', '"text"', "12", '{"a":1,"a":2}',
])
def test_fast_json_reading_gives_the_json_modules_values(text):
    ours, theirs = loads_exact(text), json.loads(text)
    assert repr(ours) == repr(theirs)


def test_the_bench_measures_audit_verify_without_writing_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "SIZE", {"units": 3, "findings": 12, "interviews": 4})
    path = tmp_path / "bench.sqlite3"
    ctx, _ = benchmark.ensure_bench_database(path, rebuild=False, progress=lambda _m: None)
    ctx.db.dispose()
    before = (path.stat().st_mtime_ns, path.read_bytes())
    figures = {f.id: f for f in benchmark.audit_figures(path)}
    assert set(figures) == {"audit_verify", "audit_verify_raw_sqlite", "audit_verify_ratio_raw_sqlite"}
    assert figures["audit_verify"].budget == 30 and figures["audit_verify"].value > 0
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_the_helper_opens_an_encrypted_database_with_its_key(enc, monkeypatch, caplog):
    World(enc.ctx)
    with enc.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE change_events SET author_name = '篡改者' WHERE seq = 5")
    in_line = [b.message for b in audit.verify_chains(enc.db).breaks]
    started = []
    start = audit_helper.start
    monkeypatch.setattr(audit_helper, "HELPER_FROM", 0)
    monkeypatch.setattr(audit_helper, "start", lambda db, events: started.append(start(db, events)) or started[-1])
    report = audit.verify_chains(enc.db)
    assert started and started[0] is not None
    assert [b.message for b in report.breaks] == in_line and any("第 5 号变更" in m for m in in_line)
    assert not any("audit helper" in r.getMessage() for r in caplog.records)  # it answered itself


def test_the_verify_runs_without_the_cycle_collector_on_both_sides(tampered, monkeypatch):
    """The log's ids and hashes and the replayed rows are a million containers on the bench's log:
    with the collector on, its collections re-walking them were a third of the verify's CPU."""
    import gc
    from multiprocessing import Pipe

    seen: dict[str, bool] = {}
    replay, check = audit.replay_tables, audit.check_log

    def replaying(*args, **kwargs):
        seen["tables"] = gc.isenabled()
        return replay(*args, **kwargs)

    def checking(*args, **kwargs):
        seen["log"] = gc.isenabled()
        return check(*args, **kwargs)

    monkeypatch.setattr(audit, "replay_tables", replaying)
    monkeypatch.setattr(audit, "check_log", checking)
    _verify(tampered)
    assert seen == {"tables": False, "log": False}
    assert gc.isenabled()
    # The helper's half, run here: its check of the log too.
    seen.clear()
    ours, theirs = Pipe()
    audit_helper._run(theirs, f"sqlite:///{tampered}", None)
    answers = []
    with contextlib.suppress(EOFError):
        while True:
            answers.append(ours.recv())
    assert answers[-1][0] == "done"
    assert seen == {"log": False} and gc.isenabled()
