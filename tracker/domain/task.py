"""Typed rows: a task instance, its state snapshot and a change-log event.

These are what crosses the boundary between the store and everything above it, instead of
``dict[str, Any]``: a field that does not exist is a type error, not a ``KeyError`` at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from tracker.domain.indicators import Part, Workdays, expected_of
from tracker.domain.status import OPEN, Status

#: Between the names of a ``leader`` or ``responsible`` that names several people (as Chinese
#: lists names): ``王镇长、李书记``.
NAME_SEP = "、"
#: A task's priority, highest first (the plan's ``priority``, ``tracker add --priority``).
PRIORITIES = ("high", "normal", "low")

STATE_FIELDS = ("status", "progress", "due", "postponed", "done_at", "blocked_reason")


@dataclass(frozen=True, slots=True)
class State:
    """The part of a task that staff change (an event's ``before``/``after`` snapshot).

    The initial state of an instance is ``State.initial(planned_due)``: todo, no progress, due
    as planned. Reloads never touch these fields.
    """

    status: str = Status.TODO
    progress: float | None = None
    due: str = ""
    postponed: int = 0
    done_at: str | None = None
    blocked_reason: str | None = None

    @classmethod
    def initial(cls, planned_due: str) -> State:
        return cls(due=planned_due)

    @classmethod
    def from_json(cls, data: dict[str, Any], fallback: State) -> State:
        """A snapshot as stored in the event log; keys it lacks keep ``fallback``'s values."""
        return replace(fallback, **{k: data[k] for k in STATE_FIELDS if k in data})

    def to_json(self) -> dict[str, Any]:
        """The snapshot as the event log stores it (every state field)."""
        return {k: getattr(self, k) for k in STATE_FIELDS}

    def values(self) -> tuple[Any, ...]:
        """The fields in ``STATE_FIELDS`` order (for an UPDATE)."""
        return (
            self.status,
            self.progress,
            self.due,
            self.postponed,
            self.done_at,
            self.blocked_reason,
        )

    def with_(self, **changes: Any) -> State:
        return replace(self, **changes)

    def __getitem__(self, name: str) -> Any:
        """Read a field by name, as version 1's snapshot dicts were read (scripts, tests)."""
        return getattr(self, name)


@dataclass(slots=True)
class Task:
    """One task instance as the store holds it, with its campaign's and owner's names.

    ``support``, ``tags`` and ``after`` are lists (stored as JSON text); ``notes`` is the plan's
    description (说明), not the staff's notes, which are events.
    """

    id: int
    uid: str
    plan: str
    campaign: str
    task_key: str
    title: str
    owner: str
    support: list[str]
    leader: str | None
    start: str
    due: str
    planned_due: str
    period: str | None
    target: float | None
    unit: str | None
    priority: str
    tags: list[str]
    notes: str | None
    after: list[str]
    position: int
    status: str
    progress: float | None
    done_at: str | None
    blocked_reason: str | None
    postponed: int
    withdrawn_status: str | None
    touched: int
    created_at: str
    updated_at: str
    # who marked it done and who verified it (销号), kept by the store from the event log
    done_by: str | None
    verified_by: str | None
    #: how many events the task has (``store.actions.log_event``): a ledger row's revision
    rev: int = 0
    # -- plan format v2 (m011)
    problem: str | None = None  # the key of the 整改 problem this task is a measure of
    responsible: str | None = None  # 责任人 (several: joined by "、")
    measure: str | None = None  # "sum" | "each" for a task with a target
    #: JSON ``[[ISO date, percent], …]``: the 序时进度 milestones (``milestone_points``)
    milestones: str | None = None
    adhoc: int = 0  # 1 for a ``tracker add`` item (交办)
    campaign_name: str | None = None
    owner_name: str | None = None
    owner_kind: str | None = None  # the owner unit's peer group (joined from units)
    # an open postponement request (people.md), filled in by the queries that show it
    postpone_request: PostponeRequest | None = None
    #: the plan's working days, attached by the queries for a task with a target (序时进度)
    workdays: Workdays | None = field(default=None, compare=False, repr=False)

    @property
    def state(self) -> State:
        return State(
            self.status,
            self.progress,
            self.due,
            self.postponed,
            self.done_at,
            self.blocked_reason,
        )

    def set_state(self, state: State) -> None:
        """Patch the state fields in place (a past moment's state, for a report's lists)."""
        (
            self.status,
            self.progress,
            self.due,
            self.postponed,
            self.done_at,
            self.blocked_reason,
        ) = state.values()

    def __getitem__(self, name: str) -> Any:
        """Read a field by name, as version 1's row dicts were read (scripts, tests)."""
        return getattr(self, name)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def is_overdue(self, today_iso: str) -> bool:
        """Today is after the due date and the task is still open (cli.md)."""
        return self.status in OPEN and today_iso > self.due

    @property
    def milestone_points(self) -> tuple[tuple[date, float], ...]:
        """The milestones as (date, percent), sorted."""
        if not self.milestones:
            return ()
        return tuple((date.fromisoformat(d), float(p)) for d, p in json.loads(self.milestones))

    def expected(self, today: date) -> float | None:
        """序时进度: the progress expected by ``today`` (plan-format-v2.md, Indicators), for a
        task with a target whose plan's working days are known; else ``None``."""
        if self.target is None or self.workdays is None:
            return None
        part = Part(
            date.fromisoformat(self.start),
            date.fromisoformat(self.due),
            self.target,
            self.progress,
            self.milestone_points,
        )
        return expected_of(part, today, self.workdays)


TASK_COLUMNS: tuple[str, ...] = tuple(
    f.name
    for f in fields(Task)
    if f.name not in ("campaign_name", "owner_name", "owner_kind", "postpone_request", "workdays")
)


@dataclass(frozen=True, slots=True)
class PostponeRequest:
    """A staff member's request to move a deadline (people.md): open until decided."""

    id: int
    task_id: int
    due: str
    reason: str
    by: str
    at: str

    def to_json(self) -> dict[str, Any]:
        return {"due": self.due, "reason": self.reason, "by": self.by, "at": self.at}


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the append-only change log, with its task's uid and title when known."""

    id: int
    batch: int
    task_id: int | None
    at: str
    user: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str | None
    undone_by: int | None
    uid: str | None = None
    title: str | None = None

    def __getitem__(self, name: str) -> Any:
        """Read a field by name, as version 1's event dicts were read (scripts, tests)."""
        return getattr(self, name)


@dataclass(frozen=True, slots=True)
class Note:
    """A note on a task: a ``note`` event, or the ``--note``/reason given with another change."""

    id: int
    at: str
    user: str
    action: str
    text: str

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)
