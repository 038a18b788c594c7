"""Signed batches in packages: what proves who wrote each event (see app.models.sync_log.EventBatch).

A package carries, for each site and signer its events come from, the batches from the oldest one
holding a carried event to the newest the sender holds. The receiver recomputes every batch's digest,
follows the chain from the newest back, and checks one signature per site and signer: the newest's,
which covers every digest before it. Each carried event's hash must then be listed in the batch it
names. Batches of events outside the receiver's scope travel too: they hold only hashes.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eventhash import GENESIS_DIGEST, batch_digest, batch_message, canonical_uuid_match
from app.models import EventBatch, SyncPeer, User, bulk, pg_bulk
from app.models.account_keys import verify_signature
from app.models.changelog import SITE_SIGNER

from .package import PackageError

_FIELDS = ("site_id", "signer", "number", "prev", "hashes", "digest", "public_key", "signature")


class BatchError(PackageError):
    pass


def split_label(label: str | None) -> tuple[str, int] | None:
    if not label or "/" not in label:
        return None
    signer, _, number = label.rpartition("/")
    try:
        return signer, int(number)
    except ValueError:
        return None


def for_events(session: Session, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The batches a package with these events must carry."""
    lowest: dict[tuple[str, str], int] = {}
    for e in events:
        parsed = split_label(e.get("batch"))
        if parsed is None:
            continue
        key = (e["site_id"], parsed[0])
        lowest[key] = min(lowest.get(key, parsed[1]), parsed[1])
    found = []
    for (site, signer), start in sorted(lowest.items()):
        rows = session.scalars(
            select(EventBatch).where(EventBatch.site_id == uuid.UUID(site), EventBatch.signer == signer,
                                     EventBatch.number >= start).order_by(EventBatch.number)
        )
        found += [{"site_id": str(b.site_id), "signer": b.signer, "number": b.number, "prev": b.prev,
                   "hashes": list(b.hashes), "digest": b.digest, "public_key": b.public_key,
                   "signature": b.signature} for b in rows]
    return found


def _site_keys(session: Session, extra: dict[str, str]) -> dict[str, str]:
    keys = {str(p.site_id): p.ed25519_public for p in session.scalars(select(SyncPeer))}
    keys.update(extra)
    return keys


def _chains(batches: Any) -> dict[tuple[str, str], dict[int, dict[str, Any]]]:
    """The package's batches by (site, signer) and number, their shape checked."""
    if not isinstance(batches, list) or not all(isinstance(b, dict) and set(_FIELDS) <= b.keys() for b in batches):
        raise BatchError("同步包中的签名批次格式不正确，未导入任何数据。")
    chains: dict[tuple[str, str], dict[int, dict[str, Any]]] = defaultdict(dict)
    for b in batches:
        if not isinstance(b["number"], int) or not isinstance(b["hashes"], list):
            raise BatchError("同步包中的签名批次格式不正确，未导入任何数据。")
        chains[(str(b["site_id"]), str(b["signer"]))][b["number"]] = b
    return chains


def _needed(fresh: list[dict[str, Any]]) -> dict[tuple[str, str], set[int]]:
    needed: dict[tuple[str, str], set[int]] = defaultdict(set)
    # Each label once: a batch holds tens of a package's 20,000 events.
    for site, label in sorted({(e["site_id"], e.get("batch")) for e in fresh}, key=lambda k: (k[0], k[1] or "")):
        parsed = split_label(label)
        if parsed is not None:
            needed[(site, parsed[0])].add(parsed[1])
    return needed


def _span(site: str, chain: dict[int, dict[str, Any]], numbers: set[int]) -> tuple[int, int]:
    """From the oldest batch of a new event to the newest the package carries: every one present."""
    low, high = min(numbers), max(chain) if chain else None
    if high is None or any(n not in chain for n in range(low, high + 1)):
        raise BatchError(f"同步包缺少站点 {site} 的签名批次，无法证明变更的作者，未导入任何数据。")
    return low, high


def claimed(fresh: list[dict[str, Any]], batches: Any,
            ) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str], list[dict[str, Any]]]:
    """What `verify` returns, as the batches claim it, without proving it: for an import whose
    helper process runs `verify` (GateRequest.batch_keys) while this one writes, and which commits
    nothing before the helper's verdict."""
    chains = _chains(batches)
    signers: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str], str] = {}
    keep: list[dict[str, Any]] = []
    for (site, signer), numbers in _needed(fresh).items():
        chain = chains.get((site, signer), {})
        low, high = _span(site, chain, numbers)
        for n in range(low, high + 1):
            keys[(site, f"{signer}/{n}")] = chain[n]["public_key"]
            signers[(site, f"{signer}/{n}")] = signer
            keep.append(chain[n])
    return signers, keys, keep


def verify(session: Session, fresh: list[dict[str, Any]], batches: Any, *, site_keys: dict[str, str],
           ) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str], list[dict[str, Any]]]:
    """Check the batches of `fresh` (new events). Returns, per (site, batch label) of those events,
    its signer and the public key it was signed with, and the batches to store."""
    chains = _chains(batches)
    signers: dict[tuple[str, str], str] = {}
    keys: dict[tuple[str, str], str] = {}
    members: dict[tuple[str, str, int], set[str]] = {}
    keep: list[dict[str, Any]] = []
    for (site, signer), numbers in _needed(fresh).items():
        chain = chains.get((site, signer), {})
        low, high = _span(site, chain, numbers)
        for n in range(low, high + 1):
            b = chain[n]
            digest = batch_digest(site, signer, n, b["prev"], [str(h) for h in b["hashes"]])
            if digest != b["digest"] or (n > low and b["prev"] != chain[n - 1]["digest"]) or (n == 1 and b["prev"] != GENESIS_DIGEST):
                raise BatchError(f"站点 {site} 的签名批次第 {n} 号与其内容不符（被改动过），未导入任何数据。")
        newest = chain[high]
        if not verify_signature(newest["public_key"], newest["signature"], batch_message(newest["digest"])):
            raise BatchError(f"站点 {site} 的签名批次签名无效：变更可能是伪造的，未导入任何数据。")
        if signer == SITE_SIGNER and site_keys.get(site) != newest["public_key"]:
            raise BatchError(f"站点 {site} 的签名批次不是由该计算机的密钥签署的，未导入任何数据。")
        _check_stored(session, site, signer, chain, low, high)
        for n in range(low, high + 1):
            b = chain[n]
            members[(site, signer, n)] = set(b["hashes"])
            keys[(site, f"{signer}/{n}")] = b["public_key"]
            signers[(site, f"{signer}/{n}")] = signer
            keep.append(b)
    labels = {label: split_label(label) for label in {e.get("batch") for e in fresh}}
    for e in fresh:
        parsed = labels[e.get("batch")]
        if parsed is None:
            continue
        if e["hash"] not in members.get((e["site_id"], parsed[0], parsed[1]), ()):
            raise BatchError(f"变更 {e['id']} 不在其签名批次中：无法证明其作者，未导入任何数据。")
    # Keys of signers: every batch of a chain must be signed with a key the signer held; the newest
    # signature proves the chain's content, including which key each earlier batch names.
    return signers, keys, keep


def _check_stored(session: Session, site: str, signer: str, chain: dict[int, dict[str, Any]], low: int, high: int) -> None:
    held = dict(session.execute(
        select(EventBatch.number, EventBatch.digest).where(
            EventBatch.site_id == uuid.UUID(site), EventBatch.signer == signer,
            EventBatch.number >= low, EventBatch.number <= high)
    ).all())
    for n, digest in held.items():
        if chain[n]["digest"] != digest:
            raise BatchError(f"站点 {site} 的签名批次第 {n} 号与本机已有的不同（变更链分叉），未导入任何数据。")


def store(session: Session, batches: list[dict[str, Any]]) -> None:
    """Keep the verified batches this copy does not hold yet (to pass them on, and for the audit)."""
    if not batches:
        return
    by_chain: dict[tuple[str, str], list[int]] = defaultdict(list)
    for b in batches:
        by_chain[(b["site_id"], b["signer"])].append(b["number"])
    held: set[tuple[str, str, int]] = set()
    server = session.get_bind().dialect.name == "postgresql"
    for (site, signer), numbers in by_chain.items():
        among = pg_bulk.any_of(EventBatch.number, numbers) if server else EventBatch.number.in_(numbers)
        held |= {(site, signer, n) for n in session.scalars(
            select(EventBatch.number).where(EventBatch.site_id == uuid.UUID(site), EventBatch.signer == signer, among))}
    # A site id in another form uuid.UUID reads (upper case) is stored as SQLAlchemy would store it.
    rows = [b if canonical_uuid_match(b["site_id"]) else {**b, "site_id": str(uuid.UUID(b["site_id"]))} for b in batches
            if (b["site_id"], b["signer"], b["number"]) not in held]
    if rows:
        # One executemany of the batches in the JSON form they travel in, converted straight to what
        # is stored (a package brings thousands of batches: the ORM's bulk insert cost 5 % of an
        # import, SQLAlchemy's type processing 3 %).
        bulk.insert_json_rows(session.connection(), EventBatch.__table__, rows, columns=_FIELDS)


def account_keys(session: Session) -> dict[str, str]:
    return {str(u.id): u.signing_key for u in session.scalars(select(User)) if u.signing_key}
