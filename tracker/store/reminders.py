"""Read models and the sent-log for reminders (``tracker remind``) and calendar files.

The working days of a plan are its ``calendar`` kind plus its ``[calendar]`` overrides, which
a load keeps in ``plan_calendars`` (m010); the sent-log ``reminders_sent`` records every message
posted so that a repeated run sends only what is still missing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tracker.domain import OPEN, Task
from tracker.store.calendars import plan_calendar
from tracker.store.db import Store, immediate
from tracker.store.query import SELECT, fetch_tasks
from tracker.store.sql import in_list

if TYPE_CHECKING:  # the plan engine is imported when a calendar is built: a visitor's app
    # under ``tracker serve`` imports this module (``store.browse``) but seldom needs one
    from tracker.plan.calendar import WorkCalendar
    from tracker.plan.model import Plan


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit of a plan as reminders need it: its name, 责任领导 and place in the tree."""

    plan: str
    key: str
    name: str
    leader: str | None
    parent: str | None
    position: int


def plan_calendars(db: Store) -> dict[str, WorkCalendar]:
    """Per plan id, the working-day calendar its deadlines were computed with (调休 included):
    ``calendars.plan_calendar`` of each plan."""
    ids = [str(r[0]) for r in db.conn.execute("SELECT id FROM plans").fetchall()]
    return {plan_id: cal for plan_id in ids if (cal := plan_calendar(db, plan_id)) is not None}


def write_plan_calendar(conn: sqlite3.Connection, plan: Plan) -> None:
    """Keep ``plan``'s ``[calendar]`` overrides (inside the load's transaction)."""
    conn.execute(
        "INSERT INTO plan_calendars (plan, holidays, workdays) VALUES (?, ?, ?) "
        "ON CONFLICT(plan) DO UPDATE SET holidays = excluded.holidays, "
        "workdays = excluded.workdays",
        (
            plan.id,
            json.dumps([d.isoformat() for d in plan.holidays]),
            json.dumps([d.isoformat() for d in plan.workdays]),
        ),
    )


def has_plan_calendar(db: Store, plan_id: str) -> bool:
    """Whether the overrides of ``plan_id`` are known (it was loaded since m010)."""
    row = db.conn.execute("SELECT 1 FROM plan_calendars WHERE plan = ?", (plan_id,)).fetchone()
    return row is not None


def open_tasks(db: Store, *, due_by: date | None = None) -> list[Task]:
    """Open tasks (todo, doing, blocked), soonest due first; only those due on or before
    ``due_by`` when given."""
    sql = SELECT + f" WHERE t.status IN {in_list(OPEN)}"
    params: list[str] = []
    if due_by is not None:
        sql += " AND t.due <= ?"
        params.append(due_by.isoformat())
    return fetch_tasks(db, sql + " ORDER BY t.due, t.id", params)


def units(db: Store) -> list[UnitInfo]:
    """Every unit of every plan, in plan order."""
    rows = db.conn.execute(
        "SELECT plan, key, name, leader, parent, position FROM units ORDER BY plan, position, key"
    ).fetchall()
    return [UnitInfo(str(p), str(k), str(n), lead, up, int(pos)) for p, k, n, lead, up, pos in rows]


def plan_langs(db: Store) -> dict[str, str | None]:
    """Each plan's ``lang`` (the language of its reports), by id."""
    return {str(p): lang for p, lang in db.conn.execute("SELECT id, lang FROM plans")}


def plan_titles(db: Store) -> dict[str, str]:
    """Each plan's title, by id."""
    return {str(p): str(t) for p, t in db.conn.execute("SELECT id, title FROM plans")}


def was_sent(db: Store, day: date, channel: str, unit: str, digest: str) -> bool:
    """Whether exactly this message went to ``unit`` on ``channel`` for ``day`` already."""
    row = db.conn.execute(
        "SELECT 1 FROM reminders_sent WHERE day = ? AND channel = ? AND unit = ? AND digest = ?",
        (day.isoformat(), channel, unit, digest),
    ).fetchone()
    return row is not None


def record_sent(db: Store, day: date, channel: str, unit: str, digest: str, at: str) -> None:
    """Note one message as sent (its own transaction: a later failure keeps it recorded)."""
    with immediate(db):
        db.conn.execute(
            "INSERT OR IGNORE INTO reminders_sent (day, channel, unit, digest, sent_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (day.isoformat(), channel, unit, digest, at),
        )
