"""What offices open the workbooks in: LibreOffice (headless, Debian's package) reads the exported
ledger and register and the unit's returned ledger, converts them to CSV with the values intact, and
a ledger saved again by LibreOffice — as a clerk using it (or WPS) would — still imports cleanly."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from app.models.enums import RectificationStatus
from app.services import register
from app.services.office import followup
from app.services.office import rectification_ledger as ledger
from app.services.register import RegisterFilter

from .conftest import TODAY, fill_in, libreoffice
from .test_spreadsheet_exports import HYPERLINK

# Comma, double quote, UTF-8, from line 1, …, cells as shown (dates as formatted), and -1: every sheet
# to a file of its own.
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def to_csv(tmp_path, *books):
    out = tmp_path / "csv"
    libreoffice(tmp_path, ["--convert-to", CSV_ALL_SHEETS, "--outdir", str(out), *map(str, books)])
    return out


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def risky(lw):
    from app.services.findings import FindingService

    findings = FindingService(lw.ctx)
    f = findings.create(inspection_id=lw.inspection.id, unit_id=lw.finance.id, title=HYPERLINK,
                        facts="@举报人反映：\n1. 车辆私用；\n2. 加油卡混用。", characterisation="违反中央八项规定精神。",
                        responsibility="主要负责人负领导责任。", category_code="gov_eight_rules",
                        discipline_code="integrity", disposition_code="feedback_rectify")
    from actors import through_review

    through_review(lw.ctx, f.id)
    lw.link = followup.send_for_rectification(lw.ctx, f.id, measures="=SUM(1,2)", responsible_person="-王志强",
                                              deadline=TODAY + dt.timedelta(days=20))
    return lw


def test_exported_ledger_and_register_read_in_libreoffice(risky, tmp_path):
    lw = risky
    book = tmp_path / "台账.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, book)
    reg = tmp_path / "问题台账.xlsx"
    register.export_xlsx(lw.ctx, register.matching_ids(lw.ctx, RegisterFilter(inspection_id=lw.inspection.id)), reg)
    out = to_csv(tmp_path, book, reg)

    problems = read_csv(out / "台账-问题清单.csv")
    assert problems[0][0] == "市财政局巡察反馈问题清单"
    assert problems[2][:4] == ["序号", "问题编号", "问题类别", "反馈问题"] and problems[3][3:5] == ["问题概述", "具体表现"]
    link = next(r for r in problems[4:] if r[3] == HYPERLINK)  # shown as written, not as the link "y"
    assert link[4] == "@举报人反映：\n1. 车辆私用；\n2. 加油卡混用。"

    tasks = read_csv(out / "台账-任务清单.csv")
    by_measures = {r[3]: r for r in tasks[4:] if r and r[0]}
    refund = by_measures["清退违规发放的津贴补贴"]
    assert refund[1:8] == ["1", "违规发放津贴补贴", "清退违规发放的津贴补贴", cn(lw.refund.deadline), "违规款项全部清退到位", "",
                           "待整改"]
    assert refund[10] == str(lw.refund.id)  # the hidden key survives
    assert by_measures["=SUM(1,2)"][2] == HYPERLINK  # not 3, not a formula
    duties = read_csv(out / "台账-责任清单.csv")
    assert next(r for r in duties[4:] if r[3] == "=SUM(1,2)")[6] == "-王志强"
    assert next(r for r in duties[4:] if r[3] == "清退违规发放的津贴补贴")[4:7] == ["张建国", "财务科", "王志强"]

    rows = read_csv(out / "问题台账-问题台账.csv")
    header = rows[0]
    line = next(r for r in rows[1:] if r[header.index("问题标题")] == HYPERLINK)
    assert line[header.index("整改措施")] == "=SUM(1,2)" and line[header.index("责任人")] == "-王志强"
    assert line[header.index("问题现象")].startswith("@举报人反映")


def test_a_ledger_filled_in_and_saved_by_libreoffice_imports_with_its_values(lw, tmp_path):
    blank = tmp_path / "导出.xlsx"
    ledger.export_unit(lw.ctx, lw.inspection.id, lw.finance.id, blank)
    done_on = TODAY - dt.timedelta(days=1)
    filled = fill_in(blank, tmp_path / "填报.xlsx", {
        (lw.refund.id, "整改进展"): "已清退12人次，共3.2万元",
        (lw.refund.id, "完成情况"): "已完成",
        (lw.refund.id, "完成时间"): done_on,
        (lw.refund.id, "佐证材料目录"): "1. 银行回单\n2. 清退名单",
        (lw.reception.id, "完成情况"): "整改中",
        (lw.reception.id, "整改进展"): "+已起草办法",
    })
    saved = tmp_path / "libreoffice"
    libreoffice(tmp_path, ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(filled)])
    resaved = saved / "填报.xlsx"
    assert resaved.read_bytes() != filled.read_bytes()

    out = to_csv(tmp_path, resaved)
    tasks = {r[3]: r for r in read_csv(out / "填报-任务清单.csv")[4:] if r and r[0]}
    assert tasks["清退违规发放的津贴补贴"][6:10] == ["已清退12人次，共3.2万元", "已完成", cn(done_on), "1. 银行回单\n2. 清退名单"]
    assert tasks["规范公务接待审批和清单管理"][6:8] == ["+已起草办法", "整改中"]

    plan = ledger.check_ledger(lw.ctx, resaved)
    expected = ledger.check_ledger(lw.ctx, filled)
    assert [(c.rectification_id, c.field, c.after) for c in plan.changes] == \
        [(c.rectification_id, c.field, c.after) for c in expected.changes]
    ledger.import_ledger(lw.ctx, resaved, expected=plan)
    refund = lw.rect.get(lw.refund.id)
    assert (refund.status, refund.completed_on, refund.evidence) == (RectificationStatus.COMPLETED, done_on, "1. 银行回单\n2. 清退名单")
    assert lw.rect.get(lw.reception.id).progress == "+已起草办法"
