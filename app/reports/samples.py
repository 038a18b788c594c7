"""Realistic sample inputs for every document kind: for previews, tests and the PDF benchmarks.

Names of places and people are placeholders (××); a few rare characters (堃 㛃 喆 𠮷) are included on
purpose because real names contain them and the PDFs must not drop them.
"""

from __future__ import annotations

import datetime as dt

from .kinds import (
    Announcement,
    ClueItem,
    ClueTransferLetter,
    FeedbackReport,
    Finding,
    FindingRegister,
    InterviewRecord,
    LeaderAuthorization,
    OverdueItem,
    PlanStep,
    RectificationItem,
    RectificationNotice,
    RegisterEntry,
    ReportSection,
    ReviewStep,
    SpecialReport,
    SupervisionLetter,
    WorkingPaper,
    WorkPlan,
)
from .model import Table

D = dt.date
MARK_LEADING_GROUP = "中共××县委巡察工作领导小组文件"
MARK_OFFICE = "中共××县委巡察工作领导小组办公室"
TEAM = "县委第二巡察组"
UNIT = "××镇党委"

CATEGORIES = [
    "落实党中央重大决策部署和上级党委工作要求方面",
    "落实全面从严治党战略部署方面",
    "落实新时代党的组织路线方面",
    "落实巡察、审计等监督发现问题整改方面",
]

_FINDINGS = [
    (0, "贯彻落实乡村振兴战略不够有力",
     "镇党委对乡村振兴重点任务研究部署不够深入，2025年仅召开1次专题会议研究相关工作；"
     "全镇12个村中有5个村集体经济年收入低于10万元，产业项目“重建设、轻运营”问题突出，"
     "投资86.5万元建设的冷库自2024年6月建成后闲置至今。"),
    (0, "落实意识形态工作责任制不到位",
     "意识形态工作分析研判流于形式，2025年两次研判会议记录内容雷同；"
     "镇政府网站“政务公开”栏目最近一次更新为2025年3月，未按要求及时发布政策信息。"),
    (1, "主体责任压得不实",
     "镇党委书记与班子成员、班子成员与分管站所负责人之间的履职谈话开展不经常，"
     "2025年应开展谈话32人次，实际开展11人次，完成率仅为34.4％；对村（社区）“微腐败”问题关注不够。"),
    (1, "违反中央八项规定精神问题仍有发生",
     "抽查2024年至2025年公务接待费用报销凭证186份，其中有23份无公函、无接待清单，"
     "涉及金额4.82万元；有的干部违规在下属单位报销个人通讯费、交通费。"),
    (1, "“三重一大”决策制度执行不严格",
     "2025年该镇实施的3个50万元以上工程项目未经党委会集体研究，由分管领导签批后直接实施；"
     "个别项目存在先施工后招标、“化整为零”规避招标等问题。"),
    (2, "基层党组织建设薄弱",
     "抽查8个村党支部“三会一课”记录，有3个村存在补记、代记现象；"
     "××村党支部连续两年未按期召开组织生活会，党员发展工作程序不规范。"),
    (2, "干部队伍建设统筹不够",
     "镇机关干部平均年龄47.6岁，35岁以下年轻干部仅4名；"
     "干部教育培训针对性不强，2025年组织的6次培训中有4次为会议传达。"),
    (3, "上轮巡察反馈问题整改不到位",
     "上轮巡察反馈的17个问题中，有4个问题整改未完成；其中“村级财务管理不规范”问题"
     "在本轮巡察中仍然存在，整改存在“表面化”“纸面化”现象。"),
]


def findings(n: int = len(_FINDINGS)) -> list[Finding]:
    out = []
    for i in range(n):
        cat, summary, facts = _FINDINGS[i % len(_FINDINGS)]
        suffix = "" if i < len(_FINDINGS) else f"（第{i + 1}项）"
        out.append(Finding(
            category=CATEGORIES[cat], summary=summary + suffix, facts=facts,
            requirement="深入剖析问题原因，逐项制定整改措施，明确责任领导和责任人，建立健全长效机制",
            deadline=D(2026, 12, 31) if i % 3 else D(2027, 3, 31),
        ))
    return out


def feedback(n_findings: int = len(_FINDINGS)) -> FeedbackReport:
    return FeedbackReport(
        team=TEAM, unit=UNIT, start=D(2026, 3, 10), end=D(2026, 5, 20), addressee="中共××镇委员会",
        findings=findings(n_findings), signature="中共××县委第二巡察组", date=D(2026, 11, 21),
        assessment=[
            "××镇党委能够认真学习贯彻习近平新时代中国特色社会主义思想，贯彻落实党中央决策部署和省委、市委、"
            "县委工作要求，在推动乡村振兴、改善人居环境、化解信访矛盾等方面做了大量工作，取得了一定成效。",
            "巡察也发现，该镇党委在落实党中央重大决策部署、全面从严治党、新时代党的组织路线和巡察审计整改"
            "等方面还存在一些问题和不足。",
        ],
        requirements=[
            "××镇党委要切实提高政治站位，把巡察整改作为一项重要政治任务，党委书记要履行第一责任人职责，"
            "班子成员要按照“一岗双责”要求抓好分管领域的整改工作。",
            "对巡察移交的问题线索和信访件，要认真研究处理，做到件件有着落、事事有回音。",
        ],
        report_deadline=D(2027, 1, 20), issuer_mark=MARK_LEADING_GROUP, doc_number="县巡〔2026〕18号",
        cc=["县纪委监委", "县委组织部", "县委巡察办"], printer=MARK_OFFICE, print_date=D(2026, 11, 22),
    )


def notice() -> RectificationNotice:
    return RectificationNotice(
        addressee="中共××镇委员会", unit=UNIT,
        basis="2026年9月15日，县委第二巡察组向你镇党委反馈了巡察意见，指出了4个方面12个具体问题",
        items=[
            RectificationItem("公务接待费用报销不规范，23份凭证无公函、无接待清单",
                              "全面清理2024年以来公务接待费用，对违规报销的责令个人退回", "镇党政办",
                              D(2026, 12, 31)),
            RectificationItem("3个50万元以上工程项目未经党委会集体研究",
                              "补充履行集体决策程序，修订“三重一大”事项决策实施办法", "镇党委",
                              D(2026, 12, 31)),
            RectificationItem("村级财务管理不规范，“白条”入账问题突出",
                              "开展村级财务专项清理，规范报账流程，实行村务监督委员会审核制度", "镇农经站",
                              D(2027, 3, 31)),
        ],
        report_deadline=D(2027, 1, 15), signature="中共××县委巡察工作领导小组办公室", date=D(2026, 11, 21),
        contact="王堃", phone="0000-1234567", issuer_mark=MARK_LEADING_GROUP, doc_number="县巡〔2026〕21号",
        cc=["县纪委监委", "县委组织部"], printer=MARK_OFFICE, print_date=D(2026, 11, 21),
    )


def supervision() -> SupervisionLetter:
    return SupervisionLetter(
        issuer_mark=MARK_OFFICE, doc_number="县巡办函〔2026〕12号", addressee="中共××镇委员会", unit=UNIT,
        team=TEAM, feedback_date=D(2026, 6, 18),
        items=[
            OverdueItem("3个50万元以上工程项目未经党委会集体研究", "镇党委", D(2026, 9, 30), "已召开党委会补充研究，制度尚未修订"),
            OverdueItem("村级财务管理不规范，“白条”入账问题突出", "镇农经站", D(2026, 10, 31), "已完成5个村清理，其余7个村未启动"),
            OverdueItem("闲置冷库未盘活，造成资产浪费", "镇经济发展办", D(2026, 8, 31), "尚未提出盘活方案"),
            OverdueItem("××村党支部连续两年未按期召开组织生活会", "××村党支部", D(2026, 7, 31), "未报送整改材料"),
        ],
        reply_deadline=D(2026, 12, 10), signature=MARK_OFFICE, date=D(2026, 11, 21), contact="李喆",
        phone="0000-7654321", cc=["县委巡察工作领导小组"],
    )


def clue_transfer() -> ClueTransferLetter:
    return ClueTransferLetter(
        issuer_mark=MARK_OFFICE, doc_number="县巡办函〔2026〕15号", addressee="县纪委监委", team=TEAM, unit=UNIT,
        clues=[
            ClueItem("XC2026-02-001", "张㛃", "××镇××村党支部书记",
                     "反映其在2024年土地征收补偿中虚报冒领补偿款约12万元，并优亲厚友分配公益性岗位", "信访举报",
                     "信访件2份、谈话笔录1份"),
            ClueItem("XC2026-02-002", "陈𠮷", "××镇财政所所长",
                     "反映其违规在下属单位报销个人费用，收受工程承包人礼金", "个别谈话", "谈话笔录2份、报销凭证复印件8页"),
            ClueItem("XC2026-02-003", "刘喆", "××镇副镇长", "反映其插手工程项目招投标，为亲属承揽工程提供便利",
                     "查阅资料", "会议记录复印件3页"),
        ],
        signature=MARK_OFFICE, date=D(2026, 11, 21), reply_deadline=D(2027, 2, 28), contact="王堃",
        phone="0000-1234567",
    )


def announcement() -> Announcement:
    return Announcement(
        team=TEAM, unit=UNIT, start=D(2026, 3, 10), end=D(2026, 5, 20), phone="0000-1234567",
        signature="中共××县委第二巡察组", date=D(2026, 3, 10), postbox="××县邮政局第28号信箱（邮编：000000）",
        mailbox_location="××镇便民服务中心一楼大厅", address="××镇政府办公楼三楼301室", email="xcz2@example.cn",
    )


def special_report() -> SpecialReport:
    stats = Table([["项目", "数量", "项目", "数量"]],
                  [["个别谈话（人次）", "126", "受理信访（件）", "43"],
                   ["查阅资料（份）", "1860", "走访调研（次）", "18"],
                   ["发现问题（个）", "12", "移交线索（件）", "3"]],
                  col_widths=[3, 1.5, 3, 1.5], align=["left", "center", "left", "center"])
    return SpecialReport(
        title="关于巡察××镇党委情况的专题报告", addressee="县委巡察工作领导小组",
        intro=["根据县委巡察工作领导小组统一部署，县委第二巡察组于2026年3月10日至5月20日对××镇党委开展了常规巡察。"
               "现将巡察情况报告如下。"],
        sections=[
            ReportSection("巡察工作开展情况", [
                "巡察组紧扣“四个落实”监督重点，通过个别谈话、受理信访、查阅资料、走访调研等方式开展工作，"
                "主要情况见下表。"], table=stats),
            ReportSection("发现的主要问题", subsections=[
                ReportSection(CATEGORIES[i], [_FINDINGS[j][2]]) for i, j in ((0, 0), (1, 3), (2, 5), (3, 7))
            ]),
            ReportSection("问题线索情况", ["巡察期间共发现问题线索3件，涉及村党支部书记1人、镇财政所所长1人、副镇长1人，"
                                        "拟移交县纪委监委处置。"]),
            ReportSection("意见建议", [
                "建议县委责成××镇党委认真抓好巡察反馈问题整改，县纪委监委、县委组织部加强日常监督，"
                "县委巡察办跟踪督办整改进展，适时开展“回头看”。"]),
        ],
        signature="中共××县委第二巡察组", date=D(2026, 6, 5), issuer_mark=None, signers=["赵喆"],
        doc_number="县委二巡〔2026〕5号", secrecy="机密★1年",
    )


def special_report_with_head() -> SpecialReport:
    from dataclasses import replace

    return replace(special_report(), issuer_mark="中共××县委第二巡察组文件")


def register(n: int = 24) -> FindingRegister:
    statuses = ["整改中", "已完成", "已销号", "未整改"]
    entries = []
    for i, f in enumerate(findings(n)):
        entries.append(RegisterEntry(
            number=f"XC2026-02-{i + 1:03d}", category=f.category.replace("方面", ""), description=f"{f.summary}。{f.facts}",
            responsible=["镇党委", "镇党政办", "镇农经站", "××村党支部"][i % 4],
            measures="制定专项整改方案，逐项明确整改措施、责任人和完成时限，建立健全相关制度",
            deadline=f.deadline, status=statuses[i % 4], remarks="挂号督办" if i % 5 == 0 else "",
        ))
    return FindingRegister(unit=UNIT, team=TEAM, as_of=D(2026, 11, 21), entries=entries,
                           note="说明：整改状态分为未整改、整改中、已完成、已销号四类；“已销号”指经巡察办审核同意销号的问题。")


def interview_record() -> InterviewRecord:
    qa = []
    for k in range(14):
        qa.append(f"问：请你介绍一下镇党委落实“三重一大”决策制度的情况，特别是{2024 + k % 2}年以来的工程项目。")
        qa.append("答：镇里的工程项目原则上都经党委会研究，但个别项目时间紧，是分管领导王堃签批后先实施、"
                  "后补程序的。相关资料在镇党政办存档，网址是https://www.example.cn/zhengwu/gongkai/2025/index.html。")
    return InterviewRecord(
        start=dt.datetime(2026, 3, 18, 9, 0), end=dt.datetime(2026, 3, 18, 11, 30), place="××镇政府三楼会议室",
        interviewers=["赵喆", "钱文静"], recorder="孙浩然", interviewee="陈𠮷", post="××镇党委副书记、镇长",
        transcript="\n".join(qa), team=TEAM,
    )


def working_paper() -> WorkingPaper:
    return WorkingPaper(
        team=TEAM, unit="××镇人民政府", number="XC2026-02-005", title=_FINDINGS[4][1], category="党的领导弱化",
        discipline="组织纪律", facts=_FINDINGS[4][2], characterisation="违反了《中国共产党纪律处分条例》第七十条的规定。",
        responsibility="镇党委书记负主要领导责任，分管副镇长刘喆负直接责任。",
        evidence=["××镇2025年党委会会议记录复印件3页", "工程项目签批单复印件5页", "对刘喆的谈话笔录1份"],
        reviews=[ReviewStep("承办人", "孙浩然", "事实清楚，建议反馈整改。", D(2026, 4, 2)),
                 ReviewStep("副组长审核", "钱文静", "同意。", D(2026, 4, 3)),
                 ReviewStep("组长审签")],
        found_on=D(2026, 3, 25), source="查阅资料", disposition="反馈整改", people=["刘喆"],
    )


def authorization() -> LeaderAuthorization:
    return LeaderAuthorization(
        leader="赵喆", team=TEAM, targets=UNIT, inspection_kind="常规巡察", leading_group="中共××县委巡察工作领导小组",
        leading_group_short="县委巡察工作领导小组", committee="县委", issuer_mark=MARK_LEADING_GROUP,
        doc_number="县委巡〔2026〕7号", date=D(2026, 3, 1), round_name="十四届县委第三轮巡察",
        start=D(2026, 3, 10), end=D(2026, 5, 20),
    )


def work_plan() -> WorkPlan:
    return WorkPlan(
        team=TEAM, targets=UNIT, inspection_kind="常规巡察", leading_group_short="县委巡察工作领导小组", committee="县委",
        focus=[("落实党的路线方针政策和党中央决策部署情况", "重点了解贯彻落实乡村振兴战略、耕地保护等情况。"),
               ("落实全面从严治党战略部署情况", "重点了解落实主体责任、监督责任和中央八项规定精神情况。"),
               ("落实新时代党的组织路线情况", "重点了解领导班子建设、干部队伍建设和基层党组织建设情况。"),
               ("落实巡视巡察、审计等监督发现问题整改情况", "重点了解上轮巡察反馈问题整改情况。")],
        leader="赵喆", deputies=["钱文静"], members=["王堃", "孙浩然", "李四", "张三"],
        steps=[PlanStep("准备阶段", D(2026, 3, 1), D(2026, 3, 9), "学习培训，了解情况，制定方案。"),
               PlanStep("了解情况阶段", D(2026, 3, 10), D(2026, 5, 20), "召开见面会，个别谈话，受理信访，查阅资料，走访调研。"),
               PlanStep("报告阶段", D(2026, 5, 21), D(2026, 6, 5), "形成巡察报告，向领导小组汇报。")],
        signature="中共××县委第二巡察组", date=D(2026, 3, 2), start=D(2026, 3, 10), end=D(2026, 5, 20),
        issuer_mark="中共××县委第二巡察组文件", doc_number="县委二巡〔2026〕1号", signers=["赵喆"],
        printer="中共××县委第二巡察组", print_date=D(2026, 3, 2),
    )


def all_samples() -> dict[str, object]:
    """One realistic input per command-line KIND."""
    return {
        "feedback": feedback(),
        "notice": notice(),
        "supervision": supervision(),
        "clue-transfer": clue_transfer(),
        "announcement": announcement(),
        "special": special_report(),
        "register": register(),
        "interview-record": interview_record(),
        "working-paper": working_paper(),
        "authorization": authorization(),
        "work-plan": work_plan(),
    }
