"""What the TUI reads from and writes to the store; called only from worker threads.

Everything here is plain, synchronous Python on one sqlite connection per thread (sqlite3
connections must not cross threads), so the App's workers stay one-liners that call a
function and post its result. Reads go through the store's read models (``query``,
``browse``) and the report; writes through ``tracker.store.actions``. No SQL here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.context import Context
from tracker.domain import STATUSES, Action, Event, Note, Status, Task
from tracker.domain.people import Person
from tracker.store import actions, browse, people, query
from tracker.store.browse import Choice, TreeNode, UnitNode
from tracker.store.db import Store, open_db
from tracker.store.query import TaskFilter
from tracker.store.textindex import TextIndex, index_key

if TYPE_CHECKING:
    from tracker.report.weekly import Figures

__all__ = ["Choice", "TreeNode", "UnitNode"]

#: The pickers beside the unit picker: what each offers (plan format v2 filters).
PICKERS = ("problem", "people", "kind", "tag")

#: Rows fetched per query: a few screens, so scrolling rarely waits and memory stays flat.
PAGE_SIZE = 200
#: "Due soon" (yellow) means due within this many working days.
SOON_WORKDAYS = 3
#: "now": today and overdue (``store.filters.DUE_NOW``), what a clerk looks at first.
QUICK_VIEWS = ("today", "week", "overdue", "all", "now")
#: The orders the sort key cycles through (``store.order.ORDERS``).
SORTS = ("due", "unit", "status", "priority")
# The status filter's toggles, open ones first (as the footer lists them).
STATUS_TOGGLES: tuple[Status, ...] = (
    Status.TODO,
    Status.DOING,
    Status.BLOCKED,
    Status.DONE,
    Status.VERIFIED,
    Status.WITHDRAWN,
    Status.WAIVED,
)
assert set(STATUS_TOGGLES) == set(STATUSES)


class Connections:
    """One store connection per thread and database, opened on first use.

    Textual runs thread workers on the event loop's executor, whose threads are reused, so
    a worker usually finds its thread's connection already open.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def get(self) -> Store:
        """This thread's connection."""
        db: Store | None = getattr(self._local, "db", None)
        if db is None:
            db = open_db(self.path)
            self._local.db = db
        return db


@dataclass(frozen=True, slots=True)
class ViewFilter:
    """The staff's current narrowing of the list; the App holds exactly one."""

    plan: str | None = None
    campaign: str | None = None
    task_key: str | None = None
    owner: str | None = None
    owner_name: str | None = None
    statuses: frozenset[str] = frozenset()
    view: str = "all"  # one of QUICK_VIEWS
    search: str = ""
    sort: str = "due"  # one of SORTS: not a filter, but the App's one view of the list
    # -- the pickers (cli-v2.md's filters): the value, and how the filter bar names it
    problem: str | None = None
    problem_label: str | None = None
    leader: str | None = None
    responsible: str | None = None
    kind: str | None = None
    tag: str | None = None

    def to_store(self) -> TaskFilter:
        """The equivalent store filter (``tracker list``'s, plus the template level)."""
        wanted = tuple(s for s in STATUS_TOGGLES if s in self.statuses)
        return TaskFilter(
            plan=self.plan,
            campaign=self.campaign,
            task_key=self.task_key,
            owner=self.owner,
            statuses=wanted,
            due=None if self.view == "all" else self.view,
            search=self.search or None,
            include_withdrawn=Status.WITHDRAWN in self.statuses,
            problem=self.problem,
            leader=self.leader,
            responsible=self.responsible,
            tags=(self.tag,) if self.tag else (),
            kind=self.kind,
        )

    def chosen(self, picker: str, choice: Choice | None) -> ViewFilter:
        """This filter with ``picker``'s choice (None: that picker's filter cleared)."""
        if picker == "problem":
            value = choice.value if choice else None
            return replace(self, problem=value, problem_label=choice.label if choice else None)
        if picker == "people":  # a leader or a responsible person: one of them at a time
            leader = choice.value if choice and choice.field == "leader" else None
            responsible = choice.value if choice and choice.field == "responsible" else None
            return replace(self, leader=leader, responsible=responsible)
        value = choice.value if choice else None
        if picker == "kind":
            return replace(self, kind=value)
        return replace(self, tag=value)

    def for_store(self, db: Store, index: TextIndex | None) -> TaskFilter:
        """``to_store()``, with the search narrowed by ``index`` while it is current.

        Made once per worker job: the lookup in the index is the costly part of a keystroke.
        """
        store = self.to_store()
        if store.search and index is not None and index.is_current(db):
            store.search_ids = index.ids_matching(store.search)
        return store

    def next_sort(self) -> ViewFilter:
        """This filter sorted by the next of ``SORTS``."""
        return replace(self, sort=SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)])

    def toggled(self, status: str) -> ViewFilter:
        """This filter with ``status`` switched on or off."""
        return replace(self, statuses=self.statuses ^ {status})


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One line of the task table: just what the table draws and the actions need."""

    id: int
    plan: str
    title: str
    owner_name: str
    due: date
    status: str
    progress: float | None
    target: float | None
    unit: str | None
    postponed: int


@dataclass(frozen=True, slots=True)
class Page:
    """Rows ``offset .. offset + len(rows)`` of the filtered list."""

    offset: int
    rows: list[TaskRow]


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """Everything the detail pane shows about one instance."""

    task: Task
    support_names: list[str]
    notes: list[Note]
    history: list[Event]
    problem_title: str | None = None
    #: 序时进度 at today (computed in the worker: it reads the plan's calendar)
    expected: float | None = None


def _row(t: Task) -> TaskRow:
    return TaskRow(
        id=t.id,
        plan=t.plan,
        title=t.title,
        owner_name=t.owner_name or t.owner,
        due=date.fromisoformat(t.due),
        status=t.status,
        progress=t.progress,
        target=t.target,
        unit=t.unit,
        postponed=int(t.postponed or 0),
    )


def fetch_page(
    db: Store,
    store: TaskFilter,
    today: date,
    offset: int,
    total: int | None = None,
    order: str = "due",
) -> Page:
    """``PAGE_SIZE`` rows from ``offset``, in the list's ``order`` (soonest due first).

    SQLite walks an OFFSET row by row, so a page in the second half of a known ``total``
    is read backwards from the end: the last rows of 500,000 come as fast as the first.
    """
    if total is not None and offset > total // 2:
        skip = max(0, total - offset - PAGE_SIZE)
        limit = min(PAGE_SIZE, total - offset)
        tasks = query.query_tasks(
            db, store, today, limit=limit, offset=skip, reverse=True, order=order
        )
        tasks.reverse()
    else:
        tasks = query.query_tasks(db, store, today, limit=PAGE_SIZE, offset=offset, order=order)
    return Page(offset, [_row(t) for t in tasks])


def count(db: Store, store: TaskFilter, today: date) -> int:
    """How many instances the filter matches."""
    return query.count_tasks(db, store, today)


def position(
    db: Store, store: TaskFilter, today: date, task_id: int, order: str = "due"
) -> int | None:
    """Where task ``task_id`` now sits in the filtered list (None: it left the list).

    After a postponement or another user's change re-sorts the list, the cursor follows
    its task here instead of silently landing on a different one.
    """
    return query.task_index(db, store, today, task_id, order)


def soon_limits(db: Store, today: date) -> dict[str, date]:
    """Per plan, the last due date that still counts as "due soon" under its calendar."""
    return browse.workday_limits(db, today, SOON_WORKDAYS)


def filter_tree(db: Store) -> list[TreeNode]:
    """Plans → campaigns → task templates, each with its number of live instances."""
    return browse.filter_tree(db)


def unit_list(db: Store) -> list[UnitNode]:
    """Every unit of every plan, depth-first in the parent tree (roots first)."""
    return browse.unit_list(db)


def task_detail(db: Store, task_id: int, today: date) -> TaskDetail:
    """One instance with its supporting units' names, its notes and its full history."""
    task = query.get_task(db, task_id)
    names = query.unit_names(db)
    support = [names.get((task.plan, k), k) for k in task.support]
    history = actions.history(db, str(task_id))
    title = browse.problem_title(db, task.plan, task.problem)
    expected = task.expected(today)
    task.workdays = None  # bound to this thread's connection: not for the UI thread
    return TaskDetail(task, support, query.task_notes(db, task_id), history, title, expected)


def choices(db: Store, picker: str) -> list[Choice]:
    """What ``picker`` (one of ``PICKERS``) offers, read when it opens."""
    read = {
        "problem": browse.problem_choices,
        "people": browse.people_choices,
        "kind": browse.kind_choices,
        "tag": browse.tag_choices,
    }[picker]
    return read(db)


def acting_person(db: Store, ctx: Context) -> Person | None:
    """Who is acting (people.md); ``None`` in an open database."""
    return people.actor(db, ctx)


def data_version(db: Store) -> int:
    """SQLite's counter of commits made by *other* connections to this database."""
    return browse.data_version(db)


def changed_since(db: Store, event_id: int | None) -> tuple[int, frozenset[int]]:
    """The last event's id and the tasks changed after ``event_id``."""
    return browse.changed_since(db, event_id)


@dataclass(frozen=True, slots=True)
class Bar:
    """One line of the overview: a campaign or a unit with its figures for the week."""

    name: str
    due_to_date: int
    done: int
    overdue: int
    completion_rate: float | None
    on_time_rate: float | None = None
    rank: int | None = None
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Overview:
    """The weekly report's figures for one plan, as the overview screen draws them."""

    plan: str
    title: str
    week: str
    start: date
    end: date
    totals: Bar
    campaigns: list[Bar]
    units: list[Bar]


def overview(db: Store, today: date, lang: str, plan: str | None) -> list[Overview]:
    """The current week's figures from ``tracker.report`` (the 周报's very numbers).

    ``plan`` None means every loaded plan, one after the other. The report's modules are
    imported here, when the overview is first opened, not by every visitor's app at start.
    """
    from tracker.report.weekly import compute_weekly

    def bar(name: str, f: Figures, **extra: Any) -> Bar:
        return Bar(name, f.due_to_date, f.done_due, f.overdue, f.completion_rate, **extra)

    plans = [plan] if plan else browse.plan_ids(db)
    out = []
    for plan_id in plans:
        rep = compute_weekly(db, today=today, plan=plan_id, lang=lang, limit=0)
        out.append(
            Overview(
                plan=rep.plan,
                title=rep.title,
                week=rep.week,
                start=rep.start,
                end=rep.end,
                totals=bar(rep.title, rep.totals, on_time_rate=rep.totals.on_time_rate),
                campaigns=[bar(c.name, c.figures) for c in rep.campaigns],
                units=[
                    bar(u.name, u.figures, on_time_rate=u.figures.on_time_rate, rank=u.rank)
                    for u in rep.units
                ],
            )
        )
    return out


#: The staff actions, by the name the UI and the store share.
ACTIONS: tuple[Action, ...] = (
    Action.START,
    Action.DONE,
    Action.VERIFY,
    Action.REOPEN,
    Action.BLOCK,
    Action.PROGRESS,
    Action.POSTPONE,
    Action.NOTE,
    Action.APPROVE,
    Action.REJECT,
    Action.WAIVE,
    Action.UNDO,
)


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """One staff action on some tasks; ``value``/``reason`` as the action needs them.

    block: ``reason``; progress: ``value`` ("30" or "+5"); postpone: ``value`` (a date) and
    ``reason``; note: ``value`` (the text); undo: no ids.
    """

    action: str
    ids: tuple[int, ...] = ()
    value: str = ""
    reason: str = ""


def run_action(db: Store, ctx: Context, req: ActionRequest) -> int:
    """Apply ``req`` through ``tracker.store.actions``; how many tasks it changed.

    Raises the store's ``TrackerError`` (Refused, NotFound, BadInput) unchanged, for the UI
    to show. Every action on a multi-selection is one store call: one transaction (all the
    tasks or none) and one undo batch, so one ``z`` reverts all of it.
    """
    refs = [str(i) for i in req.ids]
    simple = {
        Action.START: actions.start,
        Action.DONE: actions.done,
        Action.VERIFY: actions.verify,
        Action.REOPEN: actions.reopen,
    }
    if req.action == Action.UNDO:
        return len(actions.undo(db, ctx))
    if req.action in simple:
        changed = simple[Action(req.action)](db, ctx, refs)
    elif req.action == Action.BLOCK:
        changed = actions.block(db, ctx, refs, req.reason)
    elif req.action == Action.WAIVE:
        changed = actions.waive(db, ctx, refs, req.reason)
    elif req.action == Action.PROGRESS:
        changed = actions.progress_many(db, ctx, refs, req.value)
    elif req.action == Action.POSTPONE:
        changed = actions.postpone_many(db, ctx, refs, req.value, req.reason)
    elif req.action == Action.APPROVE:
        changed = [actions.approve(db, ctx, ref, req.value or None) for ref in refs]
    elif req.action == Action.REJECT:
        changed = [actions.reject(db, ctx, ref, req.reason) for ref in refs]
    elif req.action == Action.NOTE:
        changed = actions.note_many(db, ctx, refs, req.value)
    else:
        raise ValueError(f"unknown action {req.action!r}")
    return len(changed)


def plans_fingerprint(db: Store) -> str:
    """Changes when a plan is loaded or reloaded (the tree, units and titles may have changed)."""
    return index_key(db)


#: The ledger formats an export's file name may end in (``tracker export``'s).
EXPORT_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def export_list(
    db: Store, store: TaskFilter, today: date, lang: str, path: Path, *, overwrite: bool
) -> int:
    """The list's tasks as the ledger (台账) ``tracker export`` writes, into ``path``; how many.

    The format follows the extension; an existing file is replaced only when ``overwrite``
    (the user pressed Enter a second time). Written atomically (``fileio``), as the CLI does.
    """
    from tracker.errors import BadInput, Refused
    from tracker.fileio import write_atomic
    from tracker.report.ledger import export_ledger

    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BadInput("tui.export.bad_format", path=str(path))
    if path.exists() and not overwrite:
        raise Refused("tui.export.exists", path=str(path))
    content = export_ledger(db, store, today, lang, fmt)
    if fmt == "csv" and isinstance(content, str):
        content = "\ufeff" + content  # a BOM, so that Excel reads the Chinese as UTF-8
    write_atomic(path, content)
    return count(db, store, today)
