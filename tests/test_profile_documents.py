"""Issue 14 (documents): the organization profile behind every masthead and number, the stage each kind
belongs to, a second issue asked for, the register with voids."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pdfplumber
import pytest
from actors import team_actor, through_review

from app.reports import FontSet
from app.services import issuing
from app.services.context import Actor, ServiceContext
from app.services.documents import list_issued, stored_file, void_document
from app.services.errors import PermissionDeniedError, StateError, ValidationError
from app.services.inspections import InspectionService
from app.services.profile import load_profile, save_profile, suggested_profile

TODAY = dt.date.today()
YEAR = TODAY.year


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    fs = FontSet.bundled()
    fs.preload()
    return fs


def first_page(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 1e-6)
        return re.sub(r"\s", "", page.extract_text() or "")


def county_case(world):
    """The world as a county inspection past its feedback, with a finding, a clue and an overdue item."""
    from app.services.clues import ClueService
    from app.services.rectifications import RectificationService

    save_profile(world.ctx, suggested_profile("county", "青山县"))
    InspectionService(world.ctx).update(
        world.inspection.id, team_name="县委第二巡察组", stage="rectification", feedback_date=TODAY - dt.timedelta(days=40),
        start_date=TODAY - dt.timedelta(days=120), end_date=TODAY - dt.timedelta(days=50))
    finding = world.finding(characterisation="违反了中央八项规定精神。", responsibility="办公室主任负直接责任。",
                            disposition_code="feedback_rectify")
    through_review(world.ctx, finding.id)
    RectificationService(world.ctx).create(finding_id=finding.id, measures="1.清理台账；2.建立制度", responsible_person="张建国",
                                           deadline=TODAY + dt.timedelta(days=5))
    ClueService(world.ctx).create(inspection_id=world.inspection.id, subject_name="王志强", subject_post="财务科科长",
                                  summary="反映其收受礼金。")
    return finding


NUMBERED = {
    "feedback": ("中共青山县委巡察工作领导小组文件", "县委巡"),
    "notice": ("中共青山县委巡察工作领导小组办公室文件", "县委巡办"),
    "supervision": ("中共青山县委巡察工作领导小组办公室", "县委巡办函"),
    "clue-transfer": ("中共青山县委巡察工作领导小组办公室", "县委巡办函"),
    "special": ("中共青山县委第二巡察组文件", "县委二巡"),
    "authorization": ("中共青山县委巡察工作领导小组文件", "县委巡"),
    "work-plan": ("中共青山县委第二巡察组文件", "县委二巡"),
}


def test_every_numbered_kind_of_a_county_reads_its_masthead_and_number_from_the_profile(world, fonts):
    county_case(world)
    assert set(NUMBERED) == {k for k in issuing.KINDS if k not in issuing.UNNUMBERED_KINDS}
    for kind, (mark, prefix) in NUMBERED.items():
        # The supervision letter chases items overdue by its 统计截至 date, ten days on.
        options = issuing.DocumentOptions(as_of=TODAY + dt.timedelta(days=10)) if kind == "supervision" else None
        result = issuing.issue_document(world.ctx, kind, world.inspection.id, options, fonts=fonts, watermark="")
        text = first_page(result.pdf_bytes)
        assert text.startswith(mark) or text[6:].startswith(mark) or mark in text[:40], (kind, text[:60])
        assert re.match(rf"^{prefix}〔{YEAR}〕\d+号$", result.number_text), (kind, result.number_text)
        assert result.number_text in text
        assert "市委" not in text, (kind, text)  # never a city word in a county document


def test_the_profile_is_refused_when_its_levels_mix_and_only_an_administrator_saves_it(world):
    mixed = suggested_profile("county", "青山县")
    with pytest.raises(ValidationError, match="与机关层级一致"):
        save_profile(world.ctx, mixed.__class__(**{**mixed.__dict__, "office_prefix": "市委巡办"}))
    with pytest.raises(ValidationError, match="地名"):
        save_profile(world.ctx, suggested_profile("county", "云川市").__class__(**{**suggested_profile("county", "青山县").__dict__, "place": "云川市"}))
    leader = ServiceContext(world.ctx.db, Actor(user_id=uuid.uuid4(), name="赵立新", role="leader"))
    with pytest.raises(PermissionDeniedError):
        save_profile(leader, suggested_profile("county", "青山县"))
    assert not load_profile(world.ctx).stored
    saved = save_profile(world.ctx, suggested_profile("county", "青山县"))
    assert saved.stored and load_profile(world.ctx).leading_group_name == "中共青山县委巡察工作领导小组"
    save_profile(world.ctx, suggested_profile("district", "江北区"))  # the same one row, changed
    assert load_profile(world.ctx).committee == "区委"


def test_a_kind_is_issued_only_from_its_stage_and_never_dated_before_the_fieldwork_ends(world, fonts):
    county_case(world)
    InspectionService(world.ctx).update(world.inspection.id, stage="fieldwork")
    with pytest.raises(StateError, match="须在「反馈问题」阶段及以后印发，该巡察目前处于「开展工作」阶段"):
        issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts)
    preview = issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts, preview=True)
    assert preview.number_text is None  # a draft may be looked at in any stage
    InspectionService(world.ctx).update(world.inspection.id, stage="feedback")
    too_early = issuing.DocumentOptions(date=TODAY - dt.timedelta(days=60))
    with pytest.raises(ValidationError, match="不能早于巡察结束日期"):
        issuing.issue_document(world.ctx, "notice", world.inspection.id, too_early, fonts=fonts)
    past = TODAY - dt.timedelta(days=30)
    result = issuing.issue_document(world.ctx, "notice", world.inspection.id, issuing.DocumentOptions(date=past),
                                    fonts=fonts)
    text = "".join(first_page(result.pdf_bytes))
    assert f"{past.year}年{past.month}月{past.day}日" in re.sub(r"\s", "", pdfplumber.open(
        io.BytesIO(result.pdf_bytes)).pages[-1].extract_text())
    assert "反馈了巡察意见，指出了1个问题" in text


def test_feedback_states_the_plan_deadline_and_counts_like_the_special_report(world, fonts):
    county_case(world)
    feedback = issuing.issue_document(world.ctx, "feedback", world.inspection.id, fonts=fonts, watermark="")
    special = issuing.issue_document(world.ctx, "special", world.inspection.id, fonts=fonts, watermark="")

    def text(data: bytes) -> str:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return re.sub(r"\s", "", "".join(p.extract_text() or "" for p in pdf.pages))

    f, s = text(feedback.pdf_bytes), text(special.pdf_bytes)
    assert "共发现问题1个" in f and "发现问题（个）1" in s and "共发现问题1个" in s
    assert "个工作日内）将整改方案报送县委巡察办" in f
    assert "（1）清理台账；（2）建立制度" in f  # numbering inside a numbered item, one level down


def test_issuing_again_asks_first_and_a_void_frees_the_kind_without_reusing_the_number(world, fonts):
    county_case(world)
    first = issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts)
    with pytest.raises(issuing.AlreadyIssuedError) as err:
        issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts)
    assert err.value.existing == [first.number_text]
    member = team_actor(world.ctx, world.inspection.id, "member")  # on the team, but a 组员
    with pytest.raises(PermissionDeniedError):
        void_document(member, first.document_id, "标题有误")
    void_document(world.ctx, first.document_id, "标题有误")
    with pytest.raises(StateError, match="已于"):
        void_document(world.ctx, first.document_id, "再次作废")
    second = issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts)
    assert second.number_text == f"县委巡办〔{YEAR}〕2号"
    rows = list_issued(world.ctx, inspection_id=world.inspection.id)
    assert [(r.number_text, r.voided, r.void_reason) for r in rows] == [
        (second.number_text, False, ""), (first.number_text, True, "标题有误")]
    name, pdf = stored_file(world.ctx, first.document_id)
    assert name.endswith(".pdf") and pdf == first.pdf_bytes  # the voided one is still there to read
    name, word = stored_file(world.ctx, second.document_id, "docx")
    assert name.endswith(".docx") and word.startswith(b"PK")


def test_record_kinds_print_one_interview_or_finding(world, fonts):
    finding = county_case(world)
    interview = world.interview(transcript="问:你分管哪些工作?\n答:财务和后勤.")
    record = issuing.issue_document(world.ctx, "interview-record", world.inspection.id,
                                    issuing.DocumentOptions(record_id=interview.id), fonts=fonts, watermark="")
    assert record.number_text is None
    text = first_page(record.pdf_bytes)
    assert "谈话笔录" in text and "问：你分管哪些工作？" in text and "答：财务和后勤。" in text
    assert "赵立新" in text and "孙浩然" in text and "张建国" in text
    paper = issuing.issue_document(world.ctx, "working-paper", world.inspection.id,
                                   issuing.DocumentOptions(record_id=finding.id), fonts=fonts, watermark="")
    text = first_page(paper.pdf_bytes)
    assert "问题底稿" in text and "承办人" in text and "组长审签" in text and "违规使用公务用车" in text
    with pytest.raises(ValidationError, match="请选择要打印的"):
        issuing.issue_document(world.ctx, "working-paper", world.inspection.id, fonts=fonts)


def test_a_notice_is_dated_like_the_feedback_and_a_classified_one_counts_one_copy(world, fonts):
    county_case(world)
    fed = TODAY - dt.timedelta(days=40)
    notice = issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts)
    letter = issuing.issue_document(world.ctx, "clue-transfer", world.inspection.id, fonts=fonts)
    rows = {r.kind: r for r in list_issued(world.ctx, inspection_id=world.inspection.id)}
    assert rows["notice"].document_date == fed and notice.number_text.startswith(f"县委巡办〔{fed.year}〕")
    assert rows["notice"].copies is None and rows["clue-transfer"].copies == 1
    assert "000001" in first_page(letter.pdf_bytes)


def test_only_the_office_issues_a_leaders_authorization(world, fonts):
    county_case(world)
    InspectionService(world.ctx).update(world.inspection.id, stage="plan")
    leader = team_actor(world.ctx, world.inspection.id, "leader")  # the team's own leader
    with pytest.raises(PermissionDeniedError, match="出具组长授权书"):
        issuing.issue_document(leader, "authorization", world.inspection.id, fonts=fonts)
    done = issuing.issue_document(world.ctx, "authorization", world.inspection.id, fonts=fonts)
    with pytest.raises(StateError, match="一次一授权"):
        issuing.issue_document(world.ctx, "authorization", world.inspection.id, fonts=fonts, again=True)
    void_document(world.ctx, done.document_id, "组长调整")
    again = issuing.issue_document(world.ctx, "authorization", world.inspection.id, fonts=fonts)
    assert again.number_text != done.number_text


def test_names_are_never_split_across_lines(world, fonts):
    from app.services.rectifications import RectificationService

    county_case(world)
    # Titles of every length put "（欧阳建国）" at every position of a line; the name must stay whole.
    for k in range(12):
        f = world.finding(title="问题" + "察" * k, characterisation="违反规定。", responsibility="负直接责任。",
                          disposition_code="feedback_rectify")
        through_review(world.ctx, f.id)
        RectificationService(world.ctx).create(finding_id=f.id, measures="整改" + "改" * (k * 3 % 17),
                                               responsible_person="欧阳建国", deadline=TODAY + dt.timedelta(days=9))
    notice = issuing.issue_document(world.ctx, "notice", world.inspection.id, fonts=fonts, preview=True)
    with pdfplumber.open(io.BytesIO(notice.pdf_bytes)) as pdf:
        lines = [ln for p in pdf.pages for ln in (p.extract_text() or "").splitlines()]
    whole = sum(ln.count("欧阳建国") for ln in lines)
    assert whole == "".join(lines).count("欧阳建国") >= 12  # every occurrence on one line
