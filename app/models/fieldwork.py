"""What the team records at the inspected unit: interviews, petitions, document reviews, visits,
briefings (听取汇报), group talks (分类座谈), surveys (民主测评/问卷) and the 见面会/反馈会."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class Interview(SyncedMixin, Base):
    """个别谈话 and the other talks; the 谈话笔录 is `transcript`."""

    __tablename__ = "interviews"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = code_column()
    start_at: Mapped[dt.datetime] = mapped_column()
    end_at: Mapped[dt.datetime | None] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(120))
    # Inspector ids; at least two inspectors must be present at an interview.
    interviewer_ids: Mapped[list[str]] = mapped_column(default=list)
    recorder_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspectors.id"))
    interviewee_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("unit_people.id"))
    # Kept even when a person record is linked: the record of who was talked to must not change
    # if the directory entry is later edited.
    interviewee_name: Mapped[str] = mapped_column(String(60))
    interviewee_post: Mapped[str | None] = mapped_column(String(120))
    # 四必谈 category (must_talk item code), if this talk covers one.
    talk_category: Mapped[str | None] = code_column()
    # 六必问 topic codes asked in this talk.
    topics_asked: Mapped[list[str]] = mapped_column(default=list)
    summary: Mapped[str | None] = mapped_column(Text)
    transcript: Mapped[str | None] = mapped_column(Text)
    signed_by_interviewee: Mapped[bool] = mapped_column(Boolean, default=False)


class Petition(SyncedMixin, Base):
    """信访举报 received by the team."""

    __tablename__ = "petitions"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    received_at: Mapped[dt.datetime] = mapped_column()
    channel: Mapped[str] = code_column()
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    reporter_name: Mapped[str | None] = mapped_column(String(60))
    reporter_contact: Mapped[str | None] = mapped_column(String(120))
    # 被反映人 and their post, as the petition names them.
    subject_name: Mapped[str | None] = mapped_column(String(60))
    subject_post: Mapped[str | None] = mapped_column(String(120))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = code_column(default="registered")
    handling: Mapped[str | None] = mapped_column(Text)


class DocumentReview(SyncedMixin, Base):
    """查阅资料: minutes, accounts, contracts and other material the team read."""

    __tablename__ = "document_reviews"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    material_kind: Mapped[str | None] = mapped_column(String(60))
    period: Mapped[str | None] = mapped_column(String(60))
    reviewed_at: Mapped[dt.datetime] = mapped_column()
    reviewer_ids: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(Text)


class Visit(SyncedMixin, Base):
    """走访: visiting staff, residents and project sites."""

    __tablename__ = "visits"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    visited_at: Mapped[dt.datetime] = mapped_column()
    place: Mapped[str] = mapped_column(String(200))
    visitor_ids: Mapped[list[str]] = mapped_column(default=list)
    people_met: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)


class Briefing(SyncedMixin, Base):
    """听取汇报: the inspected unit reports to the team (usually at the start of the stay)."""

    __tablename__ = "briefings"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    held_at: Mapped[dt.datetime] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(120))
    # 汇报人 and their post, as they reported.
    reporter_name: Mapped[str] = mapped_column(String(60))
    reporter_post: Mapped[str | None] = mapped_column(String(120))
    # Inspector ids of the team members who listened.
    listener_ids: Mapped[list[str]] = mapped_column(default=list)
    content: Mapped[str] = mapped_column(Text)
    # What the team noted to follow up (问题线索, 需要核实的情况).
    concerns: Mapped[str | None] = mapped_column(Text)


class GroupTalk(SyncedMixin, Base):
    """分类座谈: a discussion with one category of people, with its attendance and notes."""

    __tablename__ = "group_talks"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    held_at: Mapped[dt.datetime] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(120))
    category: Mapped[str] = code_column()
    # Inspector ids of the team members who held the talk.
    host_ids: Mapped[list[str]] = mapped_column(default=list)
    # 应到人数; the people present are `attendees` ("姓名（职务）" each).
    invited_count: Mapped[int | None] = mapped_column(Integer)
    attendees: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text)


class Survey(SyncedMixin, Base):
    """民主测评 or 问卷调查, with its results per item on a rating scale."""

    __tablename__ = "surveys"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = code_column()
    title: Mapped[str] = mapped_column(String(200))
    # 测评对象: 领导班子, or a named leader.
    subject: Mapped[str | None] = mapped_column(String(200))
    held_at: Mapped[dt.datetime] = mapped_column()
    distributed: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    valid: Mapped[int] = mapped_column(Integer, default=0)
    # The rating scale (评价等次), e.g. 好/较好/一般/差, and one row per item:
    # {"item": "领导班子总体评价", "counts": [52, 30, 8, 2]} (one count per grade).
    scale: Mapped[list[str]] = mapped_column(default=list)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)


class InspectionMeeting(SyncedMixin, Base):
    """见面会 (arrival) and 反馈会 (feedback): the meetings that open and close the team's stay."""

    __tablename__ = "inspection_meetings"

    inspection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id"), index=True)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = code_column()
    held_at: Mapped[dt.datetime] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(120))
    # 主持人, and who attended (参会范围), as the minutes give them.
    host: Mapped[str | None] = mapped_column(String(60))
    attendee_count: Mapped[int | None] = mapped_column(Integer)
    attendees: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
