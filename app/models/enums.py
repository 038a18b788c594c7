"""Fixed vocabularies of the workflow, with the Chinese a user sees.

Lists that users may extend (problem categories, disciplines, dispositions, four forms, document
kinds, expertise) are reference data in resources/reference, not here.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry their Chinese label."""

    label: str

    # `label` has a default only for type checkers: looking a member up by value (`Stage(code)`)
    # reads as a call with one argument.
    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, value: str | None) -> str:
        if value is None:
            return ""
        try:
            return cls(value).label
        except ValueError:
            # A code from a newer version: show it rather than fail.
            return value


class UnitKind(LabelledEnum):
    PARTY_DEPT = "party_dept", "党委工作部门"
    GOV_DEPT = "gov_dept", "政府部门"
    MASS_ORG = "mass_org", "人民团体"
    SOE = "soe", "国有企业"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"
    TOWNSHIP = "township", "乡镇（街道）"
    VILLAGE = "village", "行政村（社区）"
    OTHER = "other", "其他"


class InspectionKind(LabelledEnum):
    REGULAR = "regular", "常规巡察"
    SPECIAL = "special", "专项巡察"
    AD_HOC = "ad_hoc", "机动巡察"
    CROSS = "cross", "交叉巡察"
    FOLLOW_UP = "follow_up", "回头看"


class Stage(LabelledEnum):
    PLAN = "plan", "制定方案"
    ANNOUNCE = "announce", "巡察公告"
    ARRIVE = "arrive", "进驻"
    FIELDWORK = "fieldwork", "开展工作"
    REPORT = "report", "专题报告"
    FEEDBACK = "feedback", "反馈问题"
    HANDOVER = "handover", "移交线索"
    RECTIFICATION = "rectification", "督促整改"
    FOLLOW_UP = "follow_up", "回头看"
    CLOSED = "closed", "已结束"


class TeamRole(LabelledEnum):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "组员"
    LIAISON = "liaison", "联络员"


class UserRole(LabelledEnum):
    MEMBER = "member", "组员"
    DEPUTY = "deputy", "副组长"
    LEADER = "leader", "组长"
    ADMIN = "admin", "管理员"


class ChecklistKind(LabelledEnum):
    MUST_CHECK = "must_check", "五必查"
    MUST_ASK = "must_ask", "六必问"
    MUST_TALK = "must_talk", "四必谈"


class ChecklistStatus(LabelledEnum):
    OPEN = "open", "未完成"
    DONE = "done", "已完成"
    NOT_APPLICABLE = "not_applicable", "不适用"


class InterviewKind(LabelledEnum):
    INDIVIDUAL = "individual", "个别谈话"
    GROUP = "group", "分类座谈"
    INTERVIEW_TALK = "admonition_meeting", "约谈"
    REMINDER = "reminder", "提醒谈话"
    WARNING = "warning", "诫勉谈话"


class PetitionChannel(LabelledEnum):
    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    WEB = "web", "网络举报"
    MAILBOX = "mailbox", "意见箱"
    HOTLINE = "hotline_12345", "12345热线"


class PetitionStatus(LabelledEnum):
    REGISTERED = "registered", "已登记"
    VERIFYING = "verifying", "核实中"
    TRANSFERRED = "transferred", "已转办"
    CONCLUDED = "concluded", "已办结"


class Severity(LabelledEnum):
    GENERAL = "general", "一般"
    MAJOR = "major", "较重"
    SERIOUS = "serious", "严重"


class ReviewState(LabelledEnum):
    """The 三审 chain: 承办人签字 → 副组长审核 → 组长审签."""

    DRAFT = "draft", "底稿"
    SUBMITTED = "submitted", "待副组长审核"
    DEPUTY_APPROVED = "deputy_approved", "待组长审签"
    APPROVED = "approved", "已审签"
    RETURNED = "returned", "已退回"


class ReviewAction(LabelledEnum):
    SUBMIT = "submit", "承办人提交"
    DEPUTY_APPROVE = "deputy_approve", "副组长审核通过"
    LEADER_APPROVE = "leader_approve", "组长审签"
    RETURN = "return", "退回"


class FindingStatus(LabelledEnum):
    OPEN = "open", "待处置"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"
    TRANSFERRED = "transferred", "已移交"
    CLOSED = "closed", "已销号"


class SourceKind(LabelledEnum):
    INTERVIEW = "interview", "个别谈话"
    PETITION = "petition", "信访举报"
    DOCUMENT_REVIEW = "document_review", "查阅资料"
    VISIT = "visit", "走访"
    CHECKLIST = "checklist", "必查事项"
    OTHER = "other", "其他"


class ClueStatus(LabelledEnum):
    PENDING = "pending", "待移交"
    HANDED_OVER = "handed_over", "已移交"
    CONCLUDED = "concluded", "已办结"


class ClueOutcomeKind(LabelledEnum):
    INITIAL_CHECK = "initial_check", "初步核实"
    CASE_FILED = "case_filed", "立案审查"
    DISCIPLINED = "disciplined", "党纪政务处分"
    ORGANISATIONAL = "organisational", "组织处理"
    CLOSED_NO_ACTION = "closed", "予以了结"


class RectificationStatus(LabelledEnum):
    PENDING = "pending", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    COMPLETED = "completed", "已完成待销号"
    CLOSED = "closed", "已销号"


class GroupTalkCategory(LabelledEnum):
    """Who a 分类座谈 brings together: one category of people at a time."""

    MIDDLE_CADRES = "middle_cadres", "中层干部"
    GENERAL_STAFF = "general_staff", "一般干部职工"
    YOUNG_CADRES = "young_cadres", "年轻干部"
    RETIRED = "retired", "离退休干部"
    PARTY_MEMBERS = "party_members", "党员代表"
    GRASSROOTS = "grassroots", "基层干部群众"
    SERVICE_USERS = "service_users", "服务对象"
    OTHER = "other", "其他"


class SurveyKind(LabelledEnum):
    DEMOCRATIC_EVALUATION = "democratic_evaluation", "民主测评"
    QUESTIONNAIRE = "questionnaire", "问卷调查"


class MeetingKind(LabelledEnum):
    """The two meetings that open and close the team's stay: 进驻见面会 and 巡察反馈会."""

    ARRIVAL = "arrival", "见面会"
    FEEDBACK = "feedback", "反馈会"
