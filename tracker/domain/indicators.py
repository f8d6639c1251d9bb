"""Indicators (plan format v2): a task with a target, its 序时进度 and how its instances add up.

Pure arithmetic over plain values. The working days come from a ``Workdays`` (the plan's
calendar, ``tracker.plan.calendar.WorkCalendar``), so nothing here knows about holidays.

- **share(d)**: the part of the target expected by day ``d``. It runs piecewise linearly over
  working days through the points (start, 0 %), each milestone, and (due, 100 %): on a day
  between two points, by the working days from the earlier point through ``d`` over those
  from the earlier point through the later one. On a point's own day it is that point's share
  (the start's day excepted: the work has begun, so it is the first step of the first
  segment). Before the start it is 0, from the due day on 1.
- **measure** ``"sum"``: progress and target are sums over the instances, expected the sum of
  each instance's target × share; ``"each"``: the owners (instances) and those whose progress
  reached their own target, expected = Σ share (owners × share when they share one window).
- ``gap`` = progress − expected. Nothing is rounded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Protocol

MEASURES = ("sum", "each")
#: The unit of a rate: its indicators never add up across owners, so they default to "each".
PERCENT = "%"


class Workdays(Protocol):
    """Counts working days (the plan's calendar)."""

    def count_workdays(self, start: date, end: date) -> int:
        """Working days from ``start`` through ``end``, both included (0 when end < start)."""
        ...


def default_measure(unit: str | None) -> str:
    """``"each"`` for a rate (``unit = "%"``), else ``"sum"`` (plan-format-v2.md)."""
    return "each" if unit is not None and unit.strip() == PERCENT else "sum"


Points = Sequence[tuple[date, float]]  # (date, percent of the target), sorted by date


def share(d: date, start: date, due: date, milestones: Points, cal: Workdays) -> float:
    """The share (0..1) of the target expected by the end of day ``d`` (module docstring)."""
    if d < start:
        return 0.0
    if d >= due:
        return 1.0
    points = [(start, 0.0)]
    points += [(m, p / 100) for m, p in milestones if start < m < due]
    points.append((due, 1.0))
    for (a, sa), (b, sb) in pairwise(points):
        if d == b:
            return sb
        if a <= d < b:
            total = cal.count_workdays(a, b)
            if total <= 0:  # no working day between the points: the earlier share holds
                return sa
            value = sa + (sb - sa) * cal.count_workdays(a, d) / total
            return min(max(value, min(sa, sb)), max(sa, sb))  # no rounding past a point
    return 1.0  # pragma: no cover - d < due lies in some segment


@dataclass(frozen=True, slots=True)
class Part:
    """One instance of an indicator: its window, milestones, target and progress."""

    start: date
    due: date
    target: float
    progress: float | None = None
    milestones: Points = ()


def expected_of(part: Part, d: date, cal: Workdays) -> float:
    """One instance's 序时进度 at ``d``: its target × share(d)."""
    return part.target * share(d, part.start, part.due, part.milestones, cal)


@dataclass(frozen=True, slots=True)
class Figures:
    """An indicator's figures at a date (the report's ``indicators`` entries, cli-v2.md)."""

    measure: str
    target: float
    progress: float
    expected: float
    gap: float
    owners: int
    owners_reached: int

    @property
    def rate(self) -> float | None:
        """``each``: owners reached ÷ owners; ``sum``: progress ÷ target (None without any)."""
        if self.measure == "each":
            return self.owners_reached / self.owners if self.owners else None
        return self.progress / self.target if self.target else None

    @property
    def reached(self) -> bool:
        """progress ≥ target (``each``: every owner reached its own)."""
        return self.target > 0 and self.progress >= self.target


def figures(measure: str, parts: Iterable[Part], d: date, cal: Workdays) -> Figures:
    """The figures of an indicator made of ``parts`` at ``d``, by its ``measure``."""
    items = list(parts)
    owners = len(items)
    reached = sum(1 for p in items if (p.progress or 0.0) >= p.target)
    if measure == "each":
        expected = sum(share(d, p.start, p.due, p.milestones, cal) for p in items)
        target, progress = float(owners), float(reached)
    else:
        expected = sum(expected_of(p, d, cal) for p in items)
        target = sum(p.target for p in items)
        progress = sum(p.progress or 0.0 for p in items)
    return Figures(measure, target, progress, expected, progress - expected, owners, reached)
