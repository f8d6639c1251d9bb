"""Read models for browsing: the filter tree, the unit list, the pickers' choices (problems,
people, peer groups, tags), plan calendars, change counters.

The TUI (and any other face) shows these; the SQL that builds them lives here with the rest of
the schema, so that a schema change stays inside ``store/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from tracker.domain import Status
from tracker.domain.task import NAME_SEP
from tracker.store import calendars
from tracker.store.db import Store
from tracker.store.reminders import plan_calendars

if TYPE_CHECKING:
    from tracker.plan.calendar import WorkCalendar


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


def plan_ids(db: Store) -> list[str]:
    """Every loaded plan's id, in order."""
    return [r[0] for r in db.conn.execute("SELECT id FROM plans ORDER BY id")]


def workday_limits(db: Store, today: date, workdays: int) -> dict[str, date]:
    """Per plan, the date ``workdays`` working days after ``today`` under its calendar (its
    ``[calendar]`` overrides included): by the flags the load stored when they reach, so the
    TUI's start needs no holidays data; else by the calendar itself."""
    out: dict[str, date] = {}
    built: dict[str, WorkCalendar] | None = None
    for plan_id in plan_ids(db):
        found = None
        if workdays > 0:
            found = calendars.add_workdays_stored(
                calendars.stored_flags(db, plan_id), today, workdays
            )
        if found is None:
            built = plan_calendars(db) if built is None else built
            cal = built.get(plan_id)
            found = cal.add_workdays(today, workdays) if cal is not None else None
        out[plan_id] = found or today
    return out


def _template_counts(db: Store) -> dict[tuple[str, str, str], int]:
    """Live instances per (plan, campaign, task_key), on the (plan, campaign, task_key) index
    alone, minus the few withdrawn rows."""
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
        "WHERE status = ? GROUP BY 1, 2, 3",
        (Status.WITHDRAWN,),
    ):
        counts[(p, c, k)] -= n
    return counts


def filter_tree(db: Store) -> list[TreeNode]:
    """Plans → campaigns → task templates, each with its number of live instances.

    Reading 500,000 rows for their titles would take a second; one row per template is
    enough to name it.
    """
    conn = db.conn
    named: list[tuple[int, TreeNode]] = []
    for (plan_id, camp, key), n in _template_counts(db).items():
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


def data_version(db: Store) -> int:
    """SQLite's counter of commits made by *other* connections to this database."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])


def changed_since(db: Store, event_id: int | None) -> tuple[int, frozenset[int]]:
    """The last event's id, and the tasks of the events after ``event_id`` (``None``: none
    asked, only the last id)."""
    last = int(db.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
    if event_id is None or last <= event_id:
        return last, frozenset()
    # the new events by id (a rowid range), made distinct here: with DISTINCT in SQL, SQLite
    # reads the whole task_id index instead, to avoid a sort
    rows = db.conn.execute(
        "SELECT task_id FROM events WHERE id > ? AND task_id IS NOT NULL", (event_id,)
    ).fetchall()
    return last, frozenset(int(r[0]) for r in rows)


@dataclass(frozen=True, slots=True)
class Choice:
    """One entry of a TUI picker: the value a filter field takes, and how it reads.

    ``field`` is the ``TaskFilter`` field it sets (``problem``, ``leader``, ``responsible``,
    ``kind`` or ``tag``); ``count`` the live instances it selects (0 when not counted).
    """

    field: str
    value: str
    label: str
    count: int = 0


def problem_choices(db: Store) -> list[Choice]:
    """Every plan's problems (整改问题), in plan order, with their live measures."""
    counts = {
        (p, k): int(n)
        for p, k, n in db.conn.execute(
            "SELECT plan, problem, COUNT(*) FROM tasks WHERE problem IS NOT NULL"
            " AND status != ? GROUP BY 1, 2",
            (Status.WITHDRAWN,),
        )
    }
    rows = db.conn.execute(
        "SELECT plan, key, title FROM problems ORDER BY plan, position, key"
    ).fetchall()
    return [Choice("problem", k, t, counts.get((p, k), 0)) for p, k, t in rows]


def people_choices(db: Store) -> list[Choice]:
    """Every leader (责任领导) and responsible person (责任人) named by a task, each name
    once per role (a list of names is split), sorted by name."""
    out: list[Choice] = []
    for column in ("leader", "responsible"):
        names: dict[str, int] = {}
        for text, n in db.conn.execute(
            f"SELECT {column}, COUNT(*) FROM tasks WHERE {column} IS NOT NULL"
            " AND status != ? GROUP BY 1",
            (Status.WITHDRAWN,),
        ):
            for name in str(text).split(NAME_SEP):
                if name.strip():
                    names[name.strip()] = names.get(name.strip(), 0) + int(n)
        out += [Choice(column, name, name, n) for name, n in sorted(names.items())]
    return out


def kind_choices(db: Store) -> list[Choice]:
    """The units' peer groups (``kind``), by name; the group ``""`` left out."""
    rows = db.conn.execute(
        "SELECT kind, COUNT(*) FROM units WHERE kind != '' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    return [Choice("kind", str(k), str(k), int(n)) for k, n in rows]


def tag_choices(db: Store) -> list[Choice]:
    """Every tag of a live task, by name, with how many tasks carry it."""
    rows = db.conn.execute(
        "SELECT j.value, COUNT(*) FROM tasks t, json_each(t.tags) j"
        " WHERE t.tags != '[]' AND t.status != ? GROUP BY 1 ORDER BY 1",
        (Status.WITHDRAWN,),
    ).fetchall()
    return [Choice("tag", str(v), str(v), int(n)) for v, n in rows]


def problem_title(db: Store, plan: str, key: str | None) -> str | None:
    """A problem's title (None for a task that is no problem's measure)."""
    if key is None:
        return None
    row = db.conn.execute(
        "SELECT title FROM problems WHERE plan = ? AND key = ?", (plan, key)
    ).fetchone()
    return None if row is None else str(row[0])
