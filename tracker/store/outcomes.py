"""The report's outcome read models (issue #16): indicators, 整改 problems, risks, notes.

Each grouped query is written for ``Moments.corrected`` (``{src}``, ``{s}``, ``{where}``), so
its figures are those of the report's as-of moment: the tasks table now, corrected for the
tasks changed since (``figures.py``). The report (``tracker.report.outcomes``) adds them up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracker.domain import OPEN, Task
from tracker.domain.status import NOT_UNDOABLE, UNCOUNTED
from tracker.store.db import Store
from tracker.store.figures import Key, Moments
from tracker.store.sql import in_list

# Per indicator (campaign, task_key): how many instances, the summed target and progress, how
# many reached their own target, Σ target × share and Σ share at the as-of day. The share is 1
# from the due day on, 0 before the start; in between (the few instances under way) it comes
# from ``tracker_share`` (``indicator_rows``). Grouped in the order of the partial index
# ``tasks_targets``, whose condition the WHERE repeats word for word, so SQLite streams it.
_ACTIVE = "WHEN t.start <= :d THEN tracker_share(t.start, {s}.due, t.milestones)"
INDICATOR_SQL = (
    """
SELECT t.campaign, t.task_key, count(*), total(t.target), total({s}.progress),
       sum(coalesce({s}.progress, 0) >= t.target),
       total(t.target * CASE WHEN {s}.due <= :d THEN 1.0 """
    + _ACTIVE
    + """ END),
       total(CASE WHEN {s}.due <= :d THEN 1.0 """
    + _ACTIVE
    + """ END)
FROM {src} WHERE {where} AND (t.target IS NOT NULL OR {s}.progress IS NOT NULL)
  AND t.target IS NOT NULL AND {s}.status NOT IN """
    + in_list(UNCOUNTED)
    + """
GROUP BY t.campaign, t.task_key
"""
)

# Per (problem, status): the measures (整改措施) and those due before the as-of day.
PROBLEM_SQL = """
SELECT t.problem, {s}.status, count(*), sum({s}.due < :d)
FROM {src} WHERE {where} AND t.problem IS NOT NULL
GROUP BY t.problem, {s}.status
"""


def indicator_rows(
    m: Moments, share: Callable[[str, str, str | None], float]
) -> dict[Key, list[float]]:
    """``(campaign, task_key)`` → ``[count, target, progress, reached, Σ target × share,
    Σ share]`` at the moment; ``share(start, due, milestones)`` gives the share of an
    instance under way (called once per such instance: the caller remembers windows)."""
    m.db.conn.create_function("tracker_share", 3, share, deterministic=True)
    # INDEXED BY: left alone, SQLite reads every row of the plan (tasks_campaign) instead of
    # streaming the partial index of the instances with a target (0.17 s → 0.07 s at 500k)
    base = m.run(INDICATOR_SQL, "tasks t INDEXED BY tasks_targets", "t", "t.plan = :plan")
    return m.corrected(INDICATOR_SQL, 2, m.NOW, m.changed_now, base)


def problem_rows(m: Moments) -> dict[Key, list[float]]:
    """``(problem, status)`` → ``[measures, due before the as-of day]`` at the moment."""
    return m.corrected(PROBLEM_SQL, 2, m.NOW, m.changed_now)


@dataclass(frozen=True, slots=True)
class ProblemInfo:
    key: str
    title: str
    source: str | None
    leader: str | None


def problems(db: Store, plan: str) -> list[ProblemInfo]:
    """A plan's 整改 problems, in plan order."""
    rows = db.conn.execute(
        "SELECT key, title, source, leader FROM problems WHERE plan = ? ORDER BY position, key",
        (plan,),
    ).fetchall()
    return [ProblemInfo(*r) for r in rows]


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """What names an indicator: the first instance of its template."""

    title: str
    position: int
    owner_name: str | None
    second_title: str | None
    unit: str | None
    measure: str | None


def template_info(db: Store, plan: str, keys: list[tuple[str, str]]) -> dict[Key, TemplateInfo]:
    """For each ``(campaign, task_key)``, its first two instances' titles (index order)."""
    out: dict[Key, TemplateInfo] = {}
    sql = (
        "SELECT t.title, t.position, u.name, t.unit, t.measure FROM tasks t"
        " LEFT JOIN units u ON u.plan = t.plan AND u.key = t.owner"
        " WHERE t.plan = ? AND t.campaign = ? AND t.task_key = ? LIMIT 2"
    )
    for camp, key in keys:
        rows = db.conn.execute(sql, (plan, camp, key)).fetchall()
        if rows:
            second = rows[1][0] if len(rows) > 1 else None
            first = rows[0]
            out[(camp, key)] = TemplateInfo(
                first[0], int(first[1]), first[2], second, first[3], first[4]
            )
    return out


def _risk_cond(words: tuple[str, ...], column: str = "t.tags") -> str:
    """``column`` (a task's tags, JSON text) holds one of ``words`` (any case)."""
    tests = [f"instr(lower({column}), {_quote(json.dumps(w.lower(), ensure_ascii=False))})"
             for w in words]  # fmt: skip
    return "(" + " OR ".join(tests) + ")"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def risk_candidates(db: Store, plan: str, words: tuple[str, ...]) -> list[tuple[str, str]]:
    """The ``(campaign, task_key)`` templates tagged with one of ``words``: tags are a
    template's (the plan's, or an ``add`` item's own), so its first instance tells, one index
    seek per template instead of a scan of every instance."""
    rows = db.conn.execute(
        "SELECT campaign, task_key FROM (SELECT tt.campaign, tt.task_key,"
        " (SELECT t.tags FROM tasks t WHERE t.plan = tt.plan AND t.campaign = tt.campaign"
        "  AND t.task_key = tt.task_key LIMIT 1) AS first_tags"
        " FROM task_templates tt WHERE tt.plan = ?)"
        f" WHERE {_risk_cond(words, 'first_tags')}",
        (plan,),
    ).fetchall()
    # INDEXED BY: left alone, SQLite reads every row of the plan (tasks_campaign) instead of
    # the partial index of the few add items
    adhoc = db.conn.execute(
        "SELECT DISTINCT t.campaign, t.task_key FROM tasks t INDEXED BY tasks_adhoc"
        " WHERE t.plan = ? AND t.adhoc = 1"
        f" AND {_risk_cond(words)}",
        (plan,),
    ).fetchall()
    return sorted({(str(c), str(k)) for c, k in [*rows, *adhoc]})


def risk_tasks(m: Moments, words: tuple[str, ...], templates: list[tuple[str, str]]) -> list[Task]:
    """The tasks of ``templates`` open at the moment and tagged with one of ``words``."""
    if not templates:
        return []
    keys = json.dumps([list(k) for k in templates], ensure_ascii=False)
    cond = (
        "{s}.status IN " + in_list(OPEN) + " AND " + _risk_cond(words) + " AND t.id IN"
        " (SELECT r.id FROM json_each(:risk_keys) j CROSS JOIN tasks r"
        " ON r.plan = :plan AND r.campaign = json_extract(j.value, '$[0]')"
        " AND r.task_key = json_extract(j.value, '$[1]'))"
    )
    return m.rows(cond, risk_keys=keys)


def last_notes(db: Store, ids: list[int], next_day: str) -> dict[int, list[str]]:
    """Each task's notes (``note`` events and the notes of others) before the moment, oldest
    first; undone ones left out."""
    out: dict[int, list[str]] = {}
    skip = in_list(NOT_UNDOABLE)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows: list[Any] = db.conn.execute(
            f"SELECT task_id, note FROM events WHERE task_id IN ({marks}) AND at < ?"
            " AND note IS NOT NULL AND note != '' AND undone_by IS NULL"
            f" AND action NOT IN {skip} ORDER BY at, id",
            [*chunk, next_day],
        ).fetchall()
        for task_id, note in rows:
            out.setdefault(int(task_id), []).append(str(note))
    return out
