"""A fed-back inspection of two units with rectification items, built through the services, and the
helpers a unit's clerk would use: open the exported workbook and fill it in with openpyxl."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from office.conftest import approved_finding

from app.services.context import ServiceContext
from app.services.office import followup
from app.services.rectifications import RectificationService

TODAY = dt.date.today()


class LedgerWorld:
    """市委第二巡察组 inspected 市财政局 and 市审计局; fed back ten days ago. 财政局 has three items
    (two findings, one with two items), 审计局 one. A second inspection of 财政局 has an item too."""

    def __init__(self, ctx: ServiceContext) -> None:
        from app.services.inspections import InspectionService, InspectionUnitService
        from app.services.units import UnitService

        self.ctx = ctx
        units = UnitService(ctx)
        self.finance = units.create(name="市财政局", short_name="财政局", kind="gov_dept")
        self.audit = units.create(name="市审计局", kind="gov_dept")
        inspections = InspectionService(ctx)
        self.inspection = inspections.create(
            name="市委第二巡察组巡察市财政局、市审计局党组", kind="regular", stage="rectification",
            team_name="市委第二巡察组", start_date=TODAY - dt.timedelta(days=90),
            end_date=TODAY - dt.timedelta(days=30), feedback_date=TODAY - dt.timedelta(days=10))
        for unit in (self.finance, self.audit):
            InspectionUnitService(ctx).create(inspection_id=self.inspection.id, unit_id=unit.id)
        self.other = inspections.create(name="市委第五巡察组专项巡察市财政局", kind="special", stage="rectification",
                                        feedback_date=TODAY - dt.timedelta(days=5))
        InspectionUnitService(ctx).create(inspection_id=self.other.id, unit_id=self.finance.id)

        allowance = approved_finding(ctx, self.inspection.id, self.finance.id, title="违规发放津贴补贴",
                                     responsible="王志强")
        reception = approved_finding(ctx, self.inspection.id, self.finance.id, title="公务接待超标准",
                                     category="gov_eight_rules", responsible="李红梅")
        audit_finding = approved_finding(ctx, self.inspection.id, self.audit.id, title="审计整改跟踪不到位",
                                         category="gov_eight_rules", responsible="周建华")
        other_finding = approved_finding(ctx, self.other.id, self.finance.id, title="政府采购程序不规范")
        send = followup.send_for_rectification
        self.refund = send(ctx, allowance.id, measures="清退违规发放的津贴补贴", responsible_person="王志强",
                           deadline=TODAY + dt.timedelta(days=30), completion_standard="违规款项全部清退到位",
                           responsible_leader="张建国", responsible_department="财务科")
        self.rules = send(ctx, allowance.id, measures="修订津贴补贴发放管理办法", responsible_person="王志强",
                          deadline=TODAY + dt.timedelta(days=60), completion_standard="印发新办法并组织学习",
                          responsible_leader="张建国", responsible_department="办公室")
        self.reception = send(ctx, reception.id, measures="规范公务接待审批和清单管理", responsible_person="李红梅",
                              deadline=TODAY + dt.timedelta(days=45))
        self.audit_item = send(ctx, audit_finding.id, measures="建立审计发现问题整改跟踪台账", responsible_person="周建华",
                               deadline=TODAY + dt.timedelta(days=30), responsible_leader="刘明")
        self.other_item = send(ctx, other_finding.id, measures="重新梳理政府采购流程", responsible_person="陈静",
                               deadline=TODAY + dt.timedelta(days=30))
        self.rect = RectificationService(ctx)


@pytest.fixture
def lw(ctx) -> LedgerWorld:
    return LedgerWorld(ctx)


def task_rows(path: Path) -> dict[str, int]:
    """Row number of each item's key on the 任务清单 of a workbook."""
    ws = openpyxl.load_workbook(path)["任务清单"]
    key_col = [c.value for c in ws[4]].index("校验编号") + 1
    return {ws.cell(row=r, column=key_col).value: r for r in range(5, ws.max_row + 1)
            if ws.cell(row=r, column=key_col).value}


def fill_in(path: Path, out: Path, edits: dict[tuple[str, str], object]) -> Path:
    """What the unit's clerk does: open the workbook, type into cells of the 任务清单, save it.

    `edits` maps (rectification id, header) to the value typed; headers as the sheet shows them.
    """
    wb = openpyxl.load_workbook(path)
    ws = wb["任务清单"]
    headers = {(ws.cell(row=4, column=c).value or ws.cell(row=3, column=c).value): c for c in range(1, ws.max_column + 1)}
    rows = task_rows(path)
    for (key, header), value in edits.items():
        cell = ws.cell(row=rows[str(key)], column=headers[header])
        # Typing a date into a formatted cell keeps its format in Excel; openpyxl would replace it.
        shown = cell.number_format
        cell.value = value
        cell.number_format = shown
    wb.save(out)
    return out


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice(tmp_path: Path, args: list[str], timeout: int = 120) -> None:
    """Run LibreOffice headless with a profile of its own (a desktop session's is never touched)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (bootstrap.py installs libreoffice-calc-nogui for the tests)")
    # One profile for the whole run (in pytest's temporary folder): creating it is half of a first start.
    profile = (tmp_path.parent / "libreoffice-profile").as_uri()
    result = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}", *args],
                            capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
