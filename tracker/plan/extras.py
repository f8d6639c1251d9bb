"""The task fields of plan format version 2: problems, people, except, targets, measure,
milestones, skip and covers.

Each validator reads one field of a ``[[campaign.task]]`` table, reports every misfit at the
offending key's line, and returns the field resolved (or a safe default), so the rest of the
task is still checked in the same run. ``tasks.task`` calls them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from tracker.domain.indicators import MEASURES, default_measure
from tracker.plan.dates import DateContext
from tracker.plan.fields import Loc, Reporter, Table, near
from tracker.plan.model import Problem
from tracker.plan.validate import date_value

COVERS = ("same", "previous")
#: ``on = "N DAY"`` for monthly and quarterly tasks: the first .. fourth or last weekday.
NTH_DAY = re.compile(r"\s*(1|2|3|4|last)\s+(mon|tue|wed|thu|fri|sat|sun)\s*", re.IGNORECASE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Task keys of this form are ``tracker add`` items' (``PLAN/CAMPAIGN/adhoc-N``).
ADHOC_KEY = re.compile(r"adhoc-[0-9]+")


def nth_day(raw: object) -> tuple[int, int] | None:
    """``"1 mon"`` → (1, 0), ``"last fri"`` → (-1, 4); None when ``raw`` is no such text."""
    if not isinstance(raw, str):
        return None
    m = NTH_DAY.fullmatch(raw)
    if m is None:
        return None
    n = -1 if m.group(1).lower() == "last" else int(m.group(1))
    return n, WEEKDAYS.index(m.group(2).lower())


def problem(t: Table, problems: dict[str, Problem]) -> str | None:
    """``problem``: the key of a ``[[problem]]`` of the plan."""
    key = t.string("problem")
    if key is None or key in problems:
        return key
    hint = near(key, problems)
    if hint:
        t.rep.error(t.loc, ("problem",), "plan.problem_unknown_hint", key=key, suggestion=hint)
    else:
        t.rep.error(t.loc, ("problem",), "plan.problem_unknown", key=key)
    return None


def except_(t: Table, owners: tuple[str, ...], fan_out: bool) -> tuple[str, ...]:
    """The fan-out's owners without those listed in ``except`` (each must be a member)."""
    if "except" not in t.data:
        return owners
    names = t.strings("except")
    if names is None:
        return owners
    if not fan_out:
        t.rep.error(t.loc, ("except",), "plan.except_without_each")
        return owners
    if not owners:  # the fan-out itself is wrong: reported there
        return owners
    left = set()
    for name in names:
        if name not in owners:
            t.rep.error(t.loc, ("except",), "plan.except_not_member", unit=name)
        elif name in left:
            t.rep.error(t.loc, ("except",), "plan.dup_member", field="except", unit=name)
        left.add(name)
    kept = tuple(o for o in owners if o not in left)
    if not kept:
        t.rep.error(t.loc, ("except",), "plan.except_all")
        return owners
    return kept


def targets(
    t: Table, owners: tuple[str, ...], fan_out: bool, target: float | None
) -> dict[str, float]:
    """``targets = {UNIT = number}``: per-owner targets overriding ``target``."""
    table = t.table("targets")
    if table is None:
        return {}
    if not fan_out:
        t.rep.error(t.loc, ("targets",), "plan.targets_without_each")
        return {}
    if target is None and "target" not in t.data:
        t.rep.error(t.loc, ("targets",), "plan.targets_without_target")
        return {}
    sub = Table(table, t.loc.at(t.loc.where, "targets"), t.rep)
    out: dict[str, float] = {}
    for key in table:
        value = sub.positive(key)
        if owners and key not in owners:
            t.rep.error(sub.loc, (key,), "plan.targets_not_member", unit=key)
        elif value is not None:
            out[key] = value
    return out


def measure(t: Table, target: float | None, unit: str | None) -> str | None:
    """``measure``: how the instances add up; by default ``each`` for a rate (``%``)."""
    given = t.choice_or_none("measure", MEASURES)
    if given is None and "measure" in t.data:
        return None if target is None else default_measure(unit)  # reported: a bad choice
    if "measure" in t.data and target is None and "target" not in t.data:
        t.rep.error(t.loc, ("measure",), "plan.measure_without_target")
        return None
    if target is None:
        return None
    return given if given is not None else default_measure(unit)


@dataclass(frozen=True, slots=True)
class Window:
    """A task's resolved window, for the fields that are dated within it."""

    start: date
    due: date
    recurring: bool
    ctx: DateContext


def milestones(t: Table, win: Window, has_target: bool) -> tuple[tuple[date, float], ...]:
    """``milestones = {DATE = percent}``: the share of the target expected by each date."""
    table = t.table("milestones")
    if table is None:
        return ()
    rep, loc = t.rep, t.loc
    if not has_target:
        rep.error(loc, ("milestones",), "plan.milestones_without_target")
        return ()
    if win.recurring:
        rep.error(loc, ("milestones",), "plan.milestones_recurring")
        return ()
    sub = loc.at(loc.where, "milestones")
    found: dict[date, tuple[float, str]] = {}
    for raw, pct in table.items():
        d = date_value(raw, "milestones", sub.at(sub.where, raw), win.ctx, rep)
        share = _percent(pct, raw, sub, rep)
        if d is None or share is None:
            continue
        if not win.start < d < win.due:
            rep.error(sub, (raw,), "plan.milestone_outside", date=d, start=win.start, due=win.due)
        elif d in found:
            rep.error(sub, (raw,), "plan.milestone_dup", date=d)
        else:
            found[d] = (share, raw)
    points = sorted(found.items())
    for (d0, (p0, _)), (d1, (p1, key)) in pairwise(points):
        if p1 < p0:
            rep.error(
                sub, (key,), "plan.milestone_decreasing", date=d1, pct=f"{p1:g}", before=d0,
                was=f"{p0:g}",
            )  # fmt: skip
            return ()
    return tuple((d, p) for d, (p, _) in points)


def _percent(value: Any, key: str, loc: Loc, rep: Reporter) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100
    if not ok:
        rep.error(loc, (key,), "plan.milestone_percent", date=key, value=str(value)[:40])
        return None
    return float(value)


def covers(t: Table, every: str | None) -> str:
    """``covers``: whether the period label names the due day's period or the one before."""
    value = t.choice_or_none("covers", COVERS)
    if value is None:
        return "same"
    if every is None:
        t.rep.error(t.loc, ("covers",), "plan.covers_without_every")
        return "same"
    return value


def skip_labels(t: Table, every: str | None, has_dates: bool, ctx: DateContext) -> tuple[str, ...]:
    """``skip``: the period labels (for ``dates``: the dates) of occurrences not to expand."""
    if "skip" not in t.data:
        return ()
    raw = t.data["skip"]
    rep, loc = t.rep, t.loc
    if not isinstance(raw, list) or not all(isinstance(v, str | date) for v in raw):
        rep.error(loc, ("skip",), "plan.type.skip", field="skip")
        return ()
    if every is None and not has_dates:
        rep.error(loc, ("skip",), "plan.skip_without_recurrence")
        return ()
    out: list[str] = []
    for item in raw:
        label: str | None
        if has_dates:  # the dates of a ``dates`` task, in any form ``dates`` takes
            found = date_value(item, "skip", loc, ctx, rep)
            label = None if found is None else found.isoformat()
        else:
            label = item.isoformat() if isinstance(item, date) else item.strip()
        if label is None:
            continue
        if label in out:
            rep.error(loc, ("skip",), "plan.skip_dup", label=label)
        else:
            out.append(label)
    return tuple(out)
