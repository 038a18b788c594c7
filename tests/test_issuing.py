"""Documents generated from the database (app.services.issuing), checked by what a reader sees in the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import pdfplumber
import pytest
from actors import as_inspector, through_review

from app.models import Attachment, AttachmentBlob, Clue, IssuedDocument
from app.reports import FontSet
from app.services import issuing
from app.services.attachments import AttachmentService
from app.services.clues import ClueService
from app.services.documents import IssuedDocumentService
from app.services.errors import ValidationError
from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.issuing import DocumentOptions, issue_document
from app.services.rectifications import RectificationService

TODAY = dt.date.today()
YEAR = TODAY.year


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    """The shipped fonts only: the same PDFs whatever the machine has installed."""
    fs = FontSet.bundled()
    fs.preload()
    return fs


# --- reading a PDF the way a person does ---------------------------------------------------------
def _rotated(obj: dict) -> bool:
    return obj.get("object_type") == "char" and abs(obj["matrix"][1]) > 1e-6


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text without the (rotated) watermark, all white space removed (pdfplumber reads a
    wide justification gap as a space)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [re.sub(r"\s", "", p.filter(lambda o: not _rotated(o)).extract_text() or "") for p in pdf.pages]
    return [re.sub(r"—\d+—", "", p) for p in pages]  # page numbers (— 2 —) would split a sentence


def pdf_text(data: bytes) -> str:
    return "".join(pdf_pages(data))


def table_rows(data: bytes) -> list[list[str]]:
    """Rows of every ruled table, each cell's wrapped lines joined (text order interleaves cells)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [[re.sub(r"\s", "", c or "") for c in row]
                for p in pdf.pages for t in p.filter(lambda o: not _rotated(o)).extract_tables() for row in t]


def watermark_text(data: bytes) -> str:
    """The rotated (watermark) characters, in drawing order."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(c["text"] for p in pdf.pages for c in p.chars if _rotated(c))


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [(p.width, p.height) for p in pdf.pages]


# --- data built through the services -------------------------------------------------------------
def approved_finding(world, title: str, facts: str, category: str, disposition: str = "feedback_rectify", **kw):
    """A finding through the whole 三审 chain: drafted, submitted, approved by the deputy and the leader."""
    service = FindingService(world.ctx)
    finding = world.finding(title=title, facts=facts, category_code=category, disposition_code=disposition,
                            characterisation="违反了《中国共产党纪律处分条例》的有关规定。",
                            responsibility="财务科科长王志强负直接责任。", **kw)
    through_review(world.ctx, finding.id)
    return service.get(finding.id)


def rectification(world, finding, measures: str, days: int, person: str = "张建国"):
    return RectificationService(world.ctx).create(
        finding_id=finding.id, measures=measures, responsible_person=person,
        deadline=TODAY + dt.timedelta(days=days))


class Case:
    """An inspection of 市财政局 with findings in three categories, rectifications, clues and a draft."""

    def __init__(self, world) -> None:
        self.world = world
        self.ctx = world.ctx
        # Past the fieldwork and the feedback: every kind may be issued (each has the stage it belongs to).
        InspectionService(world.ctx).update(
            world.inspection.id, stage="rectification", start_date=TODAY - dt.timedelta(days=100),
            end_date=TODAY - dt.timedelta(days=10), feedback_date=TODAY, announcement_phone="0768-2512649",
            announcement_mailbox="云川市第22号邮政信箱", announcement_address="市财政局一楼接待室",
            announcement_email="xcz1@yunchuan.example")
        self.car = approved_finding(world, "违规使用公务用车", "局机关公务用车多次在节假日驶入景区，累计里程约4200公里。",
                                    "gov_eight_rules")
        self.meals = approved_finding(world, "超标准公务接待", "2025年公务接待中有23次超出标准，涉及金额4.82万元。",
                                      "gov_eight_rules")
        self.decisions = approved_finding(world, "三重一大决策程序不规范", "3个50万元以上项目未经党组会集体研究。",
                                          "lead_major_matters")
        self.staffing = approved_finding(world, "超职数配备干部", "2024年超职数配备副科级干部2名。", "sel_staffing")
        # About one person: goes to the 纪委监委 as a clue, never into the feedback read out to the unit.
        self.bribe = approved_finding(world, "科长收受服务对象礼金", "王志强收受礼金2万元。", "gov_integrity_risk",
                                      disposition="clue_transfer")
        self.draft = world.finding(title="尚在审核的问题", facts="底稿尚未审签。", category_code="gov_finance")
        self.car_fix = rectification(world, self.car, "清理公车使用台账，建立车辆使用审批制度", 10)
        self.meals_fix = rectification(world, self.meals, "责令个人退赔超标准接待费用", 20)
        self.decisions_fix = rectification(world, self.decisions, "修订党组议事规则，补充集体决策程序", 90)
        self.staffing_fix = rectification(world, self.staffing, "按编制限额逐步消化超配干部", 15)
        RectificationService(world.ctx).complete(self.staffing_fix.id, evidence="已消化超配干部2名")
        clues = ClueService(world.ctx)
        self.clue = clues.create(inspection_id=world.inspection.id, finding_id=self.bribe.id, subject_name="王志强",
                                 subject_post="财务科科长", summary="反映其收受服务对象礼金2万元，并违规报销个人费用。")
        self.org_clue = clues.create(inspection_id=world.inspection.id, subject_name="李红梅", subject_post="副局长",
                                     summary="反映其在干部选拔中违规操作。", handed_to="市委组织部")

    @property
    def id(self):
        return self.world.inspection.id


@pytest.fixture
def case(world) -> Case:
    return Case(world)


def issue(case: Case, kind: str, fonts: FontSet, options: DocumentOptions | None = None, **kw):
    return issue_document(case.ctx, kind, case.id, options, fonts=fonts, **kw)


def counts(ctx) -> tuple[int, int, int]:
    with ctx.db.read() as session:
        return (session.query(IssuedDocument).count(), session.query(Attachment).count(),
                session.query(AttachmentBlob).count())


NUMBER = re.compile(r"(市委巡办函|市委巡办|市委巡|市委一巡)〔(\d{4})〕(\d+)号")


# --- issuing: the number on the page, the stored PDF ---------------------------------------------
def test_feedback_prints_the_recorded_number_and_keeps_the_pdf(case, fonts):
    result = issue(case, "feedback", fonts)
    record = IssuedDocumentService(case.ctx).get(result.document_id)
    assert result.number_text == record.number_text == f"市委巡〔{YEAR}〕1号"
    first = pdf_pages(result.pdf_bytes)[0]
    assert NUMBER.search(first).group(0) == record.number_text
    assert record.kind == "feedback" and record.inspection_id == case.id
    assert record.recipient == "市财政局党组"
    assert record.title == "市委第一巡察组关于巡察市财政局党组的反馈意见"
    assert AttachmentService(case.ctx).read_bytes(record.attachment_id) == result.pdf_bytes
    attachment = AttachmentService(case.ctx).get(record.attachment_id)
    assert attachment.owner_kind == issuing.ATTACHMENT_OWNER_KIND and attachment.owner_id == record.id
    assert attachment.filename.endswith(".pdf") and attachment.media_type == "application/pdf"
    assert result.page_count == len(page_sizes(result.pdf_bytes))


def test_feedback_groups_the_approved_findings_by_top_level_category(case, fonts):
    text = pdf_text(issue(case, "feedback", fonts).pdf_bytes)
    assert text.startswith("市委巡察工作领导小组文件")
    assert "市财政局党组：" in text
    # Headings in the order of the profile's framework (四个落实 by default): 党的路线方针政策和党中央
    # 决策部署 → 全面从严治党 → 新时代党的组织路线 (选人用人 belongs to it).
    lead, strict, cadres = (text.index(f"（{n}）{h}方面") for n, h in
                            (("一", "落实党的路线方针政策和党中央决策部署"), ("二", "落实全面从严治党战略部署"),
                             ("三", "落实新时代党的组织路线")))
    assert lead < strict < cadres
    assert lead < text.index("三重一大决策程序不规范") < strict
    assert strict < text.index("违规使用公务用车") < text.index("超标准公务接待") < cadres
    for facts in ("累计里程约4200公里", "涉及金额4.82万元", "未经党组会集体研究", "超职数配备副科级干部2名"):
        assert facts in text
    assert "整改要求：清理公车使用台账，建立车辆使用审批制度。" in text
    assert f"整改时限：{TODAY + dt.timedelta(days=10):%Y年%-m月%-d日}前" in text
    # A clue about a person and an unapproved draft stay out.
    assert "收受服务对象礼金" not in text and "尚在审核的问题" not in text
    assert "抄送：市纪委监委，市委组织部，市委巡察办。" in text
    assert "None" not in text


def test_numbers_rise_by_one_and_a_failed_render_gives_its_number_back(case, fonts, monkeypatch):
    first = issue(case, "feedback", fonts)
    before = counts(case.ctx)

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    with monkeypatch.context() as m:
        m.setattr(issuing, "render_built", broken)
        with pytest.raises(RuntimeError):
            issue(case, "feedback", fonts, again=True)
    assert counts(case.ctx) == before  # no document, no attachment, no blob
    second = issue(case, "feedback", fonts, again=True)
    third = issue(case, "authorization", fonts)  # same issuer code 市委巡 (the leading group): one sequence
    seq = [int(NUMBER.search(r.number_text).group(3)) for r in (first, second, third)]
    assert seq == [1, 2, 3]
    notice = issue(case, "notice", fonts)  # 市委巡办 numbers on its own
    assert notice.number_text == f"市委巡办〔{YEAR}〕1号"
    special = issue(case, "special", fonts)  # the team's own 上行文: 市委一巡
    assert special.number_text == f"市委一巡〔{YEAR}〕1号"


def test_a_failure_while_storing_also_rolls_the_number_back(case, fonts, monkeypatch):
    def refuse(*_a, **_k):
        raise ValidationError("附件存储失败")

    monkeypatch.setattr(AttachmentService, "attach_bytes_in", refuse)
    with pytest.raises(ValidationError):
        issue(case, "notice", fonts)
    monkeypatch.undo()
    assert counts(case.ctx)[0] == 0
    assert issue(case, "notice", fonts).number_text == f"市委巡办〔{YEAR}〕1号"


def test_preview_records_nothing_and_leaves_the_number_blank(case, fonts):
    before = counts(case.ctx)
    result = issue(case, "feedback", fonts, preview=True)
    assert result.number_text is None and result.document_id is None
    assert counts(case.ctx) == before
    first = pdf_pages(result.pdf_bytes)[0]
    assert f"市委巡〔{YEAR}〕号" in first and not NUMBER.search(first)
    assert issue(case, "feedback", fonts).number_text == f"市委巡〔{YEAR}〕1号"


# --- each kind ------------------------------------------------------------------------------------
def test_notice_lists_the_findings_sent_for_rectification(case, fonts):
    result = issue(case, "notice", fonts)
    text = pdf_text(result.pdf_bytes)
    assert text.startswith("市委巡察工作领导小组办公室文件")
    assert NUMBER.search(text).group(0) == result.number_text
    assert "关于抓好巡察市财政局党组反馈问题整改工作的通知" in text and "市财政局党组：" in text
    assert "其中3个方面4个问题需要你单位整改落实" in text
    for title in ("违规使用公务用车", "超标准公务接待", "三重一大决策程序不规范", "超职数配备干部"):
        assert title in text
    assert "责令个人退赔超标准接待费用" in text and "责任单位：市财政局（张建国）" in text
    assert "收受服务对象礼金" not in text
    assert f"请于{TODAY + dt.timedelta(days=60):%Y年%-m月%-d日}前将整改落实情况书面报送市委巡察办" in text


def test_supervision_lists_exactly_the_overdue_items(case, fonts):
    later = TODAY + dt.timedelta(days=30)
    # Overdue by then: the car (10 days) and the meals (20); not the decisions (90 days), nor the
    # staffing item (15 days, but reported complete).
    result = issue(case, "supervision", fonts, DocumentOptions(date=later))
    text = pdf_text(result.pdf_bytes)
    assert NUMBER.search(text).group(0) == result.number_text
    assert "仍有2项问题超过整改时限未完成整改" in text
    rows = [r for r in table_rows(result.pdf_bytes) if r[0].isdigit()]
    # By deadline, with the unit and person responsible and the days overdue on the 30th day.
    assert [r[1:5] for r in rows] == [
        ["违规使用公务用车", "市财政局（张建国）", f"{TODAY + dt.timedelta(days=10):%Y年%-m月%-d日}", "20"],
        ["超标准公务接待", "市财政局（张建国）", f"{TODAY + dt.timedelta(days=20):%Y年%-m月%-d日}", "10"],
    ]
    assert "三重一大决策程序不规范" not in text and "超职数配备干部" not in text


def test_supervision_refuses_when_nothing_is_overdue(case, fonts):
    with pytest.raises(ValidationError, match="没有逾期未完成的整改事项"):
        issue(case, "supervision", fonts)
    assert counts(case.ctx)[0] == 0


def test_clue_transfer_lists_the_clues_and_hands_them_over(case, fonts):
    result = issue(case, "clue-transfer", fonts)
    text = pdf_text(result.pdf_bytes)
    assert "机密" in text and NUMBER.search(text).group(0) == result.number_text
    assert "市纪委监委：" in text and "问题线索移交清单" in text and "1件问题线索移交你委" in text
    listed = [r for r in table_rows(result.pdf_bytes) if r[0].isdigit()]
    assert [r[2:5] for r in listed] == [["王志强", "市财政局财务科科长", "反映其收受服务对象礼金2万元，并违规报销个人费用。"]]
    assert "李红梅" not in text  # marked for the 组织部: a letter of its own
    clue = ClueService(case.ctx).get(case.clue.id)
    assert clue.transfer_document_id == result.document_id
    assert (clue.status, clue.handed_to, clue.handed_over_on) == ("handed_over", "市纪委监委", TODAY)
    to_org = issue(case, "clue-transfer", fonts, DocumentOptions(addressee="市委组织部"))
    text = pdf_text(to_org.pdf_bytes)
    assert "市委组织部：" in text and "1件问题线索移交你部" in text and "王志强" not in text
    assert [r[2] for r in table_rows(to_org.pdf_bytes) if r[0].isdigit()] == ["李红梅"]


def test_announcement_takes_the_contacts_from_the_inspection_and_no_number(case, fonts):
    before = counts(case.ctx)
    result = issue(case, "announcement", fonts)
    assert result.number_text is None and result.document_id is None and counts(case.ctx) == before
    text = pdf_text(result.pdf_bytes)
    assert text.startswith("市委第一巡察组巡察公告")
    for part in ("值班电话：0768-2512649", "云川市第22号邮政信箱", "市财政局一楼接待室", "xcz1@yunchuan.example",
                 "对市财政局党组开展常规巡察"):
        assert part in text
    assert not watermark_text(result.pdf_bytes)  # public: no watermark by default


def test_special_report_carries_the_statistics_and_the_signer(case, fonts):
    result = issue(case, "special", fonts)
    text = pdf_text(result.pdf_bytes)
    assert NUMBER.search(text).group(0) == result.number_text
    assert "签发人：赵立新" in text and "市委巡察工作领导小组：" in text
    # The problems fed back (four: the clue about a person is counted as a clue, the draft not yet).
    assert "发现问题（个）4" in text
    assert "问题线索（件）2" in text
    assert "落实全面从严治党战略部署方面" in text and "违规使用公务用车" in text
    assert "巡察期间共发现问题线索2件" in text and "None" not in text


def test_register_is_a_landscape_table_of_every_finding_and_not_numbered(case, fonts):
    before = counts(case.ctx)
    result = issue(case, "register", fonts)
    assert result.number_text is None and result.document_id is None and counts(case.ctx) == before
    assert all(w > h for w, h in page_sizes(result.pdf_bytes))
    text = pdf_text(result.pdf_bytes)
    assert "市财政局党组巡察发现问题整改台账" in text and "问题总数：6个" in text
    for title in ("违规使用公务用车", "科长收受服务对象礼金", "尚在审核的问题"):
        assert title in text
    assert "已完成" in text and "底稿" in text


def test_the_options_a_leader_edits_are_what_is_printed(case, fonts):
    defaults = issuing.default_options(case.ctx, "feedback", case.id)
    assert defaults.addressee == "市财政局党组" and defaults.signature == "市委第一巡察组"
    assert defaults.date == TODAY and defaults.cc == ["市纪委监委", "市委组织部", "市委巡察办"]
    assert any("落实全面从严治党战略部署" in p for p in defaults.assessment)
    chosen = DocumentOptions(
        addressee="中共云川市财政局党组", assessment=["该局党组总体上能够履行管党治党政治责任。"],
        requirements=["请于两个月内报送整改情况。"], cc=[], date=dt.date(YEAR, 12, 1),
        finding_ids=[case.car.id],
    )
    result = issue(case, "feedback", fonts, chosen)
    text = pdf_text(result.pdf_bytes)
    assert "中共云川市财政局党组：" in text and "该局党组总体上能够履行管党治党政治责任。" in text
    assert "请于两个月内报送整改情况。" in text and f"{YEAR}年12月1日" in text
    assert "违规使用公务用车" in text and "超标准公务接待" not in text
    assert "抄送" not in text


# --- watermark -----------------------------------------------------------------------------------
def test_confidential_kinds_carry_the_exporter_and_time_by_default(world, case, fonts):
    leader = as_inspector(world.ctx, world.leader.id, "leader", "赵立新")
    for kind in ("feedback", "clue-transfer", "special", "register"):
        assert kind in issuing.CONFIDENTIAL_KINDS
        result = issue_document(leader, kind, case.id, fonts=fonts, preview=True)
        mark = watermark_text(result.pdf_bytes)
        assert "赵立新" in mark and TODAY.isoformat() in mark, kind
        plain = issue_document(leader, kind, case.id, fonts=fonts, preview=True, watermark="")
        assert watermark_text(plain.pdf_bytes) == "", kind
    notice = issue_document(leader, "notice", case.id, fonts=fonts, preview=True)
    assert watermark_text(notice.pdf_bytes) == ""
    own = issue_document(leader, "notice", case.id, fonts=fonts, preview=True, watermark="内部资料 注意保密")
    assert "内部资料" in watermark_text(own.pdf_bytes)


# --- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [uuid.uuid4(), "not-an-id"])
def test_an_unknown_inspection_is_refused(ctx, fonts, bad):
    with pytest.raises(ValidationError, match="找不到编号为"):
        issue_document(ctx, "feedback", bad, fonts=fonts)


def test_an_unknown_kind_is_refused(case, fonts):
    with pytest.raises(ValidationError, match="未知的文书种类「memo」"):
        issue(case, "memo", fonts)


def test_an_inspection_without_approved_findings_has_no_feedback(world, fonts):
    world.finding(title="尚未审签", facts="底稿。")
    with pytest.raises(ValidationError, match="尚未完成三审") as err:
        issue_document(world.ctx, "feedback", world.inspection.id, fonts=fonts)
    assert "\n" not in err.value.message
    assert counts(world.ctx)[0] == 0


def test_kinds_with_nothing_to_list_are_refused(world, fonts):
    ctx, iid = world.ctx, world.inspection.id
    for kind, message in (("notice", "没有需要反馈整改的问题"), ("clue-transfer", "没有登记问题线索"),
                          ("register", "还没有登记问题"), ("announcement", "公告电话"),
                          ("special", "还没有工作记录")):
        with pytest.raises(ValidationError, match=message):
            issue_document(ctx, kind, iid, fonts=fonts)
    rectification(world, approved_finding(world, "问题", "事实。", "gov_finance"), "整改", 1)
    with pytest.raises(ValidationError, match="反馈日期"):
        issue_document(ctx, "supervision", iid, DocumentOptions(date=TODAY + dt.timedelta(days=5)), fonts=fonts)
    assert counts(ctx)[0] == 0


def test_party_organisations_follow_the_kind_of_unit():
    from app.models import Unit

    cases = [("市财政局", "gov_dept", None, "市财政局党组"), ("市委组织部", "party_dept", None, "市委组织部"),
             ("市交通投资建设集团有限公司", "soe", "交投集团", "市交通投资建设集团有限公司党委"),
             ("安集镇人民政府", "township", "安集镇", "安集镇党委"), ("石坪街道办事处", "township", None, "石坪街道党工委"),
             ("平口村村民委员会", "village", "平口村", "平口村党支部"), ("花岗社区居民委员会", "village", None, "花岗社区党委"),
             ("云川经济技术开发区管理委员会", "other", None, "云川经济技术开发区党工委")]
    for name, kind, short, org in cases:
        assert issuing.party_organisation(Unit(name=name, kind=kind, short_name=short)) == org


def test_the_stored_clue_links_survive_a_preview(case, fonts):
    issue(case, "clue-transfer", fonts, preview=True)
    with case.ctx.db.read() as session:
        assert session.get(Clue, case.clue.id).transfer_document_id is None
