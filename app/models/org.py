"""Inspected units and their people, the inspector pool, and user accounts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin, code_column


class Unit(SyncedMixin, Base):
    """被巡察单位, in a hierarchy (a township over its villages, a bureau over its subordinates)."""

    __tablename__ = "units"

    name: Mapped[str] = mapped_column(String(200), index=True)
    short_name: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = code_column()
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    # 统一社会信用代码 or any local code the office keeps.
    code: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class UnitPerson(SyncedMixin, Base):
    """A person of an inspected unit: whom the team interviews and whose conduct it examines."""

    __tablename__ = "unit_people"

    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    gender: Mapped[str | None] = mapped_column(String(4))
    post: Mapped[str | None] = mapped_column(String(120))
    rank: Mapped[str | None] = mapped_column(String(60))
    is_principal: Mapped[bool] = mapped_column(Boolean, default=False)
    is_leadership_member: Mapped[bool] = mapped_column(Boolean, default=False)
    is_key_post: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)


class Inspector(SyncedMixin, Base):
    """A member of the 巡察人才库; `in_leader_pool` marks the 组长库."""

    __tablename__ = "inspectors"

    name: Mapped[str] = mapped_column(String(60), index=True)
    gender: Mapped[str | None] = mapped_column(String(4))
    home_unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    home_unit_name: Mapped[str | None] = mapped_column(String(200))
    post: Mapped[str | None] = mapped_column(String(120))
    rank: Mapped[str | None] = mapped_column(String(60))
    expertise: Mapped[list[str]] = mapped_column(default=list)
    in_leader_pool: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)


class InspectorRelation(SyncedMixin, Base):
    """A relative or former post of an inspector, recorded so team forming can flag 回避."""

    __tablename__ = "inspector_relations"

    inspector_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspectors.id"), index=True)
    # "relative" (亲属在该单位) or "former_post" (曾在该单位任职)
    relation_kind: Mapped[str] = code_column()
    unit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("units.id"), index=True)
    person_name: Mapped[str | None] = mapped_column(String(60))
    relationship: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)


class User(SyncedMixin, Base):
    """A local account. Password hashing and login belong to the security services."""

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(60), index=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = code_column()
    inspector_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspectors.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    # The account's own key pairs (app.services.account_keys): Ed25519 signs every change the user
    # makes, X25519 receives the database key on each machine. Public halves in clear; the private
    # halves sealed together under a key derived from the user's password, so the account can sign
    # and log in on any copy the row reaches, and nobody else can.
    signing_key: Mapped[str | None] = mapped_column(String(64), default=None)
    exchange_key: Mapped[str | None] = mapped_column(String(64), default=None)
    sealed_keys: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    # Signing keys replaced by a password reset: [{"key": public, "until": hybrid clock}]. Changes
    # signed by one of them are accepted only if made before it was replaced.
    retired_keys: Mapped[list[Any]] = mapped_column(default=list)
