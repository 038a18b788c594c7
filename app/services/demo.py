"""Deterministic demo data: three years of a 市's 巡察 work, from the unit directory to close-out.

`generate_demo` fills an empty, migrated database (reference data loaded) with a fictional city's
units and people, the 巡察人才库, rounds, inspections and teams, the fieldwork records (谈话, 信访,
查阅资料, 走访; 见面会/反馈会, 听取汇报, 分类座谈, 民主测评 in app/services/demo_meetings.py), the findings register with its 三审 chain, clues and their outcomes,
rectifications and the numbered documents. Everything is derived from the seed: ids are
UUIDv7-shaped values built from a seeded generator and the record's own timestamp, and every date
hangs off the fixed `BASE_DATE`, so the same seed always writes identical rows (benchmarks and
screenshots stay comparable).

It is sized for the performance budgets (100,000 findings, 20,000 interviews), so rows go in
through bulk inserts in chunks, in foreign-key order, with the keyword index suspended during the
load and rebuilt in one pass at the end. Everything happens in one write transaction: a failure
leaves the database as it was.

Rows are written in bulk, not through ORM objects, so the change log's own capture never sees
them; every row still gets a signed insert event from this copy, chained like any other, so the
log accounts for every row (`xuncha audit verify` replays it) and any row can travel in a package.
On SQLite those events are made while the rows are written, in a helper process
(app/services/demo_events.py); elsewhere the backfill (app/models/backfill.py) gives them after the
load. The ids and times of the events are this copy's and the clock's, not the seed's: only the
rows are identical for a seed. A demo database is marked with the settings `demo.seed` and
`demo.base_date`.

On SQLite the values are formatted for storage here (see `_sqlite_storage`, pinned against the
column types by the tests) rather than by SQLAlchemy's per-value type processing.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import JSON, Date, Table, Uuid, func, insert, select, text
from sqlalchemy.orm import Session

from app.gc_pause import paused_gc
from app.models import (
    Base,
    ChangeEvent,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Clue,
    ClueOutcome,
    DocumentReview,
    DocumentSequence,
    Finding,
    FindingReview,
    Inspection,
    InspectionRound,
    InspectionUnit,
    Inspector,
    InspectorRelation,
    Interview,
    IssuedDocument,
    OrganizationProfile,
    Petition,
    Rectification,
    ReferenceItem,
    SearchDoc,
    Setting,
    TeamAssignment,
    Unit,
    UnitPerson,
    Visit,
    backfill,
    synced_models,
)
from app.models.base import UTCDateTime, json_text
from app.models.changelog import site_id
from app.models.db import Database
from app.models.enums import (
    ChecklistStatus,
    ClueOutcomeKind,
    ClueStatus,
    FindingStatus,
    InspectionKind,
    InterviewKind,
    PetitionChannel,
    PetitionStatus,
    RectificationStatus,
    ReviewAction,
    ReviewState,
    Severity,
    SourceKind,
    Stage,
    TeamRole,
    UnitKind,
)
from app.models.profile import PROFILE_ID
from app.models.search_index import BULK_HASHSIZE, DEFAULT_HASHSIZE, hashsize_sql, rebuild_sql, suspend_sql
from app.numerals import cn_number
from app.paths import resources_dir

from .demo_events import DemoEvents, let_go_of_scratch
from .reference import DISCIPLINE, DISPOSITION, DOCUMENT_KIND, EXPERTISE, FOUR_FORM, PROBLEM_CATEGORY

T = TypeVar("T")

# ─────────────────────────────── fixed frame ───────────────────────────────

# "Today" for the demo. Stages, overdue rectifications and pending clues are all judged against it,
# never against the clock, so the data does not change from one run (or one day) to the next.
BASE_DATE = dt.date(2026, 11, 20)
_CST = dt.timezone(dt.timedelta(hours=8))  # Beijing time: working hours are local
NOW = dt.datetime(BASE_DATE.year, BASE_DATE.month, BASE_DATE.day, 18, 0, tzinfo=_CST).astimezone(dt.UTC)

CITY = "云川市"  # fictional, so demo data never names a real 市
TERM = "十二届市委"
AREA_CODE = "0768"
# Rows per bulk INSERT: big enough to amortise statement overhead, small enough to bound memory.
CHUNK_ROWS = 20_000

# Proportions of the fieldwork volume, relative to the requested findings.
PETITIONS_PER_FINDING = 0.03
REVIEWS_PER_FINDING = 0.04
VISITS_PER_FINDING = 0.025
CLUE_SHARE = 0.03  # of findings in inspections past hand-over


@dataclass(frozen=True)
class DemoReport:
    seed: int
    counts: dict[str, int]  # table name → rows written
    elapsed_seconds: float  # wall clock, including the index rebuild and the commit

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


# ─────────────────────────────── phrase tables ───────────────────────────────
# The words themselves live in resources/demo/phrases.json (lists there are tuples here); the code
# below composes them. Edit the file to change what the demo says; the ids and order stay seeded.


def _load_phrases() -> dict[str, Any]:
    def frozen(value: Any) -> Any:
        if isinstance(value, list):
            return tuple(frozen(v) for v in value)
        if isinstance(value, dict):
            return {k: frozen(v) for k, v in value.items()}
        return value

    text = (resources_dir() / "demo" / "phrases.json").read_text(encoding="utf-8")
    return {k: frozen(v) for k, v in json.loads(text).items()}


_PHRASES = _load_phrases()

# Composed rather than canned, so 100,000 findings read as a real register, not one line repeated.

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_MALE_ONE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健俊峰毅浩亮凯"
_MALE_FIRST = "建志国永振晓海春文德宏俊子浩嘉明云家立"
_MALE_SECOND = "国华军明强平伟林峰东杰波涛辉宇龙斌刚成"
_FEMALE_ONE = "芳娜敏静丽艳娟霞燕玲婷慧红梅琳雪倩颖洁晶蕾丹萍"
_FEMALE_FIRST = "秀桂玉丽晓春雪美海小红淑雅欣思佳"
_FEMALE_SECOND = "英兰芳梅华珍玲娟霞琴云萍婷敏丽莉燕"

_PLACE_A = "青石白柳桃杨龙凤金马黄东西南高新长大双花清安永太平松梅兰宝鹤云古沙枫竹溪荷"
_PLACE_B = "河山桥湾坪溪岭塘口铺店坝林岗庄集寨滩园泉川田洲冲峪"
_STREETS = _PHRASES["streets"]
_COMPANY_WORDS = _PHRASES["company_words"]
_COMPANY_SUFFIXES = _PHRASES["company_suffixes"]


@dataclass(frozen=True)
class _UnitSpec:
    name: str
    short: str
    domain: str
    profile: str
    head: str = ""
    deputy: str = ""
    head_rank: str = "正处级"


def _spec(name: str, short: str, domain: str, profile: str, head: str = "", deputy: str = "",
          head_rank: str = "正处级") -> _UnitSpec:
    return _UnitSpec(name, short, domain, profile, head, deputy, head_rank)


_PARTY_DEPTS = (
    _spec("市委办公室", "市委办", "general", "party", "市委常委、秘书长，市委办公室主任", "副主任", "副厅级"),
    _spec("市委组织部", "组织部", "personnel", "party", "市委常委、组织部部长", "副部长", "副厅级"),
    _spec("市委宣传部", "宣传部", "ideology", "party", "市委常委、宣传部部长", "副部长", "副厅级"),
    _spec("市委统战部", "统战部", "general", "party", "市委常委、统战部部长", "副部长", "副厅级"),
    _spec("市委政法委员会", "政法委", "law", "party", "市委常委、政法委书记", "副书记", "副厅级"),
    _spec("市委政策研究室", "政研室", "general", "party", "主任", "副主任"),
    _spec("市委机构编制委员会办公室", "市委编办", "personnel", "party", "主任", "副主任"),
    _spec("市直机关工作委员会", "市直机关工委", "general", "party", "书记", "副书记"),
    _spec("市委老干部局", "老干部局", "general", "party", "局长", "副局长"),
    _spec("市委网络安全和信息化委员会办公室", "市委网信办", "ideology", "party", "主任", "副主任"),
    _spec("市委党史研究室", "党史研究室", "general", "party", "主任", "副主任"),
)
_GOV_DEPTS = tuple(
    _spec(name, short, domain, "gov", *(("主任", "副主任") if name.endswith(("委员会", "办公室")) else ("局长", "副局长")))
    for name, short, domain in (
        ("市发展和改革委员会", "市发改委", "economy"),
        ("市教育局", "教育局", "education"),
        ("市科学技术局", "科技局", "economy"),
        ("市工业和信息化局", "工信局", "economy"),
        ("市公安局", "公安局", "law"),
        ("市民政局", "民政局", "civil"),
        ("市司法局", "司法局", "law"),
        ("市财政局", "财政局", "finance"),
        ("市人力资源和社会保障局", "人社局", "civil"),
        ("市自然资源和规划局", "自然资源和规划局", "resources"),
        ("市生态环境局", "生态环境局", "resources"),
        ("市住房和城乡建设局", "住建局", "construction"),
        ("市交通运输局", "交通运输局", "construction"),
        ("市水利局", "水利局", "construction"),
        ("市农业农村局", "农业农村局", "agriculture"),
        ("市商务局", "商务局", "economy"),
        ("市文化广电旅游局", "文广旅局", "ideology"),
        ("市卫生健康委员会", "卫健委", "health"),
        ("市退役军人事务局", "退役军人事务局", "civil"),
        ("市应急管理局", "应急管理局", "law"),
        ("市审计局", "审计局", "finance"),
        ("市人民政府国有资产监督管理委员会", "市国资委", "enterprise"),
        ("市市场监督管理局", "市场监管局", "law"),
        ("市统计局", "统计局", "general"),
        ("市医疗保障局", "医保局", "health"),
        ("市林业局", "林业局", "agriculture"),
        ("市城市管理局", "城管局", "construction"),
        ("市信访局", "信访局", "civil"),
        ("市行政审批服务局", "行政审批局", "economy"),
        ("市机关事务管理局", "机关事务局", "finance"),
        ("市体育局", "体育局", "general"),
        ("市粮食和物资储备局", "粮食和储备局", "economy"),
        ("市人民防空办公室", "人防办", "construction"),
        ("市数据资源管理局", "数据局", "economy"),
        ("市地方金融管理局", "金融局", "finance"),
    )
)
_MASS_ORGS = (
    _spec("市总工会", "总工会", "general", "mass", "主席", "副主席"),
    _spec("共青团云川市委员会", "团市委", "general", "mass", "书记", "副书记", "正处级"),
    _spec("市妇女联合会", "妇联", "civil", "mass", "主席", "副主席"),
    _spec("市科学技术协会", "科协", "general", "mass", "主席", "副主席"),
    _spec("市文学艺术界联合会", "文联", "ideology", "mass", "主席", "副主席"),
    _spec("市社会科学界联合会", "社科联", "ideology", "mass", "主席", "副主席"),
    _spec("市工商业联合会", "工商联", "economy", "mass", "主席", "副主席"),
    _spec("市残疾人联合会", "残联", "civil", "mass", "理事长", "副理事长"),
    _spec("市红十字会", "红十字会", "health", "mass", "常务副会长", "副会长"),
    _spec("市归国华侨联合会", "侨联", "general", "mass", "主席", "副主席"),
)
_SOES = tuple(
    _spec(name, short, "enterprise", "soe")
    for name, short in (
        ("市城市投资发展集团有限公司", "城投集团"),
        ("市交通投资建设集团有限公司", "交投集团"),
        ("市国有资本投资运营集团有限公司", "国投集团"),
        ("市水务集团有限公司", "水务集团"),
        ("市文化旅游发展集团有限公司", "文旅集团"),
        ("市农业发展投资集团有限公司", "农投集团"),
        ("市公共交通集团有限公司", "公交集团"),
        ("市产业投资发展集团有限公司", "产投集团"),
        ("市融资担保集团有限公司", "担保集团"),
        ("市粮食储备有限公司", "粮储公司"),
        ("市建设工程集团有限公司", "建工集团"),
        ("市保安服务有限公司", "保安公司"),
    )
)
_PUBLIC_INSTITUTIONS = (
    _spec("市第一人民医院", "市一医院", "health", "hospital"),
    _spec("市第二人民医院", "市二医院", "health", "hospital"),
    _spec("市中医院", "市中医院", "health", "hospital"),
    _spec("市妇幼保健院", "市妇幼保健院", "health", "hospital", head_rank="副处级"),
    _spec("市疾病预防控制中心", "市疾控中心", "health", "center", head_rank="副处级"),
    _spec("市第一中学", "市一中", "education", "school"),
    _spec("市第二中学", "市二中", "education", "school", head_rank="副处级"),
    _spec("市实验中学", "市实验中学", "education", "school", head_rank="副处级"),
    _spec("市实验小学", "市实验小学", "education", "school", head_rank="正科级"),
    _spec("市职业技术学院", "市职院", "education", "school"),
    _spec("市公共资源交易中心", "公共资源交易中心", "economy", "center", head_rank="副处级"),
    _spec("市住房公积金管理中心", "公积金中心", "finance", "center"),
    _spec("市融媒体中心", "市融媒体中心", "ideology", "center"),
    _spec("市图书馆", "市图书馆", "ideology", "center", head_rank="正科级"),
    _spec("市不动产登记中心", "不动产登记中心", "resources", "center", head_rank="副处级"),
    _spec("市社会福利院", "市社会福利院", "civil", "center", head_rank="正科级"),
    _spec("市农业科学研究院", "市农科院", "agriculture", "center", head_rank="副处级"),
    _spec("市政务服务中心", "政务服务中心", "economy", "center", head_rank="副处级"),
    _spec("市博物馆", "市博物馆", "ideology", "center", head_rank="正科级"),
    _spec("市急救中心", "市急救中心", "health", "center", head_rank="正科级"),
)
_ZONES = (
    _spec("云川经济技术开发区管理委员会", "经开区管委会", "economy", "zone"),
    _spec("云川高新技术产业开发区管理委员会", "高新区管委会", "economy", "zone"),
    _spec("云川综合保税区管理委员会", "综保区管委会", "economy", "zone", head_rank="副处级"),
)

# Posts: (post, rank, principal, leadership member, key post). Order within a list is priority.
_Post = tuple[str, str | None, bool, bool, bool]


def _lead(post: str, rank: str | None, principal: bool = False) -> _Post:
    return (post, rank, principal, True, False)


def _key(post: str, rank: str | None = "正科级") -> _Post:
    return (post, rank, False, False, True)


def _plain(post: str, rank: str | None = None) -> _Post:
    return (post, rank, False, False, False)


_DOMAIN_KEY_POSTS = _PHRASES["domain_key_posts"]
_OFFICE_STAFF: tuple[_Post, ...] = (
    _plain("一级主任科员", "一级主任科员"), _plain("四级主任科员", "四级主任科员"), _key("会计", None),
    _key("出纳", None), _plain("一级科员", "一级科员"), _plain("二级主任科员", "二级主任科员"),
    _plain("科员", "科员"), _plain("三级主任科员", "三级主任科员"),
)


_UnitPosts = tuple[list[_Post], list[_Post], list[_Post], list[_Post]]


def _posts(spec: _UnitSpec, kind: UnitKind) -> _UnitPosts:
    """(principals, leadership, key posts, others) for a unit, in the order a directory lists them."""
    hi, mid = spec.head_rank, _one_lower(spec.head_rank)
    return _POSTS_BY_PROFILE.get(spec.profile, _community_posts)(spec, hi, mid)


def _party_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [(spec.head, hi, True, True, False)]
    lead = [_lead(f"常务{spec.deputy}", "正处级")] if hi == "副厅级" else []
    lead += [_lead(spec.deputy, mid if hi != "副厅级" else "副处级"), _lead(spec.deputy, "副处级"),
             _lead("市纪委监委派驻纪检监察组组长", "副处级")]
    keys = [_key("办公室主任"), _key(_DOMAIN_KEY_POSTS[spec.domain][0]), _key("机关财务室主任")]
    others = [_plain("机关党委专职副书记", "正科级"), _plain("调研科科长", "正科级")]
    return principals, lead, keys, others + list(_OFFICE_STAFF)


def _gov_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [(f"党组书记、{spec.head}", hi, True, True, False)]
    lead = [_lead(f"党组成员、{spec.deputy}", mid), _lead(f"党组成员、{spec.deputy}", mid),
            _lead("市纪委监委派驻纪检监察组组长", mid), _lead(spec.deputy, mid), _lead("党组成员、总工程师", mid)]
    domain_keys = _DOMAIN_KEY_POSTS[spec.domain]
    keys = [_key("办公室主任"), _key("计划财务科科长"), _key(domain_keys[0]), _key("人事科科长"), _key(domain_keys[1])]
    others = [_plain("政策法规科科长", "正科级"), _plain("机关党委专职副书记", "正科级")]
    return principals, lead, keys, others + list(_OFFICE_STAFF)


def _mass_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [(f"党组书记、{spec.head}", hi, True, True, False)]
    lead = [_lead(f"党组成员、{spec.deputy}", mid), _lead(f"党组成员、{spec.deputy}", mid), _lead(spec.deputy, mid)]
    keys = [_key("办公室主任"), _key("财务室主任")]
    others = [_plain("组织宣传部部长", "正科级"), _plain("权益保障部部长", "正科级")]
    return principals, lead, keys, others + list(_OFFICE_STAFF)


def _soe_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党委书记、董事长", "正处级", True, True, False),
                  ("党委副书记、董事、总经理", "正处级", True, True, False)]
    lead = [_lead("党委委员、副总经理", "副处级"), _lead("党委委员、纪委书记", "副处级"),
            _lead("党委委员、副总经理", "副处级"), _lead("总会计师", "副处级")]
    keys = [_key("财务管理部部长", None), _key("工程管理部部长", None), _key("招标采购部部长", None),
            _key("投资发展部部长", None), _key("综合办公室主任", None), _key("人力资源部部长", None)]
    others = [_plain("审计法务部部长"), _plain("党群工作部部长"), _plain("所属置业公司总经理"),
              _plain("所属物业公司总经理"), _key("会计", None), _key("出纳", None), _plain("业务主管"), _plain("职员")]
    return principals, lead, keys, others


def _hospital_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党委书记", hi, True, True, False), ("党委副书记、院长", hi, True, True, False)]
    lead = [_lead("党委委员、副院长", mid), _lead("党委委员、纪委书记", mid), _lead("党委委员、副院长", mid)]
    keys = [_key("财务科科长"), _key("药剂科主任"), _key("设备科科长"), _key("总务科科长"), _key("医务科科长")]
    others = [_plain("护理部主任", "正科级"), _plain("医保办主任", "副科级"), _plain("信息科科长", "副科级"),
              _plain("主治医师"), _plain("护士长"), _key("会计", None), _key("出纳", None), _plain("副主任医师")]
    return principals, lead, keys, others


def _school_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党委书记、校长", hi, True, True, False)]
    lead = [_lead("党委副书记", mid), _lead("副校长", mid), _lead("党委委员、纪委书记", mid), _lead("副校长", mid)]
    keys = [_key("总务处主任", None), _key("财务室主任", None), _key("教务处主任", None)]
    others = [_plain("政教处主任"), _plain("办公室主任"), _plain("年级主任"), _plain("一级教师"),
              _plain("高级教师"), _key("会计", None), _key("出纳", None)]
    return principals, lead, keys, others


def _center_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党支部书记、主任", hi, True, True, False)]
    lead = [_lead("副主任", mid), _lead("党支部副书记", mid), _lead("副主任", mid)]
    keys = [_key("财务科科长", None), _key("综合科科长", None), _key("业务科科长", None)]
    others = [_plain("信息科科长"), _plain("管理岗八级职员"), _plain("专业技术人员"), _key("会计", None), _key("出纳", None)]
    return principals, lead, keys, others


def _zone_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党工委书记", hi, True, True, False), ("党工委副书记、管委会主任", hi, True, True, False)]
    lead = [_lead("党工委委员、管委会副主任", mid), _lead("党工委委员、纪工委书记", mid),
            _lead("党工委委员、管委会副主任", mid)]
    keys = [_key("规划建设局局长"), _key("财政金融局局长"), _key("招商服务局局长"), _key("综合办公室主任")]
    others = [_plain("所属平台公司总经理"), _plain("企业服务科科长", "副科级")] + list(_OFFICE_STAFF)
    return principals, lead, keys, others


def _township_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post]
    chief = "乡长" if spec.short.endswith("乡") else "镇长"
    principals = [("党委书记", "正科级", True, True, False), (f"党委副书记、{chief}", "正科级", True, True, False)]
    lead = [_lead("党委副书记", "副科级"), _lead("党委委员、纪委书记", "副科级"), _lead(f"党委委员、副{chief}", "副科级"),
            _lead("人大主席", "正科级"), _lead(f"党委委员、副{chief}", "副科级"), _lead("党委委员、武装部部长", "副科级")]
    keys = [_key("党政办公室主任", "副科级"), _key("财政所所长", "股级"), _key("农业农村办公室主任", "股级"),
            _key("自然资源所所长", "股级"), _key("社会事务办公室主任", "股级")]
    others = [_plain("经济发展办公室主任"), _plain("综治中心主任"), _plain("便民服务中心主任"),
              _plain("一级科员", "一级科员"), _plain("四级主任科员", "四级主任科员"), _plain("事业编工作人员")]
    return principals, lead, keys, others


def _street_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("党工委书记", "正科级", True, True, False), ("党工委副书记、办事处主任", "正科级", True, True, False)]
    lead = [_lead("党工委副书记", "副科级"), _lead("党工委委员、纪工委书记", "副科级"),
            _lead("党工委委员、办事处副主任", "副科级"), _lead("人大工委主任", "正科级")]
    keys = [_key("党政办公室主任", "副科级"), _key("财政所所长", "股级"), _key("社区建设办公室主任", "股级"),
            _key("城市管理办公室主任", "股级")]
    others = [_plain("综治中心主任"), _plain("便民服务中心主任"), _plain("一级科员", "一级科员"), _plain("社区工作者")]
    return principals, lead, keys, others


def _village_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("村党支部书记、村委会主任", None, True, True, False)]
    lead = [_lead("村党支部副书记", None), _lead("村委会副主任", None), _lead("村务监督委员会主任", None)]
    keys = [_key("村委委员、报账员", None), _key("村会计", None)]
    others = [_plain("村委委员"), _plain("村妇联主席"), _plain("网格员"), _plain("村民小组长"), _plain("村文书")]
    return principals, lead, keys, others


def _community_posts(spec: _UnitSpec, hi: str, mid: str) -> _UnitPosts:
    principals: list[_Post] = [("社区党委书记、居委会主任", None, True, True, False)]
    lead = [_lead("社区党委副书记", None), _lead("居委会副主任", None), _lead("居务监督委员会主任", None)]
    keys = [_key("社区报账员", None), _key("社区专职会计", None)]
    others = [_plain("社区专职工作者"), _plain("网格员"), _plain("楼栋长"), _plain("社区民警")]
    return principals, lead, keys, others


_POSTS_BY_PROFILE: dict[str, Callable[[_UnitSpec, str, str], _UnitPosts]] = {
    "party": _party_posts,
    "gov": _gov_posts,
    "mass": _mass_posts,
    "soe": _soe_posts,
    "hospital": _hospital_posts,
    "school": _school_posts,
    "center": _center_posts,
    "zone": _zone_posts,
    "township": _township_posts,
    "street": _street_posts,
    "village": _village_posts,
}


def _one_lower(rank: str) -> str:
    return {"副厅级": "正处级", "正处级": "副处级", "副处级": "正科级", "正科级": "副科级"}.get(rank, "副科级")


# Inspectors come from the bodies a 巡察办 draws on: (home, posts, expertise they bring).
_INSPECTOR_HOMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = _PHRASES["inspector_homes"]
_LEADER_HOMES = _PHRASES["leader_homes"]

_POLICIES = _PHRASES["policies"]
_PROJECTS = _PHRASES["projects"]
_RURAL_PROJECTS = _PHRASES["rural_projects"]
_ISSUES = _PHRASES["issues"]
_RISKS = _PHRASES["risks"]
_HOTELS = _PHRASES["hotels"]
_GIFTS = _PHRASES["gifts"]
_TOURS = _PHRASES["tours"]
_INCOMES = _PHRASES["incomes"]
_GOODS = _PHRASES["goods"]
_DOMAIN_GOODS = _PHRASES["domain_goods"]
_SUBSIDIES = _PHRASES["subsidies"]
_SERVICES = _PHRASES["services"]
_CROPS = _PHRASES["crops"]
_PREV_ISSUES = _PHRASES["prev_issues"]
_GRADES = _PHRASES["grades"]
_AREAS = _PHRASES["areas"]


# A finding template: (category code, discipline code, scope, title variants, facts core).
# scope: "any", "org" (not villages/townships) or "grass" (townships and villages).
_FindingTemplate = tuple[str, str, str, tuple[str, ...], str]

_FINDING_TEMPLATES: tuple[_FindingTemplate, ...] = _PHRASES["finding_templates"]

_FACT_INTROS = _PHRASES["fact_intros"]
_FACT_EXTRAS = _PHRASES["fact_extras"]

# 定性: the rule broken. Citations follow the 2023 《中国共产党纪律处分条例》 where an article is named.
_CHARACTERISATIONS: dict[str, tuple[str, ...]] = _PHRASES["characterisations"]
# Where one category holds different breaches, the 定性 follows the template's title.
_TEMPLATE_CHARACTERISATIONS: dict[str, tuple[str, ...]] = _PHRASES["template_characterisations"]
_CHARACTERISATION_PARENTS = _PHRASES["characterisation_parents"]
# 责任: leadership matters rest with the party organisation and its leaders; matters of money,
# projects and cadres also with the key post that handled them; a named cadre answers first.
_RESPONSIBILITIES_LEADERSHIP = _PHRASES["responsibilities_leadership"]
_RESPONSIBILITIES_HANDLING = _PHRASES["responsibilities_handling"]
_RESPONSIBILITIES_PERSON = _PHRASES["responsibilities_person"]
_LEADERSHIP_MATTERS = _PHRASES["leadership_matters"]

# Dispositions with their weight among approved findings; clue transfers come from CLUE_SHARE.
_DISPOSITION_WEIGHTS = _PHRASES["disposition_weights"]
_CLUE_DISPOSITIONS: tuple[str, ...] = _PHRASES["clue_dispositions"]
_CLUE_CATEGORIES = _PHRASES["clue_categories"]
_ORG_CLUE_CATEGORIES = _PHRASES["org_clue_categories"]
_CLUE_ALLEGATIONS = _PHRASES["clue_allegations"]
_ORG_CLUE_ALLEGATIONS = _PHRASES["org_clue_allegations"]

_DOC_REVIEWS = _PHRASES["doc_reviews"]

_PETITION_ALLEGATIONS = _PHRASES["petition_allegations"]
_PETITION_UNIT_ALLEGATIONS = _PHRASES["petition_unit_allegations"]
_PETITION_HANDLING = {
    PetitionStatus.REGISTERED: ("已登记，待研判。",),
    PetitionStatus.VERIFYING: ("已列入巡察了解事项，正在通过查阅资料、个别谈话核实。", "已安排组员调阅相关凭证，待核实。"),
    PetitionStatus.TRANSFERRED: ("属于信访诉求，已按程序转市信访局办理。", "反映问题具体、可查性强，已作为问题线索登记，按程序移交。",
                                 "属于行业监管事项，已转有关主管部门办理并要求反馈。"),
    PetitionStatus.CONCLUDED: ("经了解核实，反映问题部分属实，已列入问题清单并向被巡察单位反馈。", "经核实，反映问题不属实，已向反映人说明。",
                               "已督促被巡察单位立行立改，反映人表示满意。"),
}

# 走访: (place, what was learned, whom the team met), for 基层 and for departments.
_VISITS_GRASS = _PHRASES["visits_grass"]
_VISITS_ORG = _PHRASES["visits_org"]

# 谈话笔录 pieces. Topics follow the 六必问 item codes.
_TOPIC_QA: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = _PHRASES["topic_qa"]
_TOPIC_LABELS = _PHRASES["topic_labels"]
_TOPIC_CODES = tuple(_TOPIC_QA)
_TALK_CATEGORIES = _PHRASES["talk_categories"]
_INTERVIEW_POINTS = _PHRASES["interview_points"]
_ADHOC_POSTS = _PHRASES["adhoc_posts"]
_GROUP_TALKS = _PHRASES["group_talks"]
_REMINDER_TOPICS = _PHRASES["reminder_topics"]

_SPECIAL_THEMES = _PHRASES["special_themes"]
_RETURN_REASONS = _PHRASES["return_reasons"]
_RECT_MEASURES = _PHRASES["rect_measures"]
_RECT_EVIDENCE = _PHRASES["rect_evidence"]

# ─────────────────────────────── small helpers ───────────────────────────────


def _cn(n: int) -> str:
    """1..99 as Chinese numerals (轮次 and 巡察组 are numbered this way)."""
    return cn_number(n)


# The 整改台账 fields (完成标准, 责任领导, 责任部门) come from each unit's 整改方案: demo items have none yet.
_NO_PLAN_FIELDS = {"completion_standard": None, "responsible_leader": None, "responsible_department": None}


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A Beijing wall-clock time as an aware UTC datetime (what UTCDateTime stores)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_CST).astimezone(dt.UTC)


def _workday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


_CUMULATIVE: dict[int, tuple[Sequence[Any], list[float]]] = {}  # a cache, filled as the demo runs


class _Rng(random.Random):
    """A seeded generator with the few draws the builders need.

    `randint` is redefined on `random()`: the library's version is pure Python and was the
    single most called function at the 100,000-finding size. Still fully determined by the seed.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def weighted(self, pairs: Sequence[tuple[T, float]]) -> T:
        cumulative = _CUMULATIVE.get(id(pairs))
        if cumulative is None or cumulative[0] is not pairs:
            running, totals = 0.0, []
            for _, weight in pairs:
                running += weight
                totals.append(running)
            cumulative = (pairs, totals)
            # Keyed by the table object, which the entry keeps alive (so its id is never reused):
            # the module's tables and literal tuples, which Python keeps as constants.
            if len(_CUMULATIVE) < 256:
                _CUMULATIVE[id(pairs)] = cumulative
        totals = cumulative[1]
        return pairs[min(bisect.bisect_right(totals, self.random() * totals[-1]), len(pairs) - 1)][0]

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + _days(self.randint(0, (last - first).days))

    def workday_between(self, first: dt.date, last: dt.date) -> dt.date:
        """A Monday-to-Friday date in [first, last] (or `first` when the window has none)."""
        day = self.day_between(first, last)
        while day.weekday() >= 5 and day > first:
            day -= _days(1)
        return day

    def sample_sorted(self, items: Sequence[T], k: int) -> list[T]:
        """k distinct items, in their original order (checklist and topic codes read best that way)."""
        chosen = sorted(self.sample(range(len(items)), min(k, len(items))))
        return [items[i] for i in chosen]


class _Id(uuid.UUID):
    """A UUID that carries its 32-digit hex, the form SQLite stores: half a million ids are written
    at full size, and `UUID.hex` formats the number afresh on every access."""

    __slots__ = ("hex_text",)
    hex_text: str


_set = object.__setattr__  # UUID forbids attribute assignment; these objects are built once, here


class _Ids:
    """UUIDv7-shaped ids from a seeded generator and the record's own timestamp.

    Same layout as uuid6.uuid7() (48-bit Unix milliseconds, version 7, RFC 4122 variant, 74 random
    bits), so ids still sort by creation time, but a given seed always yields the same ids.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def at(self, when: dt.datetime) -> uuid.UUID:
        ms = int(when.timestamp() * 1000) & ((1 << 48) - 1)
        bits = self._rng.getrandbits(74)
        value = (ms << 80) | (0x7 << 76) | ((bits >> 62) << 64) | (0b10 << 62) | (bits & ((1 << 62) - 1))
        # Built without UUID.__init__'s argument checks: the value is a 128-bit int by construction.
        new = object.__new__(_Id)
        _set(new, "int", value)
        _set(new, "is_safe", uuid.SafeUUID.unknown)
        _set(new, "hex_text", f"{value:032x}")
        return new


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder, ties by position)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights = [1.0] * len(weights)
        weight_sum = float(len(weights))
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


# ─────────────────────────────── in-memory model ───────────────────────────────
# Just enough of each record to let later records point at it and read consistently.

_NO_ID = uuid.UUID(int=0)


@dataclass(eq=False)
class _Person:
    name: str
    gender: str
    post: str
    rank: str | None
    principal: bool
    leadership: bool
    key: bool
    id: uuid.UUID = _NO_ID

    @property
    def talk_category(self) -> str | None:
        """The 四必谈 item a talk with this person covers."""
        if self.principal:
            return "main_leader"
        if self.leadership:
            return "leadership_member"
        if self.key:
            return "key_post_head"
        if "所属" in self.post:
            return "subordinate_head"
        return None


@dataclass(eq=False)
class _Unit:
    name: str
    short: str
    kind: str
    spec: _UnitSpec
    org: str  # the party organisation a 巡察 addresses, e.g. 市财政局党组
    address: str
    parent: _Unit | None = None
    children: list[_Unit] = field(default_factory=list)
    people: list[_Person] = field(default_factory=list)
    id: uuid.UUID = _NO_ID

    @property
    def domain(self) -> str:
        return self.spec.domain

    @property
    def grass(self) -> bool:
        """Townships and villages: 基层, where the rural templates apply."""
        return self.kind in (UnitKind.TOWNSHIP, UnitKind.VILLAGE)

    def role(self, want: str, hints: tuple[str, ...] = ()) -> _Person:
        """The principal ("p"), a leadership member ("l") or a key-post holder ("k"), with fallbacks;
        `hints` prefer the key post whose title fits the matter (财务 for money, 人事 for cadres)."""
        if want == "p":
            pool = [p for p in self.people if p.principal]
        elif want == "l":
            pool = [p for p in self.people if p.leadership and not p.principal]
        else:
            pool = [p for p in self.people if p.key]
            fitting = [p for p in pool if any(h in p.post for h in hints)]
            pool = fitting or pool
        return pool[0] if pool else self.people[0]


@dataclass(eq=False)
class _Inspector:
    id: uuid.UUID
    name: str
    rank: str
    leader_pool: bool
    conflicts: list[uuid.UUID]  # units this inspector must not inspect (回避)


@dataclass(eq=False)
class _Inspection:
    id: uuid.UUID
    created: dt.datetime
    kind: str
    units: list[_Unit]
    start: dt.date
    end: dt.date
    feedback: dt.date
    handover: dt.date
    round_no: int | None
    stage: str
    name: str = ""
    team_name: str = ""
    follows: _Inspection | None = None
    followed: bool = False
    team: dict[str, list[_Inspector]] = field(default_factory=dict)
    # planned volumes
    n_interviews: int = 0
    n_findings: int = 0
    n_petitions: int = 0
    n_reviews: int = 0
    n_visits: int = 0
    n_clues: int = 0
    n_org_clues: int = 0
    # what was written, for later records to point at
    sources: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    docs: dict[str, uuid.UUID] = field(default_factory=dict)
    open_rectifications: list[dict[str, Any]] = field(default_factory=list)

    @property
    def members(self) -> list[_Inspector]:
        return [i for role in (TeamRole.LEADER, TeamRole.DEPUTY, TeamRole.MEMBER, TeamRole.LIAISON)
                for i in self.team.get(role, [])]

    @property
    def leader(self) -> _Inspector:
        return self.team[TeamRole.LEADER][0]

    @property
    def deputy(self) -> _Inspector:
        return (self.team.get(TeamRole.DEPUTY) or self.team[TeamRole.LEADER])[0]

    @property
    def target(self) -> str:
        """How documents name the inspected party organisations."""
        heads = [u for u in self.units if u.kind != UnitKind.VILLAGE] or self.units
        names = "、".join(u.org for u in heads[:3])
        return names if len(heads) <= 3 else f"{names}等{len(heads)}个党组织"

    def reached(self, stage: str) -> bool:
        return _STAGE_ORDER.index(self.stage) >= _STAGE_ORDER.index(stage)

    @property
    def last_work_day(self) -> dt.date:
        """Fieldwork records fall between `start` and this day."""
        return max(self.start, min(self.end, BASE_DATE))


_STAGE_ORDER: list[str] = [Stage.PLAN, Stage.ANNOUNCE, Stage.ARRIVE, Stage.FIELDWORK, Stage.REPORT, Stage.FEEDBACK,
                           Stage.HANDOVER, Stage.RECTIFICATION, Stage.FOLLOW_UP, Stage.CLOSED]


def _stage_for(start: dt.date, end: dt.date, feedback: dt.date, handover: dt.date) -> str:
    """Where an inspection with these dates stands on BASE_DATE."""
    today = BASE_DATE
    if today < start - _days(7):
        return Stage.PLAN
    if today < start:
        return Stage.ANNOUNCE
    if today < start + _days(3):
        return Stage.ARRIVE
    if today <= end:
        return Stage.FIELDWORK
    if today < feedback:
        return Stage.REPORT
    if today < handover:
        return Stage.FEEDBACK
    if today < feedback + _days(45):
        return Stage.HANDOVER
    if today < feedback + _days(180):
        return Stage.RECTIFICATION
    return Stage.CLOSED


def _elapsed(insp: _Inspection) -> float:
    span = max(1, (insp.end - insp.start).days)
    return max(0.0, min(1.0, (BASE_DATE - insp.start).days / span))


def _activity(insp: _Inspection, *, findings: bool = False) -> float:
    """How much of an inspection's fieldwork has happened by BASE_DATE."""
    if insp.stage in (Stage.PLAN, Stage.ANNOUNCE):
        return 0.0
    if insp.stage == Stage.ARRIVE:
        return 0.02 if findings else 0.1
    if insp.stage == Stage.FIELDWORK:
        return _elapsed(insp) * (0.6 if findings else 1.0)
    return 1.0


def _size(insp: _Inspection) -> float:
    units = sum(0.5 if u.kind == UnitKind.VILLAGE else 1.2 if u.kind == UnitKind.TOWNSHIP else 1.0 for u in insp.units)
    factors: dict[str, float] = {InspectionKind.REGULAR: 1.0, InspectionKind.SPECIAL: 0.6, InspectionKind.AD_HOC: 0.4,
                                 InspectionKind.FOLLOW_UP: 0.3}
    factor = factors.get(insp.kind, 1.0)
    return units * factor


def _plan_unit_kinds(count: int) -> dict[str, int]:
    """How many units of each kind a 市 of `count` units has (capped by the name tables)."""
    plan = {k.value: 0 for k in UnitKind}
    if count < 8:
        for kind in (UnitKind.GOV_DEPT, UnitKind.TOWNSHIP, UnitKind.VILLAGE, UnitKind.SOE,
                     UnitKind.PUBLIC_INSTITUTION, UnitKind.PARTY_DEPT, UnitKind.MASS_ORG)[:count]:
            plan[kind] += 1
        return plan
    shares = ((UnitKind.PARTY_DEPT, 0.05, _PARTY_DEPTS), (UnitKind.GOV_DEPT, 0.17, _GOV_DEPTS),
              (UnitKind.MASS_ORG, 0.04, _MASS_ORGS), (UnitKind.SOE, 0.05, _SOES),
              (UnitKind.PUBLIC_INSTITUTION, 0.09, _PUBLIC_INSTITUTIONS), (UnitKind.OTHER, 0.01, _ZONES))
    for kind, share, table in shares:
        plan[kind] = min(len(table), max(0 if kind == UnitKind.OTHER else 1, int(count * share)))
    plan[UnitKind.TOWNSHIP] = max(1, int(count * 0.10))
    plan[UnitKind.VILLAGE] = count - sum(plan.values())
    return plan


def _round_slots() -> list[dt.date]:
    """Start dates of the term's rounds: three a year, and a fourth in the current year."""
    slots = []
    for year in (BASE_DATE.year - 2, BASE_DATE.year - 1):
        slots += [dt.date(year, 3, 10), dt.date(year, 6, 8), dt.date(year, 9, 7)]
    year = BASE_DATE.year
    return slots + [dt.date(year, 3, 9), dt.date(year, 6, 8), dt.date(year, 9, 7), dt.date(year, 11, 3)]


# ─────────────────────────────── reference data ───────────────────────────────

_DOCUMENT_KINDS = _PHRASES["document_kinds"]


@dataclass(frozen=True)
class _TemplateItem:
    id: uuid.UUID
    list_kind: str
    code: str
    title: str
    guidance: str | None


@dataclass(frozen=True)
class _Reference:
    checklist: list[_TemplateItem]
    issuer: dict[str, str]  # document kind → 发文机关代字

    @classmethod
    def load(cls, session: Session) -> _Reference:
        """Read what the demo copies from the reference data, and check every code it writes exists."""
        codes = {(kind, code) for kind, code in session.execute(
            select(ReferenceItem.kind, ReferenceItem.code).where(ReferenceItem.deleted_at.is_(None)))}
        needed = {(PROBLEM_CATEGORY, t[0]) for t in _FINDING_TEMPLATES}
        needed |= {(DISCIPLINE, t[1]) for t in _FINDING_TEMPLATES}
        needed |= {(DISPOSITION, c) for c, _ in _DISPOSITION_WEIGHTS} | {(DISPOSITION, c) for c in _CLUE_DISPOSITIONS}
        needed |= {(FOUR_FORM, f"form{i}") for i in range(1, 5)}
        needed |= {(EXPERTISE, e) for _, _, exp in _INSPECTOR_HOMES for e in exp}
        needed |= {(EXPERTISE, e) for e in _EXTRA_EXPERTISE}
        needed |= {(DOCUMENT_KIND, k) for k in _DOCUMENT_KINDS}
        missing = sorted(needed - codes)
        if missing:
            raise ValueError(f"参考数据未载入或不完整（缺少 {missing[0][0]}/{missing[0][1]} 等 {len(missing)} 项），"
                             "请先载入参考数据。")
        issuer: dict[str, str] = {}
        for code, extra in session.execute(select(ReferenceItem.code, ReferenceItem.extra).where(
                ReferenceItem.kind == DOCUMENT_KIND, ReferenceItem.deleted_at.is_(None))):
            issuer[code] = (extra or {}).get("issuer_code") or "市委巡"
        rows = session.execute(
            select(ChecklistTemplateItem.id, ChecklistTemplate.list_kind, ChecklistTemplateItem.code,
                   ChecklistTemplateItem.title, ChecklistTemplateItem.guidance, ChecklistTemplateItem.sort_order)
            .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistTemplateItem.template_id)
            .where(ChecklistTemplate.builtin.is_(True), ChecklistTemplate.deleted_at.is_(None),
                   ChecklistTemplateItem.deleted_at.is_(None))
        ).all()
        kinds = ("must_check", "must_ask", "must_talk")
        ordered = sorted((row for row in rows if row[1] in kinds), key=lambda r: (kinds.index(r[1]), r[5], r[2]))
        items = [_TemplateItem(*row[:5]) for row in ordered]
        have = {(t.list_kind, t.code) for t in items}
        want = {("must_ask", c) for c in _TOPIC_CODES} | {("must_talk", c) for c in _TALK_CATEGORIES}
        if want - have:
            raise ValueError("参考数据未载入：缺少五必查、六必问、四必谈清单模板，请先载入参考数据。")
        return cls(checklist=items, issuer=issuer)


_EXTRA_EXPERTISE = _PHRASES["extra_expertise"]


# ─────────────────────────────── bulk writer ───────────────────────────────


class _Writer:
    """Buffers rows per table and inserts them in chunks, parents before children.

    On SQLite the rows are handed to the driver already in the form the column types store
    (see `_sqlite_storage`), through the SQL SQLAlchemy compiles for `insert(table)`: per-value
    type processing was two thirds of the insert time at the 100,000-finding size. Other
    dialects take the ordinary typed `insert(table)` path.
    """

    def __init__(self, session: Session, ids: _Ids, events: DemoEvents | None = None) -> None:
        self._session = session
        self._ids = ids
        self._raw_sqlite = session.get_bind().dialect.name == "sqlite"
        # Each chunk of a synced table goes on to its change events as it is inserted (SQLite).
        self._events = events
        self._synced = {m.__tablename__ for m in synced_models()}
        # Flushing every table in dependency order means a child never reaches the database first.
        self._order: list[Table] = list(Base.metadata.sorted_tables)
        self._buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in self._order}
        self._columns = {t.name: {c.key for c in t.columns} for t in self._order}
        self._statements: dict[str, tuple[str, list[str], Callable[[dict[str, Any]], tuple[Any, ...]]]] = {}
        self._checked: set[str] = set()
        self._buffered = 0
        self.counts: dict[str, int] = {}

    def new_id(self, when: dt.datetime) -> uuid.UUID:
        return self._ids.at(when)

    def record(self, model: type, when: dt.datetime, *, updated: dt.datetime | None = None,
               record_id: uuid.UUID | None = None, **values: Any) -> uuid.UUID:
        """Add a synced row, filling its audit columns; return its id."""
        row_id = record_id or self._ids.at(when)
        values.update(id=row_id, created_at=when, updated_at=max(updated or when, when), created_by=None,
                      updated_by=None, deleted_at=None)
        self.raw(model, values)
        return row_id

    def raw(self, model: type, row: dict[str, Any]) -> None:
        name = model.__tablename__  # type: ignore[attr-defined]
        if name not in self._checked:
            # Every row of a table is bound by the same column list: a missing or stray key must fail here.
            if set(row) != self._columns[name]:
                raise AssertionError(f"{name}: columns {sorted(set(row) ^ self._columns[name])} do not match")
            self._checked.add(name)
        self._buffers[name].append(row)
        self._buffered += 1

    def checkpoint(self) -> None:
        """Flush if the buffers are full. Called only between records, never halfway through one:
        a finding's reviews are added before the finding itself."""
        if self._buffered >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in self._order:
            rows = self._buffers[table.name]
            if not rows:
                continue
            if self._raw_sqlite:
                sql, keys, to_tuple = self._statement(table)
                stored = [to_tuple(row) for row in rows]
                self._session.connection().exec_driver_sql(sql, stored)
                if self._events is not None and table.name in self._synced:
                    self._events.add(table.name, keys, stored)
            else:
                self._session.execute(insert(table), rows)
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
            self._buffers[table.name] = []
        self._buffered = 0

    def _statement(self, table: Table) -> tuple[str, list[str], Callable[[dict[str, Any]], tuple[Any, ...]]]:
        if table.name not in self._statements:
            compiled = insert(table).compile(dialect=self._session.get_bind().dialect)
            keys = list(compiled.positiontup or [])
            by_key = {c.key: c for c in table.columns}
            convert = [(i, f) for i, k in enumerate(keys) if (f := _sqlite_storage(by_key[k])) is not None]

            def to_tuple(row: dict[str, Any]) -> tuple[Any, ...]:
                values = [row[k] for k in keys]
                for i, f in convert:
                    if values[i] is not None:
                        values[i] = f(values[i])
                return tuple(values)

            self._statements[table.name] = (str(compiled), keys, to_tuple)
        return self._statements[table.name]


def _sqlite_storage(column: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's column type stores a (non-None) value in SQLite, or None if the driver
    takes it as is. Pinned against the types' own bind processors by tests/test_demo.py."""
    kind = column.type
    if isinstance(kind, Uuid):
        return _uuid_hex
    if isinstance(kind, UTCDateTime):
        return _utc_text
    if isinstance(kind, Date):
        return dt.date.isoformat
    if isinstance(kind, JSON):
        return json_text
    return None


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex_text if type(value) is _Id else value.hex


_last_datetime: tuple[Any, str] = (None, "")


def _utc_text(value: dt.datetime) -> str:
    global _last_datetime
    # Rows often repeat one instant (created_at, updated_at, acted_at): reuse the last text. The
    # pair is swapped as one tuple, so even concurrent callers never see a mismatched pair.
    last = _last_datetime
    if value is last[0]:
        return last[1]
    utc = value
    if value.tzinfo is not dt.UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC values")
        utc = value.astimezone(dt.UTC)
    stored = utc.isoformat(" ", "microseconds")[:26]  # drop "+00:00": SQLite keeps naive UTC
    _last_datetime = (value, stored)
    return stored


# ─────────────────────────────── composed text ───────────────────────────────


class _Text(dict[str, str]):
    """The values one piece of composed text draws on, made on first use and then kept, so a
    title, its facts and its 定性 name the same project, year and people.

    A mapping itself (not one holding a callback to its owner): no reference cycle, so the
    objects go away at once even while the cycle collector is paused for the bulk load.
    """

    def __init__(self, rng: _Rng, insp: _Inspection, unit: _Unit) -> None:
        super().__init__()
        self.rng = rng
        self.insp = insp
        self.unit = unit
        self.people: list[_Person] = []  # the unit's people the text names, in order
        self.hints: tuple[str, ...] = ()  # which key post a finding's 直接责任 falls on

    def fill(self, template: str) -> str:
        return template.format_map(self)

    def __missing__(self, key: str) -> str:
        pair = _PERSON_SLOTS.get(key)
        if pair is None:
            value = self[key] = _TEXT_MAKERS[key](self)
            return value
        name_key, post_key, role = pair
        person = self.unit.role(role, self.hints) if role != "x" else self.rng.pick(
            [p for p in self.unit.people if p.leadership or p.key] or self.unit.people)
        if person not in self.people:
            self.people.append(person)
        self[name_key], self[post_key] = person.name, person.post
        return self[key]

    def village(self) -> str:
        if self.unit.kind == UnitKind.VILLAGE:
            return self.unit.short
        if self.unit.children:
            return self.rng.pick(self.unit.children).short
        return self.rng.pick(_PLACE_A) + self.rng.pick(_PLACE_B) + "村"

    def project(self) -> str:
        if self.unit.grass:
            return self.village() + self.rng.pick(_RURAL_PROJECTS)
        return self.rng.pick(_PROJECTS.get(self.unit.domain, _PROJECTS["general"]))


_PERSON_SLOTS = _PHRASES["person_slots"]
_TEXT_MAKERS: dict[str, Callable[[_Text], str]] = {
    "org": lambda t: t.unit.org,
    "unit": lambda t: t.unit.short,
    # Facts are about the years before the inspection: the period a 巡察 looks back on.
    "y": lambda t: str(t.insp.start.year - t.rng.randint(1, 2)),
    "y2": lambda t: str(int(t["y"]) + 1),
    "y1": lambda t: str(t.insp.start.year - t.rng.randint(2, 8)),
    "m": lambda t: str(t.rng.randint(1, 12)),
    "m2": lambda t: str(t.rng.randint(1, 12)),
    "n": lambda t: str(t.rng.randint(2, 9)),
    "n_s": lambda t: str(t.rng.randint(1, 4)),
    "n2": lambda t: str(t.rng.randint(10, 60)),
    "n3": lambda t: str(t.rng.randint(100, 900)),
    "n4": lambda t: str(t.rng.randint(3, 30)),
    "n_over": lambda t: str(t.rng.randint(10, 16)),
    "pct": lambda t: str(t.rng.randint(15, 85)),
    "pct_low": lambda t: str(t.rng.randint(3, 15)),
    "amt": lambda t: f"{t.rng.uniform(5, 90):.2f}",
    "amt_s": lambda t: f"{t.rng.uniform(0.3, 8):.2f}",
    "amt_l": lambda t: f"{t.rng.uniform(60, 2500):.2f}",
    "pp": lambda t: str(t.rng.randint(4, 30) * 100),
    "thr": lambda t: t.rng.pick(("5", "10", "20", "50", "100")),
    "age": lambda t: str(t.rng.randint(44, 53)),
    "policy": lambda t: t.rng.pick(_POLICIES),
    "project": _Text.project,
    "rural_project": lambda t: t.rng.pick(_RURAL_PROJECTS),
    "company": lambda t: f"{CITY[:2]}{t.rng.pick(_COMPANY_WORDS)}{t.rng.pick(_COMPANY_SUFFIXES)}",
    "village": _Text.village,
    "issue": lambda t: t.rng.pick(_ISSUES),
    "risk": lambda t: t.rng.pick(_RISKS),
    "hotel": lambda t: t.rng.pick(_HOTELS),
    "gift": lambda t: t.rng.pick(_GIFTS),
    "tour": lambda t: t.rng.pick(_TOURS),
    "income": lambda t: t.rng.pick(_INCOMES),
    "goods": lambda t: _DOMAIN_GOODS.get(t.unit.domain) or t.rng.pick(_GOODS),
    "subsidy": lambda t: t.rng.pick(_SUBSIDIES),
    "service": lambda t: t.rng.pick(_SERVICES),
    "crop": lambda t: t.rng.pick(_CROPS),
    "prev_issue": lambda t: t.rng.pick(_PREV_ISSUES),
    "grade": lambda t: t.rng.pick(_GRADES),
    "area": lambda t: t.rng.pick(_AREAS),
    "citizen": lambda t: _name(t.rng, t.rng.chance(0.6)),
}


def _name(rng: _Rng, male: bool) -> str:
    surname = rng.pick(_SURNAMES[:40]) if rng.chance(0.7) else rng.pick(_SURNAMES)
    if male:
        given = rng.pick(_MALE_ONE) if rng.chance(0.35) else rng.pick(_MALE_FIRST) + rng.pick(_MALE_SECOND)
    else:
        given = rng.pick(_FEMALE_ONE) if rng.chance(0.35) else rng.pick(_FEMALE_FIRST) + rng.pick(_FEMALE_SECOND)
    return surname + given


_MOBILE_PREFIXES = _PHRASES["mobile_prefixes"]


def _phone(rng: _Rng) -> str:
    return f"1{rng.pick(_MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


# ─────────────────────────────── the generator ───────────────────────────────


class _Generator:
    def __init__(self, seed: int, ref: _Reference, writer: _Writer, say: Callable[[str], None],
                 sequences: dict[tuple[str, int], int]) -> None:
        self.seed = seed
        self.ref = ref
        self.w = writer
        self.say = say
        self.sequences = dict(sequences)  # (issuer, year) → last number used
        self.units: list[_Unit] = []
        self.inspectors: list[_Inspector] = []
        self.inspections: list[_Inspection] = []
        self.rounds: list[tuple[dt.date, list[_Inspection]]] = []
        self._place_names: set[str] = set()

    def rng(self, part: str) -> _Rng:
        # One stream per part: asking for more findings does not reshuffle the units or the teams.
        return _Rng(f"xuncha-demo:{self.seed}:{part}")

    # ── units and their people ──────────────────────────────────────────────

    def build_units(self, count: int) -> None:
        rng = self.rng("units")
        plan = _plan_unit_kinds(count)
        for kind, table in ((UnitKind.PARTY_DEPT, _PARTY_DEPTS), (UnitKind.GOV_DEPT, _GOV_DEPTS),
                            (UnitKind.MASS_ORG, _MASS_ORGS), (UnitKind.SOE, _SOES),
                            (UnitKind.PUBLIC_INSTITUTION, _PUBLIC_INSTITUTIONS), (UnitKind.OTHER, _ZONES)):
            for spec in rng.sample_sorted(table, plan[kind]):
                self.units.append(self._unit(rng, kind, spec))
        townships = [self._township(rng) for _ in range(plan[UnitKind.TOWNSHIP])]
        self.units += townships
        shares = _allocate(plan[UnitKind.VILLAGE], [0.6 + rng.random() for _ in townships])
        for township, n in zip(townships, shares, strict=True):
            self.units += [self._village(rng, township) for _ in range(n)]

        created = _at(dt.date(BASE_DATE.year - 3, 1, 5))
        for i, unit in enumerate(self.units):  # parents come first in the list, as the foreign key needs
            when = created + dt.timedelta(seconds=i)
            unit.id = self.w.new_id(when)
            code_prefix = {UnitKind.SOE: "91", UnitKind.VILLAGE: "54", UnitKind.MASS_ORG: "51",
                           UnitKind.PUBLIC_INSTITUTION: "12"}.get(UnitKind(unit.kind), "11")
            self.w.record(
                Unit, when, record_id=unit.id, name=unit.name, short_name=unit.short, kind=unit.kind,
                parent_id=unit.parent.id if unit.parent else None,
                code=f"{code_prefix}990100{rng.randint(0, 99_999_999):08d}{rng.pick('0123456789ABCDEFGHJKLMNPQRTUWXY')}",
                address=unit.address, notes=None)
            self._staff(rng, unit)
            for j, person in enumerate(unit.people):
                at = when + dt.timedelta(milliseconds=j + 1)
                person.id = self.w.record(
                    UnitPerson, at, unit_id=unit.id, name=person.name, gender=person.gender, post=person.post,
                    rank=person.rank, is_principal=person.principal, is_leadership_member=person.leadership,
                    is_key_post=person.key, phone=_phone(rng), notes=None)

    def _unit(self, rng: _Rng, kind: str, spec: _UnitSpec) -> _Unit:
        org = {UnitKind.PARTY_DEPT: spec.name, UnitKind.SOE: f"{spec.name}党委",
               UnitKind.PUBLIC_INSTITUTION: f"{spec.name}党委",
               UnitKind.OTHER: spec.name.replace("管理委员会", "党工委")}.get(UnitKind(kind), f"{spec.name}党组")
        return _Unit(spec.name, spec.short, kind, spec, org, f"{CITY}{rng.pick(_STREETS)}{rng.randint(1, 300)}号")

    def _place(self, rng: _Rng) -> str:
        """A place name not used yet (two characters while they last, then three)."""
        for attempt in range(10_000):
            name = rng.pick(_PLACE_A) + rng.pick(_PLACE_B)
            if attempt >= 60:
                name = rng.pick(_PLACE_A) + name
            if name not in self._place_names:
                self._place_names.add(name)
                return name
        raise RuntimeError("place names exhausted")

    def _township(self, rng: _Rng) -> _Unit:
        place = self._place(rng)
        form = rng.weighted((("镇", 0.7), ("乡", 0.1), ("街道", 0.2)))
        short = place + form
        if form == "街道":
            spec, org = _spec(f"{short}办事处", short, "construction", "street"), f"{short}党工委"
        else:
            spec, org = _spec(f"{short}人民政府", short, "agriculture", "township"), f"{short}党委"
        return _Unit(spec.name, short, UnitKind.TOWNSHIP, spec, org,
                     f"{CITY}{short}{rng.pick(_STREETS)}{rng.randint(1, 120)}号")

    def _village(self, rng: _Rng, township: _Unit) -> _Unit:
        place = self._place(rng)
        if township.short.endswith("街道"):
            short = f"{place}社区"
            spec, org = _spec(f"{short}居民委员会", short, "agriculture", "community"), f"{short}党委"
        else:
            short = f"{place}村"
            spec, org = _spec(f"{short}村民委员会", short, "agriculture", "village"), f"{short}党支部"
        unit = _Unit(spec.name, short, UnitKind.VILLAGE, spec, org, f"{CITY}{township.short}{short}", parent=township)
        township.children.append(unit)
        return unit

    def _staff(self, rng: _Rng, unit: _Unit) -> None:
        """4–12 people: the principal(s) first, then leadership members, key posts and other staff."""
        principals, lead, keys, others = _posts(unit.spec, UnitKind(unit.kind))
        size = rng.randint(4, 12)
        rest = max(size - len(principals), 2)
        n_lead = min(len(lead), max(1, round(rest * 0.4)))
        n_key = min(len(keys), max(1, round(rest * 0.35)))
        n_other = max(0, rest - n_lead - n_key)
        chosen = principals + lead[:n_lead] + keys[:n_key] + [others[i % len(others)] for i in range(n_other)]
        names: set[str] = set()
        for post, rank, principal, leadership, key in chosen[:12]:
            male = rng.chance(0.78 if leadership else 0.55)
            name = _name(rng, male)
            while name in names:
                name = _name(rng, male)
            names.add(name)
            unit.people.append(_Person(name, "男" if male else "女", post, rank, principal, leadership, key))

    # ── the 巡察人才库 ──────────────────────────────────────────────────────

    def build_inspectors(self, unit_count: int) -> None:
        rng = self.rng("inspectors")
        size = max(12, round(unit_count * 0.08))
        n_leaders = max(3, round(size * 0.25))
        by_name = {u.name: u for u in self.units}
        created = _at(dt.date(BASE_DATE.year - 3, 1, 10))
        names: set[str] = set()
        for i in range(size):
            when = created + dt.timedelta(seconds=i)
            if i < n_leaders:
                home, pattern, rank = _LEADER_HOMES[i % len(_LEADER_HOMES)]
                post = pattern.format(n=_cn(i // len(_LEADER_HOMES) + 1))
                expertise = list(next(e for h, _, e in _INSPECTOR_HOMES if h == home))
            else:
                home, posts, base = _INSPECTOR_HOMES[(i - n_leaders) % len(_INSPECTOR_HOMES)]
                post = rng.pick(posts)
                rank = "正科级" if post.endswith(("科长", "主任", "支队长")) else "副科级"
                expertise = list(base)
            extra = rng.pick(_EXTRA_EXPERTISE)
            if rng.chance(0.5) and extra not in expertise:
                expertise.append(extra)
            male = rng.chance(0.65)
            name = _name(rng, male)
            while name in names:
                name = _name(rng, male)
            names.add(name)
            home_unit = by_name.get(home)
            full_post = post if post.startswith("市") else f"{home}{post}"
            inspector = _Inspector(self.w.new_id(when), name, rank, i < n_leaders, [home_unit.id] if home_unit else [])
            self.inspectors.append(inspector)
            self.w.record(
                Inspector, when, record_id=inspector.id, name=name, gender="男" if male else "女",
                home_unit_id=home_unit.id if home_unit else None, home_unit_name=home, post=full_post, rank=rank,
                expertise=expertise, in_leader_pool=inspector.leader_pool, phone=_phone(rng), active=True,
                notes="组长库人员" if inspector.leader_pool else None)
        self._relations(rng, created + dt.timedelta(days=30))

    def _relations(self, rng: _Rng, created: dt.datetime) -> None:
        """A few relatives in, and former posts at, inspected units: what team forming must avoid (回避)."""
        staffed = [u for u in self.units if u.people]
        for k in range(max(2, len(self.inspectors) // 5)):
            inspector = self.inspectors[(k * 7 + 3) % len(self.inspectors)]
            unit = rng.pick(staffed)
            if k % 2 == 0:
                relative = rng.pick(unit.people)
                values: dict[str, Any] = dict(relation_kind="relative", person_name=relative.name,
                              relationship=rng.pick(("配偶", "兄弟姐妹", "子女", "配偶的兄弟姐妹", "堂兄弟姐妹")),
                              notes=f"{relative.name}现任{unit.short}{relative.post}。")
            else:
                y = BASE_DATE.year - rng.randint(5, 9)
                values = dict(relation_kind="former_post", person_name=None, relationship=None,
                              notes=f"{y}年{rng.randint(1, 12)}月至{y + rng.randint(2, 4)}年{rng.randint(1, 12)}月在该单位任职。")
            inspector.conflicts.append(unit.id)
            self.w.record(InspectorRelation, created + dt.timedelta(seconds=k), inspector_id=inspector.id,
                          unit_id=unit.id, **values)

    # ── rounds, inspections and teams (planned in memory, written later) ────

    def plan_programme(self) -> None:
        rng = self.rng("programme")
        groups = self._target_groups(rng)
        slots = _round_slots()
        n_rounds = max(1, min(len(slots), len(groups)))
        if n_rounds == 1:
            chosen = [slots[-2]]
        else:  # spread over the term, keeping the first and the current round
            chosen = [slots[round(i * (len(slots) - 1) / (n_rounds - 1))] for i in range(n_rounds)]
        per_round: list[list[_Inspection]] = [[] for _ in chosen]
        for index, group in enumerate(groups):
            r = index * n_rounds // len(groups)
            per_round[r].append(self._inspection(rng, InspectionKind.REGULAR, group, chosen[r], r + 1))

        non_village = [u for u in self.units if u.kind != UnitKind.VILLAGE]
        ad_hoc_targets = rng.sample(non_village, len(non_village))  # a different unit each time while they last
        by_year: dict[int, list[int]] = {}
        for r, slot in enumerate(chosen):
            by_year.setdefault(slot.year, []).append(r)
        themes = [(theme, [u for u in self.units if u.spec.profile not in ("street", "community")
                           and (u.kind in wanted or (not u.grass and u.domain in wanted))])
                  for theme, wanted in _SPECIAL_THEMES]
        themes = [(theme, pool) for theme, pool in themes if pool]  # only themes this 市 has units for
        offset = rng.randint(0, len(_SPECIAL_THEMES))
        for y_index, year in enumerate(sorted(by_year)):
            rounds = by_year[year]
            r = rounds[min(1, len(rounds) - 1)]
            if themes:
                theme, pool = themes[(offset + y_index) % len(themes)]
                special = self._inspection(rng, InspectionKind.SPECIAL, rng.sample_sorted(pool, 3), chosen[r], r + 1)
                special.name = f"{theme}（{special.target}）"
                per_round[r].append(special)
            r = rounds[-1] if len(rounds) > 2 else rounds[0]
            target = ad_hoc_targets[y_index % len(ad_hoc_targets)]
            per_round[r].append(self._inspection(rng, InspectionKind.AD_HOC, [target], chosen[r], r + 1))

        # 回头看 of inspections closed long enough ago, in the latest rounds.
        regular = [i for rnd in per_round for i in rnd if i.kind == InspectionKind.REGULAR]
        for k in range(max(1, len(regular) // 10) if n_rounds >= 4 else 0):
            r = n_rounds - 1 - (k % 3)
            candidates = [i for i in regular if i.stage == Stage.CLOSED and not i.followed
                          and (i.round_no or 0) <= r - 2]
            if not candidates:
                break
            followed = candidates[(k * 5) % len(candidates)]
            follow = self._inspection(rng, InspectionKind.FOLLOW_UP, followed.units[:1], chosen[r], r + 1)
            follow.follows, followed.followed = followed, True
            if follow.reached(Stage.ARRIVE) and not follow.reached(Stage.FEEDBACK):
                followed.stage = Stage.FOLLOW_UP
            per_round[r].append(follow)

        for inspections in per_round:
            self._form_teams(rng, inspections)
        # Two 机动巡察 outside any round, not started yet: the plan and announce stages exist too.
        late: list[_Inspection] = []
        for k, days_ahead in enumerate((16, 4)):
            target = ad_hoc_targets[(len(by_year) + k) % len(ad_hoc_targets)]
            late.append(self._inspection(rng, InspectionKind.AD_HOC, [target], BASE_DATE + _days(days_ahead), None))
        self._form_teams(rng, late)
        self.rounds = list(zip(chosen, per_round, strict=True))
        self.inspections = sorted((i for rnd in [*per_round, late] for i in rnd), key=lambda i: (i.start, i.created))

    def _target_groups(self, rng: _Rng) -> list[list[_Unit]]:
        """What one regular inspection covers: a township with its villages, or one to three bodies."""
        groups = [[t, *t.children] for t in self.units if t.kind == UnitKind.TOWNSHIP]
        others = [u for u in self.units if u.kind not in (UnitKind.TOWNSHIP, UnitKind.VILLAGE)]
        i = 0
        while i < len(others):
            size = rng.weighted(((1, 0.4), (2, 0.4), (3, 0.2)))
            groups.append(others[i:i + size])
            i += size
        rng.shuffle(groups)
        return groups

    def _inspection(self, rng: _Rng, kind: str, units: list[_Unit], slot: dt.date, round_no: int | None) -> _Inspection:
        start = _workday(slot + _days(rng.randint(0, 4)))
        length = rng.randint(30, 45) if kind == InspectionKind.REGULAR else rng.randint(18, 28)
        end = start + _days(length)
        feedback = _workday(end + _days(rng.randint(25, 40)))
        handover = feedback + _days(rng.randint(7, 12))
        created = _at(min(start - _days(20), BASE_DATE - _days(1)), 10) + dt.timedelta(seconds=len(units))
        inspection = _Inspection(self.w.new_id(created), created, kind, units, start, end, feedback, handover,
                                 round_no, _stage_for(start, end, feedback, handover))
        label = {InspectionKind.REGULAR: "常规巡察", InspectionKind.AD_HOC: "机动巡察",
                 InspectionKind.FOLLOW_UP: "巡察整改“回头看”", InspectionKind.SPECIAL: "专项巡察"}[InspectionKind(kind)]
        inspection.name = f"对{inspection.target}开展{label}"
        return inspection

    def _form_teams(self, rng: _Rng, inspections: list[_Inspection]) -> None:
        """Split the pool into this round's teams; nobody joins a team inspecting a unit they must recuse from."""
        if not inspections:
            return
        n_leaders = sum(1 for i in self.inspectors if i.leader_pool)
        n_teams = max(1, min(n_leaders, len(self.inspectors) // 7, len(inspections)))
        team_size = max(6, min(9, len(self.inspectors) // n_teams))
        pool = list(self.inspectors)
        rng.shuffle(pool)
        used: set[uuid.UUID] = set()
        for t in range(n_teams):
            bucket = inspections[t::n_teams]
            targets = {u.id for insp in bucket for u in insp.units}
            targets |= {u.parent.id for insp in bucket for u in insp.units if u.parent}
            # Should recusal ever exclude everyone, a team is still needed: fall back to the whole pool.
            allowed = [i for i in pool if not targets.intersection(i.conflicts)] or pool
            candidates = [i for i in allowed if i.id not in used] + [i for i in allowed if i.id in used]
            leader = next((i for i in candidates if i.leader_pool), candidates[0])
            rest = [i for i in candidates if i is not leader]
            n_deputy = 1 if team_size < 8 else 2
            n_member = max(3, min(5, team_size - 2 - n_deputy))
            deputies = [i for i in rest if i.rank in ("正处级", "副处级", "正科级")][:n_deputy] or rest[:n_deputy]
            rest = [i for i in rest if i not in deputies]
            members, liaison = rest[:n_member], rest[n_member:n_member + 1] or rest[-1:]
            team = {TeamRole.LEADER.value: [leader], TeamRole.DEPUTY.value: deputies,
                    TeamRole.MEMBER.value: members, TeamRole.LIAISON.value: liaison}
            used.update(i.id for i in (leader, *deputies, *members, *liaison))
            for inspection in bucket:
                inspection.team = team
                inspection.team_name = f"市委第{_cn(t + 1)}巡察组"

    def plan_volumes(self, findings: int, interviews: int) -> None:
        """Spread the requested totals over the inspections by size and by how far each has got."""
        inspections = self.inspections
        weights_i = [_activity(i) * _size(i) for i in inspections]
        weights_f = [_activity(i, findings=True) * _size(i) for i in inspections]
        for attr, total, weights in (
            ("n_interviews", interviews, weights_i), ("n_findings", findings, weights_f),
            ("n_petitions", round(findings * PETITIONS_PER_FINDING), weights_i),
            ("n_reviews", round(findings * REVIEWS_PER_FINDING), weights_i),
            ("n_visits", round(findings * VISITS_PER_FINDING), weights_i),
        ):
            for insp, n in zip(inspections, _allocate(total, weights), strict=True):
                setattr(insp, attr, n)
        for insp in inspections:
            if insp.reached(Stage.HANDOVER):  # clues of finished inspections are exact, so their letters exist
                insp.n_clues = round(insp.n_findings * CLUE_SHARE)
                insp.n_org_clues = round(insp.n_clues * 0.25)

    # ── writing the programme ───────────────────────────────────────────────

    def write_programme(self) -> None:
        rng = self.rng("programme-rows")
        round_ids: dict[int, uuid.UUID] = {}
        for r, (slot, inspections) in enumerate(self.rounds, start=1):
            teams = len({i.team_name for i in inspections})
            round_ids[r] = self.w.record(
                InspectionRound, _at(slot - _days(30), 9), name=f"{TERM}第{_cn(r)}轮巡察", year=slot.year, ordinal=r,
                start_date=min(i.start for i in inspections), end_date=max(i.end for i in inspections),
                notes=f"本轮派出{teams}个巡察组，对{sum(len(i.units) for i in inspections)}个党组织开展巡察。")
        self._write_documents()
        for insp in self.inspections:
            self._write_inspection(rng, insp, round_ids.get(insp.round_no or 0))

    def _write_documents(self) -> None:
        """Every numbered document, numbered in issue order per issuer and year.

        Clues and team assignments point at documents, so these are written first; numbering by
        date keeps 文号 rising through each year, as a paper register would.
        """
        planned: list[tuple[dt.datetime, str, _Inspection, str, str | None]] = []
        for insp in self.inspections:
            if insp.reached(Stage.ANNOUNCE):
                planned.append((_at(_workday(insp.start - _days(7)), 10), "authorization", insp,
                                f"{insp.team_name}组长授权书（{insp.target}）", None))
            if insp.reached(Stage.FEEDBACK):
                planned.append((_at(insp.feedback, 9), "feedback", insp,
                                f"{insp.team_name}关于巡察{insp.target}的反馈意见", insp.units[0].org))
                planned.append((_at(insp.feedback, 15), "notice", insp,
                                f"关于抓好巡察{insp.target}反馈问题整改工作的通知", insp.units[0].org))
            if insp.n_clues - insp.n_org_clues > 0:
                planned.append((_at(insp.handover, 10), "clue-transfer", insp,
                                f"关于移交巡察{insp.target}发现问题线索的函", "市纪委监委"))
            if insp.n_org_clues > 0:
                planned.append((_at(insp.handover, 11), "clue-transfer:org", insp,
                                f"关于移交巡察{insp.target}发现选人用人问题线索的函", "市委组织部"))
            supervise = _workday(insp.feedback + _days(75))
            if insp.stage in (Stage.RECTIFICATION, Stage.FOLLOW_UP, Stage.CLOSED) and supervise < BASE_DATE \
                    and insp.n_findings:
                planned.append((_at(supervise, 10), "supervision", insp,
                                f"关于督促加快巡察{insp.target}反馈问题整改进度的函", insp.units[0].org))
        planned.sort(key=lambda p: (p[0], p[1], p[2].start, p[2].created))
        # The city's organization profile: every number below comes from its prefixes, as issuing does.
        from .issuing import ISSUER_OF
        from .profile import suggested_profile

        profile = suggested_profile("city", CITY)
        self.w.record(OrganizationProfile, _at(dt.date(BASE_DATE.year - 3, 1, 4)), record_id=PROFILE_ID,
                      **{f: getattr(profile, f) for f in (
                          "level", "place", "leading_group_name", "office_name", "leading_group_prefix",
                          "office_prefix", "office_letter_prefix", "team_prefix", "team_name_pattern", "team_count",
                          "discipline_body", "organisation_dept", "framework")})
        prefixes = {"leading_group": profile.leading_group_prefix, "office": profile.office_prefix,
                    "office_letter": profile.office_letter_prefix}
        for issued, key, insp, title, recipient in planned:
            kind = key.split(":")[0]
            who = ISSUER_OF.get(kind, "leading_group")
            issuer = (profile.team_code(insp.team_name) if who == "team" else None) or prefixes.get(who, "市委巡")
            year = issued.astimezone(_CST).year
            seq = self.sequences.get((issuer, year), 0) + 1
            self.sequences[(issuer, year)] = seq
            insp.docs[key] = self.w.record(
                IssuedDocument, issued, inspection_id=insp.id, kind=kind, issuer_code=issuer, year=year,
                sequence=seq, number_text=f"{issuer}〔{year}〕{seq}号", title=title[:200], recipient=recipient,
                issued_at=issued, issued_by=None, attachment_id=None, document_date=issued.astimezone(_CST).date(),
                copies=None, snapshot_attachment_id=None, voided_at=None, voided_by=None, void_reason=None)

    def _write_inspection(self, rng: _Rng, insp: _Inspection, round_id: uuid.UUID | None) -> None:
        first = insp.units[0]
        self.w.record(
            Inspection, insp.created, updated=min(NOW, _at(insp.last_work_day, 17)), record_id=insp.id,
            round_id=round_id, name=insp.name[:200], kind=insp.kind, stage=insp.stage, team_name=insp.team_name,
            start_date=insp.start, end_date=insp.end,
            feedback_date=insp.feedback if insp.reached(Stage.FEEDBACK) else None,
            announcement_phone=f"{AREA_CODE}-{rng.randint(2_000_000, 8_999_999)}",
            announcement_mailbox=f"{CITY}第{rng.randint(10, 99)}号邮政信箱",
            announcement_address=f"{first.address}（{insp.team_name}驻地）",
            announcement_email=f"xcz{rng.randint(1, 9)}@yunchuan.example",
            follows_inspection_id=insp.follows.id if insp.follows else None,
            notes="对上轮巡察反馈问题整改情况开展“回头看”。" if insp.follows else None)
        for k, unit in enumerate(insp.units):
            self.w.record(InspectionUnit, insp.created + dt.timedelta(seconds=k + 1), inspection_id=insp.id,
                          unit_id=unit.id)
        k = 0
        for role, people in insp.team.items():
            for person in people:
                k += 1
                auth = insp.docs.get("authorization") if role == TeamRole.LEADER else None
                self.w.record(TeamAssignment, insp.created + dt.timedelta(minutes=5, seconds=k), inspection_id=insp.id,
                              inspector_id=person.id, role=role, authorisation_document_id=auth,
                              notes="一次一授权" if auth else None)
        self._write_checklist(rng, insp, insp.created + dt.timedelta(minutes=10))

    def _write_checklist(self, rng: _Rng, insp: _Inspection, created: dt.datetime) -> None:
        finished = insp.reached(Stage.REPORT)
        working = insp.stage in (Stage.ARRIVE, Stage.FIELDWORK)
        no_subordinates = all(not u.children for u in insp.units) and all(u.kind != UnitKind.SOE for u in insp.units)
        checks = insp.sources.setdefault(SourceKind.CHECKLIST, [])
        for k, item in enumerate(self.ref.checklist):
            status = ChecklistStatus.OPEN
            if finished:
                status = ChecklistStatus.DONE
                if item.code == "subordinate_head" and no_subordinates:
                    status = ChecklistStatus.NOT_APPLICABLE
            elif working and rng.chance(_elapsed(insp)):
                status = ChecklistStatus.DONE
            done = status == ChecklistStatus.DONE
            done_at = None
            if done:
                done_at = min(_at(rng.workday_between(insp.start, insp.last_work_day), rng.randint(9, 16)),
                              NOW - dt.timedelta(hours=1))
            item_id = self.w.record(
                ChecklistItem, created + dt.timedelta(seconds=k), updated=done_at, inspection_id=insp.id,
                template_item_id=item.id, list_kind=item.list_kind, code=item.code, title=item.title,
                guidance=item.guidance, sort_order=(k + 1) * 10, status=status,
                notes=("被巡察单位无下属单位，不适用。" if status == ChecklistStatus.NOT_APPLICABLE
                       else f"已完成，形成记录{rng.randint(3, 40)}份。" if done else None),
                done_by=rng.pick(insp.members).id if done else None, done_at=done_at)
            if item.list_kind == "must_check":
                checks.append(item_id)

    # ── fieldwork records ───────────────────────────────────────────────────

    def build_records(self, total_findings: int) -> None:
        """Interviews, petitions, reviews and visits, then the findings that cite them, inspection by inspection."""
        rng_f = self.rng("fieldwork")
        rng_p = self.rng("findings")
        done = 0
        for insp in self.inspections:
            self._interviews(rng_f, insp)
            self._petitions(rng_f, insp)
            self._reviews(rng_f, insp)
            self._visits(rng_f, insp)
            self.w.checkpoint()
            _FindingBuilder(self, rng_p, insp).build()
            if insp.follows is not None:
                self._carry_over(rng_p, insp)
            self.w.checkpoint()
            done += insp.n_findings
            if insp.n_findings:
                self.say(f"已生成问题 {done}/{total_findings} 条")

    @staticmethod
    def _pick_unit(rng: _Rng, insp: _Inspection) -> _Unit:
        if len(insp.units) == 1 or rng.chance(0.4):
            return insp.units[0]
        return rng.pick(insp.units)

    def _interviewee_queue(self, insp: _Inspection) -> list[tuple[_Unit, _Person]]:
        """四必谈 order: principals, then leadership members, key posts, the rest of the directory."""
        pairs = [(u, p) for u in insp.units for p in u.people]
        rank = {"main_leader": 0, "leadership_member": 1, "key_post_head": 2, "subordinate_head": 3}
        return sorted(pairs, key=lambda up: rank.get(up[1].talk_category or "", 4))

    def _interviews(self, rng: _Rng, insp: _Inspection) -> None:
        if not insp.n_interviews:
            return
        queue = self._interviewee_queue(insp)
        talks = sorted((rng.workday_between(insp.start, insp.last_work_day), rng.randint(0, 14))
                       for _ in range(insp.n_interviews))
        ids = insp.sources.setdefault(SourceKind.INTERVIEW, [])
        for index, (day, slot) in enumerate(talks):
            kind = InterviewKind.INDIVIDUAL
            if index >= len(queue):  # the directory is talked to first; later talks vary
                kind = rng.weighted(_INTERVIEW_KINDS)
            person: _Person | None
            if index < len(queue):
                unit, person = queue[index]
                name, post = person.name, person.post
            else:
                unit = self._pick_unit(rng, insp)
                person = rng.pick(unit.people) if unit.people and rng.chance(0.08) else None
                if person is not None:
                    name, post = person.name, person.post
                else:
                    name = _name(rng, rng.chance(0.6))
                    post = rng.pick(_ADHOC_POSTS["grass" if unit.grass else "org"])
            if kind == InterviewKind.GROUP:
                person = None
                name, post = f"{rng.pick(_GROUP_TALKS)}（{rng.randint(6, 15)}人）", f"{unit.short}干部群众代表"
            start = _at(day, 8, 30) + dt.timedelta(minutes=30 * slot)
            minutes = rng.randint(90, 150) if kind == InterviewKind.GROUP else rng.randint(30, 110)
            end = start + dt.timedelta(minutes=minutes)
            if end > NOW - dt.timedelta(minutes=30):  # nothing is recorded after "now"
                end = NOW - dt.timedelta(minutes=30)
                start = end - dt.timedelta(minutes=minutes)
            category = None
            if kind == InterviewKind.INDIVIDUAL:
                category = person.talk_category if person else ("subordinate_head" if post == "下属单位负责人" else None)
            team = self._interviewers(rng, insp, with_leader=category == "main_leader")
            recorder = next((p for p in reversed(team) if p is not insp.leader), team[-1])
            topics = (rng.sample_sorted(_TOPIC_CODES, rng.randint(2, 6))
                      if kind in (InterviewKind.INDIVIDUAL, InterviewKind.GROUP) else [])
            text = _Text(rng, insp, unit)
            principal = person is not None and person.principal
            transcript, summary = self._transcript(rng, insp, kind, name, post, principal, topics, text)
            place = (f"{unit.short}党群服务中心" if unit.kind == UnitKind.VILLAGE else
                     f"巡察组谈话室（{unit.short}{rng.pick(('三楼小会议室', '二楼会议室', '党员活动室', '档案室旁谈话室'))}）")
            ids.append(self.w.record(
                Interview, end + dt.timedelta(minutes=rng.randint(5, 25)), inspection_id=insp.id, unit_id=unit.id,
                kind=kind, start_at=start, end_at=end, place=place, interviewer_ids=[str(p.id) for p in team],
                recorder_id=recorder.id, interviewee_person_id=person.id if person else None,
                interviewee_name=name, interviewee_post=post, talk_category=category, topics_asked=topics,
                summary=summary, transcript=transcript, signed_by_interviewee=kind != InterviewKind.GROUP))

    @staticmethod
    def _interviewers(rng: _Rng, insp: _Inspection, *, with_leader: bool) -> list[_Inspector]:
        """At least two inspectors at every talk; the 组长 talks to the principals himself."""
        members = insp.members
        chosen = rng.sample(members, 3 if rng.chance(0.2) and len(members) >= 3 else 2)
        if with_leader and insp.leader not in chosen:
            chosen[0] = insp.leader
        return chosen

    @staticmethod
    def _transcript(rng: _Rng, insp: _Inspection, kind: str, name: str, post: str, principal: bool,
                    topics: list[str], text: _Text) -> tuple[str, str]:
        """A 谈话笔录 in 问/答 form, and its one-line summary."""
        if kind in (InterviewKind.REMINDER, InterviewKind.WARNING, InterviewKind.INTERVIEW_TALK):
            label = {InterviewKind.REMINDER: "提醒谈话", InterviewKind.WARNING: "诫勉谈话",
                     InterviewKind.INTERVIEW_TALK: "约谈"}[InterviewKind(kind)]
            issue = rng.pick(_REMINDER_TOPICS)
            lines = [
                f"问：{insp.team_name}在巡察中发现你在{issue}方面存在问题，经组长同意，今天对你进行{label}。你对此有什么认识？",
                f"答：我接受组织的批评。{issue}的问题确实存在，主要是我对自己要求不严，对有关规定学习不够。",
                "问：下一步准备怎么改？",
                f"答：我会在{rng.randint(7, 30)}日内整改到位，并向单位党组织作出书面检查，今后严格按规定办事。",
                "问：以上记录是否属实？",
                "答：属实。",
            ]
            return "\n".join(lines), f"就{issue}问题对{name}进行{label}，本人表示接受批评、立即整改。"
        duty = "主持全面工作" if principal else f"主要负责{rng.pick(_AREAS)}方面的工作"
        lines = [
            f"问：我们是{insp.team_name}工作人员，根据市委统一部署，今天和你谈话，请实事求是反映情况，谈话内容我们将"
            "严格保密。请先简要介绍一下你的工作分工。",
            text.fill(f"答：我{{y1}}年{{m}}月任{post}，{duty}。"),
        ]
        for code in topics[:4]:
            question, answers = rng.pick(_TOPIC_QA[code])
            lines += [f"问：{question}", "答：" + text.fill(rng.pick(answers))]
        closing = rng.pick(("没有了。", "希望巡察组关注一下{issue}方面的问题。", "我会积极配合巡察工作，有情况及时向巡察组反映。"))
        lines += ["问：你还有什么需要向巡察组反映的？", "答：" + text.fill(closing),
                  "问：以上笔录你看一下，是否与你所说的一致？", "答：我看过了，和我说的一致。"]
        covered = "、".join(_TOPIC_LABELS[c] for c in topics[:3])
        summary = f"{name}（{post}）就{covered}等情况回答了询问，{text.fill(rng.pick(_INTERVIEW_POINTS))}。"
        return "\n".join(lines), summary

    def _petitions(self, rng: _Rng, insp: _Inspection) -> None:
        if not insp.n_petitions:
            return
        ids = insp.sources.setdefault(SourceKind.PETITION, [])
        # Letters start arriving once the 巡察公告 is out, a few days before the team arrives.
        days = sorted(rng.day_between(insp.start - _days(5), insp.last_work_day) for _ in range(insp.n_petitions))
        for day in days:
            unit = self._pick_unit(rng, insp)
            text = _Text(rng, insp, unit)
            received = min(_at(day, rng.randint(8, 20), rng.randint(0, 59)), NOW - dt.timedelta(hours=1))
            subject: _Person | None = None
            if unit.people and rng.chance(0.75):
                subject = rng.pick([p for p in unit.people if p.leadership or p.key] or unit.people)
                content = f"反映{unit.short}{subject.post}{subject.name}{text.fill(rng.pick(_PETITION_ALLEGATIONS))}。"
            else:
                allegations = _PETITION_UNIT_ALLEGATIONS["grass" if unit.grass else "org"]
                content = f"反映{unit.short}{text.fill(rng.pick(allegations))}。"
            content += rng.pick(("希望巡察组认真核查。", "反映人称有相关照片可以提供。", "此前曾向有关部门反映，未得到答复。", ""))
            if insp.reached(Stage.REPORT):
                status = rng.weighted(_PETITION_STATUS_DONE)
            else:
                status = rng.weighted(_PETITION_STATUS_OPEN)
            anonymous = rng.chance(0.6)
            ids.append(self.w.record(
                Petition, received + dt.timedelta(minutes=20), inspection_id=insp.id, unit_id=unit.id,
                received_at=received,
                channel=rng.weighted(_PETITION_CHANNELS),
                anonymous=anonymous, reporter_name=None if anonymous else _name(rng, rng.chance(0.6)),
                reporter_contact=None if anonymous else _phone(rng),
                subject_name=subject.name if subject else None, subject_post=subject.post if subject else None,
                content=content, status=status, handling=rng.pick(_PETITION_HANDLING[PetitionStatus(status)])))

    def _reviews(self, rng: _Rng, insp: _Inspection) -> None:
        if not insp.n_reviews:
            return
        ids = insp.sources.setdefault(SourceKind.DOCUMENT_REVIEW, [])
        for day in sorted(rng.workday_between(insp.start, insp.last_work_day) for _ in range(insp.n_reviews)):
            unit = self._pick_unit(rng, insp)
            text = _Text(rng, insp, unit)
            title, material, note = rng.pick(_DOC_REVIEWS)
            when = min(_at(day, rng.randint(9, 16), rng.randint(0, 59)), NOW - dt.timedelta(hours=1))
            y = int(text["y"])
            ids.append(self.w.record(
                DocumentReview, when, inspection_id=insp.id, unit_id=unit.id,
                title=(text.fill(title) if "{org}" in title else unit.short + text.fill(title))[:200],
                material_kind=material,
                period=f"{y}年1月至{y + 1}年{rng.randint(1, 12)}月", reviewed_at=when,
                reviewer_ids=[str(p.id) for p in rng.sample(insp.members, 2)],
                notes=f"共查阅{rng.randint(10, 300)}份（册），{text.fill(note)}"))

    def _visits(self, rng: _Rng, insp: _Inspection) -> None:
        if not insp.n_visits:
            return
        ids = insp.sources.setdefault(SourceKind.VISIT, [])
        for day in sorted(rng.workday_between(insp.start, insp.last_work_day) for _ in range(insp.n_visits)):
            unit = self._pick_unit(rng, insp)
            text = _Text(rng, insp, unit)
            place_t, content_t, roles = rng.pick(_VISITS_GRASS if unit.grass else _VISITS_ORG)
            place = text.fill(place_t)
            when = min(_at(day, rng.randint(9, 16), rng.randint(0, 59)), NOW - dt.timedelta(hours=1))
            met = (f"{_name(rng, True)}（{rng.pick(roles)}）、{_name(rng, False)}（{rng.pick(roles)}）"
                   f"等{rng.randint(2, 12)}人")
            ids.append(self.w.record(
                Visit, when, inspection_id=insp.id, unit_id=unit.id, visited_at=when, place=place[:200],
                visitor_ids=[str(p.id) for p in rng.sample(insp.members, rng.choice((2, 2, 3)))],
                people_met=met, content=text.fill(content_t)))

    def _carry_over(self, rng: _Rng, insp: _Inspection) -> None:
        """A 回头看 takes over the still-open rectification items of the inspection it follows."""
        followed = insp.follows
        if followed is None or not insp.reached(Stage.FIELDWORK):
            return
        unit_ids = {u.id for u in insp.units}
        for old in followed.open_rectifications:
            if old["unit_id"] not in unit_ids:
                continue
            created = min(_at(insp.start + _days(rng.randint(3, 10)), 10), NOW - dt.timedelta(hours=2))
            deadline = insp.start + _days(rng.choice((30, 60, 90)))
            status = RectificationStatus.IN_PROGRESS
            if deadline < BASE_DATE and rng.chance(0.6):
                status = RectificationStatus.COMPLETED
            completed = rng.day_between(created.date(), min(deadline, BASE_DATE)) \
                if status == RectificationStatus.COMPLETED else None
            self.w.record(
                Rectification, created, updated=_at(completed, 16) if completed else None,
                finding_id=old["finding_id"], inspection_id=insp.id, unit_id=old["unit_id"],
                measures=old["measures"], responsible_person=old["responsible_person"], deadline=deadline,
                status=status, progress="“回头看”中发现该问题整改不到位，已重新明确整改时限并挂号督办。",
                evidence="补充整改情况报告、佐证材料。" if completed else None, completed_on=completed,
                closed_on=None, closed_by=None, carried_from_id=old["id"], **_NO_PLAN_FIELDS)


# ─────────────────────────────── findings ───────────────────────────────


def _templates_for(grass: bool, codes: Sequence[str] | None = None) -> list[_FindingTemplate]:
    scopes = ("any", "grass") if grass else ("any", "org")
    chosen = [t for t in _FINDING_TEMPLATES if t[2] in scopes and (codes is None or t[0] in codes)]
    return chosen or [t for t in _FINDING_TEMPLATES if codes is None or t[0] in codes]


_TEMPLATES = {
    (grass, key): _templates_for(grass, codes)
    for grass in (False, True)
    for key, codes in (("all", None), ("clue_transfer", _CLUE_CATEGORIES), ("transfer_organization", _ORG_CLUE_CATEGORIES))
}


_MONEY_POSTS = _PHRASES["money_posts"]
_KEY_POST_HINTS: dict[str, tuple[str, ...]] = {
    "gov_finance": _MONEY_POSTS, "gov_eight_rules": ("办公室", *_MONEY_POSTS), "build_member_management": _MONEY_POSTS,
    "gov_mass_interests": ("社会", "救助", "农业", "报账"), "lead_major_matters": _MONEY_POSTS,
    "gov_projects": ("工程", "采购", "招标", "基建", "建设", "总务", "设备"),
    "sel": ("人事", "人力", "干部", "党政办", "办公室"),
}


def _characterisations(code: str) -> tuple[str, ...]:
    return _CHARACTERISATIONS.get(code) or _CHARACTERISATIONS[_CHARACTERISATION_PARENTS[code.split("_")[0]]]


class _FindingBuilder:
    """The findings of one inspection, with everything that follows each one."""

    def __init__(self, gen: _Generator, rng: _Rng, insp: _Inspection) -> None:
        self.gen = gen
        self.w = gen.w
        self.rng = rng
        self.insp = insp
        self.handers = [i for i in insp.members if i is not insp.leader] or insp.members
        # Reviews finish before the report goes up; for current inspections, before "now".
        self.review_cap = min(NOW - dt.timedelta(minutes=30), _at(insp.end + _days(15), 18))

    def build(self) -> None:
        insp, rng = self.insp, self.rng
        count = insp.n_findings
        if not count:
            return
        first = insp.start + _days(3)
        days = sorted(rng.workday_between(first, max(first, insp.last_work_day)) for _ in range(count))
        clue_kinds: dict[int, str] = {}
        if insp.n_clues:
            picks = rng.sample(range(count), insp.n_clues)
            for k, index in enumerate(picks):
                clue_kinds[index] = "transfer_organization" if k < insp.n_org_clues else "clue_transfer"
        for number, day in enumerate(days, start=1):
            self._finding(number, day, clue_kinds.get(number - 1))

    def _state(self) -> str:
        rng, stage = self.rng, self.insp.stage
        if self.insp.reached(Stage.FEEDBACK):
            return ReviewState.APPROVED
        if stage == Stage.REPORT:
            return rng.weighted(_STATES_REPORT)
        return rng.weighted(_STATES_FIELDWORK)

    def _disposition(self, state: str, clue_kind: str | None) -> str | None:
        if state != ReviewState.APPROVED:
            return None
        if clue_kind:
            return clue_kind
        if not self.insp.reached(Stage.HANDOVER) and self.rng.chance(CLUE_SHARE):
            return self.rng.weighted((("clue_transfer", 0.75), ("transfer_organization", 0.25)))
        return self.rng.weighted(_DISPOSITION_WEIGHTS)

    def _facts(self, text: _Text, core: str) -> str:
        """现象 of 100–300 characters: the core fact, an opening, and detail sentences as needed."""
        rng = self.rng
        # Cores that open with their own "抽查…发现" or "群众反映" take no opening phrase.
        intro = text.fill(rng.pick(_FACT_INTROS)) if core.startswith("{") else ""
        facts = intro + text.fill(core)
        extras = list(_FACT_EXTRAS)
        wanted = 1 if rng.chance(0.35) else 0  # one more detail now and then, beyond the minimum
        while len(facts) < 100 or wanted:
            if len(facts) >= 100:
                wanted -= 1
            extra = text.fill(extras.pop(int(rng.random() * len(extras))))
            if len(facts) + len(extra) > 300:
                break
            facts += extra
        if len(facts) > 300:
            facts = text.fill(core)[:299] + "。"
        return facts

    def _finding(self, number: int, day: dt.date, clue_kind: str | None) -> None:
        insp, rng, w = self.insp, self.rng, self.w
        state = self._state()
        disposition = self._disposition(state, clue_kind)
        unit = self.gen._pick_unit(rng, insp)
        pool = _TEMPLATES[(unit.grass, disposition if disposition in _CLUE_DISPOSITIONS else "all")]
        code, discipline, _, titles, core = rng.pick(pool)
        text = _Text(rng, insp, unit)
        text.hints = _KEY_POST_HINTS.get(code.split("_")[0] if code.startswith("sel_") else code, ())
        title = text.fill(rng.pick(titles))
        facts = self._facts(text, core)
        characterisation = text.fill(rng.pick(_TEMPLATE_CHARACTERISATIONS.get(titles[0]) or _characterisations(code)))
        responsibilities: tuple[str, ...]
        if "person" in text and text["post"] not in (text.unit.role("p").post,):
            responsibilities = _RESPONSIBILITIES_PERSON
        elif code.startswith(_LEADERSHIP_MATTERS):
            responsibilities = _RESPONSIBILITIES_LEADERSHIP
        else:
            responsibilities = _RESPONSIBILITIES_HANDLING
        responsibility = text.fill(rng.pick(responsibilities))
        responsible = text.people
        if disposition in _CLUE_DISPOSITIONS:
            severity = rng.weighted(_SEVERITY_CLUE)
        else:
            severity = rng.weighted(_SEVERITY)
        source_kind, source_id = self._source()
        handler = rng.pick(self.handers)
        found = _at(day, rng.randint(9, 12 if day == BASE_DATE else 16), rng.randint(0, 59))
        finding_id = w.new_id(found)
        reviews = self._reviews(finding_id, state, handler, found, disposition)
        decided = reviews[-1] if reviews else found

        status: str
        status, four_form, updated = FindingStatus.OPEN, None, decided
        if disposition == "immediate_fix":
            status = FindingStatus.CLOSED if insp.reached(Stage.RECTIFICATION) else FindingStatus.RECTIFIED
        elif disposition in ("written_inquiry", "reminder_talk", "admonition_talk"):
            four_form = "form1"
            if insp.reached(Stage.RECTIFICATION):
                status = FindingStatus.CLOSED
        elif disposition == "transfer_department" and insp.reached(Stage.HANDOVER):
            status = FindingStatus.TRANSFERRED
        elif disposition in ("supervision_recommendation", "special_governance") and insp.reached(Stage.FEEDBACK):
            status = FindingStatus.CLOSED if insp.stage in (Stage.CLOSED, Stage.FOLLOW_UP) else FindingStatus.RECTIFYING
        elif disposition == "settle":
            status = FindingStatus.CLOSED
        elif disposition in _CLUE_DISPOSITIONS:
            status, four_form, updated = self._clue(finding_id, unit, text, decided, disposition, responsible)
        elif disposition == "feedback_rectify" and insp.reached(Stage.FEEDBACK):
            status, updated = self._rectification(finding_id, unit, text)

        if state == ReviewState.APPROVED:
            assignee = None
        elif state in (ReviewState.DRAFT, ReviewState.RETURNED):
            assignee = handler.id
        else:
            assignee = (insp.deputy if state == ReviewState.SUBMITTED else insp.leader).id
        w.record(
            Finding, found, updated=updated, record_id=finding_id, inspection_id=insp.id, unit_id=unit.id,
            number=number, title=title[:200], facts=facts, characterisation=characterisation,
            responsibility=responsibility, category_code=code, discipline_code=discipline, severity=severity,
            source_kind=source_kind, source_id=source_id,
            responsible_people="、".join(p.name for p in responsible)[:400],
            responsible_person_ids=[str(p.id) for p in responsible], handler_id=handler.id, assignee_id=assignee,
            review_state=state, disposition_code=disposition, four_form=four_form, status=status, found_on=day)
        w.checkpoint()

    def _source(self) -> tuple[str | None, uuid.UUID | None]:
        """Point at a real record of the same inspection: what the finding came from."""
        sources = self.insp.sources
        kind = self.rng.weighted(_SOURCES)
        for candidate in (kind, SourceKind.DOCUMENT_REVIEW, SourceKind.INTERVIEW, SourceKind.CHECKLIST):
            ids = sources.get(candidate)
            if ids:
                return candidate, self.rng.pick(ids)
        return SourceKind.OTHER, None

    def _reviews(self, finding_id: uuid.UUID, state: str, handler: _Inspector, found: dt.datetime,
                 disposition: str | None) -> list[dt.datetime]:
        """The 三审 chain that brought the working paper to `state`; returns when each step happened."""
        insp, rng = self.insp, self.rng
        deputy, leader = insp.deputy, insp.leader
        steps: list[tuple[str, str, str, _Inspector, str | None]] = []
        submit = (ReviewAction.SUBMIT, ReviewState.DRAFT, ReviewState.SUBMITTED, handler,
                  rng.pick((None, "事实已核对原始凭证，提请审核。", "已附谈话笔录和凭证复印件。")))
        if state == ReviewState.DRAFT:
            return []
        steps.append(submit)
        if state == ReviewState.RETURNED or (state == ReviewState.APPROVED and rng.chance(0.06)):
            steps.append((ReviewAction.RETURN, ReviewState.SUBMITTED, ReviewState.RETURNED, deputy,
                          f"{rng.pick(_RETURN_REASONS)}，请补充完善后重新提交。"))
            if state == ReviewState.APPROVED:
                steps.append((ReviewAction.SUBMIT, ReviewState.RETURNED, ReviewState.SUBMITTED, handler, "已按审核意见补充完善。"))
        if state in (ReviewState.DEPUTY_APPROVED, ReviewState.APPROVED):
            steps.append((ReviewAction.DEPUTY_APPROVE, ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED, deputy,
                          rng.pick(("事实清楚，定性准确，同意提交组长审签。", "同意。", "同意，建议按反馈整改处置。"))))
        if state == ReviewState.APPROVED:
            label = _DISPOSITION_LABELS.get(disposition or "", "")
            steps.append((ReviewAction.LEADER_APPROVE, ReviewState.DEPUTY_APPROVED, ReviewState.APPROVED, leader,
                          f"同意，按“{label}”处置。" if label else "同意。"))
        times: list[dt.datetime] = []
        at = found
        for action, before, after, actor, comment in steps:
            at = min(at + dt.timedelta(hours=rng.randint(2, 72)), max(self.review_cap, at + dt.timedelta(minutes=10)))
            times.append(at)
            self.w.record(FindingReview, at, finding_id=finding_id, action=action, from_state=before, to_state=after,
                          actor_id=actor.id, actor_name=actor.name, acted_at=at, comment=comment)
        return times

    def _clue(self, finding_id: uuid.UUID, unit: _Unit, text: _Text, decided: dt.datetime, disposition: str,
              responsible: list[_Person]) -> tuple[str, str | None, dt.datetime]:
        """A 问题线索 and, once handed over, what the receiving body reported back."""
        insp, rng = self.insp, self.rng
        org_clue = disposition == "transfer_organization"
        subject = responsible[0] if responsible else unit.role("p")
        handed_to = "市委组织部" if org_clue else "市纪委监委"
        allegation = rng.pick(_ORG_CLUE_ALLEGATIONS if org_clue else _CLUE_ALLEGATIONS)
        summary = (f"{subject.name}（{unit.short}{subject.post}）{allegation}，涉及金额约{text['amt']}万元。"
                   f"该线索反映具体、可查性较强，建议按干部管理权限移交{handed_to}处置。")
        handed = insp.handover if insp.reached(Stage.HANDOVER) else None
        doc = insp.docs.get("clue-transfer:org" if org_clue else "clue-transfer") if handed else None
        if handed and doc is None:  # a letter exists only where clues were planned; keep it pending otherwise
            handed = None
        clue_id = self.w.new_id(decided)
        status: str
        status, form, last = ClueStatus.PENDING, None, decided
        outcomes: list[tuple[str, dt.date, str | None, int, str]] = []
        if handed:
            status, form, outcomes = self._outcomes(handed, org_clue)
            last = _at(outcomes[-1][1], 16) if outcomes else _at(handed, 10)
        self.w.record(Clue, decided, updated=last, record_id=clue_id, inspection_id=insp.id, finding_id=finding_id,
                      subject_name=subject.name, subject_post=subject.post, subject_rank=subject.rank,
                      summary=summary, handed_to=handed_to, handed_over_on=handed, transfer_document_id=doc,
                      status=status)
        for kind, day, four_form, people, notes in outcomes:
            self.w.record(ClueOutcome, _at(day, 16), clue_id=clue_id, kind=kind, four_form=four_form,
                          people_count=people, decided_on=day, notes=notes)
        if status == ClueStatus.CONCLUDED:
            return FindingStatus.CLOSED, form, last
        return (FindingStatus.TRANSFERRED if handed else FindingStatus.OPEN), None, last

    def _outcomes(self, handed: dt.date, org_clue: bool) -> tuple[str, str | None, list[tuple[str, dt.date, str | None, int, str]]]:
        rng = self.rng
        outcomes: list[tuple[str, dt.date, str | None, int, str]] = []
        form: str | None
        checked = handed + _days(rng.randint(20, 60))
        if checked > BASE_DATE:
            return ClueStatus.HANDED_OVER, None, outcomes
        outcomes.append((ClueOutcomeKind.INITIAL_CHECK, checked, None, 1,
                         rng.pick(("经初步核实，反映问题基本属实。", "经初步核实，反映问题部分属实。", "已完成初步核实，正在研究处置意见。"))))
        if org_clue:
            branch = rng.weighted((("organisational", 0.6), ("closed", 0.3), ("pending", 0.1)))
        else:
            branch = rng.weighted((("case_filed", 0.35), ("organisational", 0.25), ("closed", 0.25), ("pending", 0.15)))
        decided = checked + _days(rng.randint(30, 90))
        if branch == "pending" or decided > BASE_DATE:
            return ClueStatus.HANDED_OVER, None, outcomes
        if branch == "case_filed":
            outcomes.append((ClueOutcomeKind.CASE_FILED, decided, None, 1, "经市纪委常委会研究，决定立案审查调查。"))
            closed = decided + _days(rng.randint(60, 180))
            if closed > BASE_DATE:
                return ClueStatus.HANDED_OVER, None, outcomes
            form = rng.weighted((("form2", 0.6), ("form3", 0.3), ("form4", 0.1)))
            notes = rng.pick({"form2": ("给予党内警告处分。", "给予党内严重警告处分。", "给予政务记过处分。"),
                              "form3": ("给予撤销党内职务处分。", "给予留党察看一年处分，政务降级。"),
                              "form4": ("给予开除党籍、开除公职处分，涉嫌犯罪问题移送检察机关依法审查起诉。",)}[form])
            outcomes.append((ClueOutcomeKind.DISCIPLINED, closed, form, rng.choice((1, 1, 1, 2, 3)), notes))
            return ClueStatus.CONCLUDED, form, outcomes
        if branch == "organisational":
            form = rng.weighted((("form1", 0.6), ("form2", 0.4)))
            notes = rng.pick({"form1": ("予以诫勉。", "责令作出书面检查。", "进行批评教育。"),
                              "form2": ("调整职务。", "予以免职。", "责令辞职。")}[form])
            outcomes.append((ClueOutcomeKind.ORGANISATIONAL, decided, form, 1, notes))
            return ClueStatus.CONCLUDED, form, outcomes
        form = "form1" if rng.chance(0.5) else None
        notes = "经核实，反映问题情节轻微，对其批评教育后予以了结。" if form else "经核实，反映问题不属实，予以了结。"
        outcomes.append((ClueOutcomeKind.CLOSED_NO_ACTION, decided, form, 1, notes))
        return ClueStatus.CONCLUDED, form, outcomes

    def _rectification(self, finding_id: uuid.UUID, unit: _Unit, text: _Text) -> tuple[str, dt.datetime]:
        """整改 of a fed-back finding, as it stands on BASE_DATE: some closed, some overdue."""
        insp, rng = self.insp, self.rng
        created = min(_at(insp.feedback + _days(rng.randint(3, 15)), 10), NOW - dt.timedelta(hours=2))
        deadline = insp.feedback + _days(rng.weighted(((30, 15), (60, 35), (90, 25), (180, 20), (365, 5))))
        old = insp.stage in (Stage.CLOSED, Stage.FOLLOW_UP)
        if insp.stage == Stage.FEEDBACK:
            status = rng.weighted(_RECT_JUST_FED_BACK)
        elif deadline <= BASE_DATE:
            status = rng.weighted(_RECT_PAST_DEADLINE_OLD if old else _RECT_PAST_DEADLINE)
        else:
            status = rng.weighted(_RECT_BEFORE_DEADLINE)
        completed = closed = None
        if status in (RectificationStatus.COMPLETED, RectificationStatus.CLOSED):
            completed = rng.day_between(created.date() + _days(7), min(deadline + _days(20), BASE_DATE))
            if completed > BASE_DATE:
                completed, status = None, RectificationStatus.IN_PROGRESS
        if status == RectificationStatus.CLOSED and completed:
            closed = completed + _days(rng.randint(5, 30))
            if closed > BASE_DATE:
                closed, status = None, RectificationStatus.COMPLETED
        measures = "；".join(f"{i}.{text.fill(m)}" for i, m in enumerate(rng.sample(_RECT_MEASURES, rng.randint(2, 3)), 1)) + "。"
        progress = {
            RectificationStatus.PENDING: None,
            RectificationStatus.IN_PROGRESS: f"已制定整改措施，正在推进，完成约{rng.randint(20, 80)}%。",
            RectificationStatus.COMPLETED: "已完成整改，待巡察办审核销号。",
            RectificationStatus.CLOSED: "已完成整改，经审核予以销号。",
        }[RectificationStatus(status)]
        evidence = None
        if completed:
            evidence = f"{'、'.join(rng.sample(_RECT_EVIDENCE, 3))}（共{rng.randint(3, 60)}页）"
        responsible = unit.role("p").name
        last = _at(closed or completed or created.date(), 16) if (closed or completed) else created
        rect_id = self.w.record(
            Rectification, created, updated=last, finding_id=finding_id, inspection_id=insp.id, unit_id=unit.id,
            measures=measures, responsible_person=responsible, deadline=deadline, status=status, progress=progress,
            evidence=evidence, completed_on=completed, closed_on=closed,
            closed_by=insp.leader.id if closed else None, carried_from_id=None, **_NO_PLAN_FIELDS)
        if insp.followed and status != RectificationStatus.CLOSED:
            insp.open_rectifications.append({"id": rect_id, "finding_id": finding_id, "unit_id": unit.id,
                                             "measures": measures, "responsible_person": responsible})
        finding_status = {RectificationStatus.PENDING: FindingStatus.RECTIFYING,
                          RectificationStatus.IN_PROGRESS: FindingStatus.RECTIFYING,
                          RectificationStatus.COMPLETED: FindingStatus.RECTIFIED,
                          RectificationStatus.CLOSED: FindingStatus.CLOSED}[RectificationStatus(status)]
        return finding_status, last


# Weighted draws, kept as constants so their cumulative weights are computed once.
_INTERVIEW_KINDS = ((InterviewKind.INDIVIDUAL, 84), (InterviewKind.GROUP, 8), (InterviewKind.REMINDER, 4),
                    (InterviewKind.INTERVIEW_TALK, 3), (InterviewKind.WARNING, 1))
_PETITION_STATUS_DONE = ((PetitionStatus.CONCLUDED, 0.7), (PetitionStatus.TRANSFERRED, 0.3))
_PETITION_STATUS_OPEN = ((PetitionStatus.REGISTERED, 0.3), (PetitionStatus.VERIFYING, 0.45),
                         (PetitionStatus.TRANSFERRED, 0.1), (PetitionStatus.CONCLUDED, 0.15))
_PETITION_CHANNELS = ((PetitionChannel.LETTER, 25), (PetitionChannel.PHONE, 30), (PetitionChannel.VISIT, 12),
                      (PetitionChannel.WEB, 13), (PetitionChannel.MAILBOX, 10), (PetitionChannel.HOTLINE, 10))
_STATES_REPORT = ((ReviewState.APPROVED, 85), (ReviewState.DEPUTY_APPROVED, 10), (ReviewState.SUBMITTED, 5))
_STATES_FIELDWORK = ((ReviewState.DRAFT, 30), (ReviewState.SUBMITTED, 25), (ReviewState.DEPUTY_APPROVED, 15),
                     (ReviewState.APPROVED, 20), (ReviewState.RETURNED, 10))
_SEVERITY = ((Severity.GENERAL, 0.68), (Severity.MAJOR, 0.26), (Severity.SERIOUS, 0.06))
_SEVERITY_CLUE = ((Severity.MAJOR, 0.6), (Severity.SERIOUS, 0.4))
_SOURCES = ((SourceKind.INTERVIEW, 40), (SourceKind.DOCUMENT_REVIEW, 33), (SourceKind.PETITION, 12),
            (SourceKind.VISIT, 10), (SourceKind.CHECKLIST, 5))
_RECT_JUST_FED_BACK = ((RectificationStatus.PENDING, 0.7), (RectificationStatus.IN_PROGRESS, 0.3))
# Past the deadline, most items are closed; in inspections long finished, nearly all.
_RECT_PAST_DEADLINE = ((RectificationStatus.CLOSED, 0.7), (RectificationStatus.COMPLETED, 0.15),
                       (RectificationStatus.IN_PROGRESS, 0.15))
_RECT_PAST_DEADLINE_OLD = ((RectificationStatus.CLOSED, 0.88), (RectificationStatus.COMPLETED, 0.07),
                           (RectificationStatus.IN_PROGRESS, 0.05))
_RECT_BEFORE_DEADLINE = ((RectificationStatus.PENDING, 0.25), (RectificationStatus.IN_PROGRESS, 0.5),
                         (RectificationStatus.COMPLETED, 0.2), (RectificationStatus.CLOSED, 0.05))

_DISPOSITION_LABELS = _PHRASES["disposition_labels"]


# ─────────────────────────────── entry point ───────────────────────────────


def generate_demo(
    db: Database,
    *,
    seed: int,
    units: int,
    findings: int,
    interviews: int,
    progress: Callable[[str], None] | None = None,
) -> DemoReport:
    """Write a deterministic demo 市 into an empty, migrated database with reference data loaded.

    Same seed and sizes → identical rows, ids included. `units`, `findings` and `interviews` are
    honoured exactly; petitions, document reviews, visits, clues and rectifications follow in
    proportion. Raises ValueError for bad sizes, a database that already holds units or
    inspections, or missing reference data; nothing is written then.
    """
    if units < 1 or findings < 0 or interviews < 0:
        raise ValueError("单位数至少为1，问题数和谈话数不能为负数。")
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    with paused_gc(), _bulk_journal(db):
        return _generate(db, seed, units, findings, interviews, say, started)


# A larger page cache while the demo is written: fewer spills of half-built pages (SQLite's
# default is 2 MB). Per connection, put back afterwards.
BULK_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def _bulk_journal(db: Database) -> Iterator[None]:
    """Write the demo through a rollback journal instead of the WAL, then go back to WAL.

    The demo is one transaction of ~1.5 GB at the bench size. Through the WAL every page is written
    twice, to the log and then by the checkpoint at commit; through a rollback journal the new pages
    go straight into the file (a new database has almost nothing to journal): the keyword index and
    the commit took 48 s instead of 18 s at that size. A database another connection has open cannot
    leave WAL mode; the demo is then written through the WAL as before, only slower.
    """
    if not db.is_sqlite:
        yield
        return
    # Idle pooled connections keep the file open in WAL mode; the demo's session reuses the one
    # connection left in the pool, in the mode set here.
    db.engine.dispose()
    _set_journal(db, "DELETE", BULK_CACHE_KIB)
    try:
        yield
    finally:
        _set_journal(db, "WAL", 2000)


def _set_journal(db: Database, mode: str, cache_kib: int) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        let_go_of_scratch(cursor)  # the demo's events' scratch file, attached until its transaction ended
        cursor.execute(f"PRAGMA journal_mode = {mode}")
        cursor.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        cursor.close()
    finally:
        raw.close()


def _generate(db: Database, seed: int, units: int, findings: int, interviews: int, say: Callable[[str], None],
              started: float) -> DemoReport:
    with db.write() as session:
        _require_empty(session)
        ref = _Reference.load(session)
        sequences = {(s.issuer_code, s.year): s.last_value for s in session.scalars(select(DocumentSequence))}
        if db.is_sqlite:
            for stmt in suspend_sql():  # index once at the end rather than row by row
                session.execute(text(stmt))
        # On SQLite each row's insert event is made as the row is written (see demo_events); elsewhere
        # the backfill gives them after the load.
        conn = session.connection()
        with DemoEvents(conn, site_id(conn), scratch=_scratch_path(db)) if db.is_sqlite else contextlib.nullcontext() as events:
            writer = _Writer(session, _Ids(_Rng(f"xuncha-demo:{seed}:ids")), events)
            counts = _write_rows(session, _Generator(seed, ref, writer, say, sequences), writer, findings, interviews,
                                 units, sequences)
            if db.is_sqlite:
                # The keyword index needs only the rows: built while the helper makes the last events.
                say("正在重建全文索引…")
                _rebuild_index(session)
                counts[SearchDoc.__tablename__] = session.scalar(select(func.count()).select_from(SearchDoc)) or 0
            # Every row gets its insert event, signed by this copy, so the change log accounts for every
            # row (what `audit verify` replays) and any of them can travel in a package.
            say("正在登记变更记录…")
            counts[ChangeEvent.__tablename__] = events.finish() if events is not None else backfill.backfill(conn, site_id(conn))
    say("演示数据已生成。")
    return DemoReport(seed=seed, counts=counts, elapsed_seconds=time.perf_counter() - started)


def _scratch_path(db: Database) -> str | None:
    """Where the events' helper may write them: beside a plain demo file. Never for an encrypted one
    (no plain copy of its data on disk) nor one in memory."""
    if db.path is None or db.encrypted:
        return None
    return str(db.path.with_name(db.path.name + "-demo-events"))


def _write_rows(session: Session, gen: _Generator, writer: _Writer, findings: int, interviews: int, units: int,
                sequences: dict[tuple[str, int], int]) -> dict[str, int]:
    """Every row of the demo, written; the rows written per table."""
    gen.say("正在生成单位和人员…")
    gen.build_units(units)
    gen.say("正在生成巡察人才库…")
    gen.build_inspectors(units)
    gen.say("正在安排巡察轮次、巡察组和文书…")
    gen.plan_programme()
    gen.plan_volumes(findings, interviews)
    gen.write_programme()
    gen.build_records(findings)
    from .demo_meetings import write_meetings

    write_meetings(gen, _Rng(f"xuncha-demo:{gen.seed}:meeting-ids"))
    writer.flush()
    _write_sequences(session, writer, gen.sequences, sequences)
    # Let other code tell a demonstration copy apart.
    writer.raw(Setting, {"key": "demo.seed", "value": str(gen.seed)})
    writer.raw(Setting, {"key": "demo.base_date", "value": BASE_DATE.isoformat()})
    writer.flush()
    return dict(writer.counts)


def _require_empty(session: Session) -> None:
    # Demo rows mixed into a real register would be indistinguishable from real findings.
    for model in (Unit, Inspection):
        if session.scalar(select(func.count()).select_from(model)):
            raise ValueError("数据库中已有单位或巡察数据，演示数据只能写入新建的数据库。")


def _write_sequences(session: Session, writer: _Writer, sequences: dict[tuple[str, int], int],
                     existing: dict[tuple[str, int], int]) -> None:
    """Leave 文号 numbering where the demo stopped, so the next document continues without a clash."""
    for (issuer, year), last in sorted(sequences.items()):
        if (issuer, year) in existing:
            if last != existing[(issuer, year)]:
                session.execute(DocumentSequence.__table__.update()
                                .where(DocumentSequence.issuer_code == issuer, DocumentSequence.year == year)
                                .values(last_value=last))
        else:
            writer.raw(DocumentSequence, {"issuer_code": issuer, "year": year, "last_value": last})
    writer.flush()


def _rebuild_index(session: Session) -> None:
    """Rebuild the keyword index in one pass.

    A larger FTS5 hash table for the duration means far fewer intermediate segments to write and
    merge during the rebuild; the setting is put back to SQLite's default afterwards.
    """
    session.execute(text(hashsize_sql(BULK_HASHSIZE)))
    for stmt in rebuild_sql():
        session.execute(text(stmt))
    session.execute(text(hashsize_sql(DEFAULT_HASHSIZE)))
