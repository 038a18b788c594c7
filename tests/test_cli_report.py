"""`xuncha report KIND --inspection ID --out FILE.pdf`: exit codes, what it prints, the file it writes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from actors import through_review

from app.cli import main
from app.models import IssuedDocument
from app.reports import FontSet, Role

YEAR = dt.date.today().year


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def approve(world, **values):
    finding = world.finding(characterisation="违反了中央八项规定精神。", responsibility="办公室主任负直接责任。",
                            disposition_code="feedback_rectify", **values)
    through_review(world.ctx, finding.id)
    return finding


@pytest.fixture
def dbfile(world, tmp_path):
    """The world's database file (the `db` fixture's), with one approved finding."""
    approve(world)
    return tmp_path / "test.sqlite3"


def report(capsys, dbfile, world, kind: str, out, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(dbfile), "report", kind, "--inspection", str(world.inspection.id),
               "--out", str(out), *extra)


def issued(world) -> int:
    with world.ctx.db.read() as session:
        return session.query(IssuedDocument).count()


def first_page_text(path) -> str:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        upright = page.filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 1e-6)
        return re.sub(r"\s", "", upright.extract_text() or "")


def rotated_chars(path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join(c["text"] for p in pdf.pages for c in p.chars if abs(c["matrix"][1]) > 1e-6)


def test_feedback_is_issued_with_its_number_printed_and_a_watermark(capsys, dbfile, world, tmp_path):
    out = tmp_path / "out" / "反馈意见.pdf"
    out.parent.mkdir()
    code, stdout, err = report(capsys, dbfile, world, "feedback", out)
    assert code == 0, err
    lines = stdout.splitlines()
    assert lines[0] == f"文号：市委巡〔{YEAR}〕1号"
    assert lines[1].startswith("已印发巡察反馈意见《市委第一巡察组关于巡察市财政局党组的反馈意见》，共 ")
    assert all(line.startswith("字体：") for line in lines[2:])
    if any(FontSet.default().role_report(r).substitute for r in Role):
        assert len(lines) > 2  # this machine lacks an official font: the user is told which was used
    assert f"市委巡〔{YEAR}〕1号" in first_page_text(out)
    assert rotated_chars(out)  # confidential: who exported it, and when
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left behind
    assert issued(world) == 1
    code, stdout, _ = report(capsys, dbfile, world, "feedback", out)
    assert code == 0 and stdout.startswith(f"文号：市委巡〔{YEAR}〕2号")


def test_no_watermark_and_preview(capsys, dbfile, world, tmp_path):
    out = tmp_path / "plain.pdf"
    code, _, err = report(capsys, dbfile, world, "feedback", out, "--no-watermark")
    assert code == 0, err
    assert rotated_chars(out) == ""
    preview = tmp_path / "preview.pdf"
    code, stdout, err = report(capsys, dbfile, world, "notice", preview, "--preview")
    assert code == 0, err
    assert stdout.startswith("预览整改通知书《") and "未编文号、未登记" in stdout and "文号：" not in stdout
    assert f"市委巡办〔{YEAR}〕号" in first_page_text(preview)
    assert issued(world) == 1  # only the first, real, feedback


def test_register_is_written_without_a_number(capsys, dbfile, world, tmp_path):
    out = tmp_path / "台账.pdf"
    code, stdout, err = report(capsys, dbfile, world, "register", out)
    assert code == 0, err
    assert "不编文号" in stdout and "文号：" not in stdout
    with pdfplumber.open(out) as pdf:
        assert pdf.pages[0].width > pdf.pages[0].height
    assert issued(world) == 0


def one_line_error(code: int, err: str) -> str:
    assert code == 1
    assert err.startswith("xuncha: ") and err.count("\n") == 1, err
    return err


def test_bad_input_gives_one_line_in_chinese_and_changes_nothing(capsys, dbfile, world, tmp_path):
    out = tmp_path / "x.pdf"
    out.write_bytes(b"earlier file")
    code, _, err = report(capsys, dbfile, world, "memo", out)
    assert "未知的文书种类「memo」" in one_line_error(code, err)
    code, _, err = run(capsys, "--db", str(dbfile), "report", "feedback", "--inspection",
                       "01900000-0000-7000-8000-000000000000", "--out", str(out))
    assert "找不到编号为" in one_line_error(code, err)
    code, _, err = report(capsys, dbfile, world, "supervision", out)
    assert "没有逾期未完成的整改事项" in one_line_error(code, err)
    code, _, err = report(capsys, dbfile, world, "clue-transfer", out)
    assert "没有登记问题线索" in one_line_error(code, err)
    code, _, err = report(capsys, dbfile, world, "feedback", tmp_path / "missing" / "x.pdf")
    assert "输出文件夹不存在" in one_line_error(code, err)
    code, _, err = report(capsys, dbfile, world, "feedback", tmp_path)
    assert "是文件夹" in one_line_error(code, err)
    assert out.read_bytes() == b"earlier file"  # a failed command leaves the old file alone
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert issued(world) == 0  # and takes no number
    code, stdout, _ = report(capsys, dbfile, world, "feedback", out)
    assert code == 0 and stdout.startswith(f"文号：市委巡〔{YEAR}〕1号")
    assert out.read_bytes().startswith(b"%PDF")


def test_feedback_needs_an_approved_finding(capsys, world, tmp_path):
    world.finding(title="尚在审核", facts="底稿。")
    code, _, err = run(capsys, "--db", str(tmp_path / "test.sqlite3"), "report", "feedback", "--inspection",
                       str(world.inspection.id), "--out", str(tmp_path / "f.pdf"))
    assert "尚未完成三审" in one_line_error(code, err)
    assert not (tmp_path / "f.pdf").exists()


def test_report_help_names_every_kind(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    for kind in ("feedback", "notice", "supervision", "clue-transfer", "announcement", "special", "register"):
        assert kind in out
    assert "--no-watermark" in out and "--preview" in out


def test_pdf_bytes_are_a_complete_document(capsys, dbfile, world, tmp_path):
    out = tmp_path / "n.pdf"
    assert report(capsys, dbfile, world, "notice", out)[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 1
