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

RED_SIZE = 3  # 红榜: rank 3 or better in the peer group (cli-v2.md)
BLACK_SIZE = 3  # 黑榜: rank 3 or better counted from the worst end

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
        """Add ``other`` into this one (roll-up). Field by field, written out: a report at 500k
        adds a few thousand groups, and a loop over ``__slots__`` costs it ten times as much."""
        self.tasks += other.tasks
        self.due_to_date += other.due_to_date
        self.done += other.done
        self.verified += other.verified
        self.overdue += other.overdue
        self.blocked += other.blocked
        self.done_due += other.done_due
        self.on_time += other.on_time
        self.target += other.target
        self.progress += other.progress
        self.waived += other.waived

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
class PeerUnit:
    """A unit as its peer group ranks it (cli-v2.md ``rankings``): rank within the group."""

    key: str
    name: str
    figures: Figures
    rank: int | None = None


@dataclass(slots=True)
class PeerRanking:
    """One peer group (``kind``): its ranked units, its 红榜 and 黑榜 (ties whole)."""

    kind: str
    units: list[PeerUnit]  # ranked order; unranked (nothing due yet) last
    red: list[PeerUnit]  # rank 3 or better, best first
    black: list[PeerUnit]  # rank from the worst end 3 or better, worst first


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
    rankings: list[PeerRanking] = field(default_factory=list)  # per peer group (rankings.py)
    period: str = "week"  # "week", "month" or "quarter" (periods.py)
    label: str = ""  # the period's label when not a week: "2020-04", "2020-Q2"

    @property
    def week(self) -> str:
        """The period's label: the ISO week, or the month's or quarter's label."""
        return self.label or f"{self.iso_year}-W{self.iso_week:02d}"

    @property
    def red(self) -> list[PeerUnit]:
        """红榜: every peer group's units of rank 3 or better (ties whole), group by group."""
        return [u for g in self.rankings for u in g.red]

    @property
    def black(self) -> list[PeerUnit]:
        """黑榜: every peer group's worst units (rank from the worst end 3 or better)."""
        return [u for g in self.rankings for u in g.black]
