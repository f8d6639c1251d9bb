"""Postponement requests (people.md): filed by staff, decided by a verifier or a leader.

A task has at most one open request (a partial unique index holds it). Approving applies it as a
version 1 postponement (in ``actions.approve``); rejecting drops it. Undo of the filing, the
approval or the rejection puts the request back where it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.context import Context
from tracker.domain import Action, Event
from tracker.domain.task import PostponeRequest
from tracker.errors import Refused
from tracker.store.db import Store

_COLUMNS = "id, task_id, due, reason, by, at"


def open_request(db: Store, task_id: int) -> PostponeRequest | None:
    row = db.conn.execute(
        f"SELECT {_COLUMNS} FROM postpone_requests WHERE task_id = ? AND state = 'open'",
        (task_id,),
    ).fetchone()
    return PostponeRequest(*row) if row else None


def open_requests(db: Store, task_ids: Iterable[int] | None = None) -> dict[int, PostponeRequest]:
    """The open requests by task (all of them, or of ``task_ids``): there are few."""
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM postpone_requests WHERE state = 'open' ORDER BY id"
    ).fetchall()
    wanted = None if task_ids is None else set(task_ids)
    return {r[1]: PostponeRequest(*r) for r in rows if wanted is None or r[1] in wanted}


def any_open(db: Store) -> bool:
    row = db.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM postpone_requests WHERE state = 'open')"
    ).fetchone()
    return bool(row[0])


def file(db: Store, ctx: Context, task_id: int, due: str, reason: str) -> None:
    db.conn.execute(
        "INSERT INTO postpone_requests (task_id, due, reason, by, at) VALUES (?, ?, ?, ?, ?)",
        (task_id, due, reason, ctx.user, ctx.now().isoformat(timespec="seconds")),
    )


def decide(db: Store, ctx: Context, request_id: int, *, approved: bool, note: str | None) -> None:
    db.conn.execute(
        "UPDATE postpone_requests SET state = ?, decided_by = ?, decided_at = ?, note = ? "
        "WHERE id = ?",
        (
            "approved" if approved else "rejected",
            ctx.user,
            ctx.now().isoformat(timespec="seconds"),
            note,
            request_id,
        ),
    )


def undo(db: Store, ev: Event) -> None:
    """Put the request touched by ``ev`` back as it was before it (refused when it moved on)."""
    assert ev.task_id is not None
    if ev.action == Action.REQUEST:
        found = open_request(db, ev.task_id)
        if found is None or found.by != ev.user:
            raise Refused("people.request_decided", id=ev.task_id)
        db.conn.execute(
            "UPDATE postpone_requests SET state = 'withdrawn' WHERE id = ?", (found.id,)
        )
        return
    if open_request(db, ev.task_id) is not None:
        raise Refused("people.request_exists", id=ev.task_id)
    row = db.conn.execute(
        "SELECT id FROM postpone_requests WHERE task_id = ? AND decided_by = ?"
        " AND state IN ('approved', 'rejected') ORDER BY decided_at DESC, id DESC LIMIT 1",
        (ev.task_id, ev.user),
    ).fetchone()
    if row is not None:
        db.conn.execute(
            "UPDATE postpone_requests SET state = 'open', decided_by = NULL, decided_at = NULL,"
            " note = NULL WHERE id = ?",
            (row[0],),
        )
