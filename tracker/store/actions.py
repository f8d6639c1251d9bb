"""Staff actions on task instances: the status machine, progress, postponement, notes, undo.

Each command is one ``BEGIN IMMEDIATE`` transaction: the rows are read, every transition is
checked (by ``tracker.domain.rules``) and written under the same lock, so two people verifying
one task cannot both succeed, and a multi-task command changes all of its tasks or none. Every
change appends one event row per task (full state snapshots before and after); the rows of one
command share a ``batch``, which ``undo`` reverts as a whole. The status changes take several
tasks; ``progress``, ``postpone`` and ``note`` take one (as the CLI does) and have ``*_many``
forms for several. A ledger import writes through ``apply_states`` here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.context import Context, parse_iso_date
from tracker.domain import Action, State, Status, Task
from tracker.domain.people import ACT_OF, check_no_self_verify, only_requests
from tracker.domain.rules import (
    TransitionRefused,
    apply_action,
    apply_postpone,
    apply_progress,
    move_action,
    parse_progress,
)
from tracker.domain.status import NOT_UNDOABLE
from tracker.domain.task import STATE_FIELDS, Event, PostponeRequest
from tracker.errors import BadInput, Refused
from tracker.store import people, requests
from tracker.store.db import Store, immediate
from tracker.store.query import get_task
from tracker.store.sql import in_list
from tracker.store.writes import (
    Changed,
    changed,
    log_event,
    next_batch,
    snapshot,
    stamp_who,
    write_state,
)

__all__ = [
    "STATE_FIELDS",
    "Changed",
    "TransitionRefused",
    "log_event",
    "parse_progress",
    "snapshot",
]


def authorize(db: Store, ctx: Context, tasks: Sequence[Task], action: Action) -> None:
    """The one hook where a person's right to change ``tasks`` is checked (people.md: a task
    outside the acting person's role is refused, whether by a command, the TUI or a ledger
    row). Raises ``Refused``; every write path calls it inside its transaction, before
    anything is written."""
    for task in tasks:
        permit(db, ctx, action, task)


def _resolve(db: Store, refs: Sequence[str]) -> list[Task]:
    """Tasks for ``refs`` in the order given, each task once; ``NotFound`` for any unknown."""
    tasks: list[Task] = []
    seen: set[int] = set()
    for ref in refs:
        task = get_task(db, ref)
        if task.id not in seen:
            seen.add(task.id)
            tasks.append(task)
    return tasks


def _clean_text(text: str | None, key: str) -> str:
    value = (text or "").strip()
    if not value:
        raise BadInput(key)
    return value


def _optional_note(text: str | None) -> str | None:
    value = (text or "").strip()
    return value or None


def permit(db: Store, ctx: Context, action: Action, task: Task) -> None:
    """The acting person may take ``action`` on ``task`` (a no-op in an open database)."""
    person = people.authorize(
        db, ctx, ACT_OF[action], task_id=task.id, plan=task.plan, owner=task.owner,
        support=task.support,
    )  # fmt: skip
    if person is not None and action is Action.VERIFY:
        check_no_self_verify(person, task.done_by, task.id)


def _apply(
    db: Store,
    ctx: Context,
    refs: Sequence[str],
    action: Action,
    after_of: Callable[[Task], State],
    note: str | None,
) -> list[Changed]:
    """One command on every task in ``refs``: one transaction, one ``batch``, all or none.

    Every task is checked against the acting person's permissions, then ``after_of(task)``
    gives its new state, or raises (Refused…) to refuse the command; all of it before
    anything is written.
    """
    with immediate(db):
        conn = db.conn
        tasks = _resolve(db, refs)
        authorize(db, ctx, tasks, action)
        afters = [after_of(task) for task in tasks]
        batch = next_batch(conn)
        for task, after in zip(tasks, afters, strict=True):
            write_state(conn, task.id, after, ctx)
            log_event(
                conn, batch=batch, task_id=task.id, ctx=ctx, action=action,
                before=task.state, after=after, note=note,
            )  # fmt: skip
            if task.status != after.status:
                stamp_who(conn, task.id)
        return [changed(db, task.id, task.state) for task in tasks]


def _transition(
    db: Store, ctx: Context, refs: Sequence[str], action: Action, note: str | None = None
) -> list[Changed]:
    """Apply ``action`` to every task in ``refs`` in one transaction, or to none."""
    now = ctx.now().isoformat(timespec="seconds")

    def after_of(task: Task) -> State:
        return apply_action(task.id, task.state, action, now=now, reason=note)

    return _apply(db, ctx, refs, action, after_of, note)


def start(db: Store, ctx: Context, refs: list[str]) -> list[Changed]:
    """todo or blocked → doing."""
    return _transition(db, ctx, refs, Action.START)


def done(db: Store, ctx: Context, refs: list[str], note: str | None = None) -> list[Changed]:
    """todo or doing → done, stamping ``done_at`` with ``ctx.now()``."""
    return _transition(db, ctx, refs, Action.DONE, _optional_note(note))


def verify(db: Store, ctx: Context, refs: list[str], note: str | None = None) -> list[Changed]:
    """done → verified (销号)."""
    return _transition(db, ctx, refs, Action.VERIFY, _optional_note(note))


def reopen(db: Store, ctx: Context, refs: list[str], note: str | None = None) -> list[Changed]:
    """done or verified → doing; ``done_at`` is cleared."""
    return _transition(db, ctx, refs, Action.REOPEN, _optional_note(note))


def block(db: Store, ctx: Context, refs: list[str], reason: str) -> list[Changed]:
    """todo or doing → blocked, with a reason (required)."""
    return _transition(db, ctx, refs, Action.BLOCK, _clean_text(reason, "store.reason_required"))


def waive(db: Store, ctx: Context, refs: list[str], reason: str) -> list[Changed]:
    """todo, doing or blocked → waived (已免除: no longer applies), with a reason (required)."""
    return _transition(db, ctx, refs, Action.WAIVE, _clean_text(reason, "store.reason_required"))


def progress_many(
    db: Store, ctx: Context, refs: Sequence[str], value: str | float, note: str | None = None
) -> list[Changed]:
    """Record progress on every task in ``refs`` (absolute, or ``+N`` added to each), in one
    transaction and one undo batch; reaching its target makes a task done.

    Progress below the target moves a todo task to doing; a blocked task stays blocked.
    A task that is not open refuses the whole command.
    """
    amount, relative = parse_progress(value)
    now = ctx.now().isoformat(timespec="seconds")

    def after_of(task: Task) -> State:
        return apply_progress(task.id, task.state, task.target, amount, relative=relative, now=now)

    return _apply(db, ctx, refs, Action.PROGRESS, after_of, _optional_note(note))


def progress(
    db: Store, ctx: Context, ref: str, value: str | float, note: str | None = None
) -> Changed:
    """``progress_many`` on one task: ``tracker progress TASK VALUE``."""
    return progress_many(db, ctx, [ref], value, note)[0]


def postpone_many(
    db: Store, ctx: Context, refs: Sequence[str], new_due: str | date, reason: str
) -> list[Changed]:
    """Move the deadline of every task in ``refs`` to ``new_due`` (延期), all or none;
    ``planned_due`` keeps the plan's date. Each must be open and due before ``new_due``."""
    when = new_due if isinstance(new_due, date) else parse_iso_date(new_due)
    reason = _clean_text(reason, "store.reason_required")
    if only_requests(people.actor(db, ctx)):
        return _request(db, ctx, refs, when, reason)

    def after_of(task: Task) -> State:
        return apply_postpone(task.id, task.state, when)

    return _apply(db, ctx, refs, Action.POSTPONE, after_of, reason)


def _request(
    db: Store, ctx: Context, refs: Sequence[str], when: date, reason: str
) -> list[Changed]:
    """A staff member's ``postpone``: a request for each task, the deadline unchanged."""

    def same(task: Task) -> State:
        apply_postpone(task.id, task.state, when)  # the request must be one that could apply
        if requests.open_request(db, task.id) is not None:
            raise Refused("people.request_exists", id=task.id)
        return task.state

    out = _apply(db, ctx, refs, Action.REQUEST, same, reason)
    with immediate(db):
        for task in out:
            requests.file(db, ctx, task.id, when.isoformat(), reason)
            task.requested = True
            task.postpone_request = requests.open_request(db, task.id)
    return out


def approve(db: Store, ctx: Context, ref: str, note: str | None = None) -> Changed:
    """Apply a task's open postponement request, as a version 1 ``postpone`` would."""
    with immediate(db):
        task = get_task(db, ref)
        permit(db, ctx, Action.APPROVE, task)
        req = _open(db, task.id)
        when = date.fromisoformat(req.due)

        def after_of(t: Task) -> State:
            return apply_postpone(t.id, t.state, when)

        text = _optional_note(note) or req.reason
        [done_] = _apply(db, ctx, [str(task.id)], Action.APPROVE, after_of, text)
        requests.decide(db, ctx, req.id, approved=True, note=_optional_note(note))
        return done_


def reject(db: Store, ctx: Context, ref: str, reason: str) -> Changed:
    """Drop a task's open postponement request; the deadline stays."""
    reason = _clean_text(reason, "store.reason_required")
    with immediate(db):
        task = get_task(db, ref)
        permit(db, ctx, Action.REJECT, task)
        req = _open(db, task.id)

        def same(t: Task) -> State:
            return t.state

        [out] = _apply(db, ctx, [str(task.id)], Action.REJECT, same, reason)
        requests.decide(db, ctx, req.id, approved=False, note=reason)
        return out


def _open(db: Store, task_id: int) -> PostponeRequest:
    req = requests.open_request(db, task_id)
    if req is None:
        raise Refused("people.no_request", id=task_id)
    return req


def postpone(db: Store, ctx: Context, ref: str, new_due: str | date, reason: str) -> Changed:
    """``postpone_many`` on one task: ``tracker postpone TASK DATE --reason``."""
    return postpone_many(db, ctx, [ref], new_due, reason)[0]


def note_many(db: Store, ctx: Context, refs: Sequence[str], text: str) -> list[Changed]:
    """Add the same note to every task in ``refs``, whatever their status (one batch); it
    counts as touching them."""

    def same(task: Task) -> State:
        return task.state

    return _apply(db, ctx, refs, Action.NOTE, same, _clean_text(text, "store.note_required"))


def note(db: Store, ctx: Context, ref: str, text: str) -> Changed:
    """``note_many`` on one task: ``tracker note TASK TEXT``."""
    return note_many(db, ctx, [ref], text)[0]


@dataclass(frozen=True, slots=True)
class StateChange:
    """A change computed outside the write transaction (a ledger row): applied only if the
    task still has the ``before`` state it was computed from."""

    task_id: int
    before: State
    after: State
    note: str | None


def apply_changes(
    db: Store, ctx: Context, changes: Sequence[StateChange], action: Action = Action.IMPORT
) -> None:
    """Write ``changes`` in one transaction and one batch, all or none; ``Refused`` when a
    task changed since its change was computed (someone else got there first)."""
    with immediate(db):
        conn = db.conn
        tasks = [get_task(db, str(ch.task_id)) for ch in changes]
        authorize(db, ctx, tasks, action)
        for ch, task in zip(changes, tasks, strict=True):
            for move in moves(ch.before, ch.after):  # a row may do only what its commands may
                permit(db, ctx, move, task)
        batch = next_batch(conn)
        for ch, task in zip(changes, tasks, strict=True):
            if task.state != ch.before:
                raise Refused("store.changed_since", id=ch.task_id)
            write_state(conn, ch.task_id, ch.after, ctx)
            log_event(
                conn, batch=batch, task_id=ch.task_id, ctx=ctx, action=action,
                before=ch.before, after=ch.after, note=ch.note,
            )  # fmt: skip
            stamp_who(conn, ch.task_id)


def moves(before: State, after: State) -> list[Action]:
    """The commands a precomputed change amounts to (a ledger row's status and progress)."""
    out: list[Action] = []
    if before.progress != after.progress:
        out.append(Action.PROGRESS)
    if before.status != after.status:
        found = move_action(before.status, after.status)
        out.append(found if found is not None else Action.DONE)
    return out


def _event(row: tuple[Any, ...]) -> Event:
    """An ``Event`` from ``SELECT e.* [, t.uid, t.title]``, snapshots decoded."""
    values = list(row)
    values[6] = json.loads(values[6] or "{}")
    values[7] = json.loads(values[7] or "{}")
    return Event(*values)


def undo(db: Store, ctx: Context) -> list[Changed]:
    """Revert the acting user's last change (its whole batch), restoring the state exactly.

    Undo rows and a reload's withdraw/restore rows are not undoable; undoing twice walks
    further back. Refused when a task has since been changed to another state (by anyone):
    the current state must equal the ``after`` of the row being undone.
    Returns the tasks as restored, each with ``undone_action`` and ``before`` (the state undone).
    """
    with immediate(db):
        conn = db.conn
        people.authorize_write(db, ctx)
        found = conn.execute(
            "SELECT MAX(batch) FROM events WHERE user = ? AND undone_by IS NULL "
            f"AND action NOT IN {in_list(NOT_UNDOABLE)}",
            (ctx.user,),
        ).fetchone()[0]
        if found is None:
            raise Refused("store.nothing_to_undo", user=ctx.user)
        events = [
            _event(r)
            for r in conn.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE batch = ? AND user = ? ORDER BY id DESC",
                [found, ctx.user],
            ).fetchall()
        ]
        batch = next_batch(conn)
        results = [_undo_one(db, ctx, ev, batch) for ev in events]
        results.reverse()
        return results


EVENT_COLUMNS = "id, batch, task_id, at, user, action, before, after, note, undone_by"


def _undo_one(db: Store, ctx: Context, ev: Event, batch: int) -> Changed:
    """Restore one task to its state before ``ev`` (a note's undo leaves the state alone)."""
    conn = db.conn
    task = get_task(db, str(ev.task_id))
    current = task.state
    if ev.action == Action.NOTE:
        restored = current
    elif ev.action == Action.ADD:  # a ``tracker add`` item undone: withdrawn (ids stay unique)
        if not _same(current, State.from_json(ev.after, current)):
            raise Refused("store.undo_conflict", id=task.id, user=_changed_by(db, ev) or "?")
        restored = current.with_(status=Status.WITHDRAWN)
        conn.execute(
            "UPDATE tasks SET withdrawn_status = ? WHERE id = ?", (current.status, task.id)
        )
    else:
        if current.status == Status.WITHDRAWN:
            raise Refused("safety.undo_withdrawn", id=task.id)
        if not _same(current, State.from_json(ev.after, current)):
            raise Refused("store.undo_conflict", id=task.id, user=_changed_by(db, ev) or "?")
        restored = State.from_json(ev.before, current)
        if not restored.postponed:
            # Never postponed, the deadline is the plan's: today's plan, whatever reload
            # came in between (the snapshot holds the due date of the plan then).
            restored = restored.with_(due=task.planned_due)
    if ev.action in (Action.REQUEST, Action.APPROVE, Action.REJECT):
        requests.undo(db, ev)
    write_state(conn, task.id, restored, ctx)
    undo_id = log_event(
        conn, batch=batch, task_id=task.id, ctx=ctx, action=Action.UNDO,
        before=current, after=restored, note=ev.note if ev.action == Action.NOTE else None,
    )  # fmt: skip
    conn.execute("UPDATE events SET undone_by = ? WHERE id = ?", (undo_id, ev.id))
    stamp_who(conn, task.id)
    fresh = changed(db, task.id, current)
    fresh.undone_action = ev.action
    fresh.undone_note = ev.note
    return fresh


def _same(current: State, expected: State) -> bool:
    """Whether a task still has the state an event left it in. A deadline never postponed
    follows the plan, so a reload that moved it changed nothing of the staff's."""
    if not current.postponed and not expected.postponed:
        return current.with_(due="") == expected.with_(due="")
    return current == expected


def _changed_by(db: Store, ev: Event) -> str | None:
    """Who last changed ``ev``'s task after ``ev`` (for the conflict message)."""
    row = db.conn.execute(
        "SELECT user FROM events WHERE task_id = ? AND id > ? ORDER BY id DESC LIMIT 1",
        (ev.task_id, ev.id),
    ).fetchone()
    return str(row[0]) if row else None


def history(db: Store, ref: str | None = None, *, limit: int | None = None) -> list[Event]:
    """The change log, newest first, for one task or all; ``before``/``after`` decoded."""
    cols = ", ".join(f"e.{c.strip()}" for c in EVENT_COLUMNS.split(","))
    sql = f"SELECT {cols}, t.uid, t.title FROM events e LEFT JOIN tasks t ON t.id = e.task_id"
    params: list[Any] = []
    if ref is not None:
        sql += " WHERE e.task_id = ?"
        params.append(get_task(db, ref).id)
    sql += " ORDER BY e.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_event(r) for r in db.conn.execute(sql, params).fetchall()]
