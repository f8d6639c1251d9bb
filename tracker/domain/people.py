"""People, their roles and what each role may do (people.md): who may act on the shared ledger.

The permission table lives here, beside the transition table, and nowhere else: the store's
actions ask ``check`` before every write, so the CLI, the TUI and a ledger import obey the same
rules. A person's *scope* is their units and every unit below them (computed by the store from
the unit tree, handed in as ``Scope``); a person with no unit has every unit in scope.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from tracker import i18n
from tracker.domain.status import Action
from tracker.errors import BadInput, Refused


class Role(StrEnum):
    ADMIN = "admin"
    PLANNER = "planner"
    VERIFIER = "verifier"  # 督办
    LEADER = "leader"  # 领导
    STAFF = "staff"  # 责任单位

    @classmethod
    def parse(cls, text: str) -> Role | None:
        """A role from its English or Chinese name, else ``None``."""
        value = text.strip()
        found = ROLE_NAMES_ZH.get(value)
        if found is not None:
            return found
        try:
            return cls(value.lower())
        except ValueError:
            return None


ROLE_NAMES_ZH: dict[str, Role] = {
    "管理员": Role.ADMIN,
    "计划员": Role.PLANNER,
    "督办员": Role.VERIFIER,
    "领导": Role.LEADER,
    "工作人员": Role.STAFF,
}


class Act(StrEnum):
    """What a person may be allowed to do: one row of the permission table each."""

    WORK = "work"  # start, done, block, progress
    NOTE = "note"
    VERIFY = "verify"  # verify, reopen
    POSTPONE = "postpone"
    DECIDE = "decide"  # approve, reject a postponement request
    WAIVE = "waive"
    ADD = "add"
    LOAD = "load"
    IMPORT = "import"  # one row of a ledger
    ROSTER = "roster"  # people add, remove, import


class Reach(Enum):
    """How far a role's permission reaches."""

    NONE = "none"
    OWNED = "owned"  # tasks whose owner is in scope
    OWNED_OR_SUPPORTED = "supported"  # ... or one of whose 配合单位 is
    REQUEST = "request"  # may ask (a postponement request), not do
    ALL = "all"  # every task (or: the action needs no task)


_S, _V, _L, _P, _A = Role.STAFF, Role.VERIFIER, Role.LEADER, Role.PLANNER, Role.ADMIN
NO, OWN, SUP, ASK, ALL = Reach.NONE, Reach.OWNED, Reach.OWNED_OR_SUPPORTED, Reach.REQUEST, Reach.ALL

# people.md, "What each role may do": act -> reach per role (staff, verifier, leader, planner,
# admin). "in scope" is OWNED: the task's owner unit is in the person's scope.
TABLE: dict[Act, dict[Role, Reach]] = {
    act: dict(zip((_S, _V, _L, _P, _A), row, strict=True))
    for act, row in {
        Act.WORK: (OWN, OWN, NO, NO, ALL),
        Act.NOTE: (SUP, OWN, ALL, ALL, ALL),
        Act.VERIFY: (NO, OWN, NO, NO, ALL),
        Act.POSTPONE: (ASK, OWN, NO, NO, ALL),
        Act.DECIDE: (NO, OWN, ALL, NO, ALL),
        Act.WAIVE: (NO, OWN, NO, OWN, ALL),
        Act.ADD: (NO, OWN, ALL, ALL, ALL),
        Act.LOAD: (NO, NO, NO, ALL, ALL),
        Act.IMPORT: (OWN, OWN, NO, NO, ALL),
        Act.ROSTER: (NO, NO, NO, NO, ALL),
    }.items()
}


# The permission each action needs on every task it touches.
ACT_OF: dict[Action, Act] = {
    Action.START: Act.WORK,
    Action.DONE: Act.WORK,
    Action.BLOCK: Act.WORK,
    Action.PROGRESS: Act.WORK,
    Action.VERIFY: Act.VERIFY,
    Action.REOPEN: Act.VERIFY,
    Action.POSTPONE: Act.POSTPONE,
    Action.REQUEST: Act.POSTPONE,
    Action.NOTE: Act.NOTE,
    Action.IMPORT: Act.IMPORT,
    Action.APPROVE: Act.DECIDE,
    Action.REJECT: Act.DECIDE,
    Action.WAIVE: Act.WAIVE,
    Action.ADD: Act.ADD,
}


def may_ever(person: Person | None, action: str) -> bool:
    """Whether ``person``'s role may take ``action`` on some task (a face shows only these);
    everyone may undo their own changes, and everything is allowed in an open database."""
    if person is None or action not in ACT_OF:
        return True
    return reach(person, ACT_OF[Action(action)]) is not Reach.NONE


def only_requests(person: Person | None) -> bool:
    """Whether a ``postpone`` by ``person`` only files a request (staff)."""
    return person is not None and reach(person, Act.POSTPONE) is Reach.REQUEST


@dataclass(frozen=True, slots=True)
class Person:
    """A person in the roster; ``units`` empty means every unit is in scope."""

    name: str
    role: Role
    units: tuple[str, ...] = ()
    phone: str | None = None
    wecom: str | None = None
    dingtalk: str | None = None
    has_password: bool = field(default=False)

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "role": str(self.role),
            "units": list(self.units),
            "phone": self.phone,
            "wecom": self.wecom,
            "dingtalk": self.dingtalk,
            "has_password": self.has_password,
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """The ``(plan, unit)`` pairs a person's units cover, or every unit."""

    everything: bool
    units: frozenset[tuple[str, str]] = frozenset()

    def covers(self, plan: str, unit: str) -> bool:
        return self.everything or (plan, unit) in self.units


class RoleRefused(Refused):
    """A permission refusal; renders the role and the action in the reader's language."""

    def render(self, lang: str) -> str:
        params = dict(self.params)
        params["role"] = i18n.t(f"people.role.{params.get('role')}", lang)
        params["act"] = i18n.t(f"people.act.{params.get('act')}", lang)
        return i18n.t(self.key, lang, **params)


def reach(person: Person, act: Act) -> Reach:
    return TABLE[act][person.role]


def may(
    person: Person, act: Act, scope: Scope, plan: str, owner: str, support: Iterable[str]
) -> bool:
    """Whether ``person`` may ``act`` on a task of ``plan`` owned by ``owner``."""
    r = reach(person, act)
    if r is Reach.ALL:
        return True
    if r is Reach.OWNED or r is Reach.REQUEST:
        return scope.covers(plan, owner)
    if r is Reach.OWNED_OR_SUPPORTED:
        return scope.covers(plan, owner) or any(scope.covers(plan, u) for u in support)
    return False


def check(
    person: Person,
    act: Act,
    scope: Scope,
    *,
    task_id: int | None,
    plan: str,
    owner: str,
    support: Iterable[str] = (),
) -> None:
    """``Refused`` (naming the rule) unless ``person`` may ``act`` on the task (``task_id``
    None: on a new task owned by ``owner``, as ``tracker add`` makes)."""
    if may(person, act, scope, plan, owner, support):
        return
    if reach(person, act) is Reach.NONE:
        raise RoleRefused(
            "people.role_may_not", name=person.name, role=str(person.role), act=str(act)
        )
    if task_id is None:
        raise Refused("people.out_of_scope_unit", name=person.name, owner=owner)
    raise Refused("people.out_of_scope", name=person.name, id=task_id, owner=owner)


def check_global(person: Person, act: Act) -> None:
    """``Refused`` unless ``person``'s role may ``act`` at all (load, the roster)."""
    if reach(person, act) is not Reach.ALL:
        raise RoleRefused(
            "people.role_may_not", name=person.name, role=str(person.role), act=str(act)
        )


def check_no_self_verify(person: Person, done_by: str | None, task_id: int) -> None:
    """No self-销号: the one who marked a task done may not verify it."""
    if done_by is not None and done_by == person.name:
        raise Refused("people.self_verify", name=person.name, id=task_id)


def check_backdating(person: Person, effective: str, real: str) -> None:
    """A write under a ``--today`` other than the real date is an ``admin``'s only (replays)."""
    if effective != real and person.role is not Role.ADMIN:
        raise Refused("people.backdating", name=person.name, today=effective, real=real)


def clean_name(text: str) -> str:
    """A person's name as given (trimmed); ``BadInput`` when blank or holding control
    characters (a newline in a name would forge lines in ``tracker history``)."""
    name = text.strip()
    if not name:
        raise BadInput("people.blank_name")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        shown = "".join(
            f"\\x{ord(c):02x}" if unicodedata.category(c).startswith("C") else c for c in name
        )
        raise BadInput("people.bad_name", name=shown)
    if len(name) > 64:
        raise BadInput("people.long_name")
    return name
