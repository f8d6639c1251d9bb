"""The write primitives every change goes through: the event row, the state fields, who did it.

``actions`` (commands, undo, ledger imports) and ``load`` (a reload's withdraw and restore) write
task state only through these, so the event log and the task rows never disagree: every state
write is followed by its event, which also counts the task's ``rev`` (m009).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any

from tracker.context import Context
from tracker.domain import DONE_STATES, State, Status, Task
from tracker.domain.status import NOT_UNDOABLE
from tracker.domain.task import STATE_FIELDS
from tracker.store.db import Store
from tracker.store.query import SELECT, fetch_tasks
from tracker.store.sql import in_list


@dataclass(slots=True)
class Changed(Task):
    """A task as a command left it, with its state before the change (and, for ``undo``,
    which action was undone and that action's note)."""

    before: State = field(default_factory=State)
    undone_action: str | None = None
    undone_note: str | None = None
    requested: bool = False  # a staff member's postponement became a request (people.md)


def snapshot(task: Task) -> dict[str, Any]:
    """The state fields of a task: what an event's ``before``/``after`` hold."""
    return task.state.to_json()


def _dumps(value: State | dict[str, Any]) -> str:
    data = value.to_json() if isinstance(value, State) else value
    # allow_nan=False: nothing JSON cannot carry (Infinity) ever enters the log
    return json.dumps(data, ensure_ascii=False, sort_keys=True, allow_nan=False)


def next_batch(conn: sqlite3.Connection) -> int:
    """A new batch number, inside the write transaction (so two writers never share one)."""
    return int(conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM events").fetchone()[0])


def log_event(
    conn: sqlite3.Connection,
    *,
    batch: int,
    task_id: int,
    ctx: Context,
    action: str,
    before: State | dict[str, Any],
    after: State | dict[str, Any],
    note: str | None = None,
) -> int:
    """Append one event row and count it in the task's ``rev``; returns its id.

    Every event of a task is appended here (commands, undo, imports, a reload's withdraw and
    restore), so ``tasks.rev`` is always the number of the task's events (m009)."""
    conn.execute("UPDATE tasks SET rev = rev + 1 WHERE id = ?", (task_id,))
    cur = conn.execute(
        "INSERT INTO events (batch, task_id, at, recorded_at, user, action, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            batch,
            task_id,
            ctx.now().isoformat(timespec="seconds"),
            ctx.real_now().isoformat(timespec="seconds"),
            ctx.user,
            str(action),
            _dumps(before),
            _dumps(after),
            note,
        ),
    )
    return int(cur.lastrowid or 0)


def write_state(conn: sqlite3.Connection, task_id: int, state: State, ctx: Context) -> None:
    """Store a task's new state fields (and mark it touched: reloads keep its history)."""
    sets = ", ".join(f"{f} = ?" for f in STATE_FIELDS)
    conn.execute(
        f"UPDATE tasks SET {sets}, touched = 1, updated_at = ? WHERE id = ?",
        (*state.values(), ctx.now().isoformat(timespec="seconds"), task_id),
    )


def stamp_who(conn: sqlite3.Connection, task_id: int) -> None:
    """``done_by``/``verified_by`` from the event log, after a change has been logged: the user
    of the last standing event that moved the task into done (or verified). Undo and a reload's
    withdraw/restore move nobody's work, so a task restored to done keeps its doer."""
    conn.execute(WHO_SQL, (task_id,))


def changed(db: Store, task_id: int, before: State) -> Changed:
    """The task as it is now, with the state it had before the change."""
    task = fetch_tasks(db, SELECT + " WHERE t.id = ?", [task_id])[0]
    values = {f.name: getattr(task, f.name) for f in fields(Task)}
    return Changed(**values, before=before)


_INTO = (
    "SELECT e.user FROM events e WHERE e.task_id = tasks.id AND e.undone_by IS NULL"
    f" AND e.action NOT IN {in_list(NOT_UNDOABLE)}"
    " AND json_extract(e.after, '$.status') IN {into}"
    " AND coalesce(json_extract(e.before, '$.status'), '') NOT IN {into}"
    " ORDER BY e.id DESC LIMIT 1"
)
WHO_SQL = (
    "UPDATE tasks SET"
    f" done_by = CASE WHEN status IN {in_list(DONE_STATES)}"
    f" THEN ({_INTO.format(into=in_list(DONE_STATES))}) END,"
    f" verified_by = CASE WHEN status = '{Status.VERIFIED}'"
    f" THEN ({_INTO.format(into=in_list([Status.VERIFIED]))}) END"
    " WHERE id = ?"
)
