"""`xuncha export|import rectification-ledger`: what it writes, prints and refuses, with exit codes."""

from __future__ import annotations

import datetime as dt

import openpyxl

from app.cli import main
from app.models.enums import RectificationStatus

from .conftest import TODAY, fill_in, task_rows


def run(capsys, lw, tmp_path, *args: str) -> tuple[int, str, str]:
    # The world's own database: its file, or its PostgreSQL URL for the [pg] variants.
    code = main(["--db", lw.ctx.db.location, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_export_one_unit_or_a_folder_of_them(capsys, lw, tmp_path):
    inspection = str(lw.inspection.id)
    code, out, err = run(capsys, lw, tmp_path, "export", "rectification-ledger", "--inspection", inspection,
                         "--out", str(tmp_path / "财政局.xlsx"), "--unit", "财政局")
    assert (code, err) == (0, "")
    assert out.strip() == f"已导出「市财政局」的整改台账：问题2个，整改事项3项 → {tmp_path / '财政局.xlsx'}"
    assert set(task_rows(tmp_path / "财政局.xlsx")) == {str(lw.refund.id), str(lw.rules.id), str(lw.reception.id)}

    code, out, _ = run(capsys, lw, tmp_path, "export", "rectification-ledger", "--inspection", inspection,
                       "--out", str(tmp_path / "全部"))
    assert code == 0 and out.count("已导出") == 2
    assert sorted(p.name for p in (tmp_path / "全部").iterdir()) == [
        f"整改台账_市审计局_{TODAY:%Y%m%d}.xlsx", f"整改台账_市财政局_{TODAY:%Y%m%d}.xlsx"]

    code, out, err = run(capsys, lw, tmp_path, "export", "rectification-ledger", "--inspection", inspection,
                         "--out", str(tmp_path / "一个.xlsx"))
    assert code == 1 and out == "" and not (tmp_path / "一个.xlsx").exists()
    assert err.startswith("xuncha: 该巡察有2个单位有整改事项（市审计局、市财政局）：请用 --unit 指定")
    assert err.count("\n") == 1


def test_import_dry_run_then_apply_then_again(capsys, lw, tmp_path):
    blank = tmp_path / "blank.xlsx"
    assert run(capsys, lw, tmp_path, "export", "rectification-ledger", "--inspection", str(lw.inspection.id),
               "--out", str(blank), "--unit", str(lw.finance.id))[0] == 0
    filled = fill_in(blank, tmp_path / "返回.xlsx", {(lw.refund.id, "整改进展"): "已清退8人",
                                                      (lw.refund.id, "完成情况"): "整改中"})
    code, out, err = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(filled), "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "（试导入：以下内容未写入数据库）"
    assert "将更新1项整改事项的2处内容（原内容 → 新内容）：" in out
    assert "第1项：清退违规发放的津贴补贴（第1号问题） 完成情况：「待整改」 → 「整改中」" in out
    assert lw.rect.get(lw.refund.id).status == RectificationStatus.PENDING

    code, out, err = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(filled),
                         "--inspection", str(lw.inspection.id))
    assert (code, err) == (0, "")
    assert "已更新1项整改事项的2处内容" in out and "已导入：来源「返回.xlsx」" in out
    assert lw.rect.get(lw.refund.id).progress == "已清退8人"

    code, out, _ = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(filled))
    assert code == 0 and "没有需要更新的内容" in out and "已导入" not in out


def test_import_lists_every_bad_cell_on_stderr(capsys, lw, tmp_path):
    blank = tmp_path / "blank.xlsx"
    run(capsys, lw, tmp_path, "export", "rectification-ledger", "--inspection", str(lw.inspection.id),
        "--out", str(blank), "--unit", "市财政局")
    bad = fill_in(blank, tmp_path / "bad.xlsx", {(lw.refund.id, "完成情况"): "完成了",
                                                 (lw.rules.id, "完成时间"): TODAY + dt.timedelta(days=1)})
    code, out, err = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(bad))
    lines = err.splitlines()
    assert code == 1 and out == ""
    assert lines[0] == "xuncha: 整改台账有2处问题，未导入任何数据"
    assert lines[1].startswith(f"  「任务清单」第{task_rows(blank)[str(lw.refund.id)]}行 H列（完成情况）：「完成了」不是有效的完成情况")
    assert "I列（完成时间）" in lines[2] and len(lines) == 3
    code, _, err = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(bad), "--inspection",
                       str(lw.other.id))
    assert code == 1 and err.startswith("xuncha: 该文件是「市委第二巡察组巡察市财政局、市审计局党组」的整改台账，不属于所选的")
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "随便.xlsx")
    code, _, err = run(capsys, lw, tmp_path, "import", "rectification-ledger", str(tmp_path / "随便.xlsx"))
    assert code == 1 and err.startswith("xuncha: 这不是本系统导出的整改台账") and err.count("\n") == 1


def test_export_register_writes_the_windows_columns_with_the_rectification(capsys, lw, tmp_path):
    inspection = str(lw.inspection.id)
    target = tmp_path / "问题台账.xlsx"
    code, out, err = run(capsys, lw, tmp_path, "export", "register", "--inspection", inspection, "--out", str(target))
    assert (code, err) == (0, "") and out.startswith("已导出问题台账：") and target.exists()
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[:2] == ("问题编号", "问题标题") and "整改措施" in header and "销号情况" in header
    numbers = [r[0] for r in rows[1:]]
    assert numbers == sorted(numbers) and len(numbers) == int(out.split("：")[1].split("个")[0])

    code, out, err = run(capsys, lw, tmp_path, "export", "register", "--status", "没有这种状态",
                         "--out", str(tmp_path / "x.xlsx"))
    assert code == 1 and "办理状态「没有这种状态」无效" in err and not (tmp_path / "x.xlsx").exists()
    code, out, err = run(capsys, lw, tmp_path, "export", "register", "--inspection", "not-an-id",
                         "--out", str(tmp_path / "y.xlsx"))
    assert code == 1 and err == "xuncha: 编号格式不正确：not-an-id\n"
