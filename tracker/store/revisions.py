"""A task as it was at a revision: what a ledger row said when it was exported.

``tasks.rev`` counts a task's events (``actions.log_event``, m009), so the state at rev N is
the ``after`` of its N-th event (the initial state at rev 0), and its latest note then is the
last note among those N events that had not been undone by then. The event log is append-only:
this cannot drift, and a ledger's own cells never have to be trusted for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from tracker.domain import Action, State, Status, Task
from tracker.domain.status import NOT_UNDOABLE
from tracker.store.db import Store

# as ``query.latest_notes``: block and postpone reasons are not the 备注 column's note
_NOT_A_NOTE = {str(a) for a in (*NOT_UNDOABLE, Action.BLOCK, Action.POSTPONE)}


@dataclass(frozen=True, slots=True)
class Revision:
    """A task's state and its ledger note (备注) at one revision."""

    state: State
    note: str
    rev: int


def note_text(state: State, latest_note: str) -> str:
    """The 备注 cell: the blocked reason of a blocked task, else its latest note."""
    if state.status == Status.BLOCKED and state.blocked_reason:
        return state.blocked_reason
    return latest_note


def at_rev(db: Store, task: Task, rev: int) -> Revision:
    """``task`` as it was when it had ``rev`` events (0 ≤ rev ≤ ``task.rev``)."""
    rows = db.conn.execute(
        "SELECT id, action, after, note, undone_by FROM events WHERE task_id = ? "
        "ORDER BY id LIMIT ?",
        (task.id, rev),
    ).fetchall()
    state = State.initial(task.planned_due)
    cut = 0
    if rows:
        cut = int(rows[-1][0])
        state = State.from_json(json.loads(rows[-1][2] or "{}"), state)
    note = ""
    for _, action, _, text, undone_by in rows:
        if not text or action in _NOT_A_NOTE:
            continue
        if undone_by is None or int(undone_by) > cut:  # undone only after the export
            note = str(text)
    return Revision(state, note_text(state, note), rev)


def changed_by(db: Store, task_id: int, rev: int, field: str) -> str | None:
    """Who last changed ``field`` (a state field, or ``note``) of the task after ``rev``."""
    rows = db.conn.execute(
        "SELECT user, action, before, after, note FROM events WHERE task_id = ? "
        "ORDER BY id LIMIT -1 OFFSET ?",
        (task_id, rev),
    ).fetchall()
    found: str | None = None
    for user, action, before, after, text in rows:
        if field == "note":
            hit = bool(text) or action == Action.BLOCK
        else:
            b, a = json.loads(before or "{}"), json.loads(after or "{}")
            hit = b.get(field) != a.get(field)
        if hit:
            found = str(user)
    if found is None and rows:
        found = str(rows[-1][0])
    return found
