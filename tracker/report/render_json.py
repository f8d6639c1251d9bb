"""The weekly report as JSON: the cli.md contract, plus a few documented extra keys.

``units`` is the contract's list (own instances, ranked); the roll-up through the ``parent``
tree is additive: ``subtree`` on each unit and ``unit_tree``, the tree with both figures.
"""

from __future__ import annotations

from typing import Any

from tracker.jsontext import dumps_utf8
from tracker.report.model import PeerRanking
from tracker.report.outcome_json import outcome_keys
from tracker.report.weekly import CampaignRow, Figures, UnitRow, WeeklyReport
from tracker.store.query import number as num

TOTALS = ("tasks", "due_to_date", "done", "verified", "overdue", "blocked", "completion_rate",
          "on_time_rate", "on_time", "waived")  # fmt: skip
CAMPAIGN = ("tasks", "due_to_date", "done", "overdue", "completion_rate", "on_time_rate")
UNIT = ("tasks", "due_to_date", "done", "overdue", "on_time_rate")


def _figures(f: Figures, keys: tuple[str, ...]) -> dict[str, Any]:
    """``keys`` of ``f`` (counts and the rate properties), in that order."""
    return {k: getattr(f, k) for k in keys}


def _campaign(c: CampaignRow) -> dict[str, Any]:
    return {
        "key": c.key,
        "name": c.name,
        **_figures(c.figures, CAMPAIGN),
        "target": None if c.target is None else num(c.target),
        "progress": None if c.progress is None else num(c.progress),
        "targets": [
            {
                "task_key": t.task_key,
                "title": t.title,
                "unit": t.unit,
                "target": num(t.target),
                "progress": num(t.progress),
            }
            for t in c.targets
        ],
    }


def _unit(u: UnitRow) -> dict[str, Any]:
    return {
        "key": u.key,
        "name": u.name,
        "parent": u.parent,
        **_figures(u.figures, UNIT),
        "completion_rate": u.figures.completion_rate,
        "rank": u.rank,
        "subtree": _figures(u.subtree, UNIT),
    }


RANKED = ("due_to_date", "done", "overdue", "on_time_rate")


def _ranking(g: PeerRanking) -> dict[str, Any]:
    """One peer group of cli-v2.md's ``rankings``."""
    return {
        "kind": g.kind,
        "units": [
            {"key": u.key, "name": u.name, **_figures(u.figures, RANKED), "rank": u.rank}
            for u in g.units
        ],
        "red": [u.key for u in g.red],
        "black": [u.key for u in g.black],
    }


def report_dict(r: WeeklyReport) -> dict[str, Any]:
    """The report as plain data (also what the xlsx and html renderers read)."""
    return {
        "plan": r.plan,
        "title": r.title,
        r.period: r.week,  # "week", or "month"/"quarter" for those reports (cli-v2.md)
        "from": r.start.isoformat(),
        "to": r.end.isoformat(),
        "today": r.today.isoformat(),
        "as_of": r.asof.isoformat(),
        "totals": {**_figures(r.totals, TOTALS), "postpone_requests": len(r.postpone_requests)},
        "previous": _figures(r.previous, TOTALS),
        "campaigns": [_campaign(c) for c in r.campaigns],
        "units": [_unit(u) for u in r.units],
        "unit_tree": [
            {
                "key": u.key,
                "name": u.name,
                "parent": u.parent,
                "depth": u.depth,
                "own": _figures(u.figures, UNIT),
                "subtree": _figures(u.subtree, UNIT),
            }
            for u in r.tree
        ],
        "rankings": [_ranking(g) for g in r.rankings],
        "red": [u.key for u in r.red],
        "black": [u.key for u in r.black],
        "done_this_week": r.done_this_week,
        "overdue": r.overdue,
        "due_next_week": r.due_next_week,
        "blocked": r.blocked,
        "postponed": r.postponed,
        "postpone_requests": r.postpone_requests,
        **outcome_keys(r),
        "chart": [{"week": w, "due": due, "done": done} for w, due, done in r.chart],
    }


INDENT_UP_TO = 1000  # list items; beyond, compact: a smaller file for programs to read


def render_json(r: WeeklyReport) -> bytes:
    """Key order fixed, non-ASCII kept readable; indented unless the lists are long. UTF-8
    bytes, written as they are (the 500k-instance report is ~18 MB)."""
    items = sum(r.counts.values())
    return dumps_utf8(report_dict(r), indent=items <= INDENT_UP_TO) + b"\n"
