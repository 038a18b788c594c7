"""What a copy knows about its place in the exchange: its identity, the copies it trusts, how many
changes it made, its scope and its open conflicts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models import SiteRevocation, SyncPeer
from app.models.db import Database
from app.services.context import ServiceContext
from app.services.inspections import InspectionService

from . import conflicts
from .exchange import coverage, my_scope
from .identity import SiteIdentity, ensure_identity, fingerprint


@dataclass(frozen=True)
class Peer:
    site_id: str
    name: str
    role: str
    fingerprint: str
    revoked: bool = False


@dataclass(frozen=True)
class Overview:
    identity: SiteIdentity
    peers: list[Peer]
    own_changes: int
    scope: list[str] | None
    open_conflicts: int
    inspections: list[tuple[str, str]]  # (id, name) for preparing kits


def overview(db: Database) -> Overview:
    me = ensure_identity(db)
    with db.read() as session:
        revoked = set(session.scalars(select(SiteRevocation.site_id).where(SiteRevocation.deleted_at.is_(None))))
        peers = [
            Peer(str(p.site_id), p.name, p.role, fingerprint(p.x25519_public, p.ed25519_public), p.site_id in revoked)
            for p in session.scalars(select(SyncPeer).order_by(SyncPeer.name))
        ]
        own = coverage(session, me.site_id).get(str(me.site_id), 0)
        scope = my_scope(session)
    inspections = [(str(i.id), i.name) for i in InspectionService(ServiceContext(db)).list()]
    return Overview(me, peers, own, scope, len(conflicts.list_conflicts(db)), inspections)
