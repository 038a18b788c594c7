"""A small city for the office's tests, built through the services: a township over two villages, two
bureaus, an inspector pool with expertise and recorded ties (for 回避)."""

from __future__ import annotations

import datetime as dt

import pytest
from actors import through_review

from app.models.enums import ReviewState


class City:
    def __init__(self, ctx) -> None:
        from app.services.inspectors import InspectorRelationService, InspectorService
        from app.services.units import UnitService

        self.ctx = ctx
        units = UnitService(ctx)
        self.finance = units.create(name="市财政局", kind="gov_dept")
        self.audit_bureau = units.create(name="市审计局", kind="gov_dept")
        self.township = units.create(name="安集镇人民政府", short_name="安集镇", kind="township")
        self.village_a = units.create(name="安集村村民委员会", kind="village", parent_id=self.township.id)
        self.village_b = units.create(name="河口村村民委员会", kind="village", parent_id=self.township.id)
        self.soe = units.create(name="市城投集团有限公司", kind="soe")
        people = InspectorService(ctx)
        self.leader_busy = people.create(name="周海峰", in_leader_pool=True, expertise=["discipline_inspection"],
                                         home_unit_id=self.audit_bureau.id)
        self.leader = people.create(name="赵立新", in_leader_pool=True, expertise=["discipline_inspection", "writing"])
        self.auditor = people.create(name="钱文静", expertise=["audit", "accounting"])
        self.auditor2 = people.create(name="孙浩然", expertise=["audit"])
        self.hr = people.create(name="李晓梅", expertise=["organization_personnel"])
        self.finance_man = people.create(name="王建军", expertise=["public_finance"], home_unit_id=self.finance.id)
        self.township_cadre = people.create(name="陈立平", expertise=["agriculture"], home_unit_id=self.township.id)
        self.related = people.create(name="刘芳", expertise=["audit", "construction"])
        self.former = people.create(name="吴敏", expertise=["construction"])
        InspectorRelationService(ctx).create(inspector_id=self.related.id, relation_kind="relative",
                                             unit_id=self.village_a.id, person_name="刘强", relationship="兄弟姐妹")
        InspectorRelationService(ctx).create(inspector_id=self.former.id, relation_kind="former_post",
                                             unit_id=self.soe.id)


@pytest.fixture
def city(ctx):
    return City(ctx)


def approved_finding(ctx, inspection_id, unit_id, *, title="违规发放津贴补贴", category="gov_eight_rules",
                     discipline="integrity", disposition="feedback_rectify", four_form=None, responsible="张建国"):
    """A finding taken through 三审 to 已审签."""
    from app.services.findings import FindingService

    findings = FindingService(ctx)
    f = findings.create(inspection_id=inspection_id, unit_id=unit_id, title=title,
                        facts=f"{title}，涉及金额约3.2万元。", characterisation="违反中央八项规定精神。",
                        responsibility="主要负责人负领导责任。", category_code=category, discipline_code=discipline,
                        disposition_code=disposition, four_form=four_form, responsible_people=responsible)
    f = through_review(ctx, f.id)
    assert f.review_state == ReviewState.APPROVED
    return f


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()
