"""What the TUI reads from and writes to the store; called only from worker threads.

Everything here is plain, synchronous Python on one sqlite connection per thread (sqlite3
connections must not cross threads), so the App's workers stay one-liners that call a
function and post its result. Reads go through ``tracker.store.query``; the few reads the
store has no function for (the filter tree, the unit list) are written here in SQL.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from tracker.context import Context
from tracker.plan.calendar import CALENDARS, WorkCalendar
from tracker.report.weekly import Figures, compute_weekly
from tracker.store import actions, query
from tracker.store.db import Store, open_db
from tracker.store.query import TaskFilter
from tracker.store.textindex import TextIndex, index_key

#: Rows fetched per query: a few screens, so scrolling rarely waits and memory stays flat.
PAGE_SIZE = 200
#: "Due soon" (yellow) means due within this many working days.
SOON_WORKDAYS = 3
QUICK_VIEWS = ("today", "week", "overdue", "all")
STATUS_TOGGLES = ("todo", "doing", "blocked", "done", "verified", "withdrawn")


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
            include_withdrawn="withdrawn" in self.statuses,
        )

    def for_store(self, db: Store, index: TextIndex | None) -> TaskFilter:
        """``to_store()``, with the search narrowed by ``index`` while it is current.

        Made once per worker job: the lookup in the index is the costly part of a keystroke.
        """
        store = self.to_store()
        if store.search and index is not None and index.is_current(db):
            store.search_ids = index.ids_matching(store.search)
        return store

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
class TreeNode:
    """A plan, campaign or task template in the filter tree."""

    label: str
    plan: str
    campaign: str | None = None
    task_key: str | None = None
    count: int = 0
    children: list[TreeNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class UnitNode:
    """A unit in the picker, with its depth in the parent tree."""

    plan: str
    key: str
    name: str
    depth: int


@dataclass(frozen=True, slots=True)
class TaskDetail:
    """Everything the detail pane shows about one instance."""

    task: dict[str, Any]
    support_names: list[str]
    notes: list[dict[str, Any]]
    history: list[dict[str, Any]]


def _row(d: dict[str, Any]) -> TaskRow:
    return TaskRow(
        id=int(d["id"]),
        plan=str(d["plan"]),
        title=str(d["title"]),
        owner_name=str(d.get("owner_name") or d["owner"]),
        due=date.fromisoformat(d["due"]),
        status=str(d["status"]),
        progress=d["progress"],
        target=d["target"],
        unit=d["unit"],
        postponed=int(d["postponed"] or 0),
    )


def fetch_page(
    db: Store, store: TaskFilter, today: date, offset: int, total: int | None = None
) -> Page:
    """``PAGE_SIZE`` rows from ``offset``, in the list's order (soonest due first).

    SQLite walks an OFFSET row by row, so a page in the second half of a known ``total``
    is read backwards from the end: the last rows of 500,000 come as fast as the first.
    """
    if total is not None and offset > total // 2:
        skip = max(0, total - offset - PAGE_SIZE)
        limit = min(PAGE_SIZE, total - offset)
        dicts = query.query_tasks(db, store, today, limit=limit, offset=skip, reverse=True)
        dicts.reverse()
    else:
        dicts = query.query_tasks(db, store, today, limit=PAGE_SIZE, offset=offset)
    return Page(offset, [_row(d) for d in dicts])


def count(db: Store, store: TaskFilter, today: date) -> int:
    """How many instances the filter matches."""
    return query.count_tasks(db, store, today)


def position(db: Store, store: TaskFilter, today: date, task_id: int) -> int | None:
    """Where task ``task_id`` now sits in the filtered list (None: it left the list).

    After a postponement or another user's change re-sorts the list, the cursor follows
    its task here instead of silently landing on a different one.
    """
    return query.task_index(db, store, today, task_id)


def soon_limits(db: Store, today: date) -> dict[str, date]:
    """Per plan, the last due date that still counts as "due soon" under its calendar."""
    out: dict[str, date] = {}
    for plan_id, kind in db.conn.execute("SELECT id, calendar FROM plans"):
        cal = WorkCalendar(kind if kind in CALENDARS else "cn")
        out[plan_id] = cal.add_workdays(today, SOON_WORKDAYS) or today
    return out


def filter_tree(db: Store) -> list[TreeNode]:
    """Plans → campaigns → task templates, each with its number of live instances.

    Counted on the (plan, campaign, task_key) index alone, minus the few withdrawn rows:
    reading 500,000 rows for their titles would take a second; one row per template is
    enough to name it.
    """
    conn = db.conn
    counts: dict[tuple[str, str, str], int] = {
        (p, c, k): n
        for p, c, k, n in conn.execute(
            "SELECT plan, campaign, task_key, COUNT(*) FROM tasks GROUP BY 1, 2, 3"
        )
    }
    for p, c, k, n in conn.execute(
        # INDEXED BY: left alone, SQLite scans all rows in GROUP BY order instead.
        "SELECT plan, campaign, task_key, COUNT(*) FROM tasks INDEXED BY tasks_status_due "
        "WHERE status = 'withdrawn' GROUP BY 1, 2, 3"
    ):
        counts[(p, c, k)] -= n
    named: list[tuple[int, TreeNode]] = []
    for (plan_id, camp, key), n in counts.items():
        if n <= 0:
            continue
        title, pos = conn.execute(
            "SELECT title, position FROM tasks WHERE plan = ? AND campaign = ? AND task_key = ?"
            " LIMIT 1",
            (plan_id, camp, key),
        ).fetchone()
        named.append((pos, TreeNode(title, plan_id, camp, key, n)))
    templates: dict[tuple[str, str], list[TreeNode]] = {}
    for _, node in sorted(named, key=lambda pair: pair[0]):
        templates.setdefault((node.plan, node.campaign or ""), []).append(node)
    plans: list[TreeNode] = []
    for plan_id, title in conn.execute("SELECT id, title FROM plans ORDER BY id").fetchall():
        camps = [
            TreeNode(name, plan_id, key, None, sum(t.count for t in kids), kids)
            for key, name in conn.execute(
                "SELECT key, name FROM campaigns WHERE plan = ? ORDER BY position, start",
                (plan_id,),
            ).fetchall()
            for kids in [templates.get((plan_id, key), [])]
        ]
        plans.append(TreeNode(title, plan_id, None, None, sum(c.count for c in camps), camps))
    return plans


def unit_list(db: Store) -> list[UnitNode]:
    """Every unit of every plan, depth-first in the parent tree (roots first)."""
    rows = db.conn.execute(
        "SELECT plan, key, name, parent FROM units ORDER BY plan, position, key"
    ).fetchall()
    children: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    keys = {(p, k) for p, k, _, _ in rows}
    for plan_id, key, name, parent in rows:
        up = parent if (plan_id, parent) in keys else None
        children.setdefault((plan_id, up), []).append((key, name))
    out: list[UnitNode] = []

    def walk(plan_id: str, parent: str | None, depth: int) -> None:
        for key, name in children.get((plan_id, parent), []):
            out.append(UnitNode(plan_id, key, name, depth))
            walk(plan_id, key, depth + 1)

    for plan_id in dict.fromkeys(p for p, _, _, _ in rows):
        walk(plan_id, None, 0)
    return out


def task_detail(db: Store, task_id: int, today: date) -> TaskDetail:
    """One instance with its supporting units' names, its notes and its full history."""
    row = query.get_task(db, task_id)
    task = query.task_json(row, today, db)
    names = dict(
        db.conn.execute("SELECT key, name FROM units WHERE plan = ?", (row["plan"],)).fetchall()
    )
    support = [names.get(k, k) for k in task["support"]]
    history = actions.history(db, str(task_id))
    return TaskDetail(task, support, query.task_notes(db, task_id), history)


def data_version(db: Store) -> int:
    """SQLite's counter of commits made by *other* connections to this database."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


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

    ``plan`` None means every loaded plan, one after the other.
    """

    def bar(name: str, f: Figures, **extra: Any) -> Bar:
        return Bar(name, f.due_to_date, f.done_due, f.overdue, f.completion_rate, **extra)

    plans = [plan] if plan else [r[0] for r in db.conn.execute("SELECT id FROM plans ORDER BY id")]
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
ACTIONS = ("start", "done", "verify", "reopen", "block", "progress", "postpone", "note", "undo")


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
    if req.action == "undo":
        return len(actions.undo(db, ctx))
    if req.action in ("start", "done", "verify", "reopen"):
        changed = getattr(actions, req.action)(db, ctx, refs)
    elif req.action == "block":
        changed = actions.block(db, ctx, refs, req.reason)
    elif req.action == "progress":
        changed = actions.progress_many(db, ctx, refs, req.value)
    elif req.action == "postpone":
        changed = actions.postpone_many(db, ctx, refs, req.value, req.reason)
    elif req.action == "note":
        changed = actions.note_many(db, ctx, refs, req.value)
    else:
        raise ValueError(f"unknown action {req.action!r}")
    return len(changed)


def plans_fingerprint(db: Store) -> str:
    """Changes when a plan is loaded or reloaded (the tree, units and titles may have changed)."""
    return index_key(db)
