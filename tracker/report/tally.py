"""Adding up: figures per (campaign, owner), targets per template, the trend, the unit tree.

Pure computation over what the store's read models return (``tracker.store.figures``): the
grouped rows of one SQL pass become ``Figures``, which are sums, so a campaign's, a unit's and
the plan's figures are the sums of their groups.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from tracker.domain import COUNTED, DONE_STATES, OPEN, Status
from tracker.report.model import Figures, TargetLine, UnitRow
from tracker.store import figures as store_figures
from tracker.store.db import Store

CHART_MAX_WEEKS = 60


def figures(
    rows: dict[tuple[Any, ...], list[float]], late: dict[tuple[Any, ...], list[float]], prev: bool
) -> dict[tuple[str, str], Figures]:
    """Figures per (campaign, owner) from the per-status rows of GROUP_SQL and LATE_SQL."""
    out: dict[tuple[str, str], Figures] = {}
    o = 2 if prev else 0
    for key, v in rows.items():
        camp, owner, status = key
        if status not in COUNTED or not v[0]:
            if status == Status.WAIVED and v[0]:  # counted nowhere, but their number is given
                out.setdefault((camp, owner), Figures()).waived += int(v[0])
            continue
        f = out.setdefault((camp, owner), Figures())
        n, due, before = int(v[0]), int(v[1 + o]), int(v[2 + o])
        f.tasks += n
        f.due_to_date += due
        if status in DONE_STATES:
            f.done += n
            f.done_due += due
            f.on_time += due - int(late.get(key, [0, 0, 0])[1 + o // 2])
            if status == Status.VERIFIED:
                f.verified += n
        elif status in OPEN:
            f.overdue += before
            if status == Status.BLOCKED:
                f.blocked += n
    return out


def targets(
    db: Store, plan: str, rows: dict[tuple[Any, ...], list[float]]
) -> dict[str, list[TargetLine]]:
    """Per campaign, each quantitative task's title, unit, summed target and progress."""
    out: dict[str, list[TargetLine]] = {}
    found: list[tuple[int, str, TargetLine]] = []
    for (camp, key), (n, target, progress) in rows.items():
        if n <= 0 or target <= 0:  # progress recorded on a task without a target: no line
            continue
        first = store_figures.template_samples(db, plan, camp, key)
        title = first[0].title
        if len(first) > 1 and first[1].title != title and first[0].owner_name:
            # a fan-out: "{unit}开展…" — drop the one unit's name
            title = title.replace(first[0].owner_name, "").strip() or key
        line = TargetLine(key, title, first[0].unit, target, progress)
        found.append((first[0].position, camp, line))
    for _, camp, item in sorted(found, key=lambda x: (x[0], x[1])):
        out.setdefault(camp, []).append(item)
    return out


def chart(
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


def unit_tree(db: Store, plan: str, owners: dict[str, Figures]) -> list[UnitRow]:
    """Units in tree order with their own and subtree figures.

    The per-owner figures (one SQL pass) are added up the ``parent`` chain here: work per
    owner times the tree's depth, never per instance. A unit is listed when its subtree holds
    an instance (so that the tree reads whole); its ``figures`` are those of the instances it
    owns itself, its ``subtree`` those of it and every unit below it.
    """
    info: dict[str, tuple[str, str | None]] = {
        u.key: (u.name, u.parent) for u in store_figures.units(db, plan)
    }
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


def rank_units(tree: list[UnitRow], unranked: Collection[str] = ()) -> list[UnitRow]:
    """The units that own instances, ranked by their own on_time_rate, best first; ties: fewer
    overdue first; full ties share a rank (1, 2, 2, 4). Units with nothing due yet have no rate
    and no rank, and come last, with the ``unranked`` ones (``rank = false``: out of every
    ranking). Units owning nothing (only above others in the tree) are left out: they have no
    figures of their own to rank."""
    tree = [u for u in tree if u.figures.tasks]

    def ranks(u: UnitRow) -> bool:
        return bool(u.figures.due_to_date) and u.key not in unranked

    ranked = [u for u in tree if ranks(u)]

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
    return ranked + [u for u in tree if not ranks(u)]
