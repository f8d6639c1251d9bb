"""催办 digests: per owner unit, its tasks due within N working days and its overdue ones.

Working days are each plan's own (its ``calendar`` kind, China's holidays and 调休 workdays,
and its ``[calendar]`` overrides), so "due within 3 working days" on the Thursday before the
May Day holiday reaches past it. A task overdue by more than ``escalate`` working days also
brings in the unit's 责任领导 (``leaders_for``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.domain import Person, Role, Task
from tracker.plan.calendar import WorkCalendar
from tracker.store import reminders
from tracker.store.db import Store
from tracker.store.people import list_people
from tracker.store.reminders import UnitInfo

#: ``--within`` and ``--escalate`` stay below a year of working days.
MAX_WORKDAYS = 250
DEFAULT_WITHIN = 3
DEFAULT_ESCALATE = 5


@dataclass(frozen=True, slots=True)
class Item:
    """A task in a digest; ``workdays`` is working days left (due soon; 0: due today) or
    working days late (overdue)."""

    task: Task
    due: date
    workdays: int
    escalated: bool = False


@dataclass(slots=True)
class UnitDigest:
    """One unit's digest: its overdue tasks and those due soon (soonest first), the people
    it reminds and, when a task is overdue past the escalation threshold, its 责任领导."""

    unit: str
    unit_name: str
    plan: str
    overdue: list[Item] = field(default_factory=list)
    due_soon: list[Item] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    leaders: list[Person] = field(default_factory=list)
    leader_titles: list[str] = field(default_factory=list)

    @property
    def escalated(self) -> list[Item]:
        return [i for i in self.overdue if i.escalated]

    @property
    def mention(self) -> list[Person]:
        """Everyone the message mentions: the unit's people, then its leaders if escalated."""
        found = {p.name: p for p in self.people}
        if self.escalated:
            for p in self.leaders:
                found.setdefault(p.name, p)
        return list(found.values())


class Workdays:
    """Working-day arithmetic per plan, memoised (hundreds of tasks share a few due dates)."""

    def __init__(self, calendars: dict[str, WorkCalendar], today: date) -> None:
        self.calendars = calendars
        self.today = today
        self._late: dict[tuple[str, date], int] = {}
        self._left: dict[tuple[str, date], int] = {}

    def cal(self, plan: str) -> WorkCalendar:
        found = self.calendars.get(plan)
        if found is None:
            found = self.calendars[plan] = WorkCalendar("cn")
        return found

    def limit(self, plan: str, within: int) -> date:
        """The last due date counted as "within ``within`` working days" of today."""
        return self.cal(plan).add_workdays(self.today, within) or self.today

    def late(self, plan: str, due: date) -> int:
        """Working days after ``due`` up to today (today included)."""
        key = (plan, due)
        if key not in self._late:
            self._late[key] = len(self.cal(plan).workdays_between(due + timedelta(1), self.today))
        return self._late[key]

    def left(self, plan: str, due: date) -> int:
        """Working days after today up to ``due`` (0 for a task due today)."""
        key = (plan, due)
        if key not in self._left:
            self._left[key] = len(self.cal(plan).workdays_between(self.today + timedelta(1), due))
        return self._left[key]


def _ancestors(unit: UnitInfo, tree: dict[tuple[str, str], UnitInfo]) -> list[str]:
    """``unit``'s key and those above it, nearest first (a cycle stops the walk)."""
    out = [unit.key]
    up = unit.parent
    while up and up not in out:
        out.append(up)
        parent = tree.get((unit.plan, up))
        up = parent.parent if parent else None
    return out


def people_of(unit: str, roster: Iterable[Person]) -> list[Person]:
    """The people a unit's digest reminds: those whose units include it (leaders aside:
    they are brought in by escalation)."""
    return [p for p in roster if unit in p.units and p.role is not Role.LEADER]


def leaders_for(
    unit: UnitInfo,
    tree: dict[tuple[str, str], UnitInfo],
    roster: list[Person],
    named: Iterable[str],
) -> list[Person]:
    """A unit's 责任领导 in the roster: the people named as its or its tasks' ``leader``, and
    the ``leader``-role people of the nearest unit up the tree that has any (a leader of the
    county is not called for a township whose own leader is in the roster)."""
    by_name = {p.name: p for p in roster}
    found = {n: by_name[n] for n in named if n in by_name}
    leaders = [p for p in roster if p.role is Role.LEADER and p.units]
    for key in _ancestors(unit, tree):
        level = [p for p in leaders if key in p.units]
        if level:
            for p in level:
                found.setdefault(p.name, p)
            break
    return list(found.values())


def _place(d: UnitDigest, task: Task, days: Workdays, limit: date, escalate: int) -> None:
    due = date.fromisoformat(task.due)
    if due < days.today:
        late = days.late(task.plan, due)
        d.overdue.append(Item(task, due, late, late > escalate))
    elif due <= limit:
        d.due_soon.append(Item(task, due, days.left(task.plan, due)))


def build_digests(
    db: Store, today: date, *, within: int = DEFAULT_WITHIN, escalate: int = DEFAULT_ESCALATE
) -> list[UnitDigest]:
    """Every unit's digest, in the plans' unit order; units with nothing to say are left out.

    Units are grouped by key across plans (one chat message per unit)."""
    days = Workdays(reminders.plan_calendars(db), today)
    limits = {p: days.limit(p, within) for p in days.calendars}
    last = max([today, *limits.values()])
    units = reminders.units(db)
    tree = {(u.plan, u.key): u for u in units}
    order = {(u.plan, u.key): i for i, u in enumerate(units)}
    digests: dict[str, UnitDigest] = {}
    first: dict[str, tuple[str, str]] = {}
    for task in reminders.open_tasks(db, due_by=last):
        d = digests.get(task.owner)
        if d is None:
            name = task.owner_name or task.owner
            d = digests[task.owner] = UnitDigest(task.owner, name, task.plan)
            first[task.owner] = (task.plan, task.owner)
        limit = limits.get(task.plan) or days.limit(task.plan, within)
        _place(d, task, days, limit, escalate)
    found = [d for d in digests.values() if d.overdue or d.due_soon]
    found.sort(key=lambda d: (order.get(first[d.unit], len(order)), d.unit))
    roster = list_people(db)
    for d in found:
        _mentions(d, tree, roster)
    return found


def _mentions(d: UnitDigest, tree: dict[tuple[str, str], UnitInfo], roster: list[Person]) -> None:
    d.people = people_of(d.unit, roster)
    unit = tree.get((d.plan, d.unit)) or UnitInfo(d.plan, d.unit, d.unit_name, None, None, 0)
    titles = [unit.leader] if unit.leader else []
    titles += [i.task.leader for i in d.escalated if i.task.leader]
    d.leader_titles = list(dict.fromkeys(titles))
    if d.escalated:
        d.leaders = leaders_for(unit, tree, roster, d.leader_titles)
