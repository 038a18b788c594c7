"""The organization profile (机关信息): who issues the documents, at which level, under which numbers.

One row for the whole installation, with a fixed id, so that every copy agrees on it and a merge of
two copies that both saved it meets as a field conflict, never as two profiles. It is synced (every
masthead, 文号 and signature must read the same on every laptop) and written only by an
administrator (app/services/profile.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column

# Derived once from a name, like the built-in reference rows: the same on every copy.
PROFILE_ID = uuid.uuid5(uuid.NAMESPACE_URL, "xuncha:organization-profile")


class OrganizationProfile(SyncedMixin, Base):
    __tablename__ = "organization_profiles"

    level: Mapped[str] = code_column()  # city | county | district
    place: Mapped[str] = mapped_column(String(40))  # 云川市, 青山县
    leading_group_name: Mapped[str] = mapped_column(String(80))  # 中共云川市委巡察工作领导小组
    office_name: Mapped[str] = mapped_column(String(80))  # 中共云川市委巡察工作领导小组办公室
    leading_group_prefix: Mapped[str] = mapped_column(String(20))  # 市委巡
    office_prefix: Mapped[str] = mapped_column(String(20))  # 市委巡办
    office_letter_prefix: Mapped[str] = mapped_column(String(20))  # 市委巡办函
    team_prefix: Mapped[str] = mapped_column(String(20))  # 市委{n}巡 → 市委一巡
    team_name_pattern: Mapped[str] = mapped_column(String(40))  # 市委第{n}巡察组
    team_count: Mapped[int] = mapped_column(Integer, default=4)
    discipline_body: Mapped[str] = mapped_column(String(40))  # 市纪委监委
    organisation_dept: Mapped[str] = mapped_column(String(40))  # 市委组织部
    framework: Mapped[str] = code_column()  # four_implementations | three_problems
