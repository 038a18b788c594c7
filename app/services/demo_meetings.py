"""Demo data for the team's collective records: the 见面会 on arrival, 听取汇报, 分类座谈, a 民主测评
(and sometimes a 问卷), and the 反馈会 once the inspection has reached feedback.

Written after everything else, from a random stream and an id stream of their own, so adding
them left every other demo row (ids included) exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.models import Briefing, GroupTalk, InspectionMeeting, Survey
from app.models.enums import GroupTalkCategory, MeetingKind, Stage, SurveyKind

if TYPE_CHECKING:  # the demo module imports this one at run time, never the other way round
    from .demo import _Generator, _Inspection, _Rng, _Unit

_TALKS_ORG = (
    (GroupTalkCategory.MIDDLE_CADRES, ("办公室主任", "财务科科长", "人事科科长", "业务科科长", "法规科科长", "机关党委专职副书记")),
    (GroupTalkCategory.GENERAL_STAFF, ("科员", "一级科员", "四级主任科员", "办事员", "会计", "出纳")),
    (GroupTalkCategory.YOUNG_CADRES, ("科员", "选调生", "一级科员", "团支部书记")),
    (GroupTalkCategory.RETIRED, ("原副局长", "原办公室主任", "原调研员", "离休干部")),
    (GroupTalkCategory.SERVICE_USERS, ("企业代表", "办事群众", "个体工商户", "项目单位代表")),
)
_TALKS_GRASS = (
    (GroupTalkCategory.GRASSROOTS, ("村民小组长", "村民代表", "网格员", "种养大户")),
    (GroupTalkCategory.PARTY_MEMBERS, ("老党员", "党员代表", "村务监督委员会委员", "退休教师")),
    (GroupTalkCategory.MIDDLE_CADRES, ("站所负责人", "党政办主任", "财政所所长", "农业服务中心主任")),
)
_TALK_NOTES = (
    "与会人员普遍认为班子团结、工作有力；也反映{area}方面制度执行不够严格，个别事项未经集体研究。",
    "有同志反映干部选拔任用透明度不高，年轻干部交流锻炼机会少；对机关作风建设总体评价较好。",
    "与会人员反映部分惠民资金发放不够及时，公示不到位；希望巡察组关注{area}方面的问题。",
    "座谈中有人提出单位公务接待、公车使用仍有不规范现象，对上轮巡察整改成效评价一般。",
    "与会人员对单位落实全面从严治党主体责任评价较好，建议进一步加强对下属单位的监督。",
)
_BRIEFING_CONCERNS = (
    "汇报对存在问题谈得不深不透，需结合查阅资料进一步核实。",
    "汇报提到的{area}工作有关数据需与财务账目核对。",
    "上轮巡察反馈问题的整改情况汇报较简略，需重点了解。",
    None,
)
_SURVEY_ITEMS = ("领导班子总体评价", "落实全面从严治党主体责任", "选人用人工作", "作风建设", "主要负责人履职情况")
_QUESTIONNAIRE_ITEMS = ("对单位服务态度的评价", "对办事效率的评价", "对政务公开的评价")
_AREAS = ("财务管理", "项目建设", "干部管理", "政务服务", "资金使用")


def write_meetings(gen: _Generator, ids_rng: _Rng) -> None:
    from .demo import _Ids

    rng = gen.rng("meetings")
    ids = _Ids(ids_rng)
    for insp in gen.inspections:
        if insp.reached(Stage.ARRIVE) and insp.start <= _base_date() and insp.units:
            _Writer(gen, rng, ids, insp).write()


def _base_date() -> dt.date:
    from .demo import BASE_DATE

    return BASE_DATE


class _Writer:
    def __init__(self, gen: _Generator, rng: _Rng, ids: Any, insp: _Inspection) -> None:
        from .demo import NOW, _at

        self.gen, self.rng, self.ids, self.insp = gen, rng, ids, insp
        self._at, self._latest = _at, NOW - dt.timedelta(hours=1)

    def when(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return min(self._at(day, hour, minute), self._latest)

    def add(self, model: type, held: dt.datetime, **values: Any) -> None:
        created = held + dt.timedelta(hours=self.rng.randint(1, 5))
        self.gen.w.record(model, created, record_id=self.ids.at(created), inspection_id=self.insp.id, held_at=held,
                          **values)

    def write(self) -> None:
        insp, rng = self.insp, self.rng
        main = insp.units[0]
        principal = main.role("p")
        leader, deputy = insp.leader, insp.deputy
        self.add(InspectionMeeting, self.when(insp.start, 9), unit_id=main.id, kind=MeetingKind.ARRIVAL,
                 place=f"{main.short}机关会议室", host=principal.name, attendee_count=rng.randint(30, 90),
                 attendees=f"{main.short}领导班子成员、中层以上干部及干部职工代表",
                 content=(f"{insp.team_name}组长{leader.name}作动员讲话，通报巡察工作安排、监督重点和联系方式；"
                          f"{principal.name}作表态发言，表示全力支持配合巡察工作。"))
        for n, unit in enumerate(insp.units[:3]):
            reporter = unit.role("p")
            day = _next_workday(insp.start + dt.timedelta(days=n))
            concern = rng.pick(_BRIEFING_CONCERNS)
            self.add(Briefing, self.when(day, 14, 30), unit_id=unit.id, place=f"{unit.short}机关会议室",
                     reporter_name=reporter.name, reporter_post=reporter.post,
                     listener_ids=[str(i.id) for i in dict.fromkeys((leader, deputy, *insp.members[:2]))],
                     content=(f"{reporter.name}汇报了{unit.short}近三年贯彻落实党中央决策部署和上级工作要求、"
                              "落实全面从严治党主体责任、领导班子自身建设、上轮巡察整改等情况。"),
                     concerns=concern.format(area=rng.pick(_AREAS)) if concern else None)
        self._group_talks(main)
        self._surveys(main)
        if insp.reached(Stage.FEEDBACK) and insp.feedback <= _base_date():
            self.add(InspectionMeeting, self.when(insp.feedback, 10), unit_id=main.id, kind=MeetingKind.FEEDBACK,
                     place=f"{main.short}机关会议室", host=principal.name, attendee_count=rng.randint(20, 60),
                     attendees=f"{main.short}领导班子成员及中层干部",
                     content=(f"{insp.team_name}组长{leader.name}反馈巡察意见，指出存在的主要问题并提出整改要求；"
                              f"{principal.name}代表{main.org}作表态发言。"))

    def _group_talks(self, unit: _Unit) -> None:
        from .demo import _name

        insp, rng = self.insp, self.rng
        kinds = _TALKS_GRASS if unit.grass else _TALKS_ORG
        for category, posts in rng.sample(kinds, min(len(kinds), rng.randint(1, 3))):
            present = rng.randint(5, 12)
            attendees = [f"{_name(rng, rng.chance(0.55))}（{rng.pick(posts)}）" for _ in range(present)]
            day = rng.workday_between(insp.start + dt.timedelta(days=2), insp.last_work_day)
            hosts = rng.sample(insp.members, 2 if len(insp.members) >= 2 else 1)
            self.add(GroupTalk, self.when(day, 15, 0), unit_id=unit.id, place=f"{unit.short}二楼会议室",
                     category=category, host_ids=[str(i.id) for i in hosts],
                     invited_count=present + rng.randint(0, 3), attendees=list(dict.fromkeys(attendees)),
                     notes=rng.pick(_TALK_NOTES).format(area=rng.pick(_AREAS)))

    def _surveys(self, unit: _Unit) -> None:
        insp, rng = self.insp, self.rng
        if not insp.reached(Stage.FIELDWORK):
            return
        day = _next_workday(min(insp.start + dt.timedelta(days=rng.randint(1, 4)), insp.last_work_day))
        distributed = rng.randint(40, 90)
        returned = distributed - rng.randint(0, 3)
        valid = returned - rng.randint(0, 2)
        self.add(Survey, self.when(day, 10, 30), unit_id=unit.id, kind=SurveyKind.DEMOCRATIC_EVALUATION,
                 title=f"{unit.short}领导班子和领导干部民主测评", subject=f"{unit.short}领导班子",
                 distributed=distributed, returned=returned, valid=valid, scale=["好", "较好", "一般", "差"],
                 results=[{"item": item, "counts": _ballots(rng, valid)} for item in _SURVEY_ITEMS],
                 notes="测评结果总体较好；“选人用人工作”“作风建设”两项“一般”和“差”的票数相对较多，需在谈话中进一步了解。")
        if rng.chance(0.4):
            handed = rng.randint(80, 200)
            back = handed - rng.randint(5, 30)
            self.add(Survey, self.when(_next_workday(day + dt.timedelta(days=3)), 16), unit_id=unit.id,
                     kind=SurveyKind.QUESTIONNAIRE, title=f"{unit.short}服务对象满意度问卷调查", subject="服务对象",
                     distributed=handed, returned=back, valid=back, scale=["满意", "基本满意", "不满意", "不了解"],
                     results=[{"item": item, "counts": _ballots(rng, back)} for item in _QUESTIONNAIRE_ITEMS],
                     notes=None)


def _ballots(rng: _Rng, valid: int) -> list[int]:
    """Votes over four grades, mostly in the top two, summing to at most `valid`."""
    cast = valid - rng.randint(0, 2)
    top = int(cast * (0.55 + 0.3 * rng.random()))
    second = int((cast - top) * (0.5 + 0.4 * rng.random()))
    third = int((cast - top - second) * 0.7)
    return [top, second, third, max(0, cast - top - second - third)]


def _next_workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day
