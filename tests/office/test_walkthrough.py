"""One round through the office window, clicking the real widgets: planning, team forming with 回避 and
the leader's 授权书, announcement, fieldwork, 三审, feedback, clue hand-over and outcomes, rectification
with 整改方案, the 督办函 from the overdue list, 销号, a 回头看 taking over the open items — and the
statistics page's figures checked against counts made here, straight from the tables."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from actors import through_review
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models import (
    Clue,
    ClueOutcome,
    Finding,
    Inspection,
    InspectionRound,
    InspectionUnit,
    IssuedDocument,
    Rectification,
    ReferenceItem,
    Unit,
)
from app.models.enums import RectificationStatus, Stage, UnitKind
from app.services.clues import ClueService
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.ui import dialogs
from app.ui.office import common
from app.ui.office.rounds_page import NewInspectionDialog, NewRoundDialog

from .cells import background, cell, row_of, rows
from .conftest import approved_finding


@pytest.fixture
def window(qtbot, ctx, today):
    from app.ui.office.window import OfficeWindow

    win = OfficeWindow(ctx, today=today)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def settle(qtbot, win) -> None:
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)


def click(qtbot, win, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, win)


def select_row(qtbot, win, table, column: int, text: str) -> int:
    r = row_of(table, column, text)
    table.selectRow(r)
    settle(qtbot, win)
    return r


def steps_text(page) -> list[str]:
    return [page.steps.item(n).text() for n in range(page.steps.count())]


def test_one_round_through_the_office_window(qtbot, window, ctx, city, today, tmp_path, monkeypatch):
    win = window
    year = today.year

    # --- 制定方案: a round and an inspection of a township and its two villages --------------------
    rounds = win.show_page("rounds")
    settle(qtbot, win)
    dialog = NewRoundDialog(today, rounds)
    dialog.name.setText("十二届市委第一轮巡察")
    rounds.create_round(dialog.values())
    settle(qtbot, win)
    assert [r.name for r in rounds.rounds] == ["十二届市委第一轮巡察"]
    dialog = NewInspectionDialog(rounds.rounds, rounds.all_units, today, rounds)
    dialog.name.setText("对安集镇党委开展常规巡察")
    dialog.round.setCurrentIndex(common.find_data(dialog.round, rounds.rounds[0].id))
    dialog.team_name.setText("市委第一巡察组")
    for n in range(dialog.units.count()):
        if dialog.units.item(n).text() in ("安集镇人民政府", "安集村村民委员会", "河口村村民委员会"):
            dialog.units.item(n).setCheckState(Qt.CheckState.Checked)
    rounds.create_inspection(dialog.values())
    settle(qtbot, win)
    insp_id = rounds.current_inspection_id()
    assert insp_id is not None and rounds.name.text() == "对安集镇党委开展常规巡察"
    assert "○ 待办　尚未确定组长（从组长库中选派）。" in steps_text(rounds)
    assert rounds.timeline.current_label() == "制定方案"

    # --- 组建巡察组: proposal by expertise, 回避 flagged, leader authorised ---------------------------
    team = win.show_page("team")
    settle(qtbot, win)
    team.choose_inspection(insp_id)
    settle(qtbot, win)
    team.set_expertise(["audit", "organization_personnel"])
    settle(qtbot, win)
    candidates = team.candidates
    for name, reason in (("陈立平", "上级单位"), ("刘芳", "亲属刘强")):
        r = row_of(candidates, 1, name)
        assert reason in cell(candidates, r, 7)
        assert cell(candidates, r, 0) == ""  # never proposed
        assert background(candidates, r, 1) == common.RED
    proposed = [cell(candidates, r, 1) for r in range(rows(candidates)) if cell(candidates, r, 0)]
    assert len(proposed) == 6 and "李晓梅" in proposed
    assert cell(candidates, 0, 0) == "★ 组长"
    click(qtbot, win, team.accept_button)
    assert rows(team.team) == 6
    assert team.message.kind == "info"
    # A refused pick: 刘芳 must recuse.
    select_row(qtbot, win, candidates, 1, "刘芳")
    click(qtbot, win, team.member_button)
    assert team.message.kind == "error" and "刘芳应当回避" in team.message.text()
    click(qtbot, win, team.authorise_button)
    leader_row = row_of(team.team, 0, "组长")
    assert cell(team.team, leader_row, 3) == f"市委巡〔{year}〕1号"

    # --- 公告、进驻、开展工作 ------------------------------------------------------------------------
    rounds = win.show_page("rounds")
    settle(qtbot, win)
    rounds.select_inspection(insp_id)
    settle(qtbot, win)
    click(qtbot, win, rounds.advance_button)
    assert rounds.timeline.current_label() == "巡察公告"
    assert any("巡察公告尚未发布" in t for t in steps_text(rounds))
    click(qtbot, win, rounds.advance_button)
    assert rounds.message.kind == "error" and "巡察公告尚未发布" in rounds.message.text()
    rounds.phone.setText("0768-1234567")
    click(qtbot, win, rounds.save_button)
    click(qtbot, win, rounds.advance_button)  # 进驻 (today becomes the entry date)
    assert InspectionService(ctx).get(insp_id).start_date == today
    assert any(t.startswith("○ 待办　四必谈") for t in steps_text(rounds))
    click(qtbot, win, rounds.advance_button)  # 开展工作

    # The team's work arrives (merged from its laptop): findings through 三审, and clues.
    township, village = city.township.id, city.village_a.id
    approved_finding(ctx, insp_id, township, title="“三重一大”事项未集体决策", category="lead_major_matters",
                     discipline="organizational")
    approved_finding(ctx, insp_id, village, title="违规发放补贴", category="gov_eight_rules", discipline="integrity")
    approved_finding(ctx, insp_id, village, title="村务公开不及时", category="gov_mass_interests", discipline="mass")
    draft = FindingService(ctx).create(inspection_id=insp_id, unit_id=township, title="虚报冒领低保金",
                                       facts="有人虚报冒领低保金。", characterisation="涉嫌违纪。", responsibility="经办人。",
                                       category_code="gov_mass_interests", discipline_code="mass",
                                       disposition_code="clue_transfer")
    clues = ClueService(ctx)
    clue_a = clues.create(inspection_id=insp_id, finding_id=draft.id, subject_name="张三", subject_post="民政办主任",
                          summary="涉嫌虚报冒领低保金")
    clues.create(inspection_id=insp_id, subject_name="李四", subject_post="村支书", summary="涉嫌违规收受礼金")
    rounds.reload()
    settle(qtbot, win)
    assert "○ 待办　问题底稿尚未完成三审：1个底稿未提交。" in steps_text(rounds)
    click(qtbot, win, rounds.advance_button)  # 专题报告
    click(qtbot, win, rounds.advance_button)
    assert "还有1个问题底稿未完成三审" in rounds.message.text()
    through_review(ctx, draft.id)
    click(qtbot, win, rounds.advance_button)  # 反馈问题 (today becomes the feedback date)
    assert InspectionService(ctx).get(insp_id).feedback_date == today
    assert any("2条问题线索待移交" in t for t in steps_text(rounds))
    click(qtbot, win, rounds.advance_button)  # 移交线索

    # --- 线索台账: hand over, outcomes -------------------------------------------------------------
    page = win.show_page("clues")
    settle(qtbot, win)
    page.choose_inspection(insp_id)
    settle(qtbot, win)
    assert rows(page.table) == 2
    for subject, receiver in (("张三", "市纪委监委"), ("李四", "市纪委监委")):
        select_row(qtbot, win, page.table, 1, subject)
        page.receiver.setCurrentText(receiver)
        click(qtbot, win, page.hand_button)
    select_row(qtbot, win, page.table, 1, "张三")
    page.kind.setCurrentIndex(page.kind.findData("case_filed"))
    click(qtbot, win, page.outcome_button)
    select_row(qtbot, win, page.table, 1, "张三")
    page.kind.setCurrentIndex(page.kind.findData("disciplined"))
    page.four_form.setCurrentIndex(page.four_form.findData("form2"))
    page.people.setValue(2)
    page.conclude.setChecked(True)
    click(qtbot, win, page.outcome_button)
    select_row(qtbot, win, page.table, 1, "李四")
    page.kind.setCurrentIndex(page.kind.findData("initial_check"))
    page.four_form.setCurrentIndex(0)
    page.people.setValue(1)
    page.conclude.setChecked(False)
    click(qtbot, win, page.outcome_button)
    r = row_of(page.table, 1, "张三")
    assert cell(page.table, r, 6) == "已办结"
    assert cell(page.table, r, 7) == "立案审查；党纪政务处分（第二种形态）2人"
    assert "立案审查1件，党纪政务处分2人" in page.summary.text()
    assert ClueService(ctx).get(clue_a.id).handed_to == "市纪委监委"

    # --- 整改: send findings for rectification, 整改方案 ---------------------------------------------
    page = win.show_page("followup")
    settle(qtbot, win)
    page.choose_scope(insp_id)
    settle(qtbot, win)
    assert rows(page.pending_table) == 3  # the clue's finding is not the unit's to fix
    for title, person, days in (("违规发放补贴", "王会计", 3), ("村务公开不及时", "刘主任", 30),
                                ("三重一大", "周书记", 40)):
        select_row(qtbot, win, page.pending_table, 1, title)
        page.measures.setPlainText(f"整改：{title}")
        page.responsible.setText(person)
        page.deadline.setDate(common.to_qdate(today + dt.timedelta(days=days)))
        click(qtbot, win, page.send_button)
    assert rows(page.pending_table) == 0 and rows(page.table) == 3
    soon = row_of(page.table, 3, "违规发放补贴")
    assert cell(page.table, soon, 0) == "临近时限"
    assert background(page.table, soon, 0) == common.YELLOW
    assert cell(page.table, soon, 8) == "还有3天"
    assert rows(page.plans_table) == 3
    select_row(qtbot, win, page.plans_table, 1, "安集镇人民政府")
    page.plan_date.setDate(common.to_qdate(today))
    click(qtbot, win, page.plan_button)
    r = row_of(page.plans_table, 1, "安集镇人民政府")
    assert cell(page.plans_table, r, 4) == today.isoformat()

    # Completion and 销号 of one item: the reviewer is required.
    select_row(qtbot, win, page.table, 3, "村务公开不及时")
    page.evidence.setPlainText("村务公开栏照片、整改报告")
    click(qtbot, win, page.complete_button)
    select_row(qtbot, win, page.table, 3, "村务公开不及时")
    page.reviewer.clear()
    click(qtbot, win, page.close_button)
    assert page.message.kind == "error" and "审核人" in page.message.text()
    page.reviewer.setText("巡察办赵审核")
    click(qtbot, win, page.close_button)
    r = row_of(page.table, 3, "村务公开不及时")
    assert cell(page.table, r, 0) == "已销号"

    # Ten days on, the first item is overdue (red) and the 督办函 is one click away.
    win.office._today = today + dt.timedelta(days=10)
    win.office.changes.announce()
    settle(qtbot, win)
    r = select_row(qtbot, win, page.table, 3, "违规发放补贴")
    assert cell(page.table, r, 0) == "已逾期"
    assert background(page.table, r, 0) == common.RED
    assert cell(page.table, r, 8) == "逾期7天"
    target = tmp_path / "督办函.pdf"
    monkeypatch.setattr(dialogs, "save_file_path", lambda *_a: str(target))
    click(qtbot, win, page.supervise_button)
    assert target.read_bytes().startswith(b"%PDF")
    assert "整改督办函（市委巡办函〔" in page.message.text()
    win.office._today = today
    win.office.changes.announce()
    settle(qtbot, win)

    # --- 回头看 takes over the two open items ------------------------------------------------------
    rounds = win.show_page("rounds")
    settle(qtbot, win)
    rounds.select_inspection(insp_id)
    settle(qtbot, win)
    click(qtbot, win, rounds.advance_button)  # 督促整改
    assert rounds.timeline.current_label() == "督促整改"
    click(qtbot, win, rounds.follow_up_button)
    assert "接续2项未销号整改事项" in rounds.message.text()
    follow_id = rounds.current_inspection_id()
    follow = InspectionService(ctx).get(follow_id)
    assert follow.kind == "follow_up" and follow.follows_inspection_id == insp_id
    assert InspectionService(ctx).get(insp_id).stage == Stage.FOLLOW_UP

    page = win.show_page("followup")
    settle(qtbot, win)
    page.choose_scope(follow_id)
    settle(qtbot, win)
    assert rows(page.table) == 2
    for title in ("违规发放补贴", "三重一大"):
        select_row(qtbot, win, page.table, 3, title)
        page.evidence.setPlainText("回头看现场核查：已整改到位")
        click(qtbot, win, page.complete_button)
        select_row(qtbot, win, page.table, 3, title)
        page.reviewer.setText("回头看组长")
        click(qtbot, win, page.close_button)
    assert {cell(page.table, r, 0) for r in range(2)} == {"已销号"}
    page.choose_scope(insp_id)
    settle(qtbot, win)
    assert {cell(page.table, r, 0) for r in range(3)} == {"已销号"}

    # The original inspection can now be closed.
    rounds = win.show_page("rounds")
    settle(qtbot, win)
    rounds.select_inspection(insp_id)
    settle(qtbot, win)
    click(qtbot, win, rounds.advance_button)
    assert InspectionService(ctx).get(insp_id).stage == Stage.CLOSED

    # --- 统计分析 against counts made here -------------------------------------------------------
    stats = win.show_page("stats")
    settle(qtbot, win)
    stats.choose(year)
    settle(qtbot, win)
    expected = independent_counts(ctx, year, today)
    # What this walk produced, so the comparison below cannot pass on empty figures.
    assert {k: expected[k] for k in ("inspections", "units_inspected", "findings", "clues_handed_over", "cases_filed",
                                     "people_disciplined", "rectifications", "closed_out")} == {
        "inspections": 2, "units_inspected": 3, "findings": 4, "clues_handed_over": 2, "cases_filed": 1,
        "people_disciplined": 2, "rectifications": 3, "closed_out": 3}
    tiles = {key: tile.value.text() for key, tile in stats.tiles.items()}
    for key in ("inspections", "units_inspected", "findings", "clues_handed_over", "cases_filed", "people_disciplined",
                "overdue"):
        assert tiles[key] == str(expected[key]), key
    assert tiles["rate"] == f"{expected['rectified'] / expected['rectifications']:.1%}"
    f = stats.figures
    assert (f.rectifications, f.rectified, f.closed_out) == (expected["rectifications"], expected["rectified"],
                                                              expected["closed_out"])
    assert dict((label, int(v)) for label, v, _ in stats.by_category.items) == expected["by_category"]
    assert dict((label, int(v)) for label, v, _ in stats.by_discipline.items) == expected["by_discipline"]
    assert dict((label, int(v)) for label, v, _ in stats.four_forms.items) == expected["four_forms"]
    assert dict((label, int(v)) for label, v, _ in stats.by_kind.items) == expected["by_unit_kind"]
    assert f.change("findings") == "同比新增"
    assert f"发现问题{expected['findings']}个" in stats.headline.text()

    # Exports.
    monkeypatch.setattr(dialogs, "save_file_path", lambda *_a: str(tmp_path / "统计.xlsx"))
    click(qtbot, win, stats.excel_button)
    assert (tmp_path / "统计.xlsx").stat().st_size > 0
    monkeypatch.setattr(dialogs, "save_file_path", lambda *_a: str(tmp_path / "统计.pdf"))
    click(qtbot, win, stats.pdf_button)
    assert (tmp_path / "统计.pdf").read_bytes().startswith(b"%PDF")

    # Coverage: the township and one village were inspected this term, the other units not.
    cov = win.show_page("coverage")
    settle(qtbot, win)
    assert "已巡察 3 个" in cov.summary.text()


def independent_counts(ctx, year: int, on: dt.date) -> dict:
    """The dashboard's figures counted straight from the rows, without the statistics services."""
    with ctx.db.read() as session:
        ids = [i.id for i, r in session.execute(
            select(Inspection, InspectionRound).outerjoin(InspectionRound, InspectionRound.id == Inspection.round_id)
        ) if i.deleted_at is None and ((r.year if r else (i.start_date.year if i.start_date else None)) == year)]
        units = {u for (u,) in session.execute(select(InspectionUnit.unit_id).where(InspectionUnit.inspection_id.in_(ids)))}
        findings = session.scalars(select(Finding).where(Finding.inspection_id.in_(ids), Finding.deleted_at.is_(None))).all()
        refs = {(r.kind, r.code): r for r in session.scalars(select(ReferenceItem))}
        clues = session.scalars(select(Clue).where(Clue.inspection_id.in_(ids))).all()
        outcomes = session.scalars(select(ClueOutcome).where(ClueOutcome.clue_id.in_([c.id for c in clues]))).all()
        rects = session.scalars(select(Rectification).where(Rectification.inspection_id.in_(ids))).all()
        taken = set(session.scalars(select(Rectification.carried_from_id).where(Rectification.carried_from_id.is_not(None))))
        kinds = dict(session.execute(select(Unit.id, Unit.kind)).all())
        assert session.scalar(select(func.count()).select_from(IssuedDocument).where(
            IssuedDocument.kind == "supervision")) == 1
    live = [r for r in rects if r.id not in taken]

    def top(code):
        item = refs[("problem_category", code)]
        return refs[("problem_category", item.parent_code)].name if item.parent_code else item.name

    return {
        "inspections": len(ids),
        "units_inspected": len(units),
        "findings": len(findings),
        "clues_handed_over": sum(1 for c in clues if c.status in ("handed_over", "concluded")),
        "cases_filed": sum(1 for o in outcomes if o.kind == "case_filed"),
        "people_disciplined": sum(o.people_count for o in outcomes if o.kind == "disciplined"),
        "rectifications": len(live),
        "rectified": sum(1 for r in live if r.status in (RectificationStatus.COMPLETED, RectificationStatus.CLOSED)),
        "closed_out": sum(1 for r in live if r.status == RectificationStatus.CLOSED),
        "overdue": sum(1 for r in live if r.status in ("pending", "in_progress") and r.deadline < on),
        "by_category": dict(Counter(top(f.category_code) for f in findings if f.category_code)),
        "by_discipline": dict(Counter(refs[("discipline", f.discipline_code)].name for f in findings if f.discipline_code)),
        "four_forms": dict(sum((Counter({refs[("four_form", o.four_form)].name: o.people_count})
                                for o in outcomes if o.four_form), Counter())),
        "by_unit_kind": dict(Counter(UnitKind.label_of(kinds[f.unit_id]) for f in findings if f.unit_id)),
    }
