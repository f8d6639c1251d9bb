"""What a computed weekly report holds: figures per group, the rows of each section, the lists.

Computed once by ``weekly.compute_weekly``; every renderer (text, md, html, xlsx, json) and the
TUI's overview read these same objects, so every format shows the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from tracker.report.outcomes import Outcomes

RED_SIZE = 5
BLACK_SIZE = 3

# A task object of ``list --json`` (cli.md) with the report's extra keys (done_by, …): JSON.
TaskObject = dict[str, Any]


@dataclass(slots=True)
class TargetLine:
    """A quantitative task of a campaign: its title, unit of measure, summed target, progress."""

    task_key: str
    title: str
    unit: str | None
    target: float
    progress: float


@dataclass(slots=True)
class Figures:
    """Counts for one group of instances (a campaign, a unit, the whole plan)."""

    tasks: int = 0
    due_to_date: int = 0
    done: int = 0
    verified: int = 0
    overdue: int = 0
    blocked: int = 0
    done_due: int = 0  # done among due_to_date
    on_time: int = 0  # done on or before the due date, among due_to_date
    target: float = 0.0
    progress: float = 0.0
    waived: int = 0  # waived instances: counted nowhere above (cli-v2.md), only numbered here

    def add(self, other: Figures) -> None:
        """Add ``other`` into this one (roll-up)."""
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def completion_rate(self) -> float | None:
        return self.done_due / self.due_to_date if self.due_to_date else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due_to_date if self.due_to_date else None

    def on_time_fraction(self) -> Fraction | None:
        """The exact rate, so that ties are ties (1/3 == 2/6)."""
        return Fraction(self.on_time, self.due_to_date) if self.due_to_date else None


@dataclass(slots=True)
class CampaignRow:
    key: str
    name: str
    start: str
    end: str
    figures: Figures
    # per quantitative task: title, unit of measure, summed target and progress
    targets: list[TargetLine] = field(default_factory=list)
    # Σ of the campaign's "sum" indicators when they share one unit, else None (cli-v2.md)
    target: float | None = None
    progress: float | None = None


@dataclass(slots=True)
class UnitRow:
    key: str
    name: str
    parent: str | None
    depth: int
    figures: Figures  # the instances the unit owns itself: what is ranked
    subtree: Figures  # the unit and every unit below it in the parent tree (合计含下级)
    rank: int | None = None

    @property
    def has_below(self) -> bool:
        """Units below this one own instances (its subtree figures differ from its own)."""
        return self.subtree.tasks != self.figures.tasks


@dataclass(slots=True)
class WeeklyReport:
    plan: str
    title: str
    lang: str
    iso_year: int
    iso_week: int
    start: date  # Monday
    end: date  # Sunday
    today: date
    asof: date
    totals: Figures
    previous: Figures  # the same figures at the end of the previous week
    campaigns: list[CampaignRow]
    units: list[UnitRow]  # ranked order; unranked (nothing due yet) last
    tree: list[UnitRow]  # the same rows in plan (tree) order
    done_this_week: list[TaskObject]
    overdue: list[TaskObject]
    due_next_week: list[TaskObject]
    blocked: list[TaskObject]
    postponed: list[TaskObject]
    postpone_requests: list[TaskObject]  # open requests (people.md), each with its request
    counts: dict[str, int]  # full length of each list (the lists may be cut to a limit)
    chart: list[tuple[str, int, int]]  # (week label, due cumulative, done cumulative)
    # page one and the outcome sections: indicators, problems, risks (outcomes.py)
    outcomes: Outcomes = field(default_factory=Outcomes)

    @property
    def week(self) -> str:
        return f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def red(self) -> list[UnitRow]:
        """红榜: the best units (some instances done on time)."""
        ranked = [u for u in self.units if u.rank is not None]
        return [u for u in ranked if (u.figures.on_time_rate or 0) > 0][:RED_SIZE]

    @property
    def black(self) -> list[UnitRow]:
        """黑榜: the worst units, worst first, never one already on the 红榜 nor a perfect one."""
        red = {u.key for u in self.red}
        ranked = [u for u in self.units if u.rank is not None and u.key not in red]
        bad = [u for u in ranked if (u.figures.on_time_rate or 0) < 1 or u.figures.overdue]
        return list(reversed(bad))[:BLACK_SIZE]
