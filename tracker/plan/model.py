"""The validated plan and its expanded task instances: plain data, shared by every layer.

``plan/`` builds these from TOML; ``store/`` persists them; nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Unit:
    """A responsible unit (责任单位): a bureau, a township, a village.

    ``kind`` is its peer group as resolved (its own, else its parent's, else ``""``): units are
    ranked only against units of the same kind; ``rank = False`` keeps it out of every ranking
    (the leadership itself, outside helpers); ``contact`` is its 联络员 (plan format v2).
    """

    key: str
    name: str
    leader: str | None = None
    parent: str | None = None
    kind: str = ""
    rank: bool = True
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding to rectify (整改问题): tasks with ``problem = KEY`` are its measures."""

    key: str
    title: str
    source: str | None = None
    leader: str | None = None


@dataclass(frozen=True, slots=True)
class Campaign:
    """A dated window of the year (春季攻势 …) holding task templates."""

    key: str
    name: str
    start: date
    end: date
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The plan's header and reference data, without its tasks."""

    id: str
    title: str
    year: int
    calendar: str = "cn"
    due_shift: str = "before"
    lang: str | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    campaigns: tuple[Campaign, ...] = ()
    #: ``[[problem]]`` tables by key, in plan order (plan format v2)
    problems: dict[str, Problem] = field(default_factory=dict)
    sources: tuple[Path, ...] = ()
    #: the plan's ``[calendar]`` overrides (extra days off, extra working days), sorted
    holidays: tuple[date, ...] = ()
    workdays: tuple[date, ...] = ()


@dataclass(slots=True)
class Instance:
    """One dated task instance: one owner unit, one recurrence period.

    ``uid`` is ``PLAN_ID/CAMPAIGN_KEY/TASK_KEY[/UNIT_KEY][/PERIOD]`` (plan-format.md, Identity);
    it is what survives a reload. ``due`` is the plan's deadline after ``due_shift``.
    ``after`` holds template references ``CAMPAIGN_KEY/TASK_KEY`` of tasks that should finish first.
    ``position`` is the instance's rank in the deterministic expansion order.

    Plain data, compared by value; treat it as read-only. It is not ``frozen``: a frozen
    dataclass sets each field through ``object.__setattr__``, which makes building the half
    million instances of a county plan (the hot loop of ``check`` and of a first load) more than
    twice as slow. Being mutable, it is not hashable: key instances by ``uid``.
    """

    uid: str
    plan: str
    campaign: str
    task_key: str
    title: str
    owner: str
    start: date
    due: date
    support: tuple[str, ...] = ()
    leader: str | None = None
    period: str | None = None
    target: float | None = None
    unit: str | None = None
    priority: str = "normal"
    tags: tuple[str, ...] = ()
    notes: str | None = None
    after: tuple[str, ...] = ()
    position: int = 0
    # -- plan format v2 (all default for a version 1 plan)
    problem: str | None = None
    responsible: str | None = None
    #: how instances add up as an indicator, ``"sum"`` or ``"each"``; None without a target
    measure: str | None = None
    #: (date, percent of the target expected by then), sorted: the 序时进度 points
    milestones: tuple[tuple[date, float], ...] = ()


@dataclass(slots=True)
class Diagnostic:
    """One error or warning about a plan, located in its source file.

    ``message_key`` is an i18n key and ``params`` its arguments, so the same diagnostic
    prints in Chinese or English. ``line``/``col`` are 1-based; ``col`` only for TOML
    syntax errors.
    """

    file: str
    line: int
    message_key: str
    params: dict[str, object] = field(default_factory=dict)
    severity: str = "error"  # "error" | "warning"
    col: int | None = None

    def render(self, lang: str) -> str:
        """``FILE:LINE: message`` (``FILE:LINE:COL`` for syntax errors), one line."""
        from tracker import i18n

        where = f"{self.file}:{self.line}" + (f":{self.col}" if self.col else "")
        text = i18n.t(self.message_key, lang, **self.params)
        if self.severity == "warning":
            text = i18n.t("plan.warning_prefix", lang) + text
        return f"{where}: {text}".replace("\n", " ")


@dataclass(frozen=True, slots=True)
class MovedDate:
    """A due date that ``due_shift`` moved off a non-working day (listed by ``tracker check``)."""

    uid: str
    nominal: date
    due: date
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class TemplateBlock:
    """The instances of one task template: counted and fingerprinted, made only on demand.

    ``fingerprint`` hashes everything ``make`` builds the instances from (the template's fields,
    its owners' names and leaders, its dated occurrences after the calendar, the code version),
    so equal fingerprints mean equal instances and a reload can leave the stored rows of an
    unchanged template alone. Positions are left out: they run from ``start``.
    """

    campaign: str
    task_key: str
    start: int
    count: int
    fingerprint: bytes
    #: ``make(moved)`` builds the instances (appending due dates moved by the calendar to
    #: ``moved`` unless it is None)
    make: Callable[[list[MovedDate] | None], list[Instance]] = field(compare=False, repr=False)

    def instances(self) -> list[Instance]:
        """The template's instances, positions ``start`` .. ``start + count - 1``."""
        return self.make(None)


@dataclass(frozen=True, slots=True)
class PlanStats:
    """What ``tracker check`` counts besides instances (plan format v2)."""

    #: task templates with a ``target``
    indicators: int = 0
    #: occurrences left out by ``skip`` (one per period of a template) …
    skipped: int = 0
    #: … and the instances they would have made (times the owners)
    skipped_instances: int = 0


@dataclass(slots=True)
class Expansion:
    """The result of reading a plan: the plan, its instances in order, and its warnings."""

    plan: Plan
    instances: list[Instance]
    warnings: list[Diagnostic] = field(default_factory=list)
    moved: list[MovedDate] = field(default_factory=list)
    stats: PlanStats = field(default_factory=lambda: PlanStats())
    #: Set by ``read_plan``: the same instances by template, for ``load_expansion`` to skip
    #: unchanged templates (it makes the others' instances again from these). Not an
    #: ``__init__`` field, so an expansion built by hand or by ``dataclasses.replace`` has
    #: none, and its ``instances`` are compared with the stored rows one by one.
    blocks: tuple[TemplateBlock, ...] | None = field(
        default=None, init=False, compare=False, repr=False
    )


@dataclass(slots=True)
class LazyExpansion:
    """A read plan whose instances are not made yet (``read_plan_lazy``): what a reload needs.

    Making half a million instances takes over a second; a reload makes only those of the
    templates that changed.
    """

    plan: Plan
    blocks: tuple[TemplateBlock, ...]
    warnings: list[Diagnostic] = field(default_factory=list)
    stats: PlanStats = field(default_factory=lambda: PlanStats())

    @property
    def count(self) -> int:
        """How many instances the plan expands to."""
        return sum(b.count for b in self.blocks)
