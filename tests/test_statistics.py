"""Statistics agree with counts computed independently from what the test itself created."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from app.models import Rectification
from app.services import statistics
from app.services.clues import ClueOutcomeService, ClueService
from app.services.findings import FindingService
from app.services.inspections import InspectionService, InspectionUnitService, RoundService
from app.services.rectifications import RectificationService
from app.services.units import UnitService

CATEGORIES = {"gov_eight_rules": "strict_governance", "gov_finance": "strict_governance",
              "lead_decisions": "leadership", "sel_procedure": "cadre_selection"}
DISCIPLINES = ["integrity", "work", "political"]
FORMS = ["form1", "form2", "form3", "form4"]


def test_figures_match_independent_counts(ctx, world):
    rng = random.Random(7)
    round_2025 = RoundService(ctx).create(name="十二届市委第一轮巡察", year=2025)
    old = InspectionService(ctx).create(name="2025年巡察", kind="regular", stage="closed", round_id=round_2025.id,
                                        start_date=dt.date(2025, 4, 1))
    extra_units = [UnitService(ctx).create(name=f"测试单位{i}", kind="township") for i in range(3)]
    for unit in extra_units:
        InspectionUnitService(ctx).create(inspection_id=old.id, unit_id=unit.id)
    InspectionUnitService(ctx).create(inspection_id=old.id, unit_id=world.unit.id)  # inspected twice

    expected_category, expected_discipline, expected_form = Counter(), Counter(), Counter()
    findings = FindingService(ctx)
    created = []
    for i in range(40):
        inspection = rng.choice([old, world.inspection])
        category, discipline = rng.choice(list(CATEGORIES)), rng.choice(DISCIPLINES)
        form = rng.choice([None, *FORMS])
        created.append(findings.create(inspection_id=inspection.id, title=f"问题{i}", facts=f"事实{i}",
                                       category_code=category, discipline_code=discipline, four_form=form))
        expected_category[CATEGORIES[category]] += 1
        expected_discipline[discipline] += 1
        if form:
            expected_form[form] += 1
    deleted = created.pop()
    findings.delete(deleted.id)
    expected_category[CATEGORIES[deleted.category_code]] -= 1
    expected_discipline[deleted.discipline_code] -= 1
    if deleted.four_form:
        expected_form[deleted.four_form] -= 1

    clues = ClueService(ctx)
    outcomes = ClueOutcomeService(ctx)
    handed, cases, disciplined_people, people_by_form = 0, 0, 0, Counter()
    for i in range(6):
        status = "handed_over" if i % 3 else "pending"
        kwargs = {"handed_to": "市纪委监委", "handed_over_on": dt.date(2025, 6, 1)} if status != "pending" else {}
        clue = clues.create(inspection_id=old.id, subject_name=f"对象{i}", summary="线索", status=status, **kwargs)
        handed += status != "pending"
        if status == "pending":
            continue
        outcomes.create(clue_id=clue.id, kind="case_filed")
        cases += 1
        people = i
        outcomes.create(clue_id=clue.id, kind="disciplined", four_form=FORMS[i % 4], people_count=people)
        disciplined_people += people
        people_by_form[FORMS[i % 4]] += people

    rect = RectificationService(ctx)
    today = dt.date.today()
    items = [rect.create(finding_id=f.id, measures="整改", responsible_person="某人", deadline=today + dt.timedelta(days=10))
             for f in created[:9]]
    # Three become overdue (deadlines set in the past directly, as time passing would), two are
    # completed, one of those closed out.
    with ctx.db.write() as session:
        for item in items[:3]:
            session.get(Rectification, item.id).deadline = today - dt.timedelta(days=1)
    rect.complete(items[3].id, evidence="凭证")
    rect.complete(items[4].id, evidence="凭证")
    rect.close_out(items[4].id)

    stats = statistics.compute(ctx)
    assert stats.inspections == 2
    assert stats.units_inspected == 4  # world.unit counted once
    assert stats.findings == 39
    assert stats.findings_by_category == {k: v for k, v in expected_category.items() if v}
    assert stats.findings_by_discipline == {k: v for k, v in expected_discipline.items() if v}
    assert stats.findings_by_four_form == {k: v for k, v in expected_form.items() if v}
    assert stats.clues_handed_over == handed
    assert stats.cases_filed == cases
    assert stats.people_disciplined == disciplined_people
    assert stats.people_by_four_form == {k: v for k, v in people_by_form.items() if v}
    assert (stats.rectifications, stats.rectified, stats.closed_out, stats.overdue) == (9, 2, 1, 3)
    assert abs(stats.rectification_rate - 2 / 9) < 1e-9

    by_year = statistics.compute(ctx, year=2025)
    assert by_year.inspections == 1
    assert by_year.units_inspected == 4
    assert by_year.findings == sum(1 for f in created if f.inspection_id == old.id)
    only_current = statistics.compute(ctx, inspection_id=world.inspection.id)
    assert only_current.findings == 39 - by_year.findings
    assert only_current.clues_handed_over == 0


def test_an_item_carried_into_a_follow_up_counts_once(ctx, world):
    rect = RectificationService(ctx)
    finding = world.finding()
    item = rect.create(finding_id=finding.id, measures="整改", responsible_person="某人",
                       deadline=dt.date.today() + dt.timedelta(days=5))
    follow_up = InspectionService(ctx).create(name="回头看", kind="follow_up", stage="fieldwork",
                                              follows_inspection_id=world.inspection.id)
    rect.create(finding_id=finding.id, inspection_id=follow_up.id, measures="继续整改", responsible_person="某人",
                deadline=dt.date.today() + dt.timedelta(days=30), carried_from_id=item.id)
    assert statistics.compute(ctx).rectifications == 1
    assert statistics.compute(ctx, inspection_id=follow_up.id).rectifications == 1
    assert statistics.compute(ctx, inspection_id=world.inspection.id).rectifications == 0
