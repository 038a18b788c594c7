"""Sync figures for `xuncha bench`: merging 10 team laptops' packages (200,000 change events in all)
into the office's master database, re-importing one already merged, and the same rows and events
written by bare SQLite as the baseline.

The packages are synthetic but made the way team laptops make them, so that every check an import
runs is exercised at its real cost:
- the master has accounts (an administrator and one account per team member, with their Ed25519 keys),
  so the import-time authorization runs in full (a copy without accounts checks only scope);
- each laptop is enrolled for one inspection and sends only that inspection's records;
- every event is authored by an account on that inspection's team, acting within its post there
  (members write and edit their own records, deputies and leaders edit the team's, the 三审 steps
  follow the chain with three different people);
- the events of one save form one batch, signed by its author's key, chained per author and copy;
  the events are hash-chained per laptop, and the package is signed and encrypted for the master.

The mix of saves (SAVES below) averages ~2.8 events per signed batch: 录入问题 (a finding and the
五必查 items it answers), 录入谈话 (an interview and the 六必问/四必谈 items it covered), 修改问题, one
三审 step (the review record and the finding's state), and a leader's or deputy's 批量指派/更改状态 of
several findings. About 40 % of the events create rows and 60 % change rows created earlier in the
same package.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select

from app.eventhash import GENESIS_DIGEST, batch_digest, batch_message, encode_value, event_hash, head_message
from app.models import Base, ChecklistItem, Inspection, Inspector, SyncPeer, TeamAssignment, User, utcnow
from app.models.account_keys import AccountKeys
from app.models.changelog import ALL, GENESIS_HASH, format_hlc, user_signer
from app.models.db import Database
from app.models.enums import ChecklistKind, ReviewAction, ReviewState, TeamRole, UserRole
from app.models.migrate import head_revision

from . import wal
from .exchange import ImportSummary, import_package, import_packages
from .identity import SiteIdentity, ensure_identity
from .package import seal, write_atomically

LAPTOPS = 10
EVENTS_PER_LAPTOP = 20_000
BENCH_PASSWORD = "bench-password-1"  # noqa: S105 - the synthetic accounts' password; never a real one

# One save = one transaction = one signed batch: (what, weight, who may do it).
SAVES: tuple[tuple[str, int], ...] = (
    ("new_finding", 25),    # the finding, and 0–2 checklist links to the 五必查 items it answers
    ("new_interview", 20),  # the interview, and 1–3 links to the 六必问/四必谈 items it covered
    ("edit_finding", 20),   # one finding's title and facts
    ("review_step", 20),    # a review record and the finding's new review state
    ("bulk_update", 15),    # a leader or deputy assigns or re-states 5–10 findings at once
)
_POST_ROLE = {TeamRole.LEADER: UserRole.LEADER, TeamRole.DEPUTY: UserRole.DEPUTY,
              TeamRole.MEMBER: UserRole.MEMBER, TeamRole.LIAISON: UserRole.MEMBER}
_RANK = {UserRole.MEMBER: 1, UserRole.DEPUTY: 2, UserRole.LEADER: 3}


@dataclass
class Person:
    user_id: uuid.UUID
    inspector_id: uuid.UUID
    name: str
    keys: AccountKeys


@dataclass
class Team:
    """One laptop's inspection, and who on its team acts with which post."""

    inspection_id: uuid.UUID
    posts: dict[str, list[Person]] = field(default_factory=lambda: defaultdict(list))
    must_check: list[uuid.UUID] = field(default_factory=list)
    must_ask_talk: list[tuple[uuid.UUID, str]] = field(default_factory=list)  # (item id, code)

    def anyone(self) -> list[Person]:
        return [p for people in self.posts.values() for p in people]


def _uuid7(rng: random.Random, wall_ms: int) -> uuid.UUID:
    """A UUIDv7 as a laptop's clock makes them (time-ordered, like new_id()), but reproducible."""
    value = (wall_ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) | rng.getrandbits(62)
    return uuid.UUID(int=value)


def prepare_master(db: Database, laptops: int = LAPTOPS, seed: int = 7) -> list[Team]:
    """Accounts on the master for the teams of `laptops` inspections (those with a full team, the
    ones in fieldwork first), each account with its own keys, as the office creates them."""
    from app.services.auth import hash_password

    rng = random.Random(seed)
    with db.read() as session:
        inspections = session.execute(select(Inspection.id, Inspection.stage).where(Inspection.deleted_at.is_(None))
                                      .order_by(Inspection.stage != "fieldwork", Inspection.id)).all()
        assignments = session.execute(
            select(TeamAssignment.inspection_id, TeamAssignment.inspector_id, TeamAssignment.role, Inspector.name)
            .join(Inspector, Inspector.id == TeamAssignment.inspector_id).where(TeamAssignment.deleted_at.is_(None))
        ).all()
        items = session.execute(select(ChecklistItem.inspection_id, ChecklistItem.id, ChecklistItem.list_kind,
                                       ChecklistItem.code).where(ChecklistItem.deleted_at.is_(None))).all()
        existing = {u.inspector_id: u for u in session.scalars(select(User).where(User.inspector_id.is_not(None)))}
    by_inspection: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for a in assignments:
        by_inspection[a.inspection_id].append(a)
    chosen = [i.id for i in inspections
              if {TeamRole.LEADER, TeamRole.DEPUTY} <= {a.role for a in by_inspection[i.id]}
              and sum(a.role == TeamRole.MEMBER for a in by_inspection[i.id]) >= 2][:laptops]
    if len(chosen) < laptops:
        raise RuntimeError(f"基准数据库中只有 {len(chosen)} 次巡察配齐了巡察组，需要 {laptops} 次")
    # An account's role: the highest post its inspector holds on the chosen teams (on another team it
    # acts with the lower of the two, as the permission table says).
    best: dict[uuid.UUID, UserRole] = {}
    names: dict[uuid.UUID, str] = {}
    for inspection_id in chosen:
        for a in by_inspection[inspection_id]:
            role = _POST_ROLE[a.role]
            if a.inspector_id not in best or _RANK[role] > _RANK[best[a.inspector_id]]:
                best[a.inspector_id] = role
            names[a.inspector_id] = a.name
    password_hash = hash_password(BENCH_PASSWORD)  # one derivation shared by every synthetic account
    people: dict[uuid.UUID, Person] = {}
    with db.write() as session:
        for inspector_id in sorted(best):
            keys = AccountKeys(Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)),
                               X25519PrivateKey.from_private_bytes(rng.randbytes(32)))
            user = existing.get(inspector_id)
            if user is None:
                user = User(username=f"bench{len(people) + 1}", display_name=names[inspector_id], role=best[inspector_id],
                            inspector_id=inspector_id, password_hash=password_hash, active=True)
                session.add(user)
            user.role, user.password_hash, user.active = best[inspector_id], password_hash, True
            user.signing_key, user.exchange_key = keys.signing_public, keys.exchange_public
            session.flush()
            people[inspector_id] = Person(user.id, inspector_id, names[inspector_id], keys)
    teams = []
    for inspection_id in chosen:
        team = Team(inspection_id)
        for a in by_inspection[inspection_id]:
            post = TeamRole.MEMBER if a.role == TeamRole.LIAISON else a.role
            if people[a.inspector_id] not in team.posts[post]:
                team.posts[post].append(people[a.inspector_id])
        for item in items:
            if item.inspection_id != inspection_id:
                continue
            if item.list_kind == ChecklistKind.MUST_CHECK:
                team.must_check.append(item.id)
            else:
                team.must_ask_talk.append((item.id, item.code))
        teams.append(team)
    return teams


class _Laptop:
    """One laptop's events, batches and rows, made save by save."""

    def __init__(self, site: SiteIdentity, team: Team, rng: random.Random, schema: str, wall_ms: int,
                 number_base: int) -> None:
        self.site, self.team, self.rng, self.schema = site, team, rng, schema
        self.wall = wall_ms
        self.number = number_base
        self.events: list[dict[str, Any]] = []
        self.batches: list[dict[str, Any]] = []
        self.prev = GENESIS_HASH
        self.chains: dict[str, tuple[int, str]] = {}  # signer → (last number, last digest)
        self.rows: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}  # the rows as the laptop has them
        self.heads: dict[tuple[str, uuid.UUID], dict[str, str]] = {}  # row → field → newest event id
        self.findings: list[uuid.UUID] = []  # in creation order
        self.saves: dict[str, int] = defaultdict(int)

    # --- one save --------------------------------------------------------------------------------
    def save(self, author: Person, writes: list[tuple[str, uuid.UUID, str, dict[str, Any]]], what: str) -> None:
        signer = user_signer(author.user_id)
        number, prev_digest = self.chains.get(signer, (0, GENESIS_DIGEST))
        label = f"{signer}/{number + 1}"
        hashes = []
        for table, row_id, op, fields in writes:
            self.wall += 1
            now = dt.datetime.fromtimestamp(self.wall / 1000, dt.UTC)
            key = (table, row_id)
            known = self.heads.get(key, {})
            if op == "insert":
                supersedes: list[str] = []
            else:
                # The heads its author saw: those of the fields it writes, and the delete/restore head.
                supersedes = sorted({known.get(f) or known[ALL] for f in [*fields, "deleted_at"]})
            event: dict[str, Any] = {
                "id": str(_uuid7(self.rng, self.wall)), "site_id": str(self.site.site_id), "seq": len(self.events) + 1,
                "hlc": format_hlc(self.wall, 0), "table_name": table, "row_id": str(row_id), "op": op,
                "fields": fields, "supersedes": supersedes, "schema_version": self.schema,
                "author_id": str(author.user_id), "author_name": author.name, "recorded_at": now.isoformat(),
                "prev_hash": self.prev,
            }
            event["hash"] = self.prev = event_hash(event)
            event["batch"] = label
            hashes.append(event["hash"])
            self.events.append(event)
            if op == "insert":
                self.heads[key] = {ALL: event["id"]}
                self.rows[key] = dict(fields)
            else:
                self.heads[key].update({f: event["id"] for f in fields})
                self.rows[key].update(fields)
        digest = batch_digest(str(self.site.site_id), signer, number + 1, prev_digest, hashes)
        self.batches.append({
            "site_id": str(self.site.site_id), "signer": signer, "number": number + 1, "prev": prev_digest,
            "hashes": hashes, "digest": digest, "public_key": author.keys.signing_public,
            "signature": base64.b64encode(author.keys.signing.sign(batch_message(digest))).decode("ascii"),
        })
        self.chains[signer] = (number + 1, digest)
        self.saves[what] += 1

    def _now(self) -> str:
        return encode_value(dt.datetime.fromtimestamp(self.wall / 1000, dt.UTC))

    def _new_id(self) -> uuid.UUID:
        self.wall += 1
        return _uuid7(self.rng, self.wall)

    def _stamp(self, author: Person, insert: bool) -> dict[str, Any]:
        now = self._now()
        stamp: dict[str, Any] = {"updated_at": now, "updated_by": str(author.user_id)}
        if insert:
            stamp.update({"created_at": now, "created_by": str(author.user_id), "deleted_at": None})
        return stamp

    def _own(self, author: Person) -> list[uuid.UUID]:
        mine = str(author.user_id)
        return [f for f in self.findings[-400:] if self.rows[("findings", f)]["created_by"] == mine]

    # --- the kinds of save -------------------------------------------------------------------------
    def new_finding(self, author: Person) -> None:
        rng, team = self.rng, self.team
        self.number += 1
        finding_id = self._new_id()
        fields = {
            "inspection_id": str(team.inspection_id), "unit_id": None, "number": self.number,
            "title": f"笔记本录入的问题{self.number}：{rng.choice(_TOPICS)}",
            "facts": f"经查阅{rng.randint(2016, 2025)}年度会计凭证{rng.randint(20, 400)}份，发现{rng.choice(_FACTS)}，"
                     f"涉及金额{rng.randint(1, 900)}.{rng.randint(10, 99)}万元。",
            "characterisation": "违反财经纪律", "responsibility": "单位主要负责人负主体责任",
            "category_code": "gov_finance", "discipline_code": rng.choice(("work", "integrity", "mass")),
            "severity": rng.choice(("general", "general", "serious")), "source_kind": None, "source_id": None,
            "responsible_people": None, "responsible_person_ids": [], "handler_id": None, "assignee_id": None,
            "review_state": ReviewState.DRAFT.value, "disposition_code": None, "four_form": None, "status": "open",
            "found_on": None, **self._stamp(author, True),
        }
        writes = [("findings", finding_id, "insert", fields)]
        for item in rng.sample(team.must_check, min(len(team.must_check), rng.randint(0, 2))):
            writes.append(("checklist_links", self._new_id(), "insert", {
                "checklist_item_id": str(item), "target_kind": "finding", "target_id": str(finding_id),
                **self._stamp(author, True)}))
        self.save(author, writes, "new_finding")
        self.findings.append(finding_id)

    def new_interview(self, author: Person) -> None:
        rng, team = self.rng, self.team
        interview_id = self._new_id()
        covered = rng.sample(team.must_ask_talk, min(len(team.must_ask_talk), rng.randint(1, 3)))
        start = dt.datetime.fromtimestamp(self.wall / 1000, dt.UTC).replace(microsecond=0)
        fields = {
            "inspection_id": str(team.inspection_id), "unit_id": None, "kind": "individual",
            "start_at": encode_value(start), "end_at": encode_value(start + dt.timedelta(minutes=50)),
            "place": "被巡察单位小会议室", "interviewer_ids": [str(author.inspector_id)],
            "recorder_id": str(author.inspector_id), "interviewee_person_id": None,
            "interviewee_name": rng.choice(_NAMES), "interviewee_post": rng.choice(("副局长", "财务科科长", "办公室主任")),
            "talk_category": None, "topics_asked": [code for _item, code in covered],
            "summary": f"反映{rng.choice(_FACTS)}等情况。", "transcript": None, "signed_by_interviewee": False,
            **self._stamp(author, True),
        }
        writes = [("interviews", interview_id, "insert", fields)]
        for item, _code in covered:
            writes.append(("checklist_links", self._new_id(), "insert", {
                "checklist_item_id": str(item), "target_kind": "interview", "target_id": str(interview_id),
                **self._stamp(author, True)}))
        self.save(author, writes, "new_interview")

    def edit_finding(self, author: Person, post: str) -> bool:
        pool = self._own(author) if post == TeamRole.MEMBER else self.findings[-400:]
        if not pool:
            return False
        finding_id = self.rng.choice(pool)
        self.save(author, [("findings", finding_id, "update", {
            "title": f"修改后的问题标题{len(self.events)}",
            "facts": f"补充核实：{self.rng.choice(_FACTS)}，已调取相关合同和银行流水。",
            **self._stamp(author, False)})], "edit_finding")
        return True

    def review_step(self, author: Person, post: str) -> bool:
        state = {TeamRole.MEMBER: ReviewState.DRAFT, TeamRole.DEPUTY: ReviewState.SUBMITTED,
                 TeamRole.LEADER: ReviewState.DEPUTY_APPROVED}[TeamRole(post)]
        action, to_state = {
            TeamRole.MEMBER: (ReviewAction.SUBMIT, ReviewState.SUBMITTED),
            TeamRole.DEPUTY: (ReviewAction.DEPUTY_APPROVE, ReviewState.DEPUTY_APPROVED),
            TeamRole.LEADER: (ReviewAction.LEADER_APPROVE, ReviewState.APPROVED),
        }[TeamRole(post)]
        mine = str(author.user_id)
        pool = self._own(author) if post == TeamRole.MEMBER else self.findings[-400:]
        # Three different people: nobody reviews a paper they submitted or already approved.
        candidates = [f for f in pool if self.rows[("findings", f)]["review_state"] == state
                      and mine not in self.rows[("findings", f)].get("_reviewers", ())]
        if not candidates:
            return False
        finding_id = self.rng.choice(candidates)
        row = self.rows[("findings", finding_id)]
        now = self._now()
        review = {"finding_id": str(finding_id), "action": action.value, "from_state": state.value,
                  "to_state": to_state.value, "actor_id": mine, "actor_name": author.name, "acted_at": now,
                  "comment": None, **self._stamp(author, True)}
        change = {"review_state": to_state.value, **self._stamp(author, False)}
        if action == ReviewAction.SUBMIT:
            change["handler_id"] = str(author.inspector_id)
        self.save(author, [("finding_reviews", self._new_id(), "insert", review),
                           ("findings", finding_id, "update", change)], "review_step")
        row["_reviewers"] = (*row.get("_reviewers", ()), mine)
        return True

    def bulk_update(self, author: Person) -> bool:
        pool = self.findings[-400:]
        if len(pool) < 10:
            return False
        chosen = self.rng.sample(pool, self.rng.randint(5, 10))
        members = self.team.posts[TeamRole.MEMBER]
        if self.rng.random() < 0.5:
            assignee = str(self.rng.choice(members).inspector_id)
            writes = [("findings", f, "update", {"assignee_id": assignee, **self._stamp(author, False)}) for f in chosen]
        else:
            status = self.rng.choice(("rectifying", "open"))
            writes = [("findings", f, "update", {"status": status, **self._stamp(author, False)}) for f in chosen]
        self.save(author, writes, "bulk_update")
        return True

    def run(self, events: int) -> None:
        kinds = [k for k, _w in SAVES]
        weights = [w for _k, w in SAVES]
        team = self.team
        while len(self.events) < events:
            what = self.rng.choices(kinds, weights)[0]
            if what in ("new_finding", "new_interview"):
                author = self.rng.choice(team.posts[TeamRole.MEMBER] + team.posts[TeamRole.DEPUTY])
                getattr(self, what)(author)
            elif what == "edit_finding":
                post = self.rng.choice((TeamRole.MEMBER, TeamRole.MEMBER, TeamRole.DEPUTY, TeamRole.LEADER))
                if not self.edit_finding(self.rng.choice(team.posts[post]), post):
                    self.new_finding(self.rng.choice(team.posts[TeamRole.MEMBER]))
            elif what == "review_step":
                post = self.rng.choice((TeamRole.MEMBER, TeamRole.DEPUTY, TeamRole.LEADER))
                if not self.review_step(self.rng.choice(team.posts[post]), post):
                    self.new_finding(self.rng.choice(team.posts[TeamRole.MEMBER]))
            elif not self.bulk_update(self.rng.choice(team.posts[TeamRole.LEADER] + team.posts[TeamRole.DEPUTY])):
                self.new_finding(self.rng.choice(team.posts[TeamRole.MEMBER]))
        # A save is never split: the package ends with whole batches (a few events over the target).
        for row in self.rows.values():
            row.pop("_reviewers", None)


_TOPICS = ("公务接待超标准", "公车私用", "专项资金挪用", "工程项目未公开招标", "白条入账", "违规发放津补贴",
           "三重一大事项未经集体决策", "扶贫资金拨付滞后", "合同管理不规范", "固定资产账实不符")
_FACTS = ("以白条入账报销费用", "同一供应商拆分合同规避招标", "超标准列支接待费用", "未经集体研究发放补贴",
          "专项资金用于日常办公支出", "工程款提前支付")
_NAMES = ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄磊", "周婷", "吴刚")


@dataclass
class Packages:
    paths: list[Path]
    # Per laptop: its events, batches and the rows they leave (for the raw SQLite baseline).
    laptops: list[_Laptop]

    @property
    def events(self) -> int:
        return sum(len(lap.events) for lap in self.laptops)

    @property
    def batches(self) -> int:
        return sum(len(lap.batches) for lap in self.laptops)

    def mix(self) -> dict[str, float]:
        """Share of each kind of save, of created rows among the events, and events per batch."""
        saves: dict[str, int] = defaultdict(int)
        for lap in self.laptops:
            for k, n in lap.saves.items():
                saves[k] += n
        total = sum(saves.values()) or 1
        inserts = sum(1 for lap in self.laptops for e in lap.events if e["op"] == "insert")
        return {**{k: round(n / total, 3) for k, n in sorted(saves.items())},
                "insert_share": round(inserts / (self.events or 1), 3),
                "events_per_batch": round(self.events / (self.batches or 1), 2)}


def build_laptop_packages(master_db: Database, folder: Path, *, laptops: int = LAPTOPS,
                          events_per_laptop: int = EVENTS_PER_LAPTOP, seed: int = 7) -> Packages:
    """Enroll `laptops` laptops with the master (one inspection each) and write each one's package."""
    master = ensure_identity(master_db)
    teams = prepare_master(master_db, laptops, seed)
    rng = random.Random(seed)
    schema = head_revision()
    # After every change the master holds (the accounts were just made), as a laptop's clock would be.
    wall = int(time.time() * 1000) + 60_000
    paths, made = [], []
    for n, team in enumerate(teams):
        me = SiteIdentity(site_id=uuid.UUID(int=rng.getrandbits(128), version=4), name=f"第{n + 1}组笔记本",
                          role="laptop", x25519=X25519PrivateKey.from_private_bytes(rng.randbytes(32)),
                          ed25519=Ed25519PrivateKey.from_private_bytes(rng.randbytes(32)))
        with master_db.write() as session:
            session.merge(SyncPeer(site_id=me.site_id, name=me.name, role="laptop", x25519_public=me.x25519_public,
                                   ed25519_public=me.ed25519_public, added_at=utcnow(), trusted_via="enrollment",
                                   scope=[str(team.inspection_id)]))
        laptop = _Laptop(me, team, random.Random(rng.getrandbits(64)), schema, wall + n * 10_000_000,
                         1_000_000 + n * events_per_laptop)
        laptop.run(events_per_laptop)
        count = len(laptop.events)
        last = laptop.events[-1]
        head = {"seq": count, "hash": last["hash"],
                "signature": base64.b64encode(me.ed25519.sign(head_message(str(me.site_id), count, last["hash"])))
                .decode("ascii")}
        manifest = {
            "kind": "sync", "app_version": "bench", "schema_version": schema, "created_at": encode_value(utcnow()),
            "sender": str(me.site_id), "sender_scope": [str(team.inspection_id)], "receiver_scope": None,
            "origins": {str(me.site_id): {"base": 0, "upto": count, "count": count}},
            "coverage": {str(me.site_id): count}, "peers": [],
            "tables": {t: sum(1 for e in laptop.events if e["table_name"] == t) for t in {e["table_name"] for e in laptop.events}},
            "event_count": count, "head": head,
        }
        data = seal({"manifest": manifest, "events": laptop.events, "blobs": {}, "batches": laptop.batches}, me,
                    receiver_site=str(master.site_id), receiver_x25519=master.x25519_public, extra_header={"kind": "sync"})
        path = folder / f"laptop{n + 1}.xsync"
        write_atomically(path, data)
        paths.append(path)
        made.append(laptop)
    return Packages(paths, made)


# --- the baseline: the same rows and events through bare SQLite ---------------------------------
def _storage(table: str) -> dict[str, Callable[[Any], Any] | None]:
    from app.models.bulk import _json_encoder

    return {c.key: _json_encoder(c.type) for c in Base.metadata.tables[table].columns}


def _stored(encoders: dict[str, Callable[[Any], Any] | None], columns: list[str], values: dict[str, Any]) -> tuple:
    out = []
    for c in columns:
        v = values.get(c)
        encode = encoders[c]
        out.append(v if v is None or encode is None else encode(v))
    return tuple(out)


@dataclass
class RawWrite:
    """Rows for one statement: INSERT of `columns`, or UPDATE of `columns` by id (the last one)."""

    table: str
    update: bool
    columns: list[str]
    rows: list[tuple]


def raw_sqlite_statements(packages: Packages) -> list[RawWrite]:
    """What bare SQLite must be told to hold what the merge writes: every event and batch, every new
    row with its final values, every changed row's changed columns. Prepared ahead (values already in
    SQLite's storage form), so that the baseline's time is SQLite's alone."""
    from app.models import ChangeEvent, EventBatch

    writes: list[RawWrite] = []
    event_columns = [c.key for c in ChangeEvent.__table__.columns]
    encoders = _storage("change_events")
    received = utcnow().isoformat()
    writes.append(RawWrite("change_events", False, event_columns, [
        _stored(encoders, event_columns, {**e, "received_at": received}) for lap in packages.laptops for e in lap.events]))
    batch_columns = [c.key for c in EventBatch.__table__.columns]
    encoders = _storage("event_batches")
    writes.append(RawWrite("event_batches", False, batch_columns,
                           [_stored(encoders, batch_columns, b) for lap in packages.laptops for b in lap.batches]))
    new: dict[str, list[dict[str, Any]]] = defaultdict(list)
    changed: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for lap in packages.laptops:
        written: dict[tuple[str, uuid.UUID], set[str]] = defaultdict(set)
        created = set()
        for e in lap.events:
            key = (e["table_name"], uuid.UUID(e["row_id"]))
            if e["op"] == "insert":
                created.add(key)
            written[key] |= set(e["fields"])
        for key, names in written.items():
            row = {**lap.rows[key], "id": str(key[1])}
            if key in created:
                new[key[0]].append(row)
            else:
                cols = tuple(sorted(names))
                changed[(key[0], cols)].append({c: row[c] for c in (*cols, "id")})
    for table, rows in sorted(new.items()):
        columns = [c.key for c in Base.metadata.tables[table].columns]
        encoders = _storage(table)
        writes.append(RawWrite(table, False, columns, [_stored(encoders, columns, r) for r in rows]))
    for (table, cols), rows in sorted(changed.items()):
        encoders = _storage(table)
        writes.append(RawWrite(table, True, [*cols, "id"], [_stored(encoders, [*cols, "id"], r) for r in rows]))
    return writes


def raw_sqlite_seconds(path: Path, writes: list[RawWrite]) -> float:
    """Bare sqlite3 writing `writes` in one transaction, then rolled back (the database is left as it
    was). Bare SQLite at its best: a table with triggers (the keyword index) is written from a
    temporary table in one statement, as FTS5 flushes its pending index at every statement that
    runs a trigger; the triggers run for every row, as for any write to those tables."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA temp_store = MEMORY")
        triggered = {r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")}
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for w in writes:
            cols = ", ".join(f'"{c}"' for c in w.columns)
            marks = ", ".join("?" * len(w.columns))
            sets = ", ".join(f'"{c}" = s."{c}"' for c in w.columns[:-1])
            if w.table not in triggered:
                plain = ", ".join(f'"{c}" = ?' for c in w.columns[:-1])
                sql = (f'UPDATE "{w.table}" SET {plain} WHERE id = ?' if w.update
                       else f'INSERT INTO "{w.table}" ({cols}) VALUES ({marks})')
                conn.executemany(sql, w.rows)
                continue
            conn.execute(f'CREATE TEMP TABLE stage AS SELECT {cols} FROM main."{w.table}" WHERE 0')
            conn.executemany(f"INSERT INTO temp.stage ({cols}) VALUES ({marks})", w.rows)
            conn.execute(f'UPDATE main."{w.table}" SET {sets} FROM temp.stage AS s WHERE main."{w.table}".id = s.id'
                         if w.update else f'INSERT INTO main."{w.table}" ({cols}) SELECT {cols} FROM temp.stage')
            conn.execute("DROP TABLE temp.stage")
        elapsed = time.perf_counter() - start
        conn.execute("ROLLBACK")
        return elapsed
    finally:
        conn.close()


def time_merge(db: Database, me: Any, paths: list[Path]) -> tuple[float, float]:
    """Seconds to import every package in turn, then to import the first again (a replay: nothing new,
    nothing written)."""
    from .exchange import AlreadyImportedError

    start = time.perf_counter()
    # As the command line and the window import several files: each read ahead while the last is written.
    for _path, outcome in import_packages(db, me, paths):
        if not isinstance(outcome, ImportSummary):
            raise RuntimeError(f"基准同步包未能导入：{outcome}")
    merged = time.perf_counter() - start
    start = time.perf_counter()
    with contextlib.suppress(AlreadyImportedError):
        import_package(db, me, paths[0])
    return merged, time.perf_counter() - start


def _without_fixtures(timed: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    """Run `timed` with what building the packages left behind out of the cycle collector's sight:
    the laptops' events and rows were millions of containers, and each full collection during the
    merge walked them all (seconds a run, which an office's import never pays)."""
    gc.collect()
    gc.freeze()
    try:
        return timed()
    finally:
        gc.unfreeze()


MAX_MERGE_RUNS = 20


def measure(bench_db: Path, progress: Callable[[str], None], *, merge_runs: int = 1,
            ) -> list[tuple[str, str, float, str, float | None]]:
    """Merge figures on a copy of the benchmark database (the cached one is left as it was):
    (id, name, value, unit, budget).

    `merge_runs` > 1 merges the same packages that many times, each into a fresh copy of the same
    prepared master (plain, then encrypted, in turn), and gives each merge figure as the median,
    with the fastest and slowest beside it: on a virtual machine the same merge ranges over a
    third from one minute to the next, and one run says little about a change."""
    if not 1 <= merge_runs <= MAX_MERGE_RUNS:
        raise ValueError(f"merge_runs must be 1…{MAX_MERGE_RUNS}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "master.sqlite3"
        progress("复制基准数据库用于合并测试…")
        source = Database.open_path(bench_db)
        with source.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        source.dispose()
        _copy_written(bench_db, copy)
        db = Database.open_path(copy)
        progress(f"生成 {LAPTOPS} 个笔记本同步包（共 {LAPTOPS * EVENTS_PER_LAPTOP} 条变更，按作者签名）…")
        packages = build_laptop_packages(db, Path(tmp))
        progress(f"同步包变更构成：{packages.mix()}")
        progress("原生 SQLite 写入同样的行和变更（基线，随后回滚）…")
        raw = raw_sqlite_seconds(copy, raw_sqlite_statements(packages))
        events, paths = packages.events, packages.paths
        del packages
        # Closed while SQLCipher reads the file: its own copy of SQLite does not share this one's
        # locks, and closing its handle would drop them (POSIX locks are per process).
        db.dispose()
        encrypted, key = _encrypted_master(copy, progress)
        plain_runs: list[tuple[float, float]] = []
        encrypted_runs: list[float] = []
        for run in range(merge_runs):
            # One run merges into the prepared files themselves; several, each into fresh copies.
            target, target_encrypted = copy, encrypted
            if merge_runs > 1:
                progress(f"第 {run + 1}/{merge_runs} 次合并：复制准备好的主库…")
                target, target_encrypted = Path(tmp) / "run.sqlite3", Path(tmp) / "run-encrypted.sqlite3"
                _copy_written(copy, target)
                _copy_written(encrypted, target_encrypted)
            progress("合并中…")
            plain_runs.append(_merge_into(target, paths))
            progress("合并到加密的主库中…")
            encrypted_runs.append(_merge_into(target_encrypted, paths, key)[0])
            if merge_runs > 1:
                progress(f"第 {run + 1}/{merge_runs} 次合并：{plain_runs[-1][0]:.2f} s，加密主库 {encrypted_runs[-1]:.2f} s")
                _remove_database(target)
                _remove_database(target_encrypted)
    return _merge_figures(events, raw, plain_runs, encrypted_runs)


def _merge_figures(events: int, raw: float, plain_runs: list[tuple[float, float]], encrypted_runs: list[float],
                   ) -> list[tuple[str, str, float, str, float | None]]:
    """Each merge figure over its runs: the median, and when there were several the fastest and
    slowest beside it."""
    merged = statistics.median(m for m, _ in plain_runs)
    merged_encrypted = statistics.median(encrypted_runs)
    reimport = statistics.median(r for _, r in plain_runs)
    times = f"，{len(plain_runs)} 次的中位数" if len(plain_runs) > 1 else ""
    figures: list[tuple[str, str, float, str, float | None]] = [
        ("merge_10_packages", f"合并 {LAPTOPS} 个同步包（共 {events / 1000:.0f}k 条变更，签名校验与逐条授权{times}）",
         merged, "s", 20.0),
    ]
    if len(plain_runs) > 1:
        figures += _spread("merge_10_packages", [m for m, _ in plain_runs])
    figures += [
        ("merge_raw_sqlite", "　同样的行和变更由原生 SQLite 写入（基线）", raw, "s", None),
        ("merge_ratio_raw_sqlite", "　合并 ÷ 原生 SQLite（比值）", merged / raw if raw else float("nan"), "×", None),
        ("merge_10_packages_encrypted", f"　同样的合并，主库加密（SQLCipher，办公室主库的默认{times}）",
         merged_encrypted, "s", 20.0),
    ]
    if len(plain_runs) > 1:
        figures += _spread("merge_10_packages_encrypted", encrypted_runs)
    figures.append(("reimport_merged_package", "重新导入已合并的同步包", reimport, "s", 2.0))
    return figures


def _spread(figure: str, runs: list[float]) -> list[tuple[str, str, float, str, float | None]]:
    return [(f"{figure}_fastest", "　　其中最快一次", min(runs), "s", None),
            (f"{figure}_slowest", "　　其中最慢一次", max(runs), "s", None)]


def _copy_written(source: Path, target: Path) -> None:
    """Copy a closed database file and write it out before anything is timed on it: the merge's
    first checkpoint would otherwise fsync the whole fresh copy (2.4 s of the first package's
    commit on the reference machine), which no office pays."""
    shutil.copy(source, target)
    _write_out(target)


def _write_out(path: Path) -> None:
    with path.open("rb+") as written:
        os.fsync(written.fileno())


def _remove_database(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)


def _encrypted_master(plain: Path, progress: Callable[[str], None]) -> tuple[Path, bytes]:
    """The master as an office keeps it (`xuncha init` encrypts unless told `--plaintext`): the same
    data exported into a SQLCipher file beside the plain copy, before either is merged into, and
    written out like it."""
    from app.models import crypto

    progress("复制为加密的主库（SQLCipher），用于加密主库的合并…")
    target, key = plain.with_name(f"{plain.stem}-encrypted{plain.suffix}"), crypto.new_key()
    crypto.export_encrypted(plain, None, target, key)
    _write_out(target)
    return target, key


def _merge_into(path: Path, paths: list[Path], key: bytes | None = None) -> tuple[float, float]:
    """(seconds to merge `paths`, seconds to import the first again) into the database at `path`."""
    db = Database.open_path(path, key=key)
    try:
        me = ensure_identity(db)
        return _without_fixtures(lambda: time_merge(db, me, paths))
    finally:
        # The last checkpoint done before the next merge is timed (its copying of the log is not
        # that merge's work), and its connection back in the pool that dispose closes: a file
        # still open could not be removed on Windows, nor its space freed on Linux.
        wal.wait_for_checkpoints()
        db.dispose()
