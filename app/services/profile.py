"""The organization profile (机关信息): the one source of every masthead, 文号 prefix and signature.

A county office's documents must read 中共青山县委巡察工作领导小组文件 and 县委巡〔2026〕3号, never a mix
of a county masthead and a city number. The profile holds the names and prefixes once, for the whole
installation (a synced row, see app/models/profile.py), and `check_profile` refuses a profile whose
parts belong to different levels.

    load_profile(ctx) -> Profile        the stored profile, or the one suggested for this database
    save_profile(ctx, profile) -> Profile   administrators only; validated; one row, fixed id
    suggested_profile(level, place) -> Profile   every field proposed from the level and the place name

Until an administrator saves one, documents use `suggested_profile` for a 市 without a place name (the
wording the program always used: 市委巡察工作领导小组, 市委巡〔2026〕1号).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.models import OrganizationProfile
from app.models.profile import PROFILE_ID
from app.numerals import cn_number, parse_cn_number

from .context import ServiceContext
from .crud import EntityService
from .errors import ValidationError

# level code -> (the place suffix, the committee)
LEVELS: dict[str, tuple[str, str]] = {"city": ("市", "市委"), "county": ("县", "县委"), "district": ("区", "区委")}
LEVEL_LABELS = {"city": "市（地）级", "county": "县级", "district": "区级"}
# How the feedback and the 专题报告 group problems: the 四个落实 frame (since the 2021 revision of the
# inspection rules) or the older three-problem frame. Both documents follow the one chosen here.
FRAMEWORKS = {"four_implementations": "“四个落实”", "three_problems": "“三个聚焦”（党的领导弱化、党的建设缺失、全面从严治党不力）"}
_PREFIX_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{1,20}$")
_TEAM_RE = re.compile(r"第([一二三四五六七八九十]+)巡察组")


def cn_ordinal(n: int) -> str:
    """一 … 十 … 二十九: how teams are numbered."""
    return cn_number(n)


def parse_cn_ordinal(text: str) -> int | None:
    return parse_cn_number(text)


@dataclass(frozen=True)
class Profile:
    level: str = "city"
    place: str = ""
    leading_group_name: str = "市委巡察工作领导小组"
    office_name: str = "市委巡察工作领导小组办公室"
    leading_group_prefix: str = "市委巡"
    office_prefix: str = "市委巡办"
    office_letter_prefix: str = "市委巡办函"
    team_prefix: str = "市委{n}巡"
    team_name_pattern: str = "市委第{n}巡察组"
    team_count: int = 4
    discipline_body: str = "市纪委监委"
    organisation_dept: str = "市委组织部"
    framework: str = "four_implementations"
    stored: bool = False  # False: suggested, not yet saved by an administrator

    @property
    def committee(self) -> str:
        """市委 / 县委 / 区委: who deploys the inspections."""
        return LEVELS.get(self.level, LEVELS["city"])[1]

    @property
    def leading_group_short(self) -> str:
        return f"{self.committee}巡察工作领导小组"

    @property
    def office_short(self) -> str:
        return f"{self.committee}巡察办"

    @property
    def leading_group_mark(self) -> str:
        return f"{self.leading_group_name}文件"

    @property
    def office_mark(self) -> str:
        return f"{self.office_name}文件"

    def team_name(self, n: int) -> str:
        return self.team_name_pattern.format(n=cn_ordinal(n))

    def team_names(self) -> list[str]:
        return [self.team_name(n) for n in range(1, self.team_count + 1)]

    def team_ordinal(self, team_name: str | None) -> int | None:
        m = _TEAM_RE.search(team_name or "")
        return parse_cn_ordinal(m.group(1)) if m else None

    def team_code(self, team_name: str | None) -> str | None:
        """The 文号 代字 of a team's own documents (市委一巡), or None when the name has no number."""
        n = self.team_ordinal(team_name)
        return self.team_prefix.format(n=cn_ordinal(n)) if n else None

    def team_full_name(self, team_name: str) -> str:
        """市委第一巡察组 → 中共云川市委第一巡察组 (the form a 署名 or 标志 takes when a place is known)."""
        name = team_name.strip()
        if self.place and name.startswith(self.committee):
            return f"中共{self.place}委{name[len(self.committee):]}"
        return name


def suggested_profile(level: str = "city", place: str = "") -> Profile:
    """Every field proposed from the level and the place name (云川市, 青山县); the form starts from it."""
    if level not in LEVELS:
        raise ValidationError("请选择机关层级：市、县或区。", "level")
    suffix, committee = LEVELS[level]
    place = place.strip()
    short = committee[0]
    group = f"中共{place}委巡察工作领导小组" if place else f"{committee}巡察工作领导小组"
    return Profile(
        level=level, place=place, leading_group_name=group, office_name=f"{group}办公室",
        leading_group_prefix=f"{committee}巡", office_prefix=f"{committee}巡办", office_letter_prefix=f"{committee}巡办函",
        team_prefix=f"{committee}{{n}}巡", team_name_pattern=f"{committee}第{{n}}巡察组",
        discipline_body=f"{short}纪委监委", organisation_dept=f"{committee}组织部",
    )


_LABELS = {
    "level": "机关层级", "place": "地名", "leading_group_name": "领导小组名称", "office_name": "办公室名称",
    "leading_group_prefix": "领导小组发文代字", "office_prefix": "办公室发文代字", "office_letter_prefix": "办公室函件代字",
    "team_prefix": "巡察组发文代字", "team_name_pattern": "巡察组名称格式", "team_count": "巡察组数量",
    "discipline_body": "同级纪委监委", "organisation_dept": "同级组织部", "framework": "监督重点框架",
}
_FIELDS = tuple(_LABELS)


def check_profile(p: Profile) -> Profile:
    """The profile with blanks trimmed, or ValidationError naming the first field that is wrong."""
    values = {f: (getattr(p, f).strip() if isinstance(getattr(p, f), str) else getattr(p, f)) for f in _FIELDS}
    if values["level"] not in LEVELS:
        raise ValidationError("请选择机关层级：市、县或区。", "level")
    if values["framework"] not in FRAMEWORKS:
        raise ValidationError("请选择监督重点框架。", "framework")
    for name in _FIELDS:
        if isinstance(values[name], str) and not values[name] and name != "place":
            raise ValidationError(f"请填写「{_LABELS[name]}」。", name)
    lengths = {"place": 40, "leading_group_name": 80, "office_name": 80, "team_name_pattern": 40,
               "discipline_body": 40, "organisation_dept": 40}
    for name, limit in lengths.items():
        if len(values[name]) > limit:
            raise ValidationError(f"「{_LABELS[name]}」不能超过 {limit} 个字。", name)
    for name in ("leading_group_prefix", "office_prefix", "office_letter_prefix"):
        if not _PREFIX_RE.match(values[name]):
            raise ValidationError(f"「{_LABELS[name]}」只能由汉字、字母和数字组成，且不超过20个字。", name)
    for name in ("team_prefix", "team_name_pattern"):
        if "{n}" not in values[name]:
            raise ValidationError(f"「{_LABELS[name]}」须含 {{n}}，表示组的序号（如“县委{{n}}巡”）。", name)
    if not _PREFIX_RE.match(values["team_prefix"].replace("{n}", "一")):
        raise ValidationError("「巡察组发文代字」只能由汉字、字母、数字和 {n} 组成。", "team_prefix")
    if not _TEAM_RE.search(values["team_name_pattern"].replace("{n}", "一")):
        raise ValidationError("「巡察组名称格式」应形如“县委第{n}巡察组”。", "team_name_pattern")
    if not isinstance(values["team_count"], int) or not 1 <= values["team_count"] <= 30:
        raise ValidationError("「巡察组数量」应为 1 至 30。", "team_count")
    # One level throughout: a county's masthead with a city's number is the mistake this prevents.
    suffix, committee = LEVELS[values["level"]]
    for name in ("leading_group_name", "office_name", "team_name_pattern"):
        if committee not in values[name]:
            raise ValidationError(f"「{_LABELS[name]}」应含“{committee}”，与机关层级一致。", name)
    for name in ("leading_group_prefix", "office_prefix", "office_letter_prefix", "team_prefix"):
        if not values[name].startswith(committee[0]):
            raise ValidationError(f"「{_LABELS[name]}」应以“{committee[0]}”开头，与机关层级一致。", name)
    for name in ("discipline_body", "organisation_dept"):
        if not values[name].startswith(committee[0]):
            raise ValidationError(f"「{_LABELS[name]}」应为{suffix}级机关（以“{committee[0]}”开头）。", name)
    if values["place"] and not values["place"].endswith(suffix):
        raise ValidationError(f"「地名」应以“{suffix}”结尾（如“青山{suffix}”），与机关层级一致。", "place")
    prefixes = [values[n] for n in ("leading_group_prefix", "office_prefix", "office_letter_prefix")]
    if len(set(prefixes)) < len(prefixes):
        raise ValidationError("领导小组、办公室和办公室函件的发文代字应各不相同，否则文号会重复。", "office_prefix")
    if values["office_name"] == values["leading_group_name"]:
        raise ValidationError("办公室名称不能与领导小组名称相同。", "office_name")
    return dataclasses.replace(p, **values)


class OrganizationProfileService(EntityService[OrganizationProfile]):
    model = OrganizationProfile
    noun = "机关信息"
    labels = _LABELS
    # Written only by the office (a master-only table of app.models.ownership: the same on every copy).

    def before_insert(self, session: Session, record: OrganizationProfile) -> None:
        record.id = PROFILE_ID


def _from_row(row: OrganizationProfile) -> Profile:
    return Profile(**{f: getattr(row, f) for f in _FIELDS}, stored=True)


def load_profile_in(session: Session) -> Profile:
    row = session.get(OrganizationProfile, PROFILE_ID)
    if row is None or row.deleted_at is not None:
        return Profile()
    return _from_row(row)


def load_profile(ctx: ServiceContext) -> Profile:
    with ctx.db.read() as session:
        return load_profile_in(session)


def save_profile(ctx: ServiceContext, profile: Profile) -> Profile:
    """Store the profile (administrators only); every later document uses it."""
    ctx.require_admin("修改机关信息")
    clean = check_profile(profile)
    values: dict[str, Any] = {f: getattr(clean, f) for f in _FIELDS}
    service = OrganizationProfileService(ctx)
    with ctx.write() as session:
        row = session.get(OrganizationProfile, PROFILE_ID)
        if row is None:
            service.create_in(session, **values)
        else:
            if row.deleted_at is not None:
                row.deleted_at = None
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            if changed:
                service.update_in(session, PROFILE_ID, **changed)
        saved = session.get(OrganizationProfile, PROFILE_ID)
        assert saved is not None
        return _from_row(saved)


__all__ = [
    "FRAMEWORKS", "LEVELS", "LEVEL_LABELS", "Profile", "check_profile", "cn_ordinal", "load_profile",
    "load_profile_in", "save_profile", "suggested_profile",
]
