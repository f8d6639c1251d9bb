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

Aggregation is SQL (``figures.py``): one ``GROUP BY`` pass over the plan's tasks, corrected
for the tasks changed since the moment; campaign, unit and total figures are sums of its groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from tracker.errors import BadInput
from tracker.report.figures import DONE, OPEN, Moments
from tracker.report.taskobj import TaskObjects
from tracker.store.db import Store

DONE_SQL = "('done','verified')"
OPEN_SQL = "('todo','doing','blocked')"
RED_SIZE = 5
BLACK_SIZE = 3
CHART_MAX_WEEKS = 60


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
    targets: list[dict[str, Any]] = field(default_factory=list)


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
    done_this_week: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    due_next_week: list[dict[str, Any]]
    blocked: list[dict[str, Any]]
    postponed: list[dict[str, Any]]
    counts: dict[str, int]  # full length of each list (the lists may be cut to a limit)
    chart: list[tuple[str, int, int]]  # (week label, due cumulative, done cumulative)

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
            date.fromisocalendar(year, week, 1)
        except ValueError as e:
            raise BadInput("report.bad_week", value=value) from e
        return year, week
    try:
        y, w, _ = date.fromisoformat(text).isocalendar()
    except ValueError as e:
        raise BadInput("report.bad_week", value=value) from e
    return y, w


def choose_plan(db: Store, plan: str | None) -> tuple[str, str, str | None]:
    """``(id, title, lang)`` of the plan to report on: ``plan``, or the only one loaded."""
    rows = db.conn.execute("SELECT id, title, lang FROM plans ORDER BY id").fetchall()
    ids = ", ".join(r[0] for r in rows)
    if plan is not None:
        for r in rows:
            if r[0] == plan:
                return r[0], r[1], r[2]
        raise BadInput("report.unknown_plan", plan=plan, plans=ids or "-")
    if not rows:
        raise BadInput("report.no_plan")
    if len(rows) > 1:
        raise BadInput("report.ambiguous_plan", plans=ids)
    return rows[0][0], rows[0][1], rows[0][2]


def _figures(
    rows: dict[tuple[Any, ...], list[float]], late: dict[tuple[Any, ...], list[float]], prev: bool
) -> dict[tuple[str, str], Figures]:
    """Figures per (campaign, owner) from the per-status rows of GROUP_SQL and LATE_SQL."""
    out: dict[tuple[str, str], Figures] = {}
    o = 2 if prev else 0
    for key, v in rows.items():
        camp, owner, status = key
        if status == "withdrawn" or not v[0]:
            continue
        f = out.setdefault((camp, owner), Figures())
        n, due, before = int(v[0]), int(v[1 + o]), int(v[2 + o])
        f.tasks += n
        f.due_to_date += due
        if status in DONE:
            f.done += n
            f.done_due += due
            f.on_time += due - int(late.get(key, [0, 0, 0])[1 + o // 2])
            if status == "verified":
                f.verified += n
        elif status in OPEN:
            f.overdue += before
            if status == "blocked":
                f.blocked += n
    return out


def _targets(
    db: Store, plan: str, rows: dict[tuple[Any, ...], list[float]]
) -> dict[str, list[dict[str, Any]]]:
    """Per campaign, each quantitative task's title, unit, summed target and progress."""
    out: dict[str, list[dict[str, Any]]] = {}
    found = []
    for (camp, key), (n, target, progress) in rows.items():
        if n <= 0 or target <= 0:  # progress recorded on a task without a target: no line
            continue
        first = db.conn.execute(  # the first two instances, in index order: no sort
            "SELECT t.title, t.unit, t.position, u.name FROM tasks t"
            " LEFT JOIN units u ON u.plan = t.plan AND u.key = t.owner"
            " WHERE t.plan = ? AND t.campaign = ? AND t.task_key = ? LIMIT 2",
            (plan, camp, key),
        ).fetchall()
        title, unit, position, owner_name = first[0]
        if len(first) > 1 and first[1][0] != title and owner_name:
            # a fan-out: "{unit}开展…" — drop the one unit's name
            title = title.replace(owner_name, "").strip() or key
        found.append(
            (
                position,
                camp,
                {
                    "task_key": key,
                    "title": title,
                    "unit": unit,
                    "target": target,
                    "progress": progress,
                },
            )
        )
    for _, camp, item in sorted(found, key=lambda x: (x[0], x[1])):
        out.setdefault(camp, []).append(item)
    return out


def _chart(
    due_by: dict[str, int], done_by: dict[str, int], first: date, end: date, asof: date
) -> list[tuple[str, int, int]]:
    """Per week from ``first``'s week to ``end``'s: due by the week's end, done by then."""
    monday = first - timedelta(days=first.weekday())
    last = end - timedelta(days=end.weekday())
    if (last - monday).days // 7 >= CHART_MAX_WEEKS:
        monday = last - timedelta(weeks=CHART_MAX_WEEKS - 1)
    dues = sorted(due_by.items())
    dones = sorted(done_by.items())
    out: list[tuple[str, int, int]] = []
    while monday <= last:
        sunday = (monday + timedelta(days=6)).isoformat()
        cap = min(monday + timedelta(days=6), asof).isoformat()
        due = sum(n for d, n in dues if d <= sunday)
        done = sum(n for d, n in dones if d <= cap)
        y, w, _ = monday.isocalendar()
        out.append((f"{y}-W{w:02d}", due, done))
        monday += timedelta(weeks=1)
    return out


def _units(db: Store, plan: str, owners: dict[str, Figures]) -> list[UnitRow]:
    """Units in tree order with their own and subtree figures.

    The per-owner figures (one SQL pass) are added up the ``parent`` chain here: work per
    owner times the tree's depth, never per instance. A unit is listed when its subtree holds
    an instance (so that the tree reads whole); its ``figures`` are those of the instances it
    owns itself, its ``subtree`` those of it and every unit below it.
    """
    units = db.conn.execute(
        "SELECT key, name, parent FROM units WHERE plan = ? ORDER BY position, key", (plan,)
    ).fetchall()
    info: dict[str, tuple[str, str | None]] = {k: (n, p) for k, n, p in units}
    for key in owners:  # an owner missing from the units table still counts
        info.setdefault(key, (key, None))
    subtree = {k: Figures() for k in info}
    for key, figs in owners.items():
        seen: set[str] = set()
        node: str | None = key
        while node is not None and node in info and node not in seen:  # a cycle stops
            seen.add(node)
            subtree[node].add(figs)
            node = info[node][1]
    children: dict[str | None, list[str]] = {}
    for key, (_, parent) in info.items():
        children.setdefault(parent if parent in info else None, []).append(key)
    out: list[UnitRow] = []
    visited: set[str] = set()

    def walk(key: str, depth: int) -> None:
        if key in visited:
            return
        visited.add(key)
        if subtree[key].tasks:
            name, parent = info[key]
            own = owners.get(key, Figures())
            out.append(UnitRow(key, name, parent, depth, own, subtree[key]))
        for child in children.get(key, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    for key in info:  # anything left in a cycle
        walk(key, 0)
    return out


def rank_units(tree: list[UnitRow]) -> list[UnitRow]:
    """The units that own instances, ranked by their own on_time_rate, best first; ties: fewer
    overdue first; full ties share a rank (1, 2, 2, 4). Units with nothing due yet have no rate
    and no rank, and come last. Units owning nothing (only above others in the tree) are left
    out: they have no figures of their own to rank."""
    tree = [u for u in tree if u.figures.tasks]
    ranked = [u for u in tree if u.figures.due_to_date]

    def key(u: UnitRow) -> tuple[Fraction, int]:
        frac = u.figures.on_time_fraction()
        assert frac is not None
        return (-frac, u.figures.overdue)

    ranked.sort(key=key)  # stable: plan order within a full tie
    prev: tuple[Fraction, int] | None = None
    for i, u in enumerate(ranked, start=1):
        k = key(u)
        u.rank = i if k != prev else ranked[i - 2].rank
        prev = k
    return ranked + [u for u in tree if not u.figures.due_to_date]


def _last_event(db: Store, ids: list[int], column: str, cond: str, next_day: str) -> dict[int, str]:
    """For each task, ``column`` of its last event before the moment that satisfies ``cond``
    (read in chunks: SQLite limits the number of bound parameters)."""
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for task_id, value in db.conn.execute(
            f"SELECT task_id, {column} FROM events"
            f" WHERE task_id IN ({marks}) AND at < ? AND {cond} ORDER BY at, id",
            [*chunk, next_day],
        ):
            out[task_id] = value
    return out


def _who_did(db: Store, ids: list[int], next_day: str) -> dict[int, str]:
    """For each task, the user of its last change into done/verified before the moment."""
    into_done = (
        f"json_extract(after, '$.status') IN {DONE_SQL}"
        f" AND coalesce(json_extract(before, '$.status'), '') NOT IN {DONE_SQL}"
    )
    return _last_event(db, ids, "user", into_done, next_day)


def _reasons(db: Store, ids: list[int], next_day: str) -> dict[int, str]:
    """For each task, the note of its last postponement before the moment."""
    return _last_event(db, ids, "note", "action = 'postpone'", next_day)


def _cut(rows: list[dict[str, Any]], limit: int | None) -> list[dict[str, Any]]:
    return rows if limit is None else rows[:limit]


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
    plan_id, title, _ = choose_plan(db, plan)
    year, wk = parse_week(week, today)
    start = date.fromisocalendar(year, wk, 1)
    end = start + timedelta(days=6)
    asof = min(end, today)
    next_day = (asof + timedelta(days=1)).isoformat()
    conn = db.conn
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")
    try:
        single = conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
        prev_day = min(start - timedelta(days=1), today)
        m = Moments(db, plan_id, asof, prev_day, single)
        try:
            now_rows, prev_rows, late_now, late_prev = m.groups()
            groups = _figures(now_rows, late_now, prev=False)
            previous = Figures()
            for f in _figures(prev_rows, late_prev, prev=True).values():
                previous.add(f)
            target_rows = m.targets()
            targets = _targets(db, plan_id, target_rows)
            objs = TaskObjects(db, asof)
            p = {"d": asof.isoformat(), "n": next_day}
            done_rows = m.rows(
                # "+": the week's events pick the candidates, not the (large) done status
                "+{s}.status IN " + DONE_SQL + " AND {s}.done_at >= :f AND {s}.done_at < :n"
                " AND t.id IN (SELECT task_id FROM events WHERE at >= :f AND at < :n)",
                f=start.isoformat(),
                **p,
            )
            overdue_rows = m.rows("{s}.status IN " + OPEN_SQL + " AND {s}.due < :d", **p)
            next_rows = m.rows(
                "{s}.status != 'withdrawn' AND {s}.due BETWEEN :n1 AND :n7",
                n1=(end + timedelta(days=1)).isoformat(),
                n7=(end + timedelta(days=7)).isoformat(),
            )
            blocked_rows = m.rows("{s}.status = 'blocked'")
            post_rows = m.rows(
                "{s}.postponed > 0 AND {s}.status != 'withdrawn'"
                " AND t.id IN (SELECT task_id FROM events WHERE action = 'postpone')"
            )
            camp_rows = conn.execute(
                'SELECT key, name, start, "end" FROM campaigns WHERE plan = ?'
                " ORDER BY position, start, key",
                (plan_id,),
            ).fetchall()
            first = min([date.fromisoformat(c[2]) for c in camp_rows] or [start])
            chart = _chart(m.due_by_date(), m.done_by_date(), min(first, start), end, asof)
        finally:
            m.close()

        def order(r: dict[str, Any]) -> tuple[Any, ...]:
            return (r["due"], r.get("position") or 0, r["id"])

        done_rows.sort(key=lambda r: (r["done_at"] or "", r["id"]))
        for rows in (overdue_rows, next_rows, blocked_rows, post_rows):
            rows.sort(key=order)
        counts = {
            "done_this_week": len(done_rows),
            "overdue": len(overdue_rows),
            "due_next_week": len(next_rows),
            "blocked": len(blocked_rows),
            "postponed": len(post_rows),
        }
        done_rows, overdue_rows, next_rows, blocked_rows, post_rows = (
            _cut(r, limit) for r in (done_rows, overdue_rows, next_rows, blocked_rows, post_rows)
        )
        who = _who_did(db, [int(r["id"]) for r in done_rows], next_day)
        why = _reasons(db, [int(r["id"]) for r in post_rows], next_day)
    finally:
        if own_txn and conn.in_transaction:
            conn.execute("COMMIT")

    done_objs = []
    for r in done_rows:
        o = objs.make(r)
        o["done_by"] = who.get(int(r["id"]))
        done_objs.append(o)
    overdue_objs = []
    for r in overdue_rows:
        o = objs.make(r)
        o["days_overdue"] = (asof - date.fromisoformat(str(r["due"]))).days
        overdue_objs.append(o)
    post_objs = []
    for r in post_rows:
        o = objs.make(r)
        o["postpone_reason"] = why.get(int(r["id"]))
        post_objs.append(o)

    owners: dict[str, Figures] = {}
    totals = Figures()
    by_campaign: dict[str, Figures] = {}
    for (camp, owner), figs in groups.items():
        owners.setdefault(owner, Figures()).add(figs)
        by_campaign.setdefault(camp, Figures()).add(figs)
        totals.add(figs)
    for (camp, _), (n, target, progress) in target_rows.items():
        if n > 0:  # a campaign's target and progress: the sums over its instances
            f = by_campaign.setdefault(camp, Figures())
            f.target += target
            f.progress += progress
    campaigns = [
        CampaignRow(k, n, s, e, by_campaign.get(k, Figures()), targets.get(k, []))
        for k, n, s, e in camp_rows
    ]
    known = {c.key for c in campaigns}
    for k, figs in by_campaign.items():  # instances of a campaign no longer in the plan
        if k not in known:
            campaigns.append(CampaignRow(k, k, "", "", figs, targets.get(k, [])))
    tree = _units(db, plan_id, owners)
    return WeeklyReport(
        plan=plan_id,
        title=title,
        lang=lang,
        iso_year=year,
        iso_week=wk,
        start=start,
        end=end,
        today=today,
        asof=asof,
        totals=totals,
        previous=previous,
        campaigns=campaigns,
        units=rank_units(list(tree)),
        tree=tree,
        done_this_week=done_objs,
        overdue=overdue_objs,
        due_next_week=[objs.make(r) for r in next_rows],
        blocked=[objs.make(r) for r in blocked_rows],
        postponed=post_objs,
        counts=counts,
        chart=chart,
    )
