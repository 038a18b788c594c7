"""Revoking a copy the office no longer trusts (a lost or stolen laptop).

The revocation is a synced row (written only on the master, by an administrator): every copy it
reaches refuses the revoked copy's packages and any of its events numbered after what the office held
when revoking it (`after_seq`), whoever relays them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.models import ChangeEvent, SiteRevocation, SyncPeer, utcnow
from app.services.context import ServiceContext
from app.services.errors import ValidationError
from app.services.permissions import Facts, operation, require

from .identity import ROLE_MASTER, ensure_identity


def revoke(ctx: ServiceContext, site_id: uuid.UUID, reason: str) -> SiteRevocation:
    require(operation("copy.revoke"), Facts(role=ctx.actor.role, bound=False))
    me = ensure_identity(ctx.db)
    if me.role != ROLE_MASTER:
        raise ValidationError("只有巡察办主库可以吊销计算机。")
    if site_id == me.site_id:
        raise ValidationError("不能吊销本机。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请写明吊销原因（如“笔记本丢失”）。", "reason")
    with ctx.write() as session:
        peer = session.get(SyncPeer, site_id)
        if peer is None:
            raise ValidationError("本机没有登记这台计算机。")
        if session.scalar(select(SiteRevocation.id).where(SiteRevocation.site_id == site_id,
                                                          SiteRevocation.deleted_at.is_(None)).limit(1)):
            raise ValidationError(f"「{peer.name}」已被吊销。")
        held = session.scalar(select(func.max(ChangeEvent.seq)).where(ChangeEvent.site_id == site_id)) or 0
        revocation = SiteRevocation(site_id=site_id, name=peer.name, after_seq=held, reason=reason[:2000],
                                    revoked_at=utcnow(), created_by=ctx.actor.user_id, updated_by=ctx.actor.user_id)
        session.add(revocation)
    return revocation
