"""The weekly report as JSON: the cli.md contract, plus a few documented extra keys."""

from __future__ import annotations

import json
from typing import Any

from tracker.report.weekly import Figures, WeeklyReport


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 6)


def _totals(f: Figures) -> dict[str, Any]:
    return {
        "tasks": f.tasks,
        "due_to_date": f.due_to_date,
        "done": f.done,
        "verified": f.verified,
        "overdue": f.overdue,
        "blocked": f.blocked,
        "completion_rate": f.completion_rate,
        "on_time_rate": f.on_time_rate,
        "on_time": f.on_time,
    }


def report_dict(r: WeeklyReport) -> dict[str, Any]:
    """The report as plain data (also what the xlsx and html renderers read)."""
    return {
        "plan": r.plan,
        "title": r.title,
        "week": r.week,
        "from": r.start.isoformat(),
        "to": r.end.isoformat(),
        "today": r.today.isoformat(),
        "as_of": r.asof.isoformat(),
        "totals": _totals(r.totals),
        "previous": _totals(r.previous),
        "campaigns": [
            {
                "key": c.key,
                "name": c.name,
                "tasks": c.figures.tasks,
                "due_to_date": c.figures.due_to_date,
                "done": c.figures.done,
                "overdue": c.figures.overdue,
                "completion_rate": c.figures.completion_rate,
                "on_time_rate": c.figures.on_time_rate,
                "target": _num(c.figures.target),
                "progress": _num(c.figures.progress),
                "targets": [
                    {**t, "target": _num(t["target"]), "progress": _num(t["progress"])}
                    for t in c.targets
                ],
            }
            for c in r.campaigns
        ],
        "units": [
            {
                "key": u.key,
                "name": u.name,
                "parent": u.parent,
                "tasks": u.figures.tasks,
                "due_to_date": u.figures.due_to_date,
                "done": u.figures.done,
                "overdue": u.figures.overdue,
                "on_time_rate": u.figures.on_time_rate,
                "completion_rate": u.figures.completion_rate,
                "rank": u.rank,
            }
            for u in r.units
        ],
        "red": [u.key for u in r.red],
        "black": [u.key for u in r.black],
        "done_this_week": r.done_this_week,
        "overdue": r.overdue,
        "due_next_week": r.due_next_week,
        "blocked": r.blocked,
        "postponed": r.postponed,
        "chart": [{"week": w, "due": due, "done": done} for w, due, done in r.chart],
    }


INDENT_UP_TO = 1000  # list items; beyond, compact (json's C encoder only runs without indent)


def render_json(r: WeeklyReport) -> str:
    """Key order fixed, non-ASCII kept readable; indented unless the lists are long."""
    items = sum(r.counts.values())
    indent = 2 if items <= INDENT_UP_TO else None
    return json.dumps(report_dict(r), ensure_ascii=False, indent=indent) + "\n"
