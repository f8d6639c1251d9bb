"""What a leader reads first (issue #16): indicators, 整改 problems, urgent overdue, risks.

Computed from the store's outcome read models (``tracker.store.outcomes``) at the report's
as-of moment, inside the report's read transaction, so page one and the rest of the report
count the same instances. The choices cli-v2.md leaves open (docs/report.md, "Page one"):

- **Indicators**: every task with a target (plan-format-v2.md, Indicators), in plan order, at
  the as-of day. ``measure = "sum"``: target, progress are sums and expected = Σ target ×
  share; ``"each"``: target = owners, progress = owners_reached, expected = Σ share. Instances
  sharing a window and milestones share their share: computed once per occurrence, not per
  instance. A campaign's ``target``/``progress`` sum its ``sum`` indicators when they all
  share one unit, else are null; progress on a task without a target counts nowhere.
- **Tone** (the colour of an indicator's row): ``good`` when the gap is ≥ 0, ``warn`` when it
  is behind by less than a tenth of the target, ``bad`` otherwise.
- **Risks**: a task is marked a risk by the tag ``风险`` or ``risk`` (any case); the open ones
  at the moment, with the blocked tasks, make the 存在问题和下步打算 section, each with its
  reason and its latest note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain import DONE_STATES, OPEN, Status, Task
from tracker.domain.indicators import Part, Workdays, default_measure, share
from tracker.domain.status import COUNTED
from tracker.store import outcomes as store
from tracker.store.figures import Key, Moments

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


def _points(text: str | None) -> tuple[tuple[date, float], ...]:
    import json

    if not text:
        return ()
    return tuple((date.fromisoformat(d), float(p)) for d, p in json.loads(text))


@dataclass(slots=True)
class _Acc:
    measure: str
    unit: str | None
    target: float = 0.0
    progress: float = 0.0
    expected: float = 0.0
    owners: int = 0
    reached: int = 0


def _accumulate(rows: dict[Key, list[float]], d: date, cal: Workdays) -> dict[Key, _Acc]:
    """Per (campaign, task_key), the indicator's sums; one share per occurrence."""
    out: dict[Key, _Acc] = {}
    shares: dict[tuple[Any, ...], float] = {}
    for (camp, key, measure, unit, start, due, ms), (n, target, progress, reached) in rows.items():
        if n <= 0 or not start or not due:
            continue
        window = (start, due, ms)
        s = shares.get(window)
        if s is None:
            part = Part(date.fromisoformat(start), date.fromisoformat(due), 1.0, None, _points(ms))
            s = shares[window] = share(d, part.start, part.due, part.milestones, cal)
        acc = out.setdefault((camp, key), _Acc(measure or default_measure(unit), unit))
        acc.owners += int(n)
        acc.reached += int(reached)
        acc.target += target
        acc.progress += progress
        acc.expected += (n if acc.measure == "each" else target) * s
    return out


def indicators(
    db: Any, plan: str, m: Moments, d: date, cal: Workdays
) -> tuple[list[Indicator], dict[str, tuple[float | None, float | None]]]:
    """The plan's indicators at ``d`` and each campaign's summed target and progress."""
    accs = _accumulate(store.indicator_rows(m), d, cal)
    info = store.template_info(db, plan, [(str(c), str(k)) for c, k in accs])
    out: list[Indicator] = []
    for (camp, key), a in accs.items():
        ti = info.get((camp, key))
        title, position = (ti.title, ti.position) if ti else (str(key), 0)
        if ti and ti.second_title not in (None, title) and ti.owner_name:
            title = title.replace(ti.owner_name, "").strip() or str(key)  # a fan-out
        if a.measure == "each":
            target, progress = float(a.owners), float(a.reached)
        else:
            target, progress = a.target, a.progress
        out.append(Indicator(plan, str(camp), str(key), title, a.unit, a.measure, target,
                             progress, a.expected, progress - a.expected, a.owners, a.reached,
                             position))  # fmt: skip
    out.sort(key=lambda i: (i.position, i.campaign, i.task_key))
    return out, campaign_sums(out)


def campaign_sums(items: list[Indicator]) -> dict[str, tuple[float | None, float | None]]:
    """Per campaign: Σ target and Σ progress of its ``sum`` indicators when they share one
    unit, else ``(None, None)`` (no 户 + 人 + 万元)."""
    by: dict[str, list[Indicator]] = {}
    for i in items:
        by.setdefault(i.campaign, []).append(i)
    out: dict[str, tuple[float | None, float | None]] = {}
    for camp, inds in by.items():
        sums = [i for i in inds if i.measure == "sum"]
        units = {(i.unit or "").strip() for i in sums}
        if sums and len(units) == 1 and len(sums) == len(inds):
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

    inds, sums = indicators(db, plan, m, asof, workdays(db, plan))
    risks = store.risk_tasks(m, RISK_TAGS, store.risk_candidates(db, plan, RISK_TAGS))
    risks.sort(key=priority_key)
    next_day = m.next_day
    notes = store.last_notes(db, sorted({t.id for t in [*blocked, *risks]}), next_day)
    urgent = sorted((t for t in overdue if t.priority == "high"), key=priority_key)
    cut = urgent if limit is None else urgent[: min(limit, PAGE_ONE_ROWS)]
    found = issues(blocked, risks, notes)
    return Outcomes(
        inds, sums, problems(db, plan, m), overdue_units(overdue, asof), cut, len(urgent),
        found if limit is None else found[:limit], risks, len(found),
    )  # fmt: skip
