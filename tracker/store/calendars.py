"""Each loaded plan's working-day calendar, as the plan engine built it (kind and overrides).

A task's 序时进度 counts working days, and a ``tracker add`` item's due date moves off a day
off, both by the plan's own calendar: ``plans.calendar`` with its ``[calendar]`` holidays and
workdays (m011). Built once per connection and plan, and again when a load changed them.
"""

from __future__ import annotations

import json
from datetime import date

from tracker.plan.calendar import CALENDARS, WorkCalendar
from tracker.store.db import Store


def plan_calendar(db: Store, plan: str) -> WorkCalendar | None:
    """The working days of ``plan`` (``None`` for a plan not in the database)."""
    row = db.conn.execute(
        "SELECT calendar, holidays, workdays FROM plans WHERE id = ?", (plan,)
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


def _dates(text: str | None) -> list[date]:
    return [date.fromisoformat(d) for d in json.loads(text or "[]")]
