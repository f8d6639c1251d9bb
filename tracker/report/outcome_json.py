"""The outcome keys of the report's JSON (cli-v2.md): ``indicators`` and ``problems``, with two
documented extras, ``overdue_by_unit`` and ``risks``."""

from __future__ import annotations

from typing import Any

from tracker.report.model import WeeklyReport
from tracker.report.outcomes import Indicator, Outcomes
from tracker.store.query import number as num
from tracker.store.query import task_json


def indicator_dict(i: Indicator) -> dict[str, Any]:
    return {
        "plan": i.plan,
        "campaign": i.campaign,
        "task_key": i.task_key,
        "title": i.title,
        "unit": i.unit,
        "measure": i.measure,
        "target": num(i.target),
        "progress": num(i.progress),
        "expected": num(i.expected),
        "gap": num(i.gap),
        "owners": i.owners,
        "owners_reached": i.owners_reached,
    }


def _problems(o: Outcomes) -> list[dict[str, Any]]:
    keys = ("key", "title", "source", "leader", "measures", "done", "verified", "overdue")
    return [{k: getattr(p, k) for k in keys} for p in o.problems]


def outcome_keys(r: WeeklyReport) -> dict[str, Any]:
    """``indicators``, ``problems``, ``overdue_by_unit`` and ``risks`` of the report."""
    o, asof = r.outcomes, r.asof.isoformat()
    return {
        "indicators": [indicator_dict(i) for i in o.indicators],
        "problems": _problems(o),
        "overdue_by_unit": [
            {
                "unit": u.unit,
                "unit_name": u.unit_name,
                "count": u.count,
                "oldest_due": u.oldest_due,
                "days_overdue": u.days_overdue,
                "worst": {"id": u.worst.id, "title": u.worst.title, "priority": u.worst.priority},
            }
            for u in o.overdue_units
        ],
        "risks": [task_json(t, asof) for t in o.risks],
    }
