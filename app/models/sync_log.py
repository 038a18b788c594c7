"""The change log and the bookkeeping of sync (local tables: never synced as rows themselves).

`change_events` is the audit trail and what packages carry. `field_heads` and `sync_conflicts`
are derived from the events (a pure function of the set of events), kept to make reads fast.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, SyncedMixin


class ChangeEvent(Base):
    """One write to one row: the fields set, and the events it supersedes (what its author saw)."""

    __tablename__ = "change_events"
    __table_args__ = (
        UniqueConstraint("site_id", "seq"),
        Index("ix_change_events_row", "table_name", "row_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    site_id: Mapped[uuid.UUID] = mapped_column()
    seq: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(40), index=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID] = mapped_column()
    # insert | update | delete | restore | resolve
    op: Mapped[str] = mapped_column(String(10))
    fields: Mapped[dict[str, Any]] = mapped_column()
    supersedes: Mapped[list[str]] = mapped_column()
    schema_version: Mapped[str] = mapped_column(String(40))
    author_id: Mapped[uuid.UUID | None] = mapped_column()
    author_name: Mapped[str | None] = mapped_column(String(60))
    recorded_at: Mapped[dt.datetime] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Local bookkeeping, not part of the hashed content: when this copy received the event.
    received_at: Mapped[dt.datetime] = mapped_column()
    # The signed batch that proves who wrote it: "<signer>/<number>" within its site (EventBatch).
    # Not hashed (the batch's signature covers the hash); None for events from before signatures.
    batch: Mapped[str | None] = mapped_column(String(60), default=None)


class EventBatch(Base):
    """The events one transaction wrote, proven by the signature of whoever wrote them.

    Per site and signer ("u:<user id>" signing with the account's key, "s" with the site's own key
    for writes by no account) the batches form a chain: each names the digest of the one before, so
    the signature of the newest batch a package carries proves every batch before it. A copy that
    imports events checks one signature per signer per package, plus that each event's hash is listed
    in its batch. Batches travel with the events, so a relayed event stays provable on every copy.
    """

    __tablename__ = "event_batches"

    site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    signer: Mapped[str] = mapped_column(String(40), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    prev: Mapped[str] = mapped_column(String(64))
    hashes: Mapped[list[str]] = mapped_column()
    digest: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))


class PeerHead(Base):
    """The head of another copy's chain as that copy signed it in a package it sent: the events up to
    `seq` must stay in the log with exactly these hashes, so a cut-off tail or a rewritten and
    re-hashed history is named by `audit verify`."""

    __tablename__ = "peer_heads"

    site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column()


class RowHeads(Base):
    """Per row, per field: the events no other writer of that field has superseded (its heads),
    as [event id, hybrid clock] pairs, newest last. The last is the value shown; two heads with
    different values are a conflict. `pending` keeps, per field, superseded ids this copy has not
    received yet, so an event arriving late never becomes a head again (normally empty)."""

    __tablename__ = "row_heads"

    table_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    heads: Mapped[dict[str, Any]] = mapped_column()
    pending: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class SyncConflict(Base):
    """An open conflict, recomputed for each row an import or a write touches."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID] = mapped_column()
    # field | delete | duplicate
    kind: Mapped[str] = mapped_column(String(10))
    field: Mapped[str | None] = mapped_column(String(60))
    # The competing event ids (or, for duplicates, the competing row ids) and a readable summary.
    competitors: Mapped[list[str]] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)


class SyncPeer(Base):
    """Another copy this one exchanges packages with, and the keys that prove it is that copy."""

    __tablename__ = "sync_peers"

    site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    x25519_public: Mapped[str] = mapped_column(String(64))
    ed25519_public: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[dt.datetime] = mapped_column()
    # How we came to trust it: "kit" (it prepared us), "enrollment" (it used our token), "relay".
    trusted_via: Mapped[str] = mapped_column(String(20))
    # The inspections whose data it may receive from us; None means everything (a master copy).
    scope: Mapped[list[str] | None] = mapped_column(default=None)


class SiteCoverage(Base):
    """Up to which sequence number this copy holds every event of an origin site (within its
    scope). A package that assumes more than this has skipped events: a gap."""

    __tablename__ = "site_coverage"

    origin_site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    max_seq: Mapped[int] = mapped_column(Integer)


class PeerKnowledge(Base):
    """The coverage a peer last reported for each origin site: what the next package to it can
    leave out."""

    __tablename__ = "peer_knowledge"

    peer_site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    origin_site_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    max_seq: Mapped[int] = mapped_column(Integer)


class SyncEnrollment(Base):
    """A one-time token given out in a team kit; the new laptop proves itself with it (an HMAC of
    its public keys) in its first package, and is then trusted for the kit's inspections."""

    __tablename__ = "sync_enrollments"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    scope: Mapped[list[str]] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column()
    used_by_site: Mapped[uuid.UUID | None] = mapped_column()


class SiteRevocation(SyncedMixin, Base):
    """A copy the office no longer trusts (a lost laptop). Synced, so every copy the revocation reaches
    refuses the copy's later packages and its events numbered after `after_seq`."""

    __tablename__ = "site_revocations"

    site_id: Mapped[uuid.UUID] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The last of the copy's own events the office held when revoking it: those stay valid.
    after_seq: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[dt.datetime] = mapped_column()
