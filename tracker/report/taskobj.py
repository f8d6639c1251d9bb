"""Task objects for the report's lists: the same objects as ``list --json`` (cli.md, JSON).

Rows carry the *as-of* state, and the as-of date is passed as "today", so ``overdue`` means
overdue at that moment. The store's ``task_json`` defines the object. A report at 500k
instances lists tens of thousands of them, so the objects are built here with the JSON list
columns parsed once per distinct text; the first object of every report is built both ways
and compared (keys, order and values), and any difference sends all of them through
``task_json`` — the store stays the one definition.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tracker.store.db import Store
from tracker.store.query import task_json

OPEN = ("todo", "doing", "blocked")


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


class TaskObjects:
    """Builds task objects for one report, caching the plan's names."""

    def __init__(self, db: Store, asof: date) -> None:
        self.db = db
        self.asof = asof
        self.today = asof.isoformat()
        self._units: dict[tuple[str, str], str] = {}
        self._campaigns: dict[tuple[str, str], str] = {}
        self._lists: dict[str, list[Any]] = {}
        self._fast: bool | None = None
        for plan, key, name in db.conn.execute("SELECT plan, key, name FROM units"):
            self._units[(plan, key)] = name
        for plan, key, name in db.conn.execute("SELECT plan, key, name FROM campaigns"):
            self._campaigns[(plan, key)] = name

    def unit_name(self, plan: str, key: str) -> str:
        """The display name of a unit (its key when unknown)."""
        return self._units.get((plan, key), key)

    def _list(self, text: str | None) -> list[Any]:
        key = text or "[]"
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = json.loads(key)
        return list(found)

    def _build(self, row: dict[str, Any]) -> dict[str, Any]:
        status = row["status"]
        return {
            "id": row["id"],
            "uid": row["uid"],
            "plan": row["plan"],
            "campaign": row["campaign"],
            "campaign_name": row["campaign_name"],
            "task_key": row["task_key"],
            "title": row["title"],
            "owner": row["owner"],
            "owner_name": row["owner_name"],
            "support": self._list(row["support"]),
            "leader": row["leader"],
            "start": row["start"],
            "due": row["due"],
            "period": row["period"],
            "status": status,
            "overdue": status in OPEN and self.today > row["due"],
            "target": _number(row["target"]),
            "progress": _number(row["progress"]),
            "unit": row["unit"],
            "priority": row["priority"],
            "tags": self._list(row["tags"]),
            "done_at": row["done_at"],
            "planned_due": row["planned_due"],
            "postponed": row["postponed"],
            "blocked_reason": row["blocked_reason"],
            "after": self._list(row["after"]),
            "description": row["notes"],
        }

    def make(self, row: dict[str, Any]) -> dict[str, Any]:
        """One task object for ``row`` (names are added to the row in place)."""
        plan = row["plan"]
        if "campaign_name" not in row:
            row["campaign_name"] = self._campaigns.get((plan, row["campaign"]))
        if "owner_name" not in row:
            row["owner_name"] = self._units.get((plan, row["owner"]))
        if self._fast:
            return self._build(row)
        reference = task_json(row, self.asof, self.db)
        if self._fast is None:
            mine = self._build(row)
            self._fast = list(mine.items()) == list(reference.items())
        return reference
