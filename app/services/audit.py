"""The audit trail: who changed which record, when, from what to what — and proof it was not altered.

The change log (`change_events`, app.models.changelog) is the audit trail: every write to a synced
row is an event with its author, time, the fields it set, and a SHA-256 hash chained to the
previous event of the same site. This module reads it for people (with "before" values: each
field's value from the row's earlier events) and verifies the chains:

- every event's hash is recomputed from its content (an edited row no longer matches);
- each event names the hash of the event before it from the same site (a removed or reordered
  row breaks the link);
- sequence numbers of a site run without gaps (this copy's own events always; another site's up to
  what this copy is known to hold in full), and nothing the row heads or peers refer to is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, String, cast, func, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, TextClause

from app.gc_pause import paused_gc
from app.models import ChangeEvent, PeerKnowledge, Setting, SiteCoverage, SyncPeer
from app.models.changelog import GENESIS_HASH, SITE_ID_KEY
from app.models.db import Database
from app.models.enums import UserRole

from .audit_replay import check_peer_heads, replay_tables, signed_batches
from .audit_scan import Scanned, events_of_site, row_heads, site_ids
from .context import ServiceContext
from .errors import ValidationError

OP_LABELS = {"insert": "新建", "update": "修改", "delete": "删除", "restore": "恢复", "resolve": "处理冲突"}
HIDDEN_FIELDS = frozenset({"password_hash", "sealed_keys"})
HIDDEN = "（已隐藏）"
BOOKKEEPING = frozenset({"created_at", "updated_at", "created_by", "updated_by"})
COMMON_LABELS = {"created_at": "创建时间", "updated_at": "修改时间", "created_by": "创建人", "updated_by": "修改人",
                 "deleted_at": "删除时间", "password_hash": "密码", "sealed_keys": "账户密钥（密封）",
                 "signing_key": "签名公钥", "exchange_key": "密钥交换公钥", "retired_keys": "已停用的签名公钥",
                 "failed_logins": "失败次数",
                 "locked_until": "锁定至"}
READERS = (UserRole.DEPUTY, UserRole.LEADER, UserRole.ADMIN)
# Tables no entity service names.
TABLE_LABELS = {"checklist_templates": "清单模板", "checklist_template_items": "清单模板事项",
                "checklist_links": "清单关联", "finding_reviews": "问题审核记录", "attachments": "附件",
                "users": "账户", "inspection_units": "巡察对象", "team_assignments": "巡察组成员"}


# --- names for people ---------------------------------------------------------------------------
def _service_classes() -> list[Any]:
    from . import (  # noqa: F401 - imported for their EntityService subclasses
        accounts,
        attachments,
        checklists,
        clues,
        documents,
        fieldwork,
        findings,
        inspections,
        inspectors,
        rectifications,
        reference,
        units,
    )
    from .crud import EntityService

    found, todo = [], list(EntityService.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if getattr(cls, "model", None) is not None and "model" in cls.__dict__:
            found.append(cls)
    return found


_NAMES: dict[str, tuple[str, dict[str, str]]] | None = None


def _names() -> dict[str, tuple[str, dict[str, str]]]:
    global _NAMES
    if _NAMES is None:
        names: dict[str, tuple[str, dict[str, str]]] = {}
        for cls in _service_classes():
            table = cls.model.__tablename__
            noun, labels = names.get(table, (cls.noun, {}))
            names[table] = (noun, {**labels, **cls.labels})
        _NAMES = names
    return _NAMES


def table_label(table: str) -> str:
    return _names().get(table, (TABLE_LABELS.get(table, table), {}))[0]


def field_label(table: str, name: str) -> str:
    return _names().get(table, ("", {}))[1].get(name) or COMMON_LABELS.get(name, name)


def table_choices() -> list[tuple[str, str]]:
    """(table, label) of every audited kind of record, by label."""
    return sorted(((t, n) for t, (n, _) in _names().items()), key=lambda p: p[1])


# --- reading -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditEntry:
    event_id: str
    site_id: str
    seq: int
    recorded_at: dt.datetime
    author_id: str | None
    author_name: str | None
    table: str
    table_label: str
    row_id: str
    op: str
    op_label: str
    changes: list[FieldChange]

    def summary(self) -> str:
        names = [c.label for c in self.changes if c.name not in BOOKKEEPING]
        return "、".join(names[:6]) + ("……" if len(names) > 6 else "")


@dataclass
class AuditFilter:
    user: str | None = None  # an author id, or part of an author's name
    table: str | None = None
    record: str | None = None  # a row id, or its first characters
    since: dt.datetime | dt.date | None = None
    until: dt.datetime | dt.date | None = None  # a date includes the whole day
    text: str | None = None  # in any value set, or in the author's name
    limit: int = 200
    offset: int = 0


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    total: int
    filter: AuditFilter = field(default_factory=AuditFilter)


def _moment(value: dt.datetime | dt.date, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo is not None else value.astimezone()
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time()).astimezone()


def _conditions(session: Session, f: AuditFilter) -> list[Any]:
    where: list[Any] = []
    if f.user:
        try:
            where.append(ChangeEvent.author_id == uuid.UUID(f.user.strip()))
        except ValueError:
            where.append(ChangeEvent.author_name.contains(f.user.strip(), autoescape=True))
    if f.table:
        where.append(ChangeEvent.table_name == f.table)
    if f.record:
        wanted = f.record.strip().lower().replace("-", "")
        if not wanted or any(c not in "0123456789abcdef" for c in wanted):
            raise ValidationError("记录编号只能包含十六进制字符。", "record")
        if len(wanted) == 32:
            where.append(ChangeEvent.row_id == uuid.UUID(wanted))
        else:
            where.append(func.lower(func.replace(cast(ChangeEvent.row_id, String), "-", "")).startswith(wanted))
    if f.since is not None:
        where.append(ChangeEvent.recorded_at >= _moment(f.since, end=False))
    if f.until is not None:
        where.append(ChangeEvent.recorded_at < _moment(f.until, end=True))
    if f.text:
        needle = f.text.strip()
        if session.get_bind().dialect.name == "sqlite":
            # Values are stored as JSON with escaped Chinese; json_each hands back the real text.
            pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            in_values: ColumnElement[bool] | TextClause = text(
                "EXISTS (SELECT 1 FROM json_each(change_events.fields) AS j "
                "WHERE j.key NOT IN ('password_hash', 'sealed_keys') AND CAST(j.value AS TEXT) LIKE :audit_text ESCAPE '\\')"
            ).bindparams(audit_text=pattern)
        else:  # pragma: no cover - PostgreSQL master
            in_values = cast(ChangeEvent.fields, String).contains(needle, autoescape=True)
        where.append(or_(in_values, ChangeEvent.author_name.contains(needle, autoescape=True)))
    return where


def _shown(name: str, value: Any) -> Any:
    return HIDDEN if name in HIDDEN_FIELDS and value is not None else value


def _entries(session: Session, events: list[ChangeEvent]) -> list[AuditEntry]:
    """Attach "before" values: each field as the row's earlier events (in clock order) left it."""
    rows = {(e.table_name, e.row_id) for e in events}
    history: dict[tuple[str, uuid.UUID], list[Any]] = defaultdict(list)
    by_table: dict[str, list[uuid.UUID]] = defaultdict(list)
    for table, row_id in rows:
        by_table[table].append(row_id)
    for table, ids in by_table.items():
        for start in range(0, len(ids), 500):
            stmt = (
                select(ChangeEvent.id, ChangeEvent.table_name, ChangeEvent.row_id, ChangeEvent.hlc, ChangeEvent.fields)
                .where(ChangeEvent.table_name == table, ChangeEvent.row_id.in_(ids[start : start + 500]))
            )
            for r in session.execute(stmt):
                history[(r.table_name, r.row_id)].append(r)
    before_of: dict[uuid.UUID, dict[str, Any]] = {}
    wanted = {e.id for e in events}
    for items in history.values():
        state: dict[str, Any] = {}
        for r in sorted(items, key=lambda r: (r.hlc, str(r.id))):
            if r.id in wanted:
                before_of[r.id] = {name: state.get(name) for name in r.fields}
            state.update(r.fields)
    out = []
    for e in events:
        before = before_of.get(e.id, {})
        changes = [
            FieldChange(name, field_label(e.table_name, name), _shown(name, before.get(name)), _shown(name, value))
            for name, value in e.fields.items()
        ]
        out.append(AuditEntry(
            event_id=str(e.id), site_id=str(e.site_id), seq=e.seq, recorded_at=e.recorded_at,
            author_id=str(e.author_id) if e.author_id else None, author_name=e.author_name, table=e.table_name,
            table_label=table_label(e.table_name), row_id=str(e.row_id), op=e.op, op_label=OP_LABELS.get(e.op, e.op),
            changes=changes,
        ))
    return out


def query(ctx: ServiceContext, f: AuditFilter | None = None, *, count: bool = True) -> AuditPage:
    """Change events matching the filter, newest first, with before and after of every field.

    组长、副组长 and 管理员 see everyone's changes; a 组员 sees their own.
    """
    f = f or AuditFilter()
    if ctx.actor.role not in READERS:
        if ctx.actor.user_id is None:
            return AuditPage([], 0, f)
        f = AuditFilter(**{**f.__dict__, "user": str(ctx.actor.user_id)})
    with ctx.db.read() as session:
        where = _conditions(session, f)
        stmt = select(ChangeEvent).where(*where).order_by(ChangeEvent.hlc.desc(), ChangeEvent.id.desc())
        events = list(session.scalars(stmt.offset(f.offset).limit(f.limit)))
        total = (
            int(session.scalar(select(func.count()).select_from(ChangeEvent).where(*where)) or 0)
            if count else len(events)
        )
        return AuditPage(_entries(session, events), total, f)


def authors(ctx: ServiceContext) -> list[tuple[str | None, str]]:
    """(author id, name) of everyone who appears in the log, for a filter list."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(ChangeEvent.author_id, ChangeEvent.author_name).group_by(ChangeEvent.author_id, ChangeEvent.author_name)
        ).all()
    return sorted({(str(a) if a else None, n or "（未记录）") for a, n in rows}, key=lambda p: p[1])


def record_history(ctx: ServiceContext, table: str, row_id: uuid.UUID | str) -> list[AuditEntry]:
    """Every change of one record, oldest first."""
    page = query(ctx, AuditFilter(table=table, record=str(row_id), limit=10_000))
    return list(reversed(page.entries))


# --- verifying -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChainBreak:
    site_id: str
    seq: int | None
    kind: str  # edited | deleted | reordered | relinked | truncated
    message: str


@dataclass
class SiteChain:
    site_id: str
    name: str
    events: int = 0
    first_seq: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH


@dataclass
class VerifyReport:
    sites: list[SiteChain]
    breaks: list[ChainBreak]
    events: int
    # Changes written before changes were signed (older versions): proven by their chain only.
    unsigned: int = 0

    @property
    def ok(self) -> bool:
        return not self.breaks


def _short(site: str) -> str:
    return site[:8]


@dataclass
class _Scan:
    """What one pass over the log gathers besides the chains' breaks: every event's id (for the row
    heads) and the changes not in their signed batch (for the signatures' check)."""

    members: dict[tuple[str, str], set[str]]
    names: Callable[[str], str]
    ids: set[str] = field(default_factory=set)
    unsigned: int = 0
    unbatched: list[str] = field(default_factory=list)

    def sign_check(self, site: str, event: Scanned) -> None:
        if event.batch is None:
            self.unsigned += 1
        elif event.hash not in self.members.get((site, event.batch), ()):
            self.unbatched.append(f"{self.names(site)}第 {event.seq} 号变更不在其签名批次中：它在签名之后被改动或替换过。")


@dataclass
class LogChecks:
    """What the log's own checks found (what the helper process does, app/services/audit_helper.py):
    every chain, its breaks, a cut-off tail and missing row heads' events (`breaks`), the signed
    batches' problems and the changes not in their batch (`signatures`)."""

    sites: list[SiteChain]
    breaks: list[ChainBreak]
    signatures: list[ChainBreak]
    unsigned: int


def verify_chains(db: Database, *, progress: Callable[[int, int], None] | None = None) -> VerifyReport:
    """Check every site's hash chain in this copy, the tables against the log, the signatures and
    the heads other copies signed; name each break found. `progress(done, total)`: events and rows.

    On a large SQLite log the log's checks run in a helper process (the second core) while this one
    replays the tables; each side reads one consistent state of the database."""
    from . import audit_helper

    with db.read() as session:
        conn = session.connection()
        total = int(session.scalar(select(func.count()).select_from(ChangeEvent)) or 0)
        rows_total = max(1, _row_count(session))
        helper = audit_helper.start(db, total)
        report = _Progress(progress, total + rows_total, helper)
        # Both sides hold a million containers at once (ids, hashes, rows replayed) that reference
        # counting frees: with the cycle collector on, its collections re-walked them as they grew, a
        # third of the verify's CPU (the bench's 509,245 events: 30-33 -> 21-22 s of CPU here). Paused
        # for this process's own checks only, not while it waits for the helper's.
        with paused_gc():
            log = check_log(session, report.tick) if helper is None else None
            # The tables are what the log says; other copies' heads stand.
            tables = [ChainBreak("", None, "table", f.message)
                      for f in replay_tables(conn, table_label, field_label, report.tick)]
            heads = [ChainBreak("", None, "head", f.message) for f in check_peer_heads(conn, _names_of(session))]
        if log is None:
            # The helper's checks; when it failed (logged), the same checks here.
            log = helper.result(report.add) if helper is not None else None
            if log is None:
                with paused_gc():
                    log = check_log(session, report.tick)
    report.finish()
    return VerifyReport(sites=log.sites, breaks=log.breaks + tables + log.signatures + heads, events=total,
                        unsigned=log.unsigned)


def _names_of(session: Session) -> Callable[[str], str]:
    """A site's name for people: this copy, a known peer, or the first characters of its id."""
    peers = {str(p.site_id): p.name for p in session.scalars(select(SyncPeer))}
    me = session.scalar(select(Setting.value).where(Setting.key == SITE_ID_KEY))
    return lambda site: "本机" if site == me else peers.get(site) or f"站点 {_short(site)}"


def check_log(session: Session, tick: Callable[[], None]) -> LogChecks:
    """Every event's hash, each chain's links, its tail, the row heads' events and the signatures."""
    conn = session.connection()
    peers = {str(p.site_id): p.name for p in session.scalars(select(SyncPeer))}
    me = session.scalar(select(Setting.value).where(Setting.key == SITE_ID_KEY))
    name_of = _names_of(session)
    signature_problems, members = signed_batches(conn, name_of)
    scan = _Scan(members, name_of)
    breaks: list[ChainBreak] = []
    sites = _verify_sites(session, me, peers, scan, breaks, tick)
    if me is not None:
        _check_truncation(session, me, sites, breaks)
    _check_heads(conn, scan.ids, breaks)
    signatures = [ChainBreak("", None, "signature", f.message) for f in signature_problems]
    signatures += [ChainBreak("", None, "signature", m) for m in scan.unbatched]
    return LogChecks(sites, breaks, signatures, scan.unsigned)


class _Progress:
    """Calls `progress(done, total)` every few thousand steps, and once at the end; meanwhile takes
    in what the helper process reports (`helper.poll`)."""

    EVERY = 5000

    def __init__(self, progress: Callable[[int, int], None] | None, total: int, helper: Any = None) -> None:
        self.progress, self.total, self.helper, self.done = progress, total, helper, 0

    def tick(self) -> None:
        self.done += 1
        if self.done % self.EVERY == 0:
            if self.helper is not None:
                self.helper.poll(self.add)
            self._report()

    def add(self, steps: int) -> None:
        self.done += steps
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def _verify_sites(session: Session, me: str | None, peers: dict[str, str], scan: _Scan, breaks: list[ChainBreak],
                  tick: Callable[[], None]) -> list[SiteChain]:
    """Every site's chain, this copy's own first when it has no events yet."""
    scoped = session.scalar(select(Setting.value).where(Setting.key == "sync.scope")) not in (None, "null")
    held = {str(c.origin_site_id): c.max_seq for c in session.scalars(select(SiteCoverage))}
    conn = session.connection()
    listed = site_ids(conn)
    if me is not None and me not in {site for site, _ in listed}:
        listed.insert(0, (me, None))
    sites = []
    for site, stored in listed:
        own = site == me
        chain = SiteChain(site, "本机" if own else peers.get(site, f"站点 {_short(site)}"))
        # Gaps are real losses on this copy's own chain, and on another site's chain up to what
        # this copy is known to hold in full (a scoped laptop holds only part of others').
        complete_upto = None if own or scoped else held.get(site, 0)
        previous: Scanned | None = None
        for event in events_of_site(conn, site, stored) if stored is not None else ():
            tick()
            chain.events += 1
            chain.first_seq = chain.first_seq or event.seq
            _check_event(site, event, previous, own, complete_upto, breaks)
            scan.ids.add(event.id)
            scan.sign_check(site, event)
            previous = event
        if previous is not None:
            chain.last_seq, chain.last_hash = previous.seq, previous.hash
        sites.append(chain)
    return sites


def _row_count(session: Session) -> int:
    from app.models import synced_models

    return sum(int(session.scalar(select(func.count()).select_from(m)) or 0) for m in synced_models())


def _check_event(site: str, row: Scanned, previous: Scanned | None, own: bool, complete_upto: int | None,
                 breaks: list[ChainBreak]) -> None:
    where = f"站点 {_short(site)} 第 {row.seq} 号变更（{table_label(row.table_name)} {row.row_id[:8]}，{OP_LABELS.get(row.op, row.op)}）"
    if row.recomputed is None or row.recomputed != row.hash:
        breaks.append(ChainBreak(site, row.seq, "edited", f"{where}的内容与其校验值不符：该条记录被改动过。"))
    expected_prev = previous.seq + 1 if previous is not None else 1
    if row.seq > expected_prev:
        missing = f"第 {expected_prev} 号" if row.seq - 1 == expected_prev else f"第 {expected_prev}–{row.seq - 1} 号"
        must_be_there = own or (complete_upto is not None and expected_prev <= complete_upto)
        if must_be_there:
            breaks.append(ChainBreak(site, expected_prev, "deleted",
                                     f"站点 {_short(site)} 的{missing}变更缺失：记录被删除或顺序被打乱。"))
    if previous is not None and row.hlc <= previous.hlc:
        breaks.append(ChainBreak(site, row.seq, "reordered",
                                 f"{where}的时间戳早于第 {previous.seq} 号：变更记录的顺序被打乱。"))
    if row.seq == 1:
        if row.prev_hash != GENESIS_HASH:
            breaks.append(ChainBreak(site, row.seq, "relinked", f"{where}不是该站点变更链的开头，却排在第 1 号。"))
    elif previous is not None and previous.seq == row.seq - 1 and row.prev_hash != previous.hash:
        breaks.append(ChainBreak(site, row.seq, "relinked",
                                 f"{where}没有接在第 {previous.seq} 号之后：前后记录被删改、替换或顺序被打乱。"))


def _check_truncation(session: Session, me: str, sites: list[SiteChain], breaks: list[ChainBreak]) -> None:
    """The newest own events cannot be cut off unseen: peers reported how far they hold us."""
    mine = next((s for s in sites if s.site_id == me), None)
    last = mine.last_seq if mine else 0
    reported = session.scalar(
        select(func.max(PeerKnowledge.max_seq)).where(PeerKnowledge.origin_site_id == uuid.UUID(me))
    ) or 0
    if reported > last:
        breaks.append(ChainBreak(me, last + 1, "truncated",
                                 f"本机变更链只到第 {last} 号，但其他计算机已收到本机第 {reported} 号：末尾的变更被删除了。"))


def _check_heads(conn: Connection, present: set[str], breaks: list[ChainBreak]) -> None:
    """Every event a row's current value rests on must still be in the log (`present`: every event's id)."""
    referenced: dict[str, tuple[str, str]] = {}
    for table, row_id, heads in row_heads(conn):
        for entries in (heads or {}).values():
            for event_id, _clock in entries:
                if event_id not in present:
                    referenced.setdefault(event_id, (table, row_id))
    for event_id, (table, row_id) in referenced.items():
        breaks.append(ChainBreak("", None, "deleted",
                                 f"{table_label(table)} {row_id[:8]} 的当前数据所依据的变更 {event_id[:8]} 已不在变更记录中：记录被删除。"))


def describe(report: VerifyReport) -> list[str]:
    """Lines for a person: one per site, then one per break."""
    lines = [
        f"{s.name}（{_short(s.site_id)}）：{s.events} 条变更，第 {s.first_seq}–{s.last_seq} 号，末条校验值 {s.last_hash[:16]}…"
        for s in report.sites
    ]
    if report.unsigned:
        lines.append(f"另有 {report.unsigned} 条变更由签名功能之前的版本写入，只由变更链证明。")
    return lines + [b.message for b in report.breaks]


def iter_site_heads(report: VerifyReport) -> Iterable[tuple[str, str, int, str]]:
    for s in report.sites:
        yield s.site_id, s.name, s.last_seq, s.last_hash
