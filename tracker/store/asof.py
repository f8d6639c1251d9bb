"""Task state at a past moment, rebuilt from the event log (docs/DEVELOPING.md, store contract).

The state of a task at moment T is the ``after`` snapshot of its last event at or before T, or
the initial state (todo, no progress, ``due = planned_due``) when it has none. Only tasks with
events *after* T differ from the ``tasks`` table, so only those are rebuilt (found through the
``events_at`` index) into a temporary table; the figures correct the ``tasks`` table by them
(``figures.py``) and the lists read a task's state from that table when it has a row there.

A moment is given as the ISO date of the day *after* the as-of day: an event belongs to the past
when ``at < next_day`` — a plain string comparison that holds for any time-of-day precision.
"""

from __future__ import annotations

from tracker.domain import State, Status, Task
from tracker.domain.task import STATE_FIELDS
from tracker.store.db import Store
from tracker.store.query import SELECT, attach_requests, task_from_row


def _snap(field: str, default: str) -> str:
    """The value of ``field`` in snapshot ``s.snap``; ``default`` when there is no snapshot.

    A key missing from a snapshot (a store that wrote a partial one) falls back to the
    task's current value rather than to NULL.
    """
    return (
        f"CASE WHEN s.snap IS NULL THEN {default} "
        f"WHEN json_type(s.snap, '$.{field}') IS NULL THEN t.{field} "
        f"ELSE json_extract(s.snap, '$.{field}') END"
    )


def build_past(db: Store, table: str, plan: str, next_day: str) -> int:
    """Fill ``temp.<table>`` with the state at ``next_day`` (exclusive) of every task of
    ``plan`` that changed since; returns how many tasks that is.
    """
    conn = db.conn
    conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute(
        f"CREATE TEMP TABLE {table} (task_id INTEGER PRIMARY KEY, status TEXT, progress REAL,"
        " due TEXT, postponed INTEGER, done_at TEXT, blocked_reason TEXT)"
    )
    defaults = {
        "status": f"'{Status.TODO}'",
        "progress": "NULL",
        "due": "t.planned_due",
        "postponed": "0",
        "done_at": "NULL",
        "blocked_reason": "NULL",
    }
    cols = ", ".join(_snap(f, defaults[f]) for f in STATE_FIELDS)
    # INDEXED BY: left alone, SQLite reads the whole event log in task order (events_task, to
    # avoid sorting for DISTINCT) instead of the few events after the moment (events_at).
    conn.execute(
        f"""
        INSERT INTO temp.{table} (task_id, {", ".join(STATE_FIELDS)})
        SELECT t.id, {cols}
        FROM (
            SELECT l.task_id,
                   (SELECT e.after FROM events e
                     WHERE e.task_id = l.task_id AND e.at < :next
                     ORDER BY e.at DESC, e.id DESC LIMIT 1) AS snap
            FROM (SELECT DISTINCT task_id FROM events INDEXED BY events_at WHERE at >= :next) l
        ) s
        CROSS JOIN tasks t ON t.id = s.task_id
        WHERE t.plan = :plan
        """,
        {"next": next_day, "plan": plan},
    )
    _not_yet_created(db, table, plan, next_day)
    row = conn.execute(f"SELECT count(*) FROM temp.{table}").fetchone()
    return int(row[0])


def _not_yet_created(db: Store, table: str, plan: str, next_day: str) -> None:
    """Put the instances that did not exist yet at the moment into ``temp.<table>`` as
    withdrawn (counted nowhere, listed nowhere): those a *later* reload or ``add`` created
    (``created_at``, the change's effective date) on or after ``next_day``. The instances of
    the plan's first load always existed: a plan loaded late, or a past season replayed, is
    reported as if it had been loaded on time (cli-v2.md). Both reads are seeks in the
    ``tasks_created`` index; at today's moment nothing is found."""
    conn = db.conn
    first = conn.execute(
        "SELECT min(created_at) FROM tasks WHERE plan = ? AND adhoc = 0", (plan,)
    ).fetchone()[0]
    # one lower bound, the later of the two, so that the index range holds only those rows
    # (with both, SQLite seeks by one and filters the whole plan by the other)
    bound, op = (first, ">") if first is not None and first >= next_day else (next_day, ">=")
    conn.execute(
        f"INSERT OR REPLACE INTO temp.{table} (task_id, status, progress, due, postponed,"
        " done_at, blocked_reason)"
        f" SELECT id, '{Status.WITHDRAWN}', NULL, planned_due, 0, NULL, NULL FROM tasks"
        f" WHERE plan = :plan AND adhoc IN (0, 1) AND created_at {op} :bound"
        " AND created_at > :first",
        {"plan": plan, "bound": bound, "first": first or ""},
    )


def drop_past(db: Store, table: str) -> None:
    """Remove a temporary table made by ``build_past``."""
    db.conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def task_rows(
    db: Store,
    table: str,
    changed: int,
    plan: str,
    cond: str,
    params: dict[str, object],
) -> list[Task]:
    """The tasks of ``plan`` whose as-of state satisfies ``cond``, with that state.

    ``cond`` names state columns as ``{s}.status`` and so on, plan columns as ``t.x``. The
    unchanged tasks are read straight from ``tasks`` (so the indexes on status and due serve),
    the changed ones from the temporary table.
    """
    args = {"plan": plan, **params}
    # "+t.plan": the plan is checked, but not through an index, so that SQLite picks the
    # index that serves ``cond`` (status, due, an id list) instead of scanning the plan.
    sql = SELECT + f" WHERE +t.plan = :plan AND ({cond.format(s='t')})"
    if changed:
        sql += f" AND t.id NOT IN (SELECT task_id FROM temp.{table})"
    tasks = [task_from_row(r) for r in db.conn.execute(sql, args).fetchall()]
    if changed:
        extra = ", ".join(f"p.{f}" for f in STATE_FIELDS)
        past = SELECT.replace(
            "FROM tasks t", f"FROM temp.{table} p CROSS JOIN tasks t ON t.id = p.task_id"
        )
        sql = past.replace("SELECT ", f"SELECT {extra}, ", 1)
        sql += f" WHERE t.plan = :plan AND ({cond.format(s='p')})"
        width = len(STATE_FIELDS)
        for r in db.conn.execute(sql, args).fetchall():
            task = task_from_row(r[width:])
            task.set_state(State(*r[:width]))
            tasks.append(task)
    return attach_requests(db, tasks)
