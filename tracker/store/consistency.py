"""tracker's own consistency checks on a database file: the restore drill's read model.

Each check is one query and gives ``(name, ok, detail)``. Beside SQLite's ``PRAGMA
integrity_check`` (pages, indexes, constraints) they check what only tracker knows: the schema
is one this version knows, every event belongs to a task that exists, each task's ``rev`` is the
number of its events (``actions.log_event`` keeps the two together), and every status is one
of the domain's.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from tracker.domain import Status
from tracker.store.db import Store, applied_migrations
from tracker.store.migrations import names
from tracker.store.sql import in_list


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str


def integrity(db: Store) -> Check:
    """``PRAGMA integrity_check``: ``ok``, or its first complaint and how many there are."""
    try:
        rows = [r[0] for r in db.conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as e:
        return Check("integrity_check", False, str(e))
    ok = rows == ["ok"]
    return Check("integrity_check", ok, "ok" if ok else f"{rows[0]} (+{len(rows) - 1})")


def _count(db: Store, sql: str) -> int:
    return int(db.conn.execute(sql).fetchone()[0])


def _columns(db: Store, table: str) -> set[str]:
    return {r[1] for r in db.conn.execute(f"PRAGMA table_info({table})").fetchall()}


def schema(db: Store) -> Check:
    """Every migration the database applied is one this version knows (none newer)."""
    applied = applied_migrations(db)
    unknown = [n for n in applied if n not in set(names())]
    detail = f"{len(applied)}/{len(names())}" + (f", unknown {unknown[-1]}" if unknown else "")
    return Check("schema", bool(applied) and not unknown, detail)


def orphan_events(db: Store) -> Check:
    n = _count(
        db,
        "SELECT count(*) FROM events e WHERE e.task_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id)",
    )
    return Check("events_have_tasks", n == 0, str(n))


def revisions(db: Store) -> Check:
    """``tasks.rev`` equals the number of the task's events (from migration m009 on)."""
    if "rev" not in _columns(db, "tasks"):
        return Check("task_rev", True, "-")
    n = _count(
        db,
        "SELECT count(*) FROM tasks t "
        "WHERE t.rev != (SELECT count(*) FROM events e WHERE e.task_id = t.id)",
    )
    return Check("task_rev", n == 0, str(n))


def statuses(db: Store) -> Check:
    n = _count(db, f"SELECT count(*) FROM tasks WHERE status NOT IN {in_list(Status)}")
    return Check("statuses", n == 0, str(n))


def check_all(db: Store) -> list[Check]:
    """Every check, in order; those after a failed integrity check still run (they say more
    about what is wrong), each failing on its own if SQLite cannot read what it needs."""
    out = [integrity(db)]
    for fn in (schema, orphan_events, revisions, statuses):
        try:
            out.append(fn(db))
        except sqlite3.DatabaseError as e:
            out.append(Check(fn.__name__, False, str(e)))
    return out


__all__ = ["Check", "check_all", "integrity"]
