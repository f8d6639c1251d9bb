"""Staff actions on task instances: the status machine, progress, postponement, notes, undo.

Each command is one ``BEGIN IMMEDIATE`` transaction: the rows are read, every transition is
checked and written under the same lock, so two people verifying one task cannot both succeed,
and a multi-task command changes all of its tasks or none. Every change appends one event row
per task (full state snapshots before and after); the rows of one command share a ``batch``,
which ``undo`` reverts as a whole. The status changes take several tasks; ``progress``,
``postpone`` and ``note`` take one (as the CLI does) and have ``*_many`` forms for several.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from tracker import i18n
from tracker.context import Context, parse_iso_date
from tracker.errors import BadInput, Refused
from tracker.store.db import Store, fetch_dicts, immediate
from tracker.store.query import SELECT, get_task

STATE_FIELDS = ("status", "progress", "due", "postponed", "done_at", "blocked_reason")
OPEN = ("todo", "doing", "blocked")
NOT_UNDOABLE = ("undo", "withdraw", "restore")

# action -> (statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "start": (("todo", "blocked"), "doing"),
    "done": (("todo", "doing"), "done"),
    "verify": (("done",), "verified"),
    "reopen": (("done", "verified"), "doing"),
    "block": (("todo", "doing"), "blocked"),
}


class TransitionRefused(Refused):
    """A refused transition; renders the status and the action in the reader's language."""

    def render(self, lang: str) -> str:
        params = dict(self.params)
        status, action = str(params.get("status", "")), str(params.get("action", ""))
        params["status"] = i18n.status_label(status, lang)
        params["verb"] = i18n.t(f"store.verb.{action}", lang)
        hint = ""
        for key in (f"store.hint.{action}.{status}", f"store.hint.{status}"):
            if i18n.has(key):
                hint = i18n.t(key, lang)
                break
        return i18n.t(self.key, lang, **params) + hint


def snapshot(row: dict[str, Any]) -> dict[str, Any]:
    """The state fields of a task row: what an event's ``before``/``after`` hold."""
    return {k: row[k] for k in STATE_FIELDS}


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _next_batch(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM events").fetchone()[0])


def log_event(
    conn: sqlite3.Connection,
    *,
    batch: int,
    task_id: int,
    ctx: Context,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    note: str | None = None,
) -> int:
    """Append one event row; returns its id."""
    cur = conn.execute(
        "INSERT INTO events (batch, task_id, at, user, action, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            batch,
            task_id,
            ctx.now().isoformat(timespec="seconds"),
            ctx.user,
            action,
            _dumps(before),
            _dumps(after),
            note,
        ),
    )
    return int(cur.lastrowid or 0)


def _write_state(
    conn: sqlite3.Connection, task_id: int, state: dict[str, Any], ctx: Context
) -> None:
    conn.execute(
        "UPDATE tasks SET status = ?, progress = ?, due = ?, postponed = ?, done_at = ?, "
        "blocked_reason = ?, touched = 1, updated_at = ? WHERE id = ?",
        (*(state[k] for k in STATE_FIELDS), ctx.now().isoformat(timespec="seconds"), task_id),
    )


def _resolve(db: Store, refs: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for ``refs`` in the order given, each task once; ``NotFound`` for any unknown."""
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()
    for ref in refs:
        row = get_task(db, ref)
        if row["id"] not in seen:
            seen.add(row["id"])
            rows.append(row)
    return rows


def _refuse(row: dict[str, Any], action: str) -> TransitionRefused:
    return TransitionRefused("store.refused", id=row["id"], status=row["status"], action=action)


def _clean_text(text: str | None, key: str) -> str:
    value = (text or "").strip()
    if not value:
        raise BadInput(key)
    return value


def _optional_note(text: str | None) -> str | None:
    value = (text or "").strip()
    return value or None


def _fresh(db: Store, task_id: int, before: dict[str, Any]) -> dict[str, Any]:
    row = fetch_dicts(db, SELECT + " WHERE t.id = ?", [task_id])[0]
    row["before"] = before
    return row


def _apply(
    db: Store,
    ctx: Context,
    refs: Sequence[str],
    action: str,
    after_of: Callable[[dict[str, Any]], dict[str, Any]],
    note: str | None,
) -> list[dict[str, Any]]:
    """One command on every task in ``refs``: one transaction, one ``batch``, all or none.

    ``after_of(row)`` gives a task's new state, or raises (Refused…) to refuse the command;
    it is asked for every task before anything is written.
    """
    with immediate(db):
        conn = db.conn
        rows = _resolve(db, refs)
        afters = [after_of(row) for row in rows]
        befores = [snapshot(row) for row in rows]
        batch = _next_batch(conn)
        for row, before, after in zip(rows, befores, afters, strict=True):
            _write_state(conn, row["id"], after, ctx)
            log_event(
                conn, batch=batch, task_id=row["id"], ctx=ctx, action=action,
                before=before, after=after, note=note,
            )  # fmt: skip
        return [_fresh(db, row["id"], before) for row, before in zip(rows, befores, strict=True)]


def _transition(
    db: Store, ctx: Context, refs: Sequence[str], action: str, note: str | None = None
) -> list[dict[str, Any]]:
    """Apply ``action`` to every task in ``refs`` in one transaction, or to none."""
    sources, target = TRANSITIONS[action]
    now = ctx.now().isoformat(timespec="seconds")

    def after_of(row: dict[str, Any]) -> dict[str, Any]:
        if row["status"] not in sources:
            raise _refuse(row, action)
        after = dict(snapshot(row), status=target)
        if target == "done":
            after["done_at"] = now
        if target in ("doing", "done"):
            after["blocked_reason"] = None
        if action == "reopen":
            after["done_at"] = None
        if action == "block":
            after["blocked_reason"] = note
        return after

    return _apply(db, ctx, refs, action, after_of, note)


def start(db: Store, ctx: Context, refs: list[str]) -> list[dict[str, Any]]:
    """todo or blocked → doing."""
    return _transition(db, ctx, refs, "start")


def done(db: Store, ctx: Context, refs: list[str], note: str | None = None) -> list[dict[str, Any]]:
    """todo or doing → done, stamping ``done_at`` with ``ctx.now()``."""
    return _transition(db, ctx, refs, "done", _optional_note(note))


def verify(
    db: Store, ctx: Context, refs: list[str], note: str | None = None
) -> list[dict[str, Any]]:
    """done → verified (销号)."""
    return _transition(db, ctx, refs, "verify", _optional_note(note))


def reopen(
    db: Store, ctx: Context, refs: list[str], note: str | None = None
) -> list[dict[str, Any]]:
    """done or verified → doing; ``done_at`` is cleared."""
    return _transition(db, ctx, refs, "reopen", _optional_note(note))


def block(db: Store, ctx: Context, refs: list[str], reason: str) -> list[dict[str, Any]]:
    """todo or doing → blocked, with a reason (required)."""
    return _transition(db, ctx, refs, "block", _clean_text(reason, "store.reason_required"))


def parse_progress(value: str | float) -> tuple[float, bool]:
    """``"30"`` → (30, absolute); ``"+5"`` → (5, relative). ``BadInput`` for anything else."""
    text = str(value).strip()
    relative = text.startswith("+")
    try:
        number = float(text[1:] if relative else text)
    except ValueError as e:
        raise BadInput("store.bad_progress", value=str(value)) from e
    if not math.isfinite(number) or number < 0:
        raise BadInput("store.bad_progress", value=str(value))
    return number, relative


def progress_many(
    db: Store, ctx: Context, refs: Sequence[str], value: str | float, note: str | None = None
) -> list[dict[str, Any]]:
    """Record progress on every task in ``refs`` (absolute, or ``+N`` added to each), in one
    transaction and one undo batch; reaching its target makes a task done.

    Progress below the target moves a todo task to doing; a blocked task stays blocked.
    A task that is not open refuses the whole command.
    """
    amount, relative = parse_progress(value)
    now = ctx.now().isoformat(timespec="seconds")

    def after_of(row: dict[str, Any]) -> dict[str, Any]:
        if row["status"] not in OPEN:
            raise _refuse(row, "progress")
        new = (row["progress"] or 0.0) + amount if relative else amount
        after = dict(snapshot(row), progress=new)
        target = row["target"]
        if target is not None and new >= target:
            after.update(status="done", done_at=now, blocked_reason=None)
        elif row["status"] == "todo":
            after["status"] = "doing"
        return after

    return _apply(db, ctx, refs, "progress", after_of, _optional_note(note))


def progress(
    db: Store, ctx: Context, ref: str, value: str | float, note: str | None = None
) -> dict[str, Any]:
    """``progress_many`` on one task: ``tracker progress TASK VALUE``."""
    return progress_many(db, ctx, [ref], value, note)[0]


def postpone_many(
    db: Store, ctx: Context, refs: Sequence[str], new_due: str | date, reason: str
) -> list[dict[str, Any]]:
    """Move the deadline of every task in ``refs`` to ``new_due`` (延期), all or none;
    ``planned_due`` keeps the plan's date. Each must be open and due before ``new_due``."""
    when = new_due if isinstance(new_due, date) else parse_iso_date(new_due)
    reason = _clean_text(reason, "store.reason_required")

    def after_of(row: dict[str, Any]) -> dict[str, Any]:
        if row["status"] not in OPEN:
            raise _refuse(row, "postpone")
        if when.isoformat() <= row["due"]:
            raise Refused("store.postpone_not_later", id=row["id"], due=row["due"])
        return dict(snapshot(row), due=when.isoformat(), postponed=(row["postponed"] or 0) + 1)

    return _apply(db, ctx, refs, "postpone", after_of, reason)


def postpone(db: Store, ctx: Context, ref: str, new_due: str | date, reason: str) -> dict[str, Any]:
    """``postpone_many`` on one task: ``tracker postpone TASK DATE --reason``."""
    return postpone_many(db, ctx, [ref], new_due, reason)[0]


def note_many(db: Store, ctx: Context, refs: Sequence[str], text: str) -> list[dict[str, Any]]:
    """Add the same note to every task in ``refs``, whatever their status (one batch); it
    counts as touching them."""
    return _apply(db, ctx, refs, "note", snapshot, _clean_text(text, "store.note_required"))


def note(db: Store, ctx: Context, ref: str, text: str) -> dict[str, Any]:
    """``note_many`` on one task: ``tracker note TASK TEXT``."""
    return note_many(db, ctx, [ref], text)[0]


def undo(db: Store, ctx: Context) -> list[dict[str, Any]]:
    """Revert the acting user's last change (its whole batch), restoring the state exactly.

    Undo rows and a reload's withdraw/restore rows are not undoable; undoing twice walks
    further back. Refused when a task has since been changed to another state (by anyone):
    the current state must equal the ``after`` of the row being undone.
    Returns the tasks as restored, each with ``undone_action`` and ``before`` (the state undone).
    """
    with immediate(db):
        conn = db.conn
        marks = ", ".join("?" * len(NOT_UNDOABLE))
        found = conn.execute(
            f"SELECT MAX(batch) FROM events WHERE user = ? AND undone_by IS NULL "
            f"AND action NOT IN ({marks})",
            (ctx.user, *NOT_UNDOABLE),
        ).fetchone()[0]
        if found is None:
            raise Refused("store.nothing_to_undo", user=ctx.user)
        events = fetch_dicts(
            db,
            "SELECT * FROM events WHERE batch = ? AND user = ? ORDER BY id DESC",
            [found, ctx.user],
        )
        batch = _next_batch(conn)
        results: list[dict[str, Any]] = []
        for ev in events:
            row = get_task(db, ev["task_id"])
            current = snapshot(row)
            if ev["action"] == "note":
                restored = current
            else:
                if current != json.loads(ev["after"]):
                    raise Refused(
                        "store.undo_conflict", id=row["id"], user=_changed_by(db, ev) or "?"
                    )
                restored = json.loads(ev["before"])
            _write_state(conn, row["id"], restored, ctx)
            undo_id = log_event(
                conn, batch=batch, task_id=row["id"], ctx=ctx, action="undo",
                before=current, after=restored, note=ev["note"] if ev["action"] == "note" else None,
            )  # fmt: skip
            conn.execute("UPDATE events SET undone_by = ? WHERE id = ?", (undo_id, ev["id"]))
            fresh = _fresh(db, row["id"], current)
            fresh["undone_action"] = ev["action"]
            fresh["undone_note"] = ev["note"]
            results.append(fresh)
        results.reverse()
        return results


def _changed_by(db: Store, ev: dict[str, Any]) -> str | None:
    """Who last changed ``ev``'s task after ``ev`` (for the conflict message)."""
    row = db.conn.execute(
        "SELECT user FROM events WHERE task_id = ? AND id > ? ORDER BY id DESC LIMIT 1",
        (ev["task_id"], ev["id"]),
    ).fetchone()
    return str(row[0]) if row else None


def history(db: Store, ref: str | None = None, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The change log, newest first, for one task or all; ``before``/``after`` decoded."""
    sql = "SELECT e.*, t.uid, t.title FROM events e LEFT JOIN tasks t ON t.id = e.task_id"
    params: list[Any] = []
    if ref is not None:
        sql += " WHERE e.task_id = ?"
        params.append(get_task(db, ref)["id"])
    sql += " ORDER BY e.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = fetch_dicts(db, sql, params)
    for r in rows:
        r["before"] = json.loads(r["before"] or "{}")
        r["after"] = json.loads(r["after"] or "{}")
    return rows
