"""What a leader reads first (issue #16): indicators, 整改 problems, urgent overdue, risks.

Computed from the store's outcome read models (``tracker.store.outcomes``) at the report's
as-of moment, inside the report's read transaction, so page one and the rest of the report
count the same instances. The choices cli-v2.md leaves open (docs/report.md, "Page one"):

- **Indicators**: every task with a target (plan-format-v2.md, Indicators), in plan order, at
  the as-of day. ``measure = "sum"``: target, progress are sums and expected = Σ target ×
  share; ``"each"``: target = owners, progress = owners_reached, expected = Σ share. Instances
  sharing a window and milestones share their share: computed once per window, not per
  instance. A campaign's ``target``/``progress`` sum its ``sum`` indicators when they all
  share one unit (0 for a campaign without any), else are null; its ``each`` indicators never
  enter them; progress on a task without a target counts nowhere.
- **Tone** (the colour of an indicator's row): ``good`` when the gap is ≥ 0, ``warn`` when it
  is behind by less than a tenth of the target, ``bad`` otherwise.
- **Risks**: a task is marked a risk by the tag ``风险`` or ``risk`` (any case); the open ones
  at the moment, with the blocked tasks, make the 存在问题和下步打算 section, each with its
  reason and its latest note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain import DONE_STATES, OPEN, Status, Task
from tracker.domain.indicators import Workdays, default_measure, share
from tracker.domain.status import COUNTED
from tracker.store import outcomes as store
from tracker.store.figures import Moments

#: The tags that mark a task as a risk (风险点): shown in 存在问题和下步打算 while open.
RISK_TAGS = ("风险", "risk")
#: High-priority overdue items shown on page one (the rest are in the overdue list).
PAGE_ONE_ROWS = 10
#: Behind by less than this share of the target: ``warn``; by more: ``bad``.
WARN_SHARE = 0.1
PRIORITY_ORDER = {"high": 0, "normal": 1, "low": 2}
_EPS = 1e-9


def priority_key(t: Task) -> tuple[int, str, int, int]:
    """High priority first, then the oldest deadline (the detailed lists' order)."""
    return (PRIORITY_ORDER.get(t.priority, 1), t.due, t.position or 0, t.id)


@dataclass(slots=True)
class Indicator:
    """One indicator's figures at the as-of day (cli-v2.md ``indicators``)."""

    plan: str
    campaign: str
    task_key: str
    title: str
    unit: str | None
    measure: str
    target: float
    progress: float
    expected: float
    gap: float
    owners: int
    owners_reached: int
    position: int = 0

    @property
    def tone(self) -> str:
        """``good`` (at or ahead of 序时进度), ``warn`` (a little behind) or ``bad``."""
        if self.gap >= -_EPS:
            return "good"
        return "warn" if -self.gap < WARN_SHARE * self.target else "bad"

    @property
    def rate(self) -> float | None:
        return self.progress / self.target if self.target else None


@dataclass(slots=True)
class Problem:
    """A 整改 problem and its measures at the moment (cli-v2.md ``problems``)."""

    key: str
    title: str
    source: str | None
    leader: str | None
    measures: int = 0
    done: int = 0  # done and verified
    verified: int = 0
    overdue: int = 0


@dataclass(slots=True)
class OverdueUnit:
    """One owner's overdue items: how many, the oldest deadline, the worst item."""

    unit: str
    unit_name: str
    count: int
    oldest_due: str
    days_overdue: int
    worst: Task


@dataclass(slots=True)
class Issue:
    """A blocked task or an open risk, with its reason and its latest note."""

    kind: str  # "blocked" | "risk"
    task: Task
    reason: str | None
    latest: str | None


@dataclass(slots=True)
class Outcomes:
    """Everything page one and the outcome sections show, computed once."""

    indicators: list[Indicator] = field(default_factory=list)
    campaign_sums: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    overdue_units: list[OverdueUnit] = field(default_factory=list)
    urgent: list[Task] = field(default_factory=list)  # high-priority overdue, cut for page one
    urgent_count: int = 0
    issues: list[Issue] = field(default_factory=list)  # cut to the list limit
    risks: list[Task] = field(default_factory=list)
    issues_count: int = 0
    # per (campaign, task_key) with a target: [count, Σ target, Σ progress] (the JSON's
    # campaigns[].targets, from the same pass as the indicators)
    target_rows: dict[tuple[Any, ...], list[float]] = field(default_factory=dict)


def _points(text: str | None) -> tuple[tuple[date, float], ...]:
    import json

    if not text:
        return ()
    return tuple((date.fromisoformat(d), float(p)) for d, p in json.loads(text))


def _share_of(d: date, cal: Workdays) -> Callable[[str, str, str | None], float]:
    """share(d) of a window given as the store holds it, remembered per window."""
    seen: dict[tuple[str, str, str | None], float] = {}

    def share_at(start: str, due: str, milestones: str | None) -> float:
        key = (start, due, milestones)
        found = seen.get(key)
        if found is None:
            try:
                a, b = date.fromisoformat(start), date.fromisoformat(due)
                found = share(d, a, b, _points(milestones), cal)
            except (TypeError, ValueError):  # a damaged row: no share rather than no report
                found = 0.0
            seen[key] = found
        return found

    return share_at


def indicators(
    db: Any, plan: str, m: Moments, d: date, cal: Workdays, into: Outcomes | None = None
) -> tuple[list[Indicator], dict[str, tuple[float | None, float | None]]]:
    """The plan's indicators at ``d`` and each campaign's summed target and progress (and,
    ``into``, the per-task targets of the same pass)."""
    rows = {k: v for k, v in store.indicator_rows(m, _share_of(d, cal)).items() if v[0] > 0}
    if into is not None:
        into.target_rows = {k: v[:3] for k, v in rows.items()}
    info = store.template_info(db, plan, [(str(c), str(k)) for c, k in rows])
    out: list[Indicator] = []
    for (camp, key), (n, target, progress, reached, by_target, by_owner) in rows.items():
        ti = info.get((camp, key))
        title, position = (ti.title, ti.position) if ti else (str(key), 0)
        if ti and ti.second_title not in (None, title) and ti.owner_name:
            title = title.replace(ti.owner_name, "").strip() or str(key)  # a fan-out
        unit = ti.unit if ti else None
        measure = (ti.measure if ti else None) or default_measure(unit)
        if measure == "each":  # owners reaching their own target; expected Σ share
            target, progress, expected = float(n), float(reached), by_owner
        else:
            expected = by_target
        out.append(Indicator(plan, str(camp), str(key), title, unit, measure, target, progress,
                             expected, progress - expected, int(n), int(reached),
                             position))  # fmt: skip
    out.sort(key=lambda i: (i.position, i.campaign, i.task_key))
    return out, campaign_sums(out)


def campaign_sums(items: list[Indicator]) -> dict[str, tuple[float | None, float | None]]:
    """Per campaign: Σ target and Σ progress of its ``sum`` indicators when they all share one
    unit (0 when it has none), else ``(None, None)``: no 户 + 人 + 万元 (cli-v2.md)."""
    by: dict[str, list[Indicator]] = {}
    for i in items:
        by.setdefault(i.campaign, [])
        if i.measure == "sum":
            by[i.campaign].append(i)
    out: dict[str, tuple[float | None, float | None]] = {}
    for camp, sums in by.items():
        if len({(i.unit or "").strip() for i in sums}) <= 1:
            out[camp] = (sum(i.target for i in sums), sum(i.progress for i in sums))
        else:
            out[camp] = (None, None)
    return out


def problems(db: Any, plan: str, m: Moments) -> list[Problem]:
    """The plan's problems with their measures' figures at the moment."""
    found = {p.key: Problem(p.key, p.title, p.source, p.leader) for p in store.problems(db, plan)}
    for (key, status), (n, before) in store.problem_rows(m).items():
        p = found.get(str(key))
        if p is None or status not in COUNTED or n <= 0:
            continue
        p.measures += int(n)
        if status in DONE_STATES:
            p.done += int(n)
            if status == Status.VERIFIED:
                p.verified += int(n)
        elif status in OPEN:
            p.overdue += int(before)
    return list(found.values())


def overdue_units(overdue: list[Task], asof: date) -> list[OverdueUnit]:
    """The overdue items grouped by owner: most items first, then the oldest."""
    by: dict[str, list[Task]] = {}
    for t in overdue:
        by.setdefault(t.owner, []).append(t)
    out = []
    for owner, items in by.items():
        oldest = min(t.due for t in items)
        days = (asof - date.fromisoformat(oldest)).days
        worst = min(items, key=priority_key)
        out.append(
            OverdueUnit(owner, items[0].owner_name or owner, len(items), oldest, days, worst)
        )
    out.sort(key=lambda u: (-u.count, u.oldest_due, u.unit))
    return out


def issues(blocked: list[Task], risks: list[Task], notes: dict[int, list[str]]) -> list[Issue]:
    """Blocked tasks, then open risks not blocked: the reason and the latest other note."""
    out: list[Issue] = []
    seen: set[int] = set()
    for kind, tasks in (("blocked", blocked), ("risk", risks)):
        for t in sorted(tasks, key=priority_key):
            if t.id in seen:
                continue
            seen.add(t.id)
            said = notes.get(t.id, [])
            # blocked: its reason; a risk: the note that raised it (its first)
            reason = t.blocked_reason if kind == "blocked" else (said[0] if said else None)
            others = [n for n in said if n != reason]
            out.append(Issue(kind, t, reason, others[-1] if others else None))
    return out


def compute(
    db: Any,
    plan: str,
    m: Moments,
    asof: date,
    overdue: list[Task],
    blocked: list[Task],
    limit: int | None,
) -> Outcomes:
    """Page one's figures and the outcome sections, from the report's moment ``m`` and its
    full (uncut) overdue and blocked lists."""
    from tracker.store.calendars import workdays

    found = Outcomes()
    inds, sums = indicators(db, plan, m, asof, workdays(db, plan), found)
    risks = store.risk_tasks(m, RISK_TAGS, store.risk_candidates(db, plan, RISK_TAGS))
    risks.sort(key=priority_key)
    next_day = m.next_day
    notes = store.last_notes(db, sorted({t.id for t in [*blocked, *risks]}), next_day)
    urgent = sorted((t for t in overdue if t.priority == "high"), key=priority_key)
    cut = urgent if limit is None else urgent[: min(limit, PAGE_ONE_ROWS)]
    gathered = issues(blocked, risks, notes)
    found.indicators, found.campaign_sums = inds, sums
    found.problems, found.overdue_units = problems(db, plan, m), overdue_units(overdue, asof)
    found.urgent, found.urgent_count = cut, len(urgent)
    found.issues = gathered if limit is None else gathered[:limit]
    found.risks, found.issues_count = risks, len(gathered)
    return found
