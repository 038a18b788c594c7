"""A returned 整改台账: exported, filled in by the unit (openpyxl, as its clerk would), checked cell by
cell, and imported all or nothing, as the office user's edits with the file as their source."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from app.models import ChangeEvent, Rectification, RectificationLedgerImport
from app.models.enums import RectificationStatus, UserRole
from app.services.context import Actor
from app.services.errors import PermissionDeniedError, StateError, ValidationError
from app.services.office import followup
from app.services.office import rectification_ledger as ledger

from .conftest import TODAY, fill_in, task_rows

OFFICE = Actor(user_id=uuid.UUID("0192a6c0-0000-7000-8000-00000000beef"), name="刘洋", role=UserRole.ADMIN)


@pytest.fixture
def office(lw):
    return lw.ctx.as_actor(OFFICE)


@pytest.fixture
def blank(lw, office, tmp_path):
    path = tmp_path / "导出.xlsx"
    ledger.export_unit(office, lw.inspection.id, lw.finance.id, path)
    return path


def events(ctx) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(ChangeEvent))


def imports(ctx) -> list[RectificationLedgerImport]:
    with ctx.db.read() as session:
        return list(session.scalars(select(RectificationLedgerImport)))


def item(ctx, rid) -> Rectification:
    with ctx.db.read() as session:
        return session.get(Rectification, rid)


def progress_report(lw, blank, tmp_path, name="财政局整改台账（11月）.xlsx"):
    return fill_in(blank, tmp_path / name, {
        (lw.refund.id, "整改进展"): "已清退12人次，共3.2万元",
        (lw.refund.id, "完成情况"): "已完成",
        (lw.refund.id, "完成时间"): TODAY - dt.timedelta(days=2),
        (lw.refund.id, "佐证材料目录"): "1. 银行回单12份\n2. 清退人员名单",
        (lw.reception.id, "整改进展"): "已起草公务接待管理办法（征求意见稿）",
        (lw.reception.id, "完成情况"): "整改中",
    })


def test_export_fill_in_check_and_import(lw, office, blank, tmp_path):
    filled = progress_report(lw, blank, tmp_path)
    plan = ledger.check_ledger(office, filled)
    assert (plan.unit_name, plan.inspection_id, plan.rows_checked, plan.items_changed) == ("市财政局", lw.inspection.id, 3, 2)
    assert [(c.seq, c.label, c.before, c.after) for c in plan.changes] == [
        (1, "整改进展", "", "已清退12人次，共3.2万元"),
        (1, "完成情况", "待整改", "已完成"),
        (1, "完成时间", "", (TODAY - dt.timedelta(days=2)).isoformat()),
        (1, "佐证材料目录", "", "1. 银行回单12份\n2. 清退人员名单"),
        (3, "整改进展", "", "已起草公务接待管理办法（征求意见稿）"),
        (3, "完成情况", "待整改", "整改中"),
    ]
    text = "\n".join(plan.summary_lines())
    assert "将更新2项整改事项的6处内容" in text and "完成情况：「待整改」 → 「已完成」" in text
    assert item(lw.ctx, lw.refund.id).status == RectificationStatus.PENDING  # checking wrote nothing
    before = events(lw.ctx)

    done = ledger.import_ledger(office, filled, expected=plan)
    assert done.applied and "已更新2项整改事项的6处内容" in "\n".join(done.summary_lines())
    refund, reception, rules = (item(lw.ctx, r.id) for r in (lw.refund, lw.reception, lw.rules))
    assert (refund.status, refund.progress, refund.completed_on, refund.evidence) == (
        RectificationStatus.COMPLETED, "已清退12人次，共3.2万元", TODAY - dt.timedelta(days=2), "1. 银行回单12份\n2. 清退人员名单")
    assert (reception.status, reception.progress) == (RectificationStatus.IN_PROGRESS, "已起草公务接待管理办法（征求意见稿）")
    assert rules.status == RectificationStatus.PENDING and rules.progress is None
    assert refund.updated_by == OFFICE.user_id and refund.measures == "清退违规发放的津贴补贴"
    [record] = imports(lw.ctx)
    assert (record.file_name, record.sha256) == ("财政局整改台账（11月）.xlsx", hashlib.sha256(filled.read_bytes()).hexdigest())
    assert (record.inspection_id, record.unit_id, record.actor_name, record.created_by) == (
        lw.inspection.id, lw.finance.id, "刘洋", OFFICE.user_id)
    assert (record.rows_checked, record.items_changed, record.fields_changed) == (3, 2, 6)
    assert {(c["rectification_id"], c["field"], c["before"], c["after"]) for c in record.changes} >= {
        (str(lw.reception.id), "status", "待整改", "整改中")}
    with lw.ctx.db.read() as session:
        new = session.scalars(select(ChangeEvent).order_by(ChangeEvent.seq).offset(before)).all()
    assert {e.table_name for e in new} >= {"rectifications", "rectification_ledger_imports"}
    assert {(e.author_id, e.author_name) for e in new} == {(OFFICE.user_id, "刘洋")}
    # The item now waits for 销号 on the evidence the unit listed.
    followup.close_out(office, lw.refund.id, reviewer="孙浩然")
    assert item(lw.ctx, lw.refund.id).status == RectificationStatus.CLOSED


def test_importing_the_same_file_twice_changes_nothing(lw, office, blank, tmp_path):
    filled = progress_report(lw, blank, tmp_path)
    ledger.import_ledger(office, filled)
    before = events(lw.ctx)
    again = ledger.import_ledger(office, filled)
    assert again.changes == [] and again.imported_before is not None
    assert "与系统中的内容一致，没有需要更新的内容。" in again.summary_lines()
    assert events(lw.ctx) == before and len(imports(lw.ctx)) == 1
    # Even after the office recorded more since: the same file does not overwrite it.
    followup.report_progress(office, lw.reception.id, "办法已经党组会审议")
    assert ledger.import_ledger(office, filled).changes == []
    assert item(lw.ctx, lw.reception.id).progress == "办法已经党组会审议"


def test_the_same_workbook_can_come_back_month_after_month(lw, office, blank, tmp_path):
    november = progress_report(lw, blank, tmp_path)
    ledger.import_ledger(office, november)
    december = fill_in(november, tmp_path / "12月.xlsx", {
        (lw.reception.id, "整改进展"): "新办法已印发并组织学习",
        (lw.reception.id, "完成情况"): "已完成",
        (lw.reception.id, "完成时间"): TODAY,
        (lw.reception.id, "佐证材料目录"): "市财政局公务接待管理办法",
    })
    plan = ledger.import_ledger(office, december)
    assert [c.label for c in plan.changes] == ["整改进展", "完成情况", "完成时间", "佐证材料目录"]
    assert item(lw.ctx, lw.reception.id).status == RectificationStatus.COMPLETED
    assert len(imports(lw.ctx)) == 2


def test_a_cell_left_alone_keeps_what_the_office_recorded_and_a_clash_is_reported(lw, office, blank, tmp_path):
    followup.report_progress(office, lw.reception.id, "巡察办电话了解：已起草办法")
    followup.report_progress(office, lw.rules.id, "巡察办：已列入党组会议题")
    filled = fill_in(blank, tmp_path / "f.xlsx", {(lw.reception.id, "整改进展"): "办法已起草"})
    with pytest.raises(ledger.LedgerRefused) as refused:
        ledger.check_ledger(office, filled)
    [problem] = refused.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.header) == ("任务清单", task_rows(blank)[str(lw.reception.id)], "G", "整改进展")
    assert "导出后系统中已改为「巡察办电话了解：已起草办法」" in problem.reason
    untouched = fill_in(blank, tmp_path / "g.xlsx", {(lw.refund.id, "整改进展"): "正在清退"})
    ledger.import_ledger(office, untouched)
    assert item(lw.ctx, lw.rules.id).progress == "巡察办：已列入党组会议题"  # not blanked by the old file
    assert item(lw.ctx, lw.refund.id).progress == "正在清退"


def _edit(path, out, sheet, cells):
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref].value = value
    wb.save(out)
    return out


def test_every_bad_cell_is_named_and_nothing_is_imported(lw, office, tmp_path):
    followup.report_progress(office, lw.rules.id, "已起草")  # 整改中 when exported
    blank = tmp_path / "导出.xlsx"
    ledger.export_unit(office, lw.inspection.id, lw.finance.id, blank)
    rows = task_rows(blank)
    refund, rules, reception = rows[str(lw.refund.id)], rows[str(lw.rules.id)], rows[str(lw.reception.id)]
    bad = fill_in(blank, tmp_path / "bad.xlsx", {
        (lw.refund.id, "整改措施"): "清退部分津贴",                     # locked
        (lw.refund.id, "整改进展"): "=1+1",                           # a formula
        (lw.rules.id, "完成情况"): "待整改",                           # backwards
        (lw.reception.id, "完成情况"): "基本完成",                      # not a status
        (lw.reception.id, "完成时间"): "下个月",                        # not a date
    })
    wb = openpyxl.load_workbook(bad)
    tasks = wb["任务清单"]
    tasks[f"E{rules}"].value = tasks[f"E{rules}"].value + dt.timedelta(days=30)  # the deadline moved
    last = max(rows.values())
    for c in range(1, 12):  # a row copied below the table, and a row added without a key
        tasks.cell(row=last + 1, column=c).value = tasks.cell(row=refund, column=c).value
    tasks.cell(row=last + 2, column=4).value = "新增一条整改措施"
    duties = wb["责任清单"]
    duties["E5"].value = "另一位领导"
    wb.save(bad)
    problems = {(p.sheet, p.row, p.column): p.reason for p in _refused(office, bad)}
    assert "锁定内容被改动（现为「清退部分津贴」）" in problems[("任务清单", refund, "D")]
    assert "不能填写公式" in problems[("任务清单", refund, "G")]
    assert "锁定内容被改动" in problems[("任务清单", rules, "E")]
    assert "不能从「整改中」改回「待整改」" in problems[("任务清单", rules, "H")]
    assert "「基本完成」不是有效的完成情况" in problems[("任务清单", reception, "H")]
    assert "「下个月」不是有效的日期" in problems[("任务清单", reception, "I")]
    assert f"与第{refund}行是同一事项" in problems[("任务清单", last + 1, None)]
    assert "新增的行不能导入" in problems[("任务清单", last + 2, None)]
    assert "锁定内容被改动（现为「另一位领导」）" in problems[("责任清单", 5, "E")]
    assert len(problems) == 9
    assert imports(lw.ctx) == [] and item(lw.ctx, lw.refund.id).measures == "清退违规发放的津贴补贴"


def _refused(ctx, path, **kw):
    with pytest.raises(ledger.LedgerRefused) as refused:
        ledger.import_ledger(ctx, path, **kw)
    return refused.value.problems


def test_what_a_completed_item_needs(lw, office, blank, tmp_path):
    rows = task_rows(blank)
    bad = fill_in(blank, tmp_path / "bad.xlsx", {
        (lw.refund.id, "完成情况"): "已完成",                            # no date, no evidence
        (lw.rules.id, "完成情况"): "整改中",
        (lw.rules.id, "完成时间"): TODAY,                                 # a date without 已完成
        (lw.reception.id, "完成情况"): "已完成",
        (lw.reception.id, "完成时间"): TODAY + dt.timedelta(days=3),      # in the future
        (lw.reception.id, "佐证材料目录"): "制度文件",
    })
    problems = {(p.row, p.header): p.reason for p in _refused(office, bad)}
    assert problems == {
        (rows[str(lw.refund.id)], "完成时间"): "完成情况为「已完成」时，须填写完成时间。",
        (rows[str(lw.refund.id)], "佐证材料目录"): "完成情况为「已完成」时，须填写佐证材料目录（销号时据此核查）。",
        (rows[str(lw.rules.id)], "完成时间"): "只有完成情况为「已完成」的事项才填写完成时间。",
        (rows[str(lw.reception.id)], "完成时间"): f"完成时间{(TODAY + dt.timedelta(days=3)).isoformat()}晚于今天，请填写实际完成的日期。",
    }
    # Dates as units type them are understood.
    fine = fill_in(blank, tmp_path / "ok.xlsx", {(lw.refund.id, "完成情况"): "已完成",
                                                 (lw.refund.id, "完成时间"): f"{TODAY.year}年{TODAY.month}月{TODAY.day}日",
                                                 (lw.refund.id, "佐证材料目录"): "回单"})
    ledger.import_ledger(office, fine)
    assert item(lw.ctx, lw.refund.id).completed_on == TODAY


def test_rows_from_another_units_or_another_inspections_ledger(lw, office, blank, tmp_path):
    audit = tmp_path / "审计局.xlsx"
    ledger.export_unit(office, lw.inspection.id, lw.audit.id, audit)
    wb = openpyxl.load_workbook(blank)
    tasks = wb["任务清单"]
    rows = task_rows(blank)
    # The clerk pasted 审计局's row over one of theirs, and typed another inspection's key over another.
    audit_row = openpyxl.load_workbook(audit)["任务清单"][5]
    for c, cell in enumerate(audit_row, start=1):
        tasks.cell(row=rows[str(lw.rules.id)], column=c).value = cell.value
    tasks.cell(row=rows[str(lw.reception.id)], column=11).value = str(lw.other_item.id)
    tasks.cell(row=rows[str(lw.refund.id)], column=11).value = str(uuid.uuid4())
    wb.save(tmp_path / "mixed.xlsx")
    problems = {p.row: p.reason for p in _refused(office, tmp_path / "mixed.xlsx")}
    assert problems == {
        rows[str(lw.rules.id)]: "该行是「市审计局」的整改事项，不属于「市财政局」的整改台账。",
        rows[str(lw.reception.id)]: "该行属于另一次巡察「市委第五巡察组专项巡察市财政局」的整改台账，不能导入本台账。",
        rows[str(lw.refund.id)]: "校验编号无法识别：该行不是从本系统导出的整改台账中来的。",
    }


def test_a_row_the_unit_deleted_is_left_as_it_is_and_said_so(lw, office, blank, tmp_path):
    wb = openpyxl.load_workbook(blank)
    tasks = wb["任务清单"]
    tasks.delete_rows(task_rows(blank)[str(lw.rules.id)])
    wb.save(tmp_path / "short.xlsx")
    filled = fill_in(tmp_path / "short.xlsx", tmp_path / "f.xlsx", {(lw.reception.id, "整改进展"): "已起草"})
    plan = ledger.import_ledger(office, filled)
    assert plan.missing == [2] and "注意：工作簿中没有任务清单第2项（已被删除），这些事项不作更新。" in plan.summary_lines()
    assert [c.label for c in plan.changes] == ["整改进展"]
    assert item(lw.ctx, lw.rules.id).deleted_at is None


def test_a_file_of_another_inspection_is_refused_whole(lw, office, blank):
    with pytest.raises(ValidationError, match="不属于所选的「市委第五巡察组专项巡察市财政局」"):
        ledger.check_ledger(office, blank, inspection_id=lw.other.id)
    assert ledger.check_ledger(office, blank, inspection_id=lw.inspection.id).changes == []


def test_files_that_are_not_a_clean_ledger(lw, office, blank, tmp_path):
    half = tmp_path / "half.xlsx"
    half.write_bytes(blank.read_bytes()[: len(blank.read_bytes()) // 2])
    with pytest.raises(ValidationError, match="不是完整的 .xlsx 工作簿"):
        ledger.check_ledger(office, half)
    with pytest.raises(ValidationError, match="只能导入 .xlsx"):
        ledger.check_ledger(office, shutil.copy(blank, tmp_path / "台账.xls"))
    stranger = tmp_path / "stranger.xlsx"
    openpyxl.Workbook().save(stranger)
    with pytest.raises(ValidationError, match="不是本系统导出的整改台账"):
        ledger.check_ledger(office, stranger)
    macro = tmp_path / "macro.xlsx"
    shutil.copy(blank, macro)
    with zipfile.ZipFile(macro, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    with pytest.raises(ValidationError, match="含有宏"):
        ledger.check_ledger(office, macro)
    wb = openpyxl.load_workbook(blank)
    meta = wb["校验信息"]
    row = next(r for r in meta.iter_rows() if r[2].value == "measures")
    row[4].value = "0" * 20  # someone "repaired" the record of what was exported
    wb.save(tmp_path / "tampered.xlsx")
    problems = _refused(office, tmp_path / "tampered.xlsx")
    assert problems[0].sheet == "校验信息" and "校验信息被改动" in problems[0].reason
    assert imports(lw.ctx) == []


def test_a_confirmed_plan_is_applied_only_as_confirmed(lw, office, blank, tmp_path):
    filled = progress_report(lw, blank, tmp_path)
    plan = ledger.check_ledger(office, filled)
    followup.report_progress(office, lw.reception.id, "办公室刚刚登记的进展")  # meanwhile, in the office
    with pytest.raises((StateError, ledger.LedgerRefused)):
        ledger.import_ledger(office, filled, expected=plan)
    assert item(lw.ctx, lw.refund.id).status == RectificationStatus.PENDING and imports(lw.ctx) == []


def test_only_the_office_or_the_inspections_leaders_import(lw, blank, tmp_path):
    filled = progress_report(lw, blank, tmp_path)
    member = lw.ctx.as_actor(Actor(user_id=None, name="钱文静", role=UserRole.MEMBER))
    with pytest.raises(PermissionDeniedError):
        ledger.import_ledger(member, filled)
    assert item(lw.ctx, lw.refund.id).status == RectificationStatus.PENDING
