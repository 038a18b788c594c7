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
def dbfile(world, db_location):
    """The world's database (the `db` fixture's file, or server URL), with one approved finding, past the
    feedback."""
    from app.services.inspections import InspectionService

    today = dt.date.today()
    InspectionService(world.ctx).update(world.inspection.id, stage="rectification", feedback_date=today,
                                        start_date=today - dt.timedelta(days=90),
                                        end_date=today - dt.timedelta(days=5))
    approve(world)
    return db_location


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
    # Issuing the same kind again is refused until it is asked for, and takes no number meanwhile.
    code, _, err = report(capsys, dbfile, world, "feedback", out)
    assert "已印发巡察反馈意见（市委巡〔" in one_line_error(code, err) and "--again" in err
    code, stdout, _ = report(capsys, dbfile, world, "feedback", out, "--again")
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


def test_feedback_needs_an_approved_finding(capsys, world, tmp_path, db_location):
    world.finding(title="尚在审核", facts="底稿。")
    code, _, err = run(capsys, "--db", str(db_location), "report", "feedback", "--inspection",
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


def test_word_copies_register_list_save_and_void(capsys, dbfile, world, tmp_path):
    import docx

    out = tmp_path / "反馈意见.docx"
    code, stdout, err = report(capsys, dbfile, world, "feedback", out)
    assert code == 0, err
    assert stdout.startswith(f"文号：市委巡〔{YEAR}〕1号") and "（Word）" in stdout
    text = "".join(p.text for p in docx.Document(out).paragraphs)
    assert f"市委巡〔{YEAR}〕1号" in text and "市委第一巡察组关于巡察市财政局党组的反馈意见" in text.replace("\n", "")
    # A classified kind printed in three numbered copies.
    letter = tmp_path / "移交函.pdf"
    from app.services.clues import ClueService

    ClueService(world.ctx).create(inspection_id=world.inspection.id, subject_name="王志强", subject_post="财务科科长",
                                  summary="反映其收受礼金。")
    code, stdout, err = report(capsys, dbfile, world, "clue-transfer", letter, "--copies", "3")
    assert code == 0, err
    with pdfplumber.open(letter) as pdf:
        pages = [re.sub(r"\s", "", p.filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 1e-6)
                        .extract_text() or "") for p in pdf.pages]
    per_copy = len(pages) // 3
    assert len(pages) == 3 * per_copy
    for k in range(3):
        first = pages[k * per_copy]
        assert re.findall(r"00000\d", first) == [f"00000{k + 1}"], first[:40]  # one 份号 per copy, its own
    code, stdout, err = run(capsys, "--db", str(dbfile), "documents", "list", "--json")
    assert code == 0, err
    import json

    rows = json.loads(stdout)
    assert [r["kind"] for r in rows] == ["clue-transfer", "feedback"]
    assert rows[0]["copies"] == 3 and rows[1]["date"] == dt.date.today().isoformat()
    number = rows[1]["number"]
    again = tmp_path / "again.pdf"
    code, _, err = run(capsys, "--db", str(dbfile), "documents", "save", number, "--out", str(again))
    assert code == 0, err
    from app.services.attachments import AttachmentService
    from app.services.documents import IssuedDocumentService

    record = IssuedDocumentService(world.ctx).get(rows[1]["id"])
    assert again.read_bytes() == AttachmentService(world.ctx).read_bytes(record.attachment_id)
    code, _, err = run(capsys, "--db", str(dbfile), "documents", "void", number, "--reason", "")
    assert "请填写作废原因" in one_line_error(code, err)
    code, stdout, err = run(capsys, "--db", str(dbfile), "documents", "void", number, "--reason", "标题有误")
    assert code == 0 and "已作废" in stdout, err
    code, stdout, _ = run(capsys, "--db", str(dbfile), "documents", "list")
    assert "已作废：标题有误" in stdout
    # The voided number is never reused; with the old one void, a new feedback needs no --again.
    code, stdout, err = report(capsys, dbfile, world, "feedback", tmp_path / "new.pdf")
    assert code == 0 and stdout.startswith(f"文号：市委巡〔{YEAR}〕2号"), err
