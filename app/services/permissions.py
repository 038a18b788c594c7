"""Who may do what: one table of operation × role × reach, consulted at every door.

Every write a service makes, every conflict resolution, and every change event a sync import
accepts is decided here, by the same rules:

- **role**: the account's role (组员, 副组长, 组长, 管理员);
- **team**: on a record that belongs to an inspection (app.models.ownership), the account's place on
  that inspection's team. Outside a team nobody but an administrator reaches the record, and on a
  team an account acts with the lower of its role and its team post (a 组长 account serving as a
  组员 on another team is a 组员 there);
- **reach**: whether the role reaches only its own records (OWN: created by the account, or assigned
  to its inspector entry), every record of its teams' inspections (TEAM), or every record (ANY);
- some steps also need a post on the team (TEAM_POSTS): 副组长审核 needs the inspection's 副组长,
  组长审签 its 组长, whatever the account's role.

Administrators run the office: the directory, accounts, inspections and their teams, follow-up.
They do not sign a team's working papers unless they hold the post on that team. Reads follow the
same teams (`visible_inspections`): a member sees the inspections whose team they are on.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import TeamAssignment
from app.models.enums import TeamRole, UserRole
from app.models.ownership import ASSIGNEES, ATTACHMENT_OWNERS, ATTACHMENTS, MASTER_ONLY, OWNED

from .errors import PermissionDeniedError


class Reach(IntEnum):
    OWN = 1
    TEAM = 2
    ANY = 3


MEMBER, DEPUTY, LEADER, ADMIN = UserRole.MEMBER, UserRole.DEPUTY, UserRole.LEADER, UserRole.ADMIN
_RANK: dict[str, int] = {MEMBER: 1, DEPUTY: 2, LEADER: 3, ADMIN: 3}
# A post on a team read as the role it gives there.
_POST_ROLE: dict[str, str] = {TeamRole.LEADER: LEADER, TeamRole.DEPUTY: DEPUTY, TeamRole.MEMBER: MEMBER, TeamRole.LIAISON: MEMBER}
ROLE_LABELS: dict[str, str] = {MEMBER: "组员", DEPUTY: "副组长", LEADER: "组长", ADMIN: "管理员"}

CREATE, UPDATE, DELETE, RESTORE = "create", "update", "delete", "restore"
ACTIONS = (CREATE, UPDATE, DELETE, RESTORE)


@dataclass(frozen=True)
class Rule:
    """One operation: who may do it and how far their reach goes."""

    label: str
    reach: Mapping[str, Reach]
    # Posts on the record's team the operation needs, whatever the account's role (None: any post).
    team_posts: frozenset[str] | None = None

    def allowed_roles(self) -> str:
        return "、".join(ROLE_LABELS[r] for r in (MEMBER, DEPUTY, LEADER, ADMIN) if r in self.reach)


NOBODY: Mapping[str, Reach] = {}
OFFICE: Mapping[str, Reach] = {ADMIN: Reach.ANY}
LEADERS: Mapping[str, Reach] = {DEPUTY: Reach.TEAM, LEADER: Reach.TEAM, ADMIN: Reach.ANY}
TEAM_ALL: Mapping[str, Reach] = {MEMBER: Reach.TEAM, DEPUTY: Reach.TEAM, LEADER: Reach.TEAM, ADMIN: Reach.ANY}
OWN_OR_LEADERS: Mapping[str, Reach] = {MEMBER: Reach.OWN, DEPUTY: Reach.TEAM, LEADER: Reach.TEAM, ADMIN: Reach.ANY}


def _crud(noun: str, create: Mapping[str, Reach], change: Mapping[str, Reach],
          remove: Mapping[str, Reach] | None = None) -> dict[str, Rule]:
    remove = change if remove is None else remove
    return {CREATE: Rule(f"新建{noun}", create), UPDATE: Rule(f"修改{noun}", change),
            DELETE: Rule(f"删除{noun}", remove), RESTORE: Rule(f"恢复{noun}", remove)}


_NOUNS = {
    "units": "单位", "unit_people": "单位人员", "inspectors": "巡察干部", "inspector_relations": "回避关系",
    "inspection_rounds": "巡察轮次", "checklist_templates": "清单模板", "checklist_template_items": "清单模板事项",
    "reference_items": "参考条目", "users": "账户", "site_revocations": "吊销记录", "inspections": "巡察",
    "inspection_units": "被巡察单位", "team_assignments": "巡察组成员", "organization_profiles": "机关信息",
}

# table → action → rule. Every synced table is listed (a test checks it).
TABLES: dict[str, dict[str, Rule]] = {table: _crud(_NOUNS.get(table, table), OFFICE, OFFICE) for table in MASTER_ONLY}
TABLES.update({
    "checklist_items": _crud("清单事项", OFFICE, TEAM_ALL, LEADERS),
    "checklist_links": _crud("清单关联", TEAM_ALL, OWN_OR_LEADERS),
    "interviews": _crud("谈话记录", TEAM_ALL, OWN_OR_LEADERS),
    "petitions": _crud("信访举报", TEAM_ALL, OWN_OR_LEADERS),
    "document_reviews": _crud("查阅资料记录", TEAM_ALL, OWN_OR_LEADERS),
    "visits": _crud("走访记录", TEAM_ALL, OWN_OR_LEADERS),
    "briefings": _crud("听取汇报记录", TEAM_ALL, OWN_OR_LEADERS),
    "group_talks": _crud("分类座谈记录", TEAM_ALL, OWN_OR_LEADERS),
    "surveys": _crud("民主测评记录", TEAM_ALL, OWN_OR_LEADERS),
    "inspection_meetings": _crud("见面会/反馈会记录", TEAM_ALL, OWN_OR_LEADERS),
    "findings": _crud("问题", TEAM_ALL, OWN_OR_LEADERS),
    # Review steps are written only by the review operations below.
    "finding_reviews": _crud("审核记录", NOBODY, NOBODY),
    "clues": _crud("问题线索", TEAM_ALL, OWN_OR_LEADERS),
    "clue_outcomes": _crud("线索办理结果", {LEADER: Reach.TEAM, ADMIN: Reach.ANY}, {LEADER: Reach.TEAM, ADMIN: Reach.ANY}),
    "rectifications": _crud("整改事项", LEADERS, LEADERS),
    "rectification_plans": _crud("整改方案记录", LEADERS, LEADERS),
    # A record of each returned 整改台账 is written only by importing it.
    "rectification_ledger_imports": _crud("整改台账导入记录", NOBODY, NOBODY),
    # Close-out reviews are written only by the close-out operation.
    "rectification_close_outs": _crud("销号审核记录", NOBODY, NOBODY),
    # Documents are issued (numbered) by the issuing operation; afterwards only voided.
    "issued_documents": _crud("文书", NOBODY, {LEADER: Reach.TEAM, ADMIN: Reach.ANY}, NOBODY),
})

# Operations that are not a plain write of one table.
OPERATIONS: dict[str, Rule] = {
    "review.submit": Rule("提交审核（承办人签字）", {MEMBER: Reach.OWN, DEPUTY: Reach.TEAM, LEADER: Reach.TEAM}),
    "review.deputy": Rule("副组长审核", {DEPUTY: Reach.TEAM, LEADER: Reach.TEAM, ADMIN: Reach.TEAM},
                          team_posts=frozenset({TeamRole.DEPUTY})),
    "review.leader": Rule("组长审签", {LEADER: Reach.TEAM, ADMIN: Reach.TEAM}, team_posts=frozenset({TeamRole.LEADER})),
    "review.return": Rule("退回问题底稿", {DEPUTY: Reach.TEAM, LEADER: Reach.TEAM, ADMIN: Reach.TEAM},
                          team_posts=frozenset({TeamRole.DEPUTY, TeamRole.LEADER})),
    "finding.renumber": Rule("重新编号", LEADERS),
    "rectification.complete": Rule("报告整改完成", OWN_OR_LEADERS),
    "rectification.close_out": Rule("整改销号", LEADERS),
    "ledger.export": Rule("导出整改台账", LEADERS),
    "ledger.import": Rule("导入整改台账", LEADERS),
    "document.issue": Rule("编号印发文书", LEADERS),
    "document.void": Rule("作废文书", {LEADER: Reach.TEAM, ADMIN: Reach.ANY}),
    "clue.hand_over": Rule("移交问题线索", {LEADER: Reach.TEAM, ADMIN: Reach.ANY}),
    "accounts.manage": Rule("管理账户", OFFICE),
    "kit.export": Rule("准备工作包", OFFICE),
    "kit.import": Rule("导入工作包", OFFICE),
    "package.import_master": Rule("把同步包导入巡察办主库", OFFICE),
    "package.export_master": Rule("从巡察办主库导出同步包", OFFICE),
    "copy.revoke": Rule("吊销计算机", OFFICE),
    "audit.read_all": Rule("查看所有人的变更记录", OFFICE),
}

# Fields of an account its own holder changes (their password and the keys sealed under it).
SELF_FIELDS = frozenset({"password_hash", "sealed_keys", "signing_key", "exchange_key", "updated_at", "updated_by"})


def rule_for(table: str, action: str) -> Rule:
    if table == ATTACHMENTS:
        raise KeyError("attachments follow the record they are attached to (see attachment_rule)")
    return TABLES[table][action]


def attachment_rule(owner_kind: str, action: str) -> tuple[str, Rule]:
    """Adding or removing an attachment is a change of the record it belongs to."""
    table = ATTACHMENT_OWNERS.get(owner_kind)
    if table is None:
        raise PermissionDeniedError(f"不能给「{owner_kind}」类记录添加附件。")
    verb = "添加附件" if action == CREATE else "删除附件"
    owner = TABLES[table][UPDATE]
    return table, Rule(verb, owner.reach, owner.team_posts)


# --- deciding ------------------------------------------------------------------------------------
def lower_role(role: str, post: str | None) -> str:
    """The role an account acts with on a team: the lower of its own and its post's."""
    post_role = _POST_ROLE.get(post or "", MEMBER)
    if role == ADMIN:
        return post_role if post_role != MEMBER else MEMBER
    return role if _RANK.get(role, 0) <= _RANK[post_role] else post_role


@dataclass(frozen=True)
class Facts:
    """What a decision rests on, however it was found (now, for a local write; at the time of the
    change, for an imported one)."""

    role: str | None  # None: no such account, or disabled
    # The account's post on the record's inspection team (None: not on it), when the record belongs
    # to an inspection; `bound` False for records of no inspection.
    post: str | None = None
    bound: bool = True
    own: bool = False


def refusal(rule: Rule, facts: Facts) -> str | None:
    """Why the rule refuses (a Chinese sentence), or None when it allows."""
    if facts.role is None:
        return f"该账户不存在或已停用，不能{rule.label}。"
    reach = rule.reach.get(facts.role)
    if reach is None:
        if not rule.reach:
            return f"「{rule.label}」不能直接进行。"
        if rule.team_posts is not None:
            posts = "、".join(TeamRole.label_of(p) for p in sorted(rule.team_posts))
            return f"只有本巡察组的{posts}可以{rule.label}。"
        return f"只有{rule.allowed_roles()}可以{rule.label}。"
    if reach == Reach.ANY and rule.team_posts is None:
        return None
    if not facts.bound:
        return f"只有管理员可以{rule.label}（该记录不属于任何巡察）。"
    if facts.post is None:
        return f"您不在该巡察的巡察组中，不能{rule.label}。"
    if rule.team_posts is not None and facts.post not in rule.team_posts:
        posts = "、".join(TeamRole.label_of(p) for p in sorted(rule.team_posts))
        return f"只有本巡察组的{posts}可以{rule.label}（您在组内任{TeamRole.label_of(facts.post)}）。"
    reach = rule.reach.get(lower_role(facts.role, facts.post))
    if reach is None:
        return f"您在该巡察组中任{TeamRole.label_of(facts.post)}，不能{rule.label}。"
    if reach == Reach.OWN and not facts.own:
        return f"组员只能对自己录入或分配给自己的记录进行「{rule.label}」。"
    return None


def require(rule: Rule, facts: Facts) -> None:
    reason = refusal(rule, facts)
    if reason is not None:
        raise PermissionDeniedError(reason)


# --- the acting account, now -----------------------------------------------------------------------
def team_posts_of(session: Session, inspector_id: uuid.UUID | None) -> dict[uuid.UUID, str]:
    """inspection id → the post the inspector holds on its team (every live assignment)."""
    if inspector_id is None:
        return {}
    rows = session.execute(
        select(TeamAssignment.inspection_id, TeamAssignment.role).where(
            TeamAssignment.inspector_id == inspector_id, TeamAssignment.deleted_at.is_(None)
        )
    )
    posts: dict[uuid.UUID, str] = {}
    for inspection_id, post in rows:
        # Two assignments to one team (a merge duplicate): the higher post counts.
        if _RANK[_POST_ROLE.get(post, MEMBER)] >= _RANK[_POST_ROLE.get(posts.get(inspection_id, ""), MEMBER)]:
            posts[inspection_id] = post
    return posts


def visible_inspections(session: Session, actor: Any) -> set[uuid.UUID] | None:
    """The inspections the actor may read (None: every one, for administrators)."""
    if actor.role == ADMIN:
        return None
    return set(team_posts_of(session, actor.inspector_id))


def _as_uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def inspection_of(session: Session, table: str, values: Mapping[str, Any]) -> tuple[bool, uuid.UUID | None]:
    """(whether the row belongs to an inspection, which) for a row given by its column values."""
    if table == ATTACHMENTS:
        owner_table = ATTACHMENT_OWNERS.get(str(values.get("owner_kind")))
        if owner_table is None:
            return False, None
        return _parent_inspection(session, owner_table, _as_uuid(values.get("owner_id")))
    if table not in OWNED:
        return False, None
    path = OWNED[table]
    if path is None:
        return True, _as_uuid(values.get("id"))
    parent_id = _as_uuid(values.get(path.column))
    if path.parent == "inspections":
        return parent_id is not None, parent_id
    return _parent_inspection(session, path.parent, parent_id)


def _parent_inspection(session: Session, table: str, row_id: uuid.UUID | None) -> tuple[bool, uuid.UUID | None]:
    if row_id is None:
        return True, None
    from app.models import Base

    model_table = Base.metadata.tables[table]
    row = session.execute(select(model_table).where(model_table.c.id == row_id)).first()
    if row is None:
        return True, None
    return inspection_of(session, table, row._asdict())


@dataclass
class Gate:
    """The acting account's decisions during one transaction (team posts read once)."""

    session: Session
    actor: Any
    _posts: dict[uuid.UUID, str] | None = field(default=None, init=False)

    def post(self, inspection_id: uuid.UUID | None) -> str | None:
        if inspection_id is None:
            return None
        if self._posts is None:
            self._posts = team_posts_of(self.session, self.actor.inspector_id)
        return self._posts.get(inspection_id)

    def facts(self, table: str, values: Mapping[str, Any], own: bool = False) -> Facts:
        bound, inspection_id = inspection_of(self.session, table, values)
        return Facts(role=self.actor.role, post=self.post(inspection_id), bound=bound, own=own)

    def require(self, rule: Rule, table: str, values: Mapping[str, Any], own: bool = False) -> None:
        require(rule, self.facts(table, values, own))


def is_own(actor: Any, table: str, values: Mapping[str, Any]) -> bool:
    """Whether the actor authored the row or it is assigned to their inspector entry."""
    return owns(actor.user_id, actor.inspector_id, values, ASSIGNEES.get(table, ()))


def owns(user_id: Any, inspector_id: Any, values: Mapping[str, Any], assignee_fields: Iterable[str]) -> bool:
    if user_id is not None and str(values.get("created_by")) == str(user_id):
        return True
    if inspector_id is None:
        return False
    mine = str(inspector_id)
    for name in assignee_fields:
        value = values.get(name)
        if isinstance(value, (list, tuple, set)):
            if mine in {str(v) for v in value}:
                return True
        elif value is not None and str(value) == mine:
            return True
    return False


def operation(name: str) -> Rule:
    return OPERATIONS[name]


def require_operation(ctx: Any, name: str, *, session: Session | None = None, table: str | None = None,
                      values: Mapping[str, Any] | None = None, own: bool = False) -> None:
    """Refuse an operation the acting account may not do (on the given record, when it has one)."""
    rule = OPERATIONS[name]
    if table is None or values is None or session is None:
        require(rule, Facts(role=ctx.actor.role, bound=False, own=own))
        return
    Gate(session, ctx.actor).require(rule, table, values, own)


def visibility_clause(table_name: str, visible: set[uuid.UUID]) -> Any:
    """A WHERE clause keeping the rows of `table_name` that belong to one of `visible` inspections
    (None for tables that belong to no inspection: the directory is everyone's)."""
    from sqlalchemy import false, or_

    from app.models import Base

    tables = Base.metadata.tables
    ids = sorted(visible)

    def owned_by(name: str) -> Any:
        t = tables[name]
        path = OWNED[name]
        if path is None:
            return t.c.id.in_(ids)
        column = t.c[path.column]
        if path.parent == "inspections":
            return column.in_(ids)
        return column.in_(select(tables[path.parent].c.id).where(owned_by(path.parent)))

    if table_name == ATTACHMENTS:
        t = tables[ATTACHMENTS]
        parts = [
            (t.c.owner_kind == kind) & t.c.owner_id.in_(select(tables[owner].c.id).where(owned_by(owner)))
            for kind, owner in ATTACHMENT_OWNERS.items()
        ]
        return or_(*parts) if parts else false()
    if table_name not in OWNED:
        return None
    return owned_by(table_name)


def require_readable(session: Session, actor: Any, inspection_id: Any) -> None:
    """Refuse to show anything of an inspection the account may not read (as if it did not exist)."""
    from .errors import NotFoundError

    visible = visible_inspections(session, actor)
    if visible is not None and _as_uuid(inspection_id) not in visible:
        raise NotFoundError("找不到该巡察，或您不在该巡察的巡察组中。")


def readable(stmt: Any, column: Any, session: Session, actor: Any) -> Any:
    """`stmt` kept to the inspections the account may read (`column` holds the inspection id)."""
    visible = visible_inspections(session, actor)
    return stmt if visible is None else stmt.where(column.in_(sorted(visible)))
