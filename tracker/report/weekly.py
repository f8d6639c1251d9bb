"""The weekly progress summary (周报), computed once; renderers only lay it out.

Definitions (cli.md, JSON; the choices cli.md leaves open are documented in
``tracker/report/__init__.py``):

- the **as-of day** is ``min(to, today)`` and the as-of moment the *end* of that day: the
  state of every task is its state then, rebuilt from the event log for tasks changed since
  (``asof.py``). Using the end of the day rather than the wall clock makes a report repeatable:
  run twice over the same data, it is identical;
- ``due_to_date``: due (effective deadline at that moment) on or before the as-of day;
- ``done``: done or verified; ``completion_rate`` = done among due_to_date ÷ due_to_date;
- ``on_time_rate`` = due_to_date instances done with ``date(done_at) <= due`` ÷ due_to_date;
- ``overdue``: due before the as-of day and todo, doing or blocked;
- withdrawn instances count nowhere; rates are ``None`` where the denominator is 0.

Aggregation is SQL in the store (``tracker.store.figures``): one ``GROUP BY`` pass over the plan's
tasks, corrected for the tasks changed since the moment; campaign, unit and total figures are
sums of its groups (``tally.py``). The report's data types are in ``model.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tracker.context import check_date
from tracker.domain import Task
from tracker.errors import BadInput
from tracker.report import periods, rankings, tally
from tracker.report.model import (
    BLACK_SIZE,
    RED_SIZE,
    CampaignRow,
    Figures,
    TargetLine,
    TaskObject,
    UnitRow,
    WeeklyReport,
)
from tracker.report.outcomes import Indicator, Outcomes, indicators, priority_key
from tracker.report.outcomes import compute as compute_outcomes
from tracker.report.periods import Period as _Period
from tracker.report.taskobj import TaskObjects
from tracker.store import figures as store_figures
from tracker.store import peers as store_peers
from tracker.store.calendars import workdays
from tracker.store.db import Store
from tracker.store.figures import Moments

__all__ = [
    "BLACK_SIZE",
    "RED_SIZE",
    "CampaignRow",
    "Figures",
    "UnitRow",
    "WeeklyReport",
    "choose_plan",
    "compute_report",
    "compute_totals",
    "compute_weekly",
    "parse_week",
    "rank_units",
    "week_period",
]

rank_units = tally.rank_units


def parse_week(value: str | None, today: date) -> tuple[int, int]:
    """``2020-W15`` (also ``2020W15``, ``2020-w15``, or a date inside the week) → (year, week)."""
    if not value:
        y, w, _ = today.isocalendar()
        return y, w
    text = value.strip()
    m = re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", text)
    if m:
        year, week = int(m.group(1)), int(m.group(2))
        try:
            check_date(date.fromisocalendar(year, week, 1), value)
        except ValueError as e:
            raise BadInput("report.bad_week", value=value[:80]) from e
        return year, week
    try:
        found = date.fromisoformat(text)
    except ValueError as e:
        raise BadInput("report.bad_week", value=value[:80]) from e
    y, w, _ = check_date(found, value).isocalendar()
    return y, w


def choose_plan(db: Store, plan: str | None) -> tuple[str, str, str | None]:
    """``(id, title, lang)`` of the plan to report on: ``plan``, or the only one loaded."""
    rows = store_figures.plans(db)
    ids = ", ".join(r.id for r in rows)
    if plan is not None:
        for r in rows:
            if r.id == plan:
                return r.id, r.title, r.lang
        raise BadInput("report.unknown_plan", plan=plan, plans=ids or "-")
    if not rows:
        raise BadInput("report.no_plan")
    if len(rows) > 1:
        raise BadInput("report.ambiguous_plan", plans=ids)
    return rows[0].id, rows[0].title, rows[0].lang


def _period(week: str | None, today: date) -> _Period:
    year, wk = parse_week(week, today)
    start = date.fromisocalendar(year, wk, 1)
    end = start + timedelta(days=6)
    return periods.span(start, end, end + timedelta(days=7), today, periods.WEEK, "")


def week_period(week: str | None, today: date) -> _Period:
    """The ISO week ``week`` (default: the one holding ``today``) as a report period."""
    return _period(week, today)


@dataclass(slots=True)
class _Lists:
    """The report's task lists at the as-of moment, sorted, before any cut."""

    done: list[Task]
    overdue: list[Task]
    due_next: list[Task]
    blocked: list[Task]
    postponed: list[Task]

    def counts(self) -> dict[str, int]:
        return {
            "done_this_week": len(self.done),
            "overdue": len(self.overdue),
            "due_next_week": len(self.due_next),
            "blocked": len(self.blocked),
            "postponed": len(self.postponed),
        }

    def cut(self, limit: int | None) -> None:
        if limit is None:
            return
        for name in ("done", "overdue", "due_next", "blocked", "postponed"):
            setattr(self, name, getattr(self, name)[:limit])


def _lists(m: Moments, p: _Period) -> _Lists:
    """The tasks done in the period, overdue, due in the next period, blocked and postponed,
    as of then."""
    lists = _Lists(
        done=m.done_between(p.start),
        overdue=m.overdue(),
        due_next=m.due_between(p.end + timedelta(days=1), p.next_end),
        blocked=m.blocked(),
        postponed=m.postponed(),
    )
    lists.done.sort(key=lambda t: (t.done_at or "", t.id))
    for rows in (lists.due_next, lists.blocked):
        rows.sort(key=lambda t: (t.due, t.position or 0, t.id))
    for rows in (lists.overdue, lists.postponed):  # high priority first (issue #16)
        rows.sort(key=priority_key)
    return lists


@dataclass(slots=True)
class _Read:
    """Everything read from the store for one report, inside one read transaction."""

    groups: dict[tuple[str, str], Figures]
    previous: Figures
    target_rows: dict[tuple[Any, ...], list[float]]
    targets: dict[str, list[TargetLine]]
    lists: _Lists
    counts: dict[str, int]
    campaigns: list[store_figures.CampaignInfo]
    chart: list[tuple[str, int, int]]
    who: dict[int, str]
    why: dict[int, str]
    requests: list[Task]
    outcomes: Outcomes


def _read(db: Store, plan_id: str, p: _Period, limit: int | None) -> _Read:
    single = len(store_figures.plans(db)) == 1
    m = Moments(db, plan_id, p.asof, p.prev, single)
    try:
        # the lists first: the grouped scans meanwhile run on the twin connection, if any
        lists = _lists(m, p)
        found = compute_outcomes(db, plan_id, m, p.asof, lists.overdue, lists.blocked, limit)
        target_rows = found.target_rows  # the indicators' pass (outcomes.py)
        now_rows, prev_rows, late_now, late_prev = m.groups()
        groups = tally.figures(now_rows, late_now, prev=False)
        previous = Figures()
        for f in tally.figures(prev_rows, late_prev, prev=True).values():
            previous.add(f)
        camps = store_figures.campaigns(db, plan_id)
        first = min([date.fromisoformat(c.start) for c in camps] or [p.start])
        chart = tally.chart(m.due_by_date(), m.done_by_date(), min(first, p.start), p.end, p.asof)
    finally:
        m.close()
    counts = lists.counts()
    lists.cut(limit)
    who = store_figures.who_did(db, [t.id for t in lists.done], p.next_day)
    why = store_figures.postpone_reasons(db, [t.id for t in lists.postponed], p.next_day)
    targets = tally.targets(db, plan_id, target_rows)
    reqs = store_figures.pending_requests(db, plan_id, p.next_day)
    return _Read(
        groups, previous, target_rows, targets, lists, counts, camps, chart, who, why, reqs,
        found,
    )  # fmt: skip


def _campaign_rows(r: _Read) -> tuple[list[CampaignRow], dict[str, Figures], Figures]:
    """Campaign rows (with their targets), the per-owner figures and the totals."""
    owners: dict[str, Figures] = {}
    totals = Figures()
    by_campaign: dict[str, Figures] = {}
    for (camp, owner), figs in r.groups.items():
        owners.setdefault(owner, Figures()).add(figs)
        by_campaign.setdefault(camp, Figures()).add(figs)
        totals.add(figs)
    rows = [
        CampaignRow(c.key, c.name, c.start, c.end, by_campaign.get(c.key, Figures()),
                    r.targets.get(c.key, []))
        for c in r.campaigns
    ]  # fmt: skip
    known = {c.key for c in rows}
    for k, figs in by_campaign.items():  # instances of a campaign no longer in the plan
        if k not in known:
            rows.append(CampaignRow(k, k, "", "", figs, r.targets.get(k, [])))
    for row in rows:  # Σ of its "sum" indicators when they share one unit (outcomes.py)
        row.target, row.progress = r.outcomes.campaign_sums.get(row.key, (0.0, 0.0))
    return rows, owners, totals


def _objects(db: Store, r: _Read, asof: date) -> dict[str, list[TaskObject]]:
    """The task objects of each list, with the report's extra keys."""
    objs = TaskObjects(db, asof)
    done = [dict(objs.make(t), done_by=r.who.get(t.id)) for t in r.lists.done]
    overdue = [
        dict(objs.make(t), days_overdue=(asof - date.fromisoformat(t.due)).days)
        for t in r.lists.overdue
    ]
    postponed = [dict(objs.make(t), postpone_reason=r.why.get(t.id)) for t in r.lists.postponed]
    return {
        "done": done,
        "overdue": overdue,
        "due_next": [objs.make(t) for t in r.lists.due_next],
        "blocked": [objs.make(t) for t in r.lists.blocked],
        "postponed": postponed,
        "requests": [objs.make(t) for t in r.requests],
    }


@dataclass(slots=True)
class Totals:
    """A report's totals alone, and its count of open postponement requests."""

    plan: str
    title: str
    totals: Figures
    postpone_requests: int
    indicators: list[Indicator] = field(default_factory=list)  # the roll-up adds them up


def compute_totals(
    db: Store, *, today: date, week: str | None = None, plan: str | None = None
) -> Totals:
    """The ``totals`` of ``compute_weekly`` for the same week, without its lists, chart or
    task objects (the province's roll-up: a county's figures at a fraction of the cost).
    The same grouped pass, summed the same way, so the figures are the report's own."""
    plan_id, title, _ = choose_plan(db, plan)
    p = _period(week, today)
    with db.reading():
        m = Moments(db, plan_id, p.asof, p.prev, len(store_figures.plans(db)) == 1)
        try:
            now_rows, _, late_now, _ = m.groups()
            inds, _ = indicators(db, plan_id, m, p.asof, workdays(db, plan_id))
        finally:
            m.close()
        requests = store_figures.pending_requests(db, plan_id, p.next_day)
    totals = Figures()
    for figs in tally.figures(now_rows, late_now, prev=False).values():
        totals.add(figs)
    return Totals(plan_id, title, totals, len(requests), inds)


def compute_weekly(
    db: Store,
    *,
    today: date,
    week: str | None = None,
    plan: str | None = None,
    lang: str = "zh",
    limit: int | None = None,
) -> WeeklyReport:
    """Compute the 周报 for ``week`` (default: the week containing ``today``).

    ``limit`` cuts each list (after sorting) for the human formats; ``counts`` keeps the full
    lengths. Reads inside one transaction, so concurrent writers cannot skew the figures.
    """
    return compute_report(
        db, today=today, period=_period(week, today), plan=plan, lang=lang, limit=limit
    )


def compute_report(
    db: Store,
    *,
    today: date,
    period: _Period,
    plan: str | None = None,
    lang: str = "zh",
    limit: int | None = None,
) -> WeeklyReport:
    """The report over ``period`` (a week, a month or a quarter: ``periods.py``)."""
    plan_id, title, _ = choose_plan(db, plan)
    p = period
    with db.reading(twin=True):
        r = _read(db, plan_id, p, limit)
        peers = store_peers.peers(db, plan_id)
    campaigns, owners, totals = _campaign_rows(r)
    objs = _objects(db, r, p.asof)
    tree = tally.unit_tree(db, plan_id, owners)
    return WeeklyReport(
        plan=plan_id, title=title, lang=lang, iso_year=p.year, iso_week=p.week,
        start=p.start, end=p.end, today=today, asof=p.asof, totals=totals, previous=r.previous,
        campaigns=campaigns, units=rank_units(list(tree), rankings.unranked(peers)), tree=tree,
        done_this_week=objs["done"], overdue=objs["overdue"], due_next_week=objs["due_next"],
        blocked=objs["blocked"], postponed=objs["postponed"], postpone_requests=objs["requests"],
        counts=r.counts, chart=r.chart, outcomes=r.outcomes,
        rankings=rankings.rankings(tree, peers), period=p.kind, label=p.label,
    )  # fmt: skip
