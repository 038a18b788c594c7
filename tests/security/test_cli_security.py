"""The command line with encrypted databases: init, logging in, accounts, backup, encrypt, hand-over."""

from __future__ import annotations

import json

import pytest
from conftest import World

from app.cli import main
from app.models import crypto
from app.services.setup import open_database

from .conftest import OTHER_PASSWORD, PASSWORD


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def encdb(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    path = tmp_path / "office" / "x.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init", "--name", "赵主任")
    assert code == 0, err
    assert "已加密" in out and "管理员账户：admin" in out
    return path


def test_init_makes_an_encrypted_database(encdb, capsys, monkeypatch):
    assert crypto.is_encrypted(encdb) and crypto.keyfile_path(encdb).exists()
    code, out, err = run(capsys, "--db", str(encdb), "stats", "--json")
    assert code == 0, err
    assert json.loads(out)["findings"] == 0
    monkeypatch.delenv("XUNCHA_PASSWORD")
    code, out, err = run(capsys, "--db", str(encdb), "stats")
    assert code == 1 and "已加密" in err and "XUNCHA_PASSWORD" in err and err.count("\n") == 1
    monkeypatch.setenv("XUNCHA_PASSWORD", "not-the-password")
    code, out, err = run(capsys, "--db", str(encdb), "inspections", "list")
    assert code == 1 and "用户名或密码不正确" in err


@pytest.mark.parametrize("password", ["", "short"])
def test_init_refuses_empty_or_short_passwords(tmp_path, capsys, monkeypatch, password):
    monkeypatch.setenv("XUNCHA_PASSWORD", password)
    path = tmp_path / "x.sqlite3"
    code, _, err = run(capsys, "--db", str(path), "init")
    assert code == 1
    assert ("至少需要" in err) if password else ("XUNCHA_PASSWORD" in err)
    assert list(tmp_path.iterdir()) == []


def test_init_plaintext_only_when_asked(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("XUNCHA_PASSWORD", raising=False)
    path = tmp_path / "p.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init", "--plaintext")
    assert code == 0 and "未加密" in out and "xuncha encrypt" in err
    assert not crypto.is_encrypted(path)
    assert run(capsys, "--db", str(path), "stats")[0] == 0


def test_accounts_from_the_command_line(encdb, capsys, monkeypatch):
    monkeypatch.setenv("XUNCHA_NEW_PASSWORD", OTHER_PASSWORD)
    code, out, err = run(capsys, "--db", str(encdb), "accounts", "add", "qian", "--name", "钱文静", "--role", "member")
    assert code == 0, err
    code, out, _ = run(capsys, "--db", str(encdb), "accounts", "list", "--json")
    rows = {r["username"]: r for r in json.loads(out)}
    assert rows["qian"]["role"] == "member" and rows["qian"]["can_log_in_here"]
    # The member logs in as themselves and cannot manage accounts.
    monkeypatch.setenv("XUNCHA_PASSWORD", OTHER_PASSWORD)
    code, _, err = run(capsys, "--db", str(encdb), "--user", "qian", "accounts", "add", "sun", "--role", "member")
    assert code == 1 and "管理员" in err
    monkeypatch.setenv("XUNCHA_NEW_PASSWORD", "钱的新口令-2026")
    code, out, err = run(capsys, "--db", str(encdb), "--user", "qian", "accounts", "passwd")
    assert code == 0, err
    monkeypatch.setenv("XUNCHA_USER", "qian")
    monkeypatch.setenv("XUNCHA_PASSWORD", "钱的新口令-2026")
    assert run(capsys, "--db", str(encdb), "stats")[0] == 0
    # The administrator resets it.
    monkeypatch.delenv("XUNCHA_USER")
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    monkeypatch.setenv("XUNCHA_NEW_PASSWORD", "管理员重设-2026")
    assert run(capsys, "--db", str(encdb), "accounts", "reset-password", "qian")[0] == 0
    code, _, err = run(capsys, "--db", str(encdb), "accounts", "set-role", "qian", "deputy")
    assert code == 0, err
    code, _, err = run(capsys, "--db", str(encdb), "accounts", "disable", "admin")
    assert code == 1 and "唯一的管理员" in err


def test_backup_and_audit_log(encdb, capsys, tmp_path):
    opened = open_database(encdb, password=PASSWORD)
    World(opened.ctx).finding(title="备份里的问题")
    opened.db.dispose()
    out = tmp_path / "usb" / "backup.sqlite3"
    code, text, err = run(capsys, "--db", str(encdb), "backup", "--out", str(out))
    assert code == 0, err
    assert crypto.is_encrypted(out) and crypto.keyfile_path(out).exists()
    code, text, err = run(capsys, "--db", str(out), "audit", "log", "--table", "findings", "--json")
    assert code == 0, err
    entries = json.loads(text)
    assert entries[0]["author_name"] == "赵主任"
    assert {c["after"] for c in entries[0]["changes"] if c["name"] == "title"} == {"备份里的问题"}
    code, text, _ = run(capsys, "--db", str(encdb), "audit", "log", "--text", "备份里")
    assert code == 0 and "问题标题" in text and "备份里的问题" in text


def test_encrypt_command(tmp_path, capsys, monkeypatch):
    path = tmp_path / "legacy.sqlite3"
    assert run(capsys, "--db", str(path), "init", "--plaintext")[0] == 0
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)
    code, out, err = run(capsys, "--db", str(path), "encrypt")
    assert code == 0, err
    assert "数据库已加密" in out and crypto.is_encrypted(path)
    code, out, err = run(capsys, "--db", str(path), "check")
    assert code == 0 and "检查通过" in out
    code, _, err = run(capsys, "--db", str(path), "encrypt")
    assert code == 1 and "已经加密" in err


def _own_events(capsys, path) -> int:
    code, out, err = run(capsys, "--db", str(path), "sync", "status", "--json")
    assert code == 0, err
    status = json.loads(out)
    return status["coverage"][status["site_id"]]


def test_handover_writes_the_record_then_destroys_the_laptop(encdb, capsys, tmp_path):
    opened = open_database(encdb, password=PASSWORD)
    world = World(opened.ctx)
    world.finding()
    world.interview(transcript="交接前的谈话笔录")
    opened.db.dispose()
    own = _own_events(capsys, encdb)
    record = tmp_path / "print" / "交接记录.txt"

    code, out, err = run(capsys, "--db", str(encdb), "handover", "--out", str(record))
    assert code == 0, err
    assert "预览" in out and "尚不能交接" in out
    assert encdb.exists()

    code, out, err = run(capsys, "--db", str(encdb), "handover", "--out", str(record), "--confirm")
    assert code == 1 and "尚未确认收到本机的全部变更" in err
    assert encdb.exists()

    code, out, err = run(capsys, "--db", str(encdb), "handover", "--out", str(record), "--confirm",
                         "--master-has", str(own))
    assert code == 0, err
    text = record.read_text(encoding="utf-8")
    assert "巡察工作电脑数据交接记录" in text and "赵主任（admin）" in text
    assert "问题（findings）：1 / 0" in text and "谈话记录（interviews）：1 / 0" in text
    assert f"本机变更：{own} 条；巡察办已确认收到：{own} 条" in text
    assert "SHA-256 " in text and "已销毁的文件" in text
    for p in (encdb, crypto.keyfile_path(encdb), encdb.with_name(encdb.name + "-wal")):
        assert not p.exists()
    assert list(encdb.parent.iterdir()) == []


def test_handover_record_as_pdf(encdb, capsys, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "record.pdf"
    code, _, err = run(capsys, "--db", str(encdb), "handover", "--out", str(out))
    assert code == 0, err
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "交接记录" in text.replace(" ", "") and "SHA-256" in text
    assert encdb.exists()


def test_only_an_administrator_hands_over(encdb, capsys, monkeypatch):
    monkeypatch.setenv("XUNCHA_NEW_PASSWORD", OTHER_PASSWORD)
    assert run(capsys, "--db", str(encdb), "accounts", "add", "leader1", "--role", "leader")[0] == 0
    monkeypatch.setenv("XUNCHA_PASSWORD", OTHER_PASSWORD)
    code, _, err = run(capsys, "--db", str(encdb), "--user", "leader1", "handover", "--out", str(encdb.parent.parent / "r.txt"),
                       "--confirm", "--master-has", "100000")
    assert code == 1 and "管理员" in err
    assert encdb.exists()
