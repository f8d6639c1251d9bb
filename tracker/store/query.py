"""Reading task instances: the ``list`` filters, lookups by id or uid, and the JSON shape.

Every query joins the campaign and owner names in, so a list of 500k rows needs no per-row
lookups; ordering is soonest due first, then id (stable for equal dates).
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import date
from functools import lru_cache
from typing import Any

from tracker.domain.bounds import MAX_ID
from tracker.domain.indicators import default_measure
from tracker.domain.status import NOT_UNDOABLE, Action
from tracker.domain.task import TASK_COLUMNS, Note, Task
from tracker.errors import NotFound
from tracker.store import requests
from tracker.store.calendars import workdays
from tracker.store.db import Store
from tracker.store.filters import (
    DUE_KEYWORDS,
    NOTED,
    TaskFilter,
    check_keys,
    check_statuses,
    parse_due,
    week_end,
)
from tracker.store.filters import where as filter_where
from tracker.store.order import before, order_by
from tracker.store.order import keys as order_keys
from tracker.store.sql import in_list

__all__ = [
    "DUE_KEYWORDS",
    "NOTED",
    "SELECT",
    "TaskFilter",
    "check_keys",
    "check_statuses",
    "parse_due",
    "week_end",
]


# The columns of ``Task``, in its field order, then the two joined names.
SELECT = (
    "SELECT "
    + ", ".join(f"t.{c}" for c in TASK_COLUMNS)
    + """, c.name AS campaign_name, u.name AS owner_name, u.kind AS owner_kind
FROM tasks t
LEFT JOIN campaigns c ON c.plan = t.plan AND c.key = t.campaign
LEFT JOIN units u ON u.plan = t.plan AND u.key = t.owner
"""
)
_LISTS = tuple(TASK_COLUMNS.index(c) for c in ("support", "tags", "after"))


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def json_list(text: str | None) -> list[str]:
    """A JSON list column (support, tags, after) as a new list; repeated texts parse once."""
    return list(_parsed(text or "[]"))


def task_from_row(row: tuple[Any, ...]) -> Task:
    """A ``Task`` from a row of ``SELECT`` (the ``Task`` columns in order, then the names)."""
    values = list(row)
    for i in _LISTS:
        values[i] = json_list(values[i])
    return Task(*values)


def fetch_tasks(db: Store, sql: str, params: Any = ()) -> list[Task]:
    """``Task`` objects for a query that selects ``SELECT``'s columns, with their open
    postponement requests (people.md) attached."""
    cur: sqlite3.Cursor = db.conn.execute(sql, params)
    return attach_requests(db, [task_from_row(r) for r in cur.fetchall()])


def attach_requests(db: Store, tasks: list[Task]) -> list[Task]:
    """``tasks`` with their open postponement requests (people.md): there are few; and, for
    those with a target, their plan's working days (for the 序时进度, ``Task.expected``)."""
    if tasks and requests.any_open(db):
        found = requests.open_requests(db)
        for t in tasks:
            t.postpone_request = found.get(t.id)
    days: dict[str, Any] = {}
    for t in tasks:
        if t.target is not None:
            if t.plan not in days:
                days[t.plan] = workdays(db, t.plan)
            t.workdays = days[t.plan]
    return tasks


def query_tasks(
    db: Store,
    flt: TaskFilter,
    today: date,
    *,
    limit: int | None = None,
    offset: int = 0,
    reverse: bool = False,
    order: str = "due",
) -> list[Task]:
    """Task instances (with campaign_name, owner_name), soonest due first.

    ``reverse``: latest due first, ``offset`` counted from the end. SQLite walks an OFFSET row
    by row, so a page near the end of a long list is much faster read this way round.
    ``order``: one of ``store.order.ORDERS`` (grouped by unit, status or priority first).
    """
    where, params = filter_where(flt, today)
    sql = SELECT + where + order_by(order, reverse=reverse)
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
    return fetch_tasks(db, sql, params)


def count_tasks(db: Store, flt: TaskFilter, today: date) -> int:
    """How many rows ``query_tasks`` would return without a limit."""
    where, params = filter_where(flt, today)
    row = db.conn.execute("SELECT COUNT(*) FROM tasks t" + where, params).fetchone()
    return int(row[0])


def task_index(
    db: Store, flt: TaskFilter, today: date, task_id: int, order: str = "due"
) -> int | None:
    """Where task ``task_id`` sits in the ``query_tasks`` order (0-based), or ``None`` when
    the filter does not match it."""
    where, params = filter_where(flt, today)
    glue = " AND " if where else " WHERE "
    sort = order_keys(order)
    found = db.conn.execute(
        f"SELECT {', '.join(sort)} FROM tasks t" + where + glue + "t.id = ?", [*params, task_id]
    ).fetchone()
    if found is None:
        return None
    values = [v for key in found[:-1] for v in (key, key)] + [found[-1]]
    row = db.conn.execute(
        "SELECT COUNT(*) FROM tasks t" + where + glue + before(order), [*params, *values]
    ).fetchone()
    return int(row[0])


def find_task(db: Store, ref: str | int) -> Task | None:
    """The task for a short numeric id or a uid, or ``None``."""
    text = str(ref).strip()
    if text.isdigit():
        if len(text) > 19 or int(text) > MAX_ID:  # no SQLite integer: no such task
            return None
        rows = fetch_tasks(db, SELECT + " WHERE t.id = ?", [int(text)])
    else:
        rows = fetch_tasks(db, SELECT + " WHERE t.uid = ?", [text])
    return rows[0] if rows else None


def get_task(db: Store, ref: str | int) -> Task:
    """The row for a short numeric id or a uid; ``NotFound`` (exit 1) otherwise."""
    row = find_task(db, ref)
    if row is None:
        raise NotFound("store.not_found", ref=str(ref))
    return row


def is_overdue(task: Task, today: date) -> bool:
    """Today is after the due date and the task is still open (cli.md)."""
    return task.is_overdue(today.isoformat())


def number(value: float | None) -> float | int | None:
    """119.0 -> 119: quantities print and serialise as people wrote them.

    A value no JSON reader takes (infinite, NaN, an integer past 2^53, as stored by versions
    before the bounds) is ``None`` or stays a float, so one bad row never breaks a whole list.
    """
    if value is None:
        return None
    v = float(value)
    if not math.isfinite(v):
        return None
    return int(v) if v.is_integer() and abs(v) <= 2**53 else v


def _names(db: Store, task: Task) -> tuple[str | None, str | None, str | None]:
    c = db.conn.execute(
        "SELECT name FROM campaigns WHERE plan = ? AND key = ?", (task.plan, task.campaign)
    ).fetchone()
    u = db.conn.execute(
        "SELECT name, kind FROM units WHERE plan = ? AND key = ?", (task.plan, task.owner)
    ).fetchone()
    return (c[0] if c else None), (u[0] if u else None), (u[1] if u else None)


def task_json(task: Task, today: date | str, db: Store | None = None) -> dict[str, Any]:
    """The cli.md JSON object of one instance (plus blocked_reason, after, description).

    ``today`` (a date or its ISO text) decides ``overdue``: a report passes its as-of day.
    """
    if task.campaign_name is None and task.owner_name is None and db is not None:
        task.campaign_name, task.owner_name, task.owner_kind = _names(db, task)
    today_iso = today if isinstance(today, str) else today.isoformat()
    return {
        "id": task.id,
        "uid": task.uid,
        "plan": task.plan,
        "campaign": task.campaign,
        "campaign_name": task.campaign_name,
        "task_key": task.task_key,
        "title": task.title,
        "owner": task.owner,
        "owner_name": task.owner_name,
        "support": list(task.support),
        "leader": task.leader,
        "start": task.start,
        "due": task.due,
        "period": task.period,
        "status": str(task.status),
        "overdue": task.is_overdue(today_iso),
        "target": number(task.target),
        "progress": number(task.progress),
        "unit": task.unit,
        "priority": task.priority,
        "tags": list(task.tags),
        "done_at": task.done_at,
        "planned_due": task.planned_due,
        "postponed": task.postponed,
        "blocked_reason": task.blocked_reason,
        "after": list(task.after),
        "description": task.notes,
        "done_by": task.done_by,
        "verified_by": task.verified_by,
        "postpone_request": task.postpone_request.to_json() if task.postpone_request else None,
        # cli-v2.md
        "problem": task.problem,
        "responsible": task.responsible,
        "owner_kind": task.owner_kind,
        "adhoc": bool(task.adhoc),
        "measure": _measure(task),
        "expected": _expected(task, today_iso, db),
    }


def _measure(task: Task) -> str | None:
    """How a task with a target adds up (stored by a load; the default for older rows)."""
    if task.target is None:
        return None
    return task.measure or default_measure(task.unit)


def _expected(task: Task, today_iso: str, db: Store | None) -> float | None:
    """序时进度 at ``today`` for a task with a target (its plan's working days)."""
    if task.target is None:
        return None
    if task.workdays is None and db is not None:
        task.workdays = workdays(db, task.plan)
    value = task.expected(date.fromisoformat(today_iso))
    return value if value is not None and math.isfinite(value) else None


def task_notes(db: Store, task_id: int) -> list[Note]:
    """The notes on a task, oldest first: ``note`` events and the ``--note``/reason of others.

    Undone notes are hidden; undo rows themselves carry no note of their own.
    """
    rows = db.conn.execute(
        "SELECT id, at, user, action, note FROM events "
        "WHERE task_id = ? AND note IS NOT NULL AND note != '' AND undone_by IS NULL "
        f"AND action NOT IN {in_list(NOT_UNDOABLE)} ORDER BY id",
        [task_id],
    ).fetchall()
    return [Note(*r) for r in rows]


def owner_units(db: Store, plan: str, owner: str) -> list[str]:
    """``owner`` and the keys of every unit below it in ``plan`` (used by reports and the TUI)."""
    rows = db.conn.execute(
        """WITH RECURSIVE sub(key) AS (
               SELECT ? UNION
               SELECT u.key FROM units u JOIN sub ON u.plan = ? AND u.parent = sub.key
           ) SELECT key FROM sub""",
        (owner, plan),
    ).fetchall()
    return [r[0] for r in rows]


# block and postpone reasons belong to the status and the 延期 column, not to a ledger's 备注
_NOTE_EXCLUDED = (*NOT_UNDOABLE, Action.BLOCK, Action.POSTPONE)


def latest_notes(db: Store, ids: list[int]) -> dict[int, str]:
    """Each task's latest note (a note, a ``--note``), undone ones and reasons left out."""
    out: dict[int, str] = {}
    for i in range(0, len(ids), 900):
        chunk = ids[i : i + 900]
        marks = ",".join("?" * len(chunk))
        rows = db.conn.execute(
            f"""SELECT e.task_id, e.note FROM events e
                JOIN (SELECT task_id, max(id) AS id FROM events
                      WHERE task_id IN ({marks}) AND note IS NOT NULL AND note != ''
                        AND undone_by IS NULL AND action NOT IN {in_list(_NOTE_EXCLUDED)}
                      GROUP BY task_id) m ON m.id = e.id""",
            chunk,
        )
        out.update({int(t): str(n) for t, n in rows})
    return out


def tasks_by_uid(db: Store, uids: list[str]) -> dict[str, Task]:
    """The tasks among ``uids`` that exist, by uid."""
    out: dict[str, Task] = {}
    for i in range(0, len(uids), 900):
        chunk = uids[i : i + 900]
        marks = ",".join("?" * len(chunk))
        for task in fetch_tasks(db, SELECT + f" WHERE t.uid IN ({marks})", chunk):
            out[task.uid] = task
    return out


def unit_names(db: Store) -> dict[tuple[str, str], str]:
    """Every unit's display name by ``(plan, key)``."""
    return {(p, k): n for p, k, n in db.conn.execute("SELECT plan, key, name FROM units")}


def campaign_names(db: Store) -> dict[tuple[str, str], str]:
    """Every campaign's display name by ``(plan, key)``."""
    return {(p, k): n for p, k, n in db.conn.execute("SELECT plan, key, name FROM campaigns")}
