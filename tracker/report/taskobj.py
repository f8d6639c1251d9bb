"""Task objects for the report's lists: the same objects as ``list --json`` (cli.md, JSON).

Tasks carry the *as-of* state, and the as-of date is passed as "today", so ``overdue`` means
overdue at that moment. The store's ``task_json`` defines the object; this only fills in the
campaign and owner names from one read of the plan's names instead of a lookup per task.
"""

from __future__ import annotations

from datetime import date

from tracker.domain import Task
from tracker.report.model import TaskObject
from tracker.store.db import Store
from tracker.store.query import campaign_names, task_json, unit_names


class TaskObjects:
    """Builds task objects for one report, caching the plan's names."""

    def __init__(self, db: Store, asof: date) -> None:
        self.asof = asof
        self.today = asof.isoformat()
        self._units = unit_names(db)
        self._campaigns = campaign_names(db)

    def unit_name(self, plan: str, key: str) -> str:
        """The display name of a unit (its key when unknown)."""
        return self._units.get((plan, key), key)

    def make(self, task: Task) -> TaskObject:
        """One task object for ``task`` (its names are filled in when missing)."""
        if task.campaign_name is None:
            task.campaign_name = self._campaigns.get((task.plan, task.campaign))
        if task.owner_name is None:
            task.owner_name = self._units.get((task.plan, task.owner))
        return task_json(task, self.today)
