"""The import-time gate: every change event a package brings is checked as if its author had made it
here, before anything is written.

Two halves of one step (DESIGN: security, sync):
- the copy's own limits: its scope (a team laptop holds only its kit's inspections), the sending and
  originating copies' scopes (a laptop may only send rows of its kit's inspections), revoked copies,
  and rows this copy must already hold (an update never arrives without its insert);
- the author's rights: each event is signed by its author (app.sync.batches checked the signature);
  here it is authorized by app.services.permissions exactly as a local write would be, with the
  author's role and post on the team *as they were when the change was made* (read from the change
  log of accounts and team assignments), the tables only the office's master may change, the 三审
  steps and their separation of duties, close-outs, document numbers and the fields no one sets
  directly.

A copy that has no accounts at all (a plain database for demonstrations and tests, which anyone holding
the file may open as its administrator) checks only the first half: there is nobody to protect.
"""

from __future__ import annotations

import bisect
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eventhash import canonical_uuid_match
from app.models import Base, ChangeEvent, SiteRevocation, SyncPeer, User
from app.models.changelog import DELETED_AT, SITE_SIGNER, user_signer
from app.models.enums import ClueStatus, RectificationStatus
from app.models.ownership import ASSIGNEES, ATTACHMENT_OWNERS, ATTACHMENTS, MASTER_ONLY, OWNED, SHARED
from app.services import permissions, review_rules
from app.services.audit import table_label

from .package import PackageError

# Built-in lists every copy loads from the files it ships (reference data and checklist templates).
_BUILTIN = frozenset({"reference_items", "checklist_templates", "checklist_template_items"})
_BOOKKEEPING = frozenset({"created_at", "updated_at", "created_by", "updated_by"})
# Columns only the event that creates a row may set.
_CREATION = frozenset({"created_at", "created_by"})
_ACTIONS = {"insert": permissions.CREATE, "update": permissions.UPDATE, "resolve": permissions.UPDATE,
            "delete": permissions.DELETE, "restore": permissions.RESTORE}
# Rows written only by one operation: authorized as that operation.
_INSERTED_BY = {"rectification_close_outs": "rectification.close_out",
                "rectification_ledger_imports": "ledger.import", "issued_documents": "document.issue"}


class RefusedError(PackageError):
    """An event this copy may not accept; the message names the author, the row and the rule."""


def _uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    if type(value) is str:
        # A package names the same rows, inspections and authors again and again: each text is
        # parsed once (uuid.UUID costs more than the rest of an event's checks together).
        try:
            return _PARSED[value]
        except KeyError:
            pass
        if len(_PARSED) > _PARSED_MAX:
            _PARSED.clear()
        found: uuid.UUID | None
        try:
            found = _PARSED[value] = uuid.UUID(value)
        except ValueError:
            found = _PARSED[value] = None
        return found
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _text(value: uuid.UUID) -> str:
    """str(value), remembered: the same ids are compared as text for every event."""
    try:
        return _TEXTS[value]
    except KeyError:
        if len(_TEXTS) > _PARSED_MAX:
            _TEXTS.clear()
        found = _TEXTS[value] = str(value)
        return found


# Per import (`check` empties them), bounded for the largest package.
_PARSED: dict[str, uuid.UUID | None] = {}
_TEXTS: dict[uuid.UUID, str] = {}
_CANON: dict[str, str | None] = {}
_PARSED_MAX = 1_000_000


def _id(value: Any) -> str | None:
    """An id as the canonical text rows are keyed by here (str keys hash in C; uuid.UUID's hash
    is a Python call, paid on every dictionary lookup)."""
    if type(value) is str:
        try:
            return _CANON[value]
        except KeyError:
            if canonical_uuid_match(value) is not None:
                # Already what str(uuid.UUID(value)) gives (every id the validation passed, nearly
                # always): a package's new rows were parsed and printed once each, 5 % of the
                # helper's time at 20,000 a package.
                found: str | None = value
            else:
                parsed = _uuid(value)
                found = _text(parsed) if parsed is not None else None
            _CANON[value] = found
            return found
    if value is None:
        return None
    parsed = _uuid(value)
    return _text(parsed) if parsed is not None else None


def _checked_id(value: Any) -> str:
    """`_id` of an id the package's validation has already checked: never None here."""
    found = _id(value)
    if found is None:
        raise ValueError(f"not an id: {value!r}")
    return found


def _checked(value: Any) -> uuid.UUID:
    """An id the package's validation has already checked (app/sync/package.py): never None here."""
    found = _uuid(value)
    if found is None:
        raise ValueError(f"not an id: {value!r}")
    return found


class History:
    """Accounts and team posts as the change log says they were at any moment (hybrid clock)."""

    def __init__(self, session: Session, fresh: list[dict[str, Any]]) -> None:
        self._users = self._timelines(session, "users", fresh)
        teams = self._timelines(session, "team_assignments", fresh)
        # An assignment row under every (inspector, inspection) it ever named: an inspector serves on
        # dozens of teams, and a post is asked for once per event.
        self._teams_of: dict[tuple[str, str], list[_Timeline]] = defaultdict(list)
        # (inspector, inspection) → (clock, post) when the post is the same at every later clock.
        self._settled: dict[tuple[str, str], tuple[str, str | None]] = {}
        for timeline in teams.values():
            for pair in {(str(state.get("inspector_id")), str(state.get("inspection_id"))) for state in timeline.states}:
                self._teams_of[pair].append(timeline)

    @staticmethod
    def _timelines(session: Session, table: str, fresh: list[dict[str, Any]]) -> dict[str, _Timeline]:
        """row id → its states over time. Rows written before the change log (bulk data) count as
        they are now, at any time."""
        events: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
        for r in session.execute(select(ChangeEvent.row_id, ChangeEvent.hlc, ChangeEvent.id, ChangeEvent.fields)
                                 .where(ChangeEvent.table_name == table)):
            events[str(r.row_id)].append((r.hlc, str(r.id), r.fields))
        for e in fresh:
            if e["table_name"] == table:
                events[str(uuid.UUID(e["row_id"]))].append((e["hlc"], e["id"], e["fields"]))
        t = Base.metadata.tables[table]
        found = {row_id: _Timeline.of(entries) for row_id, entries in events.items()}
        for m in session.execute(select(t)).mappings():
            key = str(m["id"])
            if key not in found:
                found[key] = _Timeline([""], [_as_json(dict(m))])
        return found

    def user_at(self, user_id: str, hlc: str) -> dict[str, Any] | None:
        timeline = self._users.get(user_id)
        state = timeline.at(hlc) if timeline is not None else None
        if state is None or state.get(DELETED_AT) is not None or not state.get("active", True):
            return None
        return state

    def post_at(self, inspector_id: Any, inspection_id: str | uuid.UUID | None, hlc: str) -> str | None:
        if inspector_id is None or inspection_id is None:
            return None
        wanted = _text(inspection_id) if isinstance(inspection_id, uuid.UUID) else str(inspection_id)
        pair = (str(inspector_id), wanted)
        settled = self._settled.get(pair)
        if settled is not None and hlc >= settled[0]:
            return settled[1]
        posts = []
        timelines = self._teams_of.get(pair, ())
        for timeline in timelines:
            state = timeline.at(hlc)
            if state is not None and state.get(DELETED_AT) is None and str(state.get("inspection_id")) == wanted \
                    and str(state.get("inspector_id")) == str(inspector_id):
                posts.append(state.get("role"))
        post = max(posts, key=_rank) if posts else None
        # Assignments changed once (made, never edited): from their clock on the answer is the same
        # for every event, which is most events of a package.
        if all(len(t.clocks) == 1 for t in timelines):
            since = max((t.clocks[0] for t in timelines), default="")
            if hlc >= since:
                self._settled[pair] = (since, post)
        return post


def _rank(post: str | None) -> int:
    return {"leader": 3, "deputy": 2}.get(post or "", 1)


@dataclass
class _Timeline:
    clocks: list[str]
    states: list[dict[str, Any]]

    @classmethod
    def of(cls, entries: list[tuple[str, str, dict]]) -> _Timeline:
        entries.sort(key=lambda x: (x[0], x[1]))
        clocks: list[str] = []
        states: list[dict[str, Any]] = []
        state: dict[str, Any] = {}
        for clock, _id, fields in entries:
            state = {**state, **fields}
            clocks.append(clock)
            states.append(state)
        return cls(clocks, states)

    def at(self, hlc: str) -> dict[str, Any] | None:
        """The row as it stood once every change up to `hlc` (inclusive) was made."""
        n = bisect.bisect_right(self.clocks, hlc)
        return self.states[n - 1] if n else None


class Rows:
    """The rows the package's events touch: as this copy holds them, then as the package's earlier
    events left them."""

    def __init__(self, session: Session, fresh: list[dict[str, Any]]) -> None:
        self.session = session
        # (table, id as canonical text) → the row as JSON values, None when not held.
        self._state: dict[tuple[str, str], dict[str, Any] | None] = {}
        wanted: dict[str, set[str]] = defaultdict(set)
        for e in fresh:
            wanted[e["table_name"]].add(_checked_id(e["row_id"]))
        for table, ids in wanted.items():
            t = Base.metadata.tables[table]
            id_list = sorted(ids)
            for start in range(0, len(id_list), 500):
                chunk = [uuid.UUID(i) for i in id_list[start:start + 500]]
                for r in session.execute(select(t).where(t.c.id.in_(chunk))).mappings():
                    row = _as_json(dict(r))
                    self._state[(table, row["id"])] = row
            for i in ids:
                self._state.setdefault((table, i), None)

    def get(self, table: str, row_id: str | None) -> dict[str, Any] | None:
        if row_id is None:
            return None
        key = (table, row_id)
        try:
            return self._state[key]
        except KeyError:
            t = Base.metadata.tables[table]
            r = self.session.execute(select(t).where(t.c.id == uuid.UUID(row_id))).mappings().first()
            found = self._state[key] = _as_json(dict(r)) if r is not None else None
            return found

    def apply(self, table: str, row_id: str, fields: dict[str, Any]) -> None:
        self._state[(table, row_id)] = {**(self._state.get((table, row_id)) or {"id": row_id}), **fields}

    def inspection_of(self, table: str, values: dict[str, Any]) -> tuple[bool, str | None]:
        """(whether the row belongs to an inspection, which; None when its parent is not held)."""
        if table == ATTACHMENTS:
            owner = ATTACHMENT_OWNERS.get(str(values.get("owner_kind")))
            if owner is None:
                return True, None
            parent = self.get(owner, _id(values.get("owner_id")))
            return (True, None) if parent is None else self.inspection_of(owner, parent)
        if table not in OWNED:
            return False, None
        path = OWNED[table]
        if path is None:
            return True, _id(values.get("id"))
        parent_id = _id(values.get(path.column))
        if path.parent == "inspections":
            return parent_id is not None, parent_id
        parent = self.get(path.parent, parent_id)
        return (True, None) if parent is None else self.inspection_of(path.parent, parent)


def _as_json(row: dict[str, Any]) -> dict[str, Any]:
    from app.eventhash import encode_value

    return {k: encode_value(v) for k, v in row.items()}


@dataclass
class Context:
    """What the receiving copy knows about who sent what."""

    me: uuid.UUID
    master: uuid.UUID | None  # the office's master copy (this copy, or the one that prepared it)
    managed: bool  # this copy has accounts to protect
    my_scope: set[str] | None
    sender: uuid.UUID | None
    scopes: dict[uuid.UUID, set[str] | None]  # copies this one knows, and their inspections
    revoked: dict[uuid.UUID, tuple[str, int]]  # copy → (name, its last event still valid)
    names: dict[uuid.UUID, str]


def context_for(session: Session, me: uuid.UUID, my_role: str, sender: uuid.UUID | None,
                master: uuid.UUID | None, my_scope: list[str] | None) -> Context:
    peers = list(session.scalars(select(SyncPeer)))
    if master is None:
        master = me if my_role == "master" else next((p.site_id for p in peers if p.trusted_via == "kit"), None)
    managed = session.scalar(select(User.id).where(User.deleted_at.is_(None), User.active.is_(True),
                                                   User.password_hash.is_not(None)).limit(1)) is not None
    revoked = {r.site_id: (r.name, r.after_seq)
               for r in session.scalars(select(SiteRevocation).where(SiteRevocation.deleted_at.is_(None)))}
    return Context(
        me=me, master=master, managed=managed, my_scope=set(my_scope) if my_scope is not None else None,
        sender=sender, scopes={p.site_id: set(p.scope) if p.scope is not None else None for p in peers},
        revoked=revoked, names={p.site_id: p.name for p in peers},
    )


class Gate:
    """Checks a package's new events, oldest first; `check` raises RefusedError at the first that
    may not be accepted."""

    def __init__(self, session: Session, ctx: Context, fresh: list[dict[str, Any]],
                 signers: dict[tuple[str, str], str], keys: dict[tuple[str, str], str]) -> None:
        self.session, self.ctx = session, ctx
        # (site, batch label) → the public key its verified batch was signed with.
        self._batch_keys = keys
        self.fresh = sorted(fresh, key=lambda e: (e["hlc"], e["id"]))
        # (site, batch label) → the signer ("u:<id>" or "s") its verified batch was signed by.
        self.signers = signers
        self.rows = Rows(session, self.fresh)
        self._names_in_package = {e["row_id"]: str(e["fields"]["name"]) for e in self.fresh
                                  if e["table_name"] == "inspections" and e["fields"].get("name")}
        self.history = History(session, self.fresh) if ctx.managed else None
        self._reviews: dict[str, list[tuple[str, Any]]] = {}  # finding id (text) → its review steps
        self._in_scope: set[tuple[str, str]] = set()  # (origin, inspection) pairs within every scope
        # Review steps in this package, by batch: a review state may change only beside one.
        self._steps: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
        # Inspections a scoped copy's own ones follow up (回头看): their row, not their records.
        self.followed: set[str] = set()
        if ctx.my_scope is not None:
            from .scope import followed

            self.followed = {str(i) for i in followed(session, [uuid.UUID(i) for i in ctx.my_scope])}
            self.followed |= {str(e["fields"].get("follows_inspection_id")) for e in self.fresh
                              if e["table_name"] == "inspections" and e["row_id"] in ctx.my_scope
                              and e["fields"].get("follows_inspection_id")}
        for e in self.fresh:
            if e["table_name"] == "finding_reviews" and e["op"] == "insert":
                self._steps[(e["site_id"], e.get("batch"))].append(e)
        if ctx.managed:
            found = {_id(steps["fields"].get("finding_id")) for group in self._steps.values() for steps in group}
            self._load_reviews({f for f in found if f is not None})

    def check(self) -> None:
        for e in self.fresh:
            self._check(e)
            self.rows.apply(e["table_name"], _checked_id(e["row_id"]), e["fields"])

    # --- one event ------------------------------------------------------------------------------
    def _refuse(self, e: dict[str, Any], reason: str) -> RefusedError:
        author = e.get("author_name") or ("系统" if e.get("author_id") is None else str(e.get("author_id")))
        origin = _uuid(e.get("site_id"))
        where = self.ctx.names.get(origin, "本机" if origin == self.ctx.me else f"站点 {e.get('site_id')}") \
            if origin is not None else "未知站点"
        return RefusedError(
            f"同步包中有一条变更不能接受：{author}（来自{where}）对{table_label(e['table_name'])} {e['row_id']} 的"
            f"{'新建' if e['op'] == 'insert' else '修改'}。原因：{reason}未导入任何数据。"
        )

    def _check(self, e: dict[str, Any]) -> None:
        table, op, fields = e["table_name"], e["op"], e["fields"]
        row_id = _checked_id(e["row_id"])
        origin = _checked(e["site_id"])
        if origin in self.ctx.revoked and e["seq"] > self.ctx.revoked[origin][1]:
            raise self._refuse(e, f"计算机「{self.ctx.revoked[origin][0]}」已被吊销，其此后的变更一律不接受。")
        before = self.rows.get(table, row_id)
        if op != "insert" and before is None:
            raise self._refuse(e, "本机没有这条记录（它的新建记录不在本机，也不在同步包中）。"
                                  "请让对方导出全部数据（勾选“全部”或 --all）后再导入。")
        values = {**(before or {}), **fields, "id": row_id}
        # Where the row belongs, found once for the scope and the author's post.
        placed = self.rows.inspection_of(table, values)
        self._check_scope(e, table, values, before, placed)
        if not self.ctx.managed:
            return
        self._check_signature(e, origin)
        author = _id(e.get("author_id"))
        if author is None:
            # This copy's master writes as itself (its first account, bulk data): proven by its key.
            return
        self._check_author(e, table, op, fields, before, values, author, origin, placed)

    def _check_scope(self, e: dict[str, Any], table: str, values: dict[str, Any],
                     before: dict[str, Any] | None, placed: tuple[bool, str | None]) -> None:
        if table in SHARED:
            return
        bound, inspection = placed
        if before is not None and values != before:
            # A row moved to another inspection must have been within scope before, too.
            was_bound, was = self.rows.inspection_of(table, before)
            if was_bound and was != inspection:
                self._in_scopes(e, was)
        if table == "inspections" and str(inspection) in self.followed:
            return
        if not bound:
            if self.ctx.my_scope is not None:
                raise self._refuse(e, "该记录不属于任何巡察（巡察办的文书），不应发到巡察组的计算机。")
            return
        if inspection is None:
            raise self._refuse(e, "它所属的记录不在本机。请让对方导出全部数据（勾选“全部”或 --all）后再导入。")
        self._in_scopes(e, inspection)

    def _in_scopes(self, e: dict[str, Any], inspection: str | None) -> None:
        key = inspection if inspection is not None else "None"
        # The scopes do not change during a check: an (origin, inspection) that passed passes again.
        passed = (e["site_id"], key)
        if passed in self._in_scope:
            return
        if self.ctx.my_scope is not None and key not in self.ctx.my_scope:
            name = self._inspection_name(inspection)
            raise self._refuse(e, f"它属于巡察「{name}」，不在本机的工作范围内。")
        for site in {_uuid(e["site_id"]), self.ctx.sender}:
            if site is None or site == self.ctx.master:
                continue
            scope = self.ctx.scopes.get(site)
            if scope is not None and key not in scope:
                name = self._inspection_name(inspection)
                who = self.ctx.names.get(site, f"站点 {site}")
                raise self._refuse(e, f"它属于巡察「{name}」，不在计算机「{who}」的工作范围内。")
        self._in_scope.add(passed)

    def _inspection_name(self, inspection: str | None) -> str:
        row = self.rows.get("inspections", inspection)
        if row and row.get("name"):
            return str(row["name"])
        # Not held yet: perhaps the package itself brings it.
        return self._names_in_package.get(str(inspection)) or str(inspection)

    def _check_signature(self, e: dict[str, Any], origin: uuid.UUID) -> None:
        signer = self.signers.get((e["site_id"], e.get("batch") or ""))
        author = e.get("author_id")
        if signer is None:
            # Older than signatures: only as the office's master passes it on.
            if self.ctx.sender is not None and self.ctx.sender == self.ctx.master:
                return
            raise self._refuse(e, "这条变更没有签名（由旧版本写入），只能经巡察办主库转来。")
        if signer == SITE_SIGNER:
            if origin == self.ctx.master or self._same_builtin(e):
                return
            raise self._refuse(e, "这条变更未经作者本人签名：只有巡察办主库能以“系统”身份写入。")
        if author is None or signer != user_signer(author):
            raise self._refuse(e, "这条变更的签名人与其记载的作者不符（可能是冒用他人名义写入的）。")

    def _same_builtin(self, e: dict[str, Any]) -> bool:
        """A copy loading the built-in lists it ships writes them as itself: harmless when they say
        what this copy holds already (the same release's lists)."""
        if e.get("author_id") is not None or e["table_name"] not in _BUILTIN or e["op"] not in ("insert", "update"):
            return False
        held = self.rows.get(e["table_name"], _id(e["row_id"]))
        if held is None:
            return False
        return all(held.get(k) == v for k, v in e["fields"].items() if k not in _BOOKKEEPING)

    # --- the author's rights --------------------------------------------------------------------
    def _check_author(self, e: dict[str, Any], table: str, op: str, fields: dict[str, Any],
                      before: dict[str, Any] | None, values: dict[str, Any], author: str,
                      origin: uuid.UUID, placed: tuple[bool, str | None]) -> None:
        assert self.history is not None
        hlc = e["hlc"]
        user = self.history.user_at(author, hlc)
        if user is None:
            raise self._refuse(e, "作者的账户在这条变更写入时不存在或已停用。")
        signing = self.signers.get((e["site_id"], e.get("batch") or ""))
        if signing is not None and signing != SITE_SIGNER and not self._key_valid(e, user):
            raise self._refuse(e, "这条变更不是用作者本人当时的密钥签名的（可能是冒用他人名义写入的，或用的是密码重设前的旧密钥）。")
        author_text = author
        if op == "insert" and str(fields.get("created_by")) != author_text:
            raise self._refuse(e, "新建记录的“创建人”与作者不符。")
        if op != "insert" and not _CREATION.isdisjoint(fields):
            raise self._refuse(e, "修改不能更改记录的创建人或创建时间。")
        if "updated_by" in fields and str(fields["updated_by"]) != author_text:
            raise self._refuse(e, "记录的“修改人”与作者不符。")
        if table == "users" and row_is(e, author) and set(fields) <= permissions.SELF_FIELDS:
            if op == "update" and self._own_keys_ok(fields, before):
                return
            raise self._refuse(e, "账户本人只能修改自己的密码，不能更换已有的密钥。")
        if table in MASTER_ONLY and origin != self.ctx.master:
            raise self._refuse(e, f"「{table_label(table)}」只能在巡察办主库修改（账户与角色、单位名录、巡察和巡察组的组成等）。")
        action = _ACTIONS.get(op)
        if action is None:
            raise self._refuse(e, "变更类型无效。")
        facts = self._facts(table, values, user, hlc, author_text, before, op, placed)
        rule = self._rule(e, table, op, action, fields, before, values)
        if rule is None:
            return
        reason = permissions.refusal(rule, facts)
        if reason is not None:
            raise self._refuse(e, reason)

    def _key_valid(self, e: dict[str, Any], user: dict[str, Any]) -> bool:
        public = self._batch_keys.get((e["site_id"], e.get("batch") or ""))
        return public is not None and public == user.get("signing_key")

    @staticmethod
    def _own_keys_ok(fields: dict[str, Any], before: dict[str, Any] | None) -> bool:
        # Keys are set once (when the account first logs in with keys); a password change re-seals
        # the same keys, so their public halves never change here.
        for name in ("signing_key", "exchange_key"):
            if name in fields and before is not None and before.get(name) and before.get(name) != fields[name]:
                return False
        return True

    def _facts(self, table: str, values: dict[str, Any], user: dict[str, Any], hlc: str, author: str,
               before: dict[str, Any] | None, op: str, placed: tuple[bool, str | None]) -> permissions.Facts:
        """`author`: the author's id as text; `placed`: rows.inspection_of(table, values)."""
        assert self.history is not None
        bound, inspection = placed
        if table == ATTACHMENTS:
            owner_table = ATTACHMENT_OWNERS.get(str(values.get("owner_kind")), "")
            owner = self.rows.get(owner_table, _id(values.get("owner_id"))) if owner_table else None
            own = owner is not None and permissions.owns(author, user.get("inspector_id"), owner, _assignees(owner_table))
        elif table == "finding_reviews":
            # A review step is an act on the working paper: whose paper it is counts.
            finding = self.rows.get("findings", _id(values.get("finding_id")))
            own = finding is not None and permissions.owns(author, user.get("inspector_id"), finding,
                                                           _assignees("findings"))
        else:
            own = op == "insert" or (before is not None and
                                     permissions.owns(author, user.get("inspector_id"), before, _assignees(table)))
        post = self.history.post_at(user.get("inspector_id"), inspection, hlc) if bound else None
        return permissions.Facts(role=user.get("role"), post=post, bound=bound, own=own)

    def _rule(self, e: dict[str, Any], table: str, op: str, action: str, fields: dict[str, Any],
              before: dict[str, Any] | None, values: dict[str, Any]) -> permissions.Rule | None:
        if table == ATTACHMENTS:
            owner_kind = str(values.get("owner_kind"))
            if owner_kind == "issued_document":
                return permissions.operation("document.issue")
            try:
                return permissions.attachment_rule(owner_kind, action)[1]
            except permissions.PermissionDeniedError as exc:
                raise self._refuse(e, exc.message) from exc
        if table == "finding_reviews":
            if op != "insert":
                raise self._refuse(e, "审核记录一经写入不能修改或删除。")
            return self._review_rule(e, fields)
        if op == "insert" and table in _INSERTED_BY:
            return permissions.operation(_INSERTED_BY[table])
        if table == "findings" and op != "insert":
            self._check_review_state(e, fields, before)
            if "number" in fields and before is not None and str(fields["number"]) != str(before.get("number")):
                return permissions.operation("finding.renumber")
        if table == "rectifications":
            closing = fields.get("status") == RectificationStatus.CLOSED or {"closed_by", "closed_on"} & set(fields)
            if closing:
                if fields.get("closed_by") is not None and str(fields["closed_by"]) != str(e.get("author_id")):
                    raise self._refuse(e, "销号人与作者不符。")
                return permissions.operation("rectification.close_out")
        if table == "clues" and values.get("status") in (ClueStatus.HANDED_OVER, ClueStatus.CONCLUDED) and op != "insert":
            return permissions.operation("clue.hand_over")
        return permissions.rule_for(table, action)

    def _check_review_state(self, e: dict[str, Any], fields: dict[str, Any], before: dict[str, Any] | None) -> None:
        if "review_state" not in fields or (before is not None and before.get("review_state") == fields["review_state"]):
            return
        steps = self._steps.get((e["site_id"], e.get("batch")), [])
        if not any(s["fields"].get("finding_id") == e["row_id"] and s["fields"].get("to_state") == fields["review_state"]
                   for s in steps):
            raise self._refuse(e, "问题的审核状态只能随审核操作（提交、审核、审签、退回）一同改变。")

    def _review_rule(self, e: dict[str, Any], fields: dict[str, Any]) -> permissions.Rule:
        action = str(fields.get("action") or "")
        step = review_rules.STEPS.get(action)
        if step is None:
            raise self._refuse(e, "审核步骤无效。")
        finding_id = _id(fields.get("finding_id"))
        finding = self.rows.get("findings", finding_id)
        if finding is None:
            raise self._refuse(e, "审核的问题不在本机。")
        if fields.get("from_state") not in step.from_states or fields.get("to_state") != step.to_state:
            raise self._refuse(e, "审核步骤与问题当时的状态不符。")
        if str(fields.get("actor_id")) != str(e.get("author_id")):
            raise self._refuse(e, "审核人与作者不符。")
        history = self._review_history(finding_id)
        conflict = review_rules.duty_conflict(action, e.get("author_id"), history)
        if conflict is not None:
            raise self._refuse(e, conflict)
        history.append((action, e.get("author_id")))
        return permissions.operation(step.operation)

    def _load_reviews(self, finding_ids: set[str]) -> None:
        """The review steps this copy holds of every paper the package reviews, in one read per
        thousand papers rather than one per paper (as `_review_history` orders them)."""
        from app.models import FindingReview

        ordered = sorted(finding_ids)
        for start in range(0, len(ordered), 1000):
            chunk = ordered[start:start + 1000]
            found: dict[str, list[tuple[str, Any]]] = {f: [] for f in chunk}
            rows = self.session.execute(
                select(FindingReview.finding_id, FindingReview.action, FindingReview.actor_id)
                .where(FindingReview.finding_id.in_([uuid.UUID(f) for f in chunk]), FindingReview.deleted_at.is_(None))
                .order_by(FindingReview.finding_id, FindingReview.acted_at, FindingReview.id)
            ).all()
            for finding_id, action, who in rows:
                found[str(finding_id)].append((action, str(who) if who else None))
            self._reviews.update(found)

    def _review_history(self, finding_id: str | None) -> list[tuple[str, Any]]:
        if finding_id is None:
            return []
        if finding_id not in self._reviews:
            from app.models import FindingReview

            rows = self.session.execute(
                select(FindingReview.action, FindingReview.actor_id)
                .where(FindingReview.finding_id == uuid.UUID(finding_id), FindingReview.deleted_at.is_(None))
                .order_by(FindingReview.acted_at, FindingReview.id)
            ).all()
            self._reviews[finding_id] = [(a, str(who) if who else None) for a, who in rows]
        return self._reviews[finding_id]


def row_is(e: dict[str, Any], user_id: str) -> bool:
    return str(e["row_id"]) == str(user_id)


def _assignees(table: str) -> tuple[str, ...]:
    return ASSIGNEES.get(table, ())


def check(session: Session, ctx: Context, fresh: Iterable[dict[str, Any]], signers: dict[tuple[str, str], str],
          keys: dict[tuple[str, str], str]) -> None:
    """Refuse (RefusedError) the first of `fresh` this copy may not accept."""
    try:
        Gate(session, ctx, list(fresh), signers, keys).check()
    finally:
        # The parsed ids serve one package: a desktop session would otherwise keep them all.
        _PARSED.clear()
        _TEXTS.clear()
        _CANON.clear()
