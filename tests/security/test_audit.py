"""The audit trail: who changed what (with before and after), and `audit verify` catching tampering."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from conftest import World
from sqlalchemy import text

from app.cli import main
from app.models import PeerKnowledge
from app.services import audit
from app.services.accounts import AccountService
from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService
from app.services.setup import open_database

from .conftest import OTHER_PASSWORD


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_query_shows_before_and_after_with_filters(enc):
    world = World(enc.ctx)
    admin = enc.ctx
    finding = FindingService(admin).create(inspection_id=world.inspection.id, title="原来的标题", facts="原来的事实")
    FindingService(admin).update(finding.id, title="第二个标题")
    FindingService(admin).update(finding.id, title="最终的标题", facts="补充后的事实")

    page = audit.query(admin, audit.AuditFilter(table="findings", record=str(finding.id)[:13]))
    assert page.total == 3
    newest, middle, first = page.entries
    assert newest.op == "update" and newest.author_name == "王管理" and newest.table_label == "问题"
    changes = {c.name: (c.before, c.after) for c in newest.changes}
    assert changes["title"] == ("第二个标题", "最终的标题")
    assert changes["facts"] == ("原来的事实", "补充后的事实")
    assert {c.name: (c.before, c.after) for c in middle.changes}["title"] == ("原来的标题", "第二个标题")
    assert first.op == "insert" and first.op_label == "新建"
    assert {c.label for c in first.changes} >= {"问题标题", "问题现象"}

    assert audit.query(admin, audit.AuditFilter(text="最终的标")).total == 1
    assert audit.query(admin, audit.AuditFilter(user="王管", table="findings")).total == 3
    assert audit.query(admin, audit.AuditFilter(user=str(enc.actor.user_id), table="findings")).total == 3
    today = dt.date.today()
    assert audit.query(admin, audit.AuditFilter(table="findings", since=today, until=today)).total == 3
    assert audit.query(admin, audit.AuditFilter(table="findings", until=today - dt.timedelta(days=1))).total == 0
    history = audit.record_history(admin, "findings", finding.id)
    assert [e.op for e in history] == ["insert", "update", "update"]


def test_password_hashes_are_hidden_and_members_see_their_own(enc):
    accounts = AccountService(enc.ctx)
    world = World(enc.ctx)  # written by the administrator
    member = accounts.create_account(username="li", display_name="李组员", role="member", password=OTHER_PASSWORD,
                                     inspector_id=world.member_a.id)
    entry = audit.query(enc.ctx, audit.AuditFilter(table="users", record=str(member.id))).entries[0]
    assert {c.after for c in entry.changes if c.name in ("password_hash", "sealed_keys")} == {audit.HIDDEN}
    assert audit.query(enc.ctx, audit.AuditFilter(text="argon2")).total == 0
    as_member = ServiceContext(enc.db, Actor(member.id, "李组员", "member", world.member_a.id, "li"))
    assert audit.query(as_member).total == 0
    FindingService(as_member).create(inspection_id=world.inspection.id, title="组员的问题", facts="事实")
    mine = audit.query(as_member)
    assert mine.total == 1 and mine.entries[0].author_id == str(member.id)


# --- verify --------------------------------------------------------------------------------------
@pytest.fixture
def plain(tmp_path, capsys):
    path = tmp_path / "audit.sqlite3"
    assert run(capsys, "--db", str(path), "init", "--plaintext")[0] == 0
    opened = open_database(path)
    world = World(opened.ctx)
    finding = world.finding()
    FindingService(opened.ctx).update(finding.id, title="改过的标题")
    opened.db.dispose()
    return path


def _rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, seq FROM change_events ORDER BY seq").fetchall()


def test_verify_passes_on_an_untouched_log(plain, capsys):
    code, out, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 0, err
    assert "校验通过" in out
    code, out, _ = run(capsys, "--db", str(plain), "audit", "verify", "--json")
    assert json.loads(out)["ok"] is True


def test_verify_detects_an_edited_row(plain, capsys):
    with sqlite3.connect(plain) as conn:
        conn.execute("UPDATE change_events SET author_name = '别人' WHERE seq = 30")
    code, out, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 1
    assert err.startswith("xuncha: 变更记录校验未通过") and err.count("\n") == 1
    assert "第 30 号变更" in err and "被改动过" in err


def test_verify_detects_an_edited_value_even_with_its_hash_recomputed(plain, capsys):
    from sqlalchemy import select

    from app.eventhash import event_hash
    from app.models import ChangeEvent

    opened = open_database(plain)
    with opened.db.read() as session:
        event = session.scalars(
            select(ChangeEvent).where(ChangeEvent.table_name == "findings", ChangeEvent.op == "update")
        ).one()
        forged = {c.key: getattr(event, c.key) for c in ChangeEvent.__table__.columns}
    # A later event, chained to the one about to be forged. (The newest event of a chain can be
    # rewritten with a fresh hash undetectably: that is what the hand-over record's printed last
    # hash, and the peers' copies, anchor.)
    FindingService(opened.ctx).update(forged["row_id"], facts="后来的修改")
    opened.db.dispose()
    forged["fields"] = {**forged["fields"], "title": "伪造的标题"}
    with sqlite3.connect(plain) as conn:
        conn.execute("UPDATE change_events SET fields = ?, hash = ? WHERE seq = ?",
                     (json.dumps(forged["fields"]), event_hash(forged), forged["seq"]))
    code, _, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 1
    assert f"第 {forged['seq'] + 1} 号变更" in err and "没有接在" in err


def test_verify_detects_a_deleted_row(plain, capsys):
    with sqlite3.connect(plain) as conn:
        conn.execute("DELETE FROM change_events WHERE seq = 20")
    code, out, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 1
    assert "第 20 号变更缺失" in err


def test_verify_detects_reordered_rows(plain, capsys):
    with sqlite3.connect(plain) as conn:
        conn.execute("UPDATE change_events SET seq = -1 WHERE seq = 25")
        conn.execute("UPDATE change_events SET seq = 25 WHERE seq = 26")
        conn.execute("UPDATE change_events SET seq = 26 WHERE seq = -1")
    code, out, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 1
    assert "第 25 号变更" in err
    assert "顺序被打乱" in out


def test_verify_detects_a_cut_off_tail(plain, capsys):
    opened = open_database(plain)
    with opened.db.read() as session:
        me, last = session.execute(text("SELECT site_id, max(seq) FROM change_events GROUP BY site_id")).one()
    import uuid

    with opened.db.write() as session:
        session.add(PeerKnowledge(peer_site_id=uuid.uuid4(), origin_site_id=uuid.UUID(me), max_seq=last))
    opened.db.dispose()
    with sqlite3.connect(plain) as conn:
        conn.execute("DELETE FROM change_events WHERE seq = ?", (last,))
    code, out, err = run(capsys, "--db", str(plain), "audit", "verify")
    assert code == 1
    assert "末尾的变更被删除" in out or "不在变更记录中" in out


def test_verify_on_an_encrypted_database(enc, capsys, monkeypatch):
    from .conftest import PASSWORD

    World(enc.ctx)
    with enc.db.engine.begin() as conn:
        conn.execute(text("UPDATE change_events SET author_name = '篡改者' WHERE seq = 5"))
    path = enc.db.path
    enc.db.dispose()
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    code, _, err = run(capsys, "--db", str(path), "audit", "verify")
    assert code == 1 and "第 5 号变更" in err
