"""Each loaded plan's working-day calendar, as the plan engine built it (kind and overrides).

A task's 序时进度 counts working days, and a ``tracker add`` item's due date moves off a day
off, both by the plan's own calendar: ``plans.calendar`` with its ``[calendar]`` holidays and
workdays (``plan_calendars``, m010). Built once per connection and plan, and again when a load
changed them.

The queries attach a ``PlanWorkdays`` to every task with a target: it builds the calendar (and
imports the plan engine and the holidays data) only when a working day is first counted, so
``tracker list`` and ``tracker done`` start as fast as before.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tracker.store.db import Store

#: How far a walk over the stored flags goes for one working day (as the calendar's own walk).
_SEARCH_LIMIT = 400

if TYPE_CHECKING:
    from tracker.plan.calendar import WorkCalendar


def plan_calendar(db: Store, plan: str) -> WorkCalendar | None:
    """The working days of ``plan`` (``None`` for a plan not in the database)."""
    from tracker.plan.calendar import CALENDARS, WorkCalendar

    row = db.conn.execute(
        "SELECT p.calendar, c.holidays, c.workdays FROM plans p"
        " LEFT JOIN plan_calendars c ON c.plan = p.id WHERE p.id = ?",
        (plan,),
    ).fetchone()
    if row is None:
        return None
    key = "calendar:" + "\x1f".join(str(v) for v in (plan, *row))
    found = db.cache.get(key)
    if found is None:
        kind, holidays, workdays = row
        found = WorkCalendar(
            kind if kind in CALENDARS else "cn",
            _dates(holidays),
            _dates(workdays),
        )
        db.cache[key] = found
    assert isinstance(found, WorkCalendar)
    return found


class PlanWorkdays:
    """The plan's working days (``domain.indicators.Workdays``), read on the first count: from
    the flags a load stored for the years the plan spans (no holidays data needed), else from
    ``plan_calendar``. A plan not in the database has every day as a working day."""

    __slots__ = ("_calendar", "_db", "_flags", "_plan")

    def __init__(self, db: Store, plan: str) -> None:
        self._db = db
        self._plan = plan
        self._flags: dict[int, str] | None = None
        self._calendar: WorkCalendar | None = None

    def count_workdays(self, start: date, end: date) -> int:
        if self._flags is None:
            self._flags = stored_flags(self._db, self._plan)
        counted = _count(self._flags, start, end)
        if counted is not None:
            return counted
        if self._calendar is None:
            from tracker.plan.calendar import WorkCalendar

            self._calendar = plan_calendar(self._db, self._plan) or WorkCalendar("none")
        return self._calendar.count_workdays(start, end)


def stored_flags(db: Store, plan: str) -> dict[int, str]:
    """The working-day flags a load stored for ``plan`` (m011), per year; empty if none."""
    row = db.conn.execute("SELECT workday_flags FROM plans WHERE id = ?", (plan,)).fetchone()
    stored = json.loads(row[0]) if row and row[0] else {}
    return {int(y): str(f) for y, f in stored.items()}


def add_workdays_stored(flags: dict[int, str], start: date, n: int) -> date | None:
    """``start`` moved ``n`` (≥ 1) working days forward by the stored flags; None when they do
    not reach that far (the caller asks the plan's calendar, and its holidays data)."""
    d, left = start, n
    for _ in range(_SEARCH_LIMIT * n):
        d += timedelta(days=1)
        days = flags.get(d.year)
        if days is None:
            return None
        if days[d.timetuple().tm_yday - 1] == "1":
            left -= 1
            if left == 0:
                return d
    return None


def _count(flags: dict[int, str], start: date, end: date) -> int | None:
    """Working days from ``start`` through ``end`` by the stored flags; None when a year is
    not stored."""
    total = 0
    for year in range(start.year, end.year + 1):
        days = flags.get(year)
        if days is None:
            return None
        lo = start.timetuple().tm_yday - 1 if year == start.year else 0
        hi = end.timetuple().tm_yday if year == end.year else len(days)
        if hi > lo:
            total += days.count("1", lo, hi)
    return total


def workdays(db: Store, plan: str) -> PlanWorkdays:
    """The (lazy) working days of ``plan``, as they are now: a proxy per query, so that a
    long-lived connection (the TUI's) sees the calendar of the last load."""
    return PlanWorkdays(db, plan)


def _dates(text: str | None) -> list[date]:
    out: list[date] = []
    for value in json.loads(text or "[]"):
        try:
            out.append(date.fromisoformat(str(value)))
        except ValueError:
            continue  # a hand-edited row: the date is not one, so it overrides nothing
    return out
