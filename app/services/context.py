"""Who is acting, on which database."""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.models.db import Database
from app.models.enums import UserRole

from .errors import PermissionDeniedError


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    name: str
    role: str = UserRole.ADMIN
    # The account's entry in the inspector pool: records assigned to that inspector are the
    # member's own (see EntityService.is_own).
    inspector_id: uuid.UUID | None = None
    username: str | None = None
    # The account's unlocked key pairs (app.models.account_keys), held only in memory for the
    # session: every change this actor makes is signed with them.
    keys: Any = field(default=None, repr=False, compare=False)

    @classmethod
    def system(cls) -> Actor:
        """The command line and demo data act as the local administrator until accounts exist."""
        return cls(user_id=None, name="系统", role=UserRole.ADMIN)


@dataclass(frozen=True)
class ServiceContext:
    db: Database
    actor: Actor = field(default_factory=Actor.system)

    def write(self) -> contextlib.AbstractContextManager[Session]:
        """A write transaction whose changes are logged as this actor's, and signed with their key."""
        keys = self.actor.keys
        return self.db.write(author_name=self.actor.name, author_id=self.actor.user_id,
                             signing_key=keys.signing if keys is not None else None)

    def require_role(self, *roles: str, action: str) -> None:
        if self.actor.role not in roles:
            allowed = "、".join(UserRole.label_of(r) for r in roles)
            raise PermissionDeniedError(f"只有{allowed}可以{action}。")

    def require_admin(self, action: str) -> None:
        self.require_role(UserRole.ADMIN, action=action)

    def as_actor(self, actor: Actor) -> ServiceContext:
        return ServiceContext(self.db, actor)
