"""The ``list`` filters (cli.md, cli-v2.md) as one ``TaskFilter`` and the WHERE clause it makes.

Every face filters through this: ``tracker list`` and ``export``, the TUI's list. Keys that
name something in the database (``--plan``, ``--campaign``, ``--owner``, ``--problem``) are
checked by ``check_keys``: an unknown one is bad input, with the nearest known key suggested.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.context import check_date
from tracker.domain import OPEN, STATUSES
from tracker.domain.status import HIDDEN, parse_status
from tracker.domain.task import NAME_SEP
from tracker.errors import BadInput
from tracker.store.db import Store
from tracker.store.sql import in_list

DUE_KEYWORDS = ("today", "week", "overdue")
#: The TUI's "today and overdue" view: due today (any status) or overdue (open, past due);
#: a ``TaskFilter.due`` value, but not one of ``--due``'s.
DUE_NOW = "now"
# Tasks with a (standing) note matching a search pattern. "note IS NOT NULL" lets SQLite read
# the partial index of noted events (m007) instead of every event.
NOTED = (
    "SELECT e.task_id FROM events e WHERE e.note IS NOT NULL AND e.note LIKE ? ESCAPE '\\'"
    " AND e.undone_by IS NULL AND e.action != 'undo'"
)
#: The task's own text a search looks in (besides its notes in the event log).
SEARCHED = ("t.title", "t.notes", "t.leader", "t.responsible")


@dataclass(slots=True)
class TaskFilter:
    """The combinable filters of ``tracker list`` (cli.md, cli-v2.md), plus ``task_key``."""

    plan: str | None = None
    campaign: str | None = None
    owner: str | None = None
    statuses: tuple[str, ...] = ()
    due: str | date | None = None  # "today" | "week" | "overdue" | a date (due on or before)
    search: str | None = None  # words: a task matches when it contains every one
    include_withdrawn: bool = False
    # one task template's instances (the TUI's tree); last, so positional use keeps working
    task_key: str | None = None
    # a superset of the ids ``search`` matches (``textindex``): narrows the scan, same result
    search_ids: tuple[int, ...] | None = None
    # -- cli-v2.md
    problem: str | None = None
    leader: str | None = None  # a name of the task's 责任领导
    responsible: str | None = None  # a name of its 责任人
    tags: tuple[str, ...] = ()  # every one must be among the task's tags
    kind: str | None = None  # the owner unit's peer group
    # with ``owner``: also the tasks that unit (or one below it) supports as a 配合单位
    support: bool = False


_SPACES = re.compile(r"[ \t\r\n\u3000]+")


def search_words(text: str | None) -> list[str]:
    """The words of a ``--search``: split on spaces (either width), tabs and newlines."""
    return [w for w in _SPACES.split(text or "") if w]


def parse_due(value: str | date | None) -> str | date | None:
    """A ``--due`` value: a keyword or an ISO date; ``BadInput`` otherwise."""
    if value is None or isinstance(value, date):
        return value
    v = value.strip().lower()
    if v in DUE_KEYWORDS:
        return v
    try:
        found = date.fromisoformat(v)
    except ValueError as e:
        raise BadInput("store.bad_due", value=value[:80]) from e
    return check_date(found, value)


def check_statuses(statuses: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``--status`` values as statuses: the English words or the labels in either language
    (``已完成``, as a ledger reads them); ``BadInput`` naming the first unknown one."""
    out: list[str] = []
    for s in statuses:
        found = parse_status(s)
        if found is None:
            raise BadInput("store.bad_status", value=s, choices=", ".join(map(str, STATUSES)))
        out.append(str(found))
    return tuple(out)


def week_end(today: date) -> date:
    """The coming Sunday (today itself on a Sunday): the end of ``--due week``."""
    return today + timedelta(days=6 - today.weekday())


def like(text: str) -> str:
    """A ``LIKE`` pattern matching ``text`` anywhere, its wildcards taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _name_in(column: str) -> str:
    """``column`` holds the name ``?`` (alone, or among names joined by ``NAME_SEP``)."""
    return f"('{NAME_SEP}' || {column} || '{NAME_SEP}') LIKE ? ESCAPE '\\'"


def _name_pattern(name: str) -> str:
    return like(f"{NAME_SEP}{name.strip()}{NAME_SEP}")


def where(flt: TaskFilter, today: date) -> tuple[str, list[Any]]:
    """`` WHERE …`` (or nothing) and its parameters, for tasks aliased ``t``."""
    clauses: list[str] = []
    params: list[Any] = []
    statuses = check_statuses(flt.statuses)
    if statuses:
        clauses.append(f"t.status IN ({', '.join('?' * len(statuses))})")
        params.extend(statuses)
    elif not flt.include_withdrawn:
        clauses.append(f"t.status NOT IN {in_list(HIDDEN)}")
    for column, value in (
        ("plan", flt.plan),
        ("campaign", flt.campaign),
        ("task_key", flt.task_key),
        ("problem", flt.problem),
    ):
        if value:
            clauses.append(f"t.{column} = ?")
            params.append(value)
    _people(flt, clauses, params)
    _owner(flt, clauses, params)
    # DUE_NOW is the TUI's (not a --due value: parse_due refuses it)
    _due(flt.due if flt.due == DUE_NOW else parse_due(flt.due), today, clauses, params)
    _search(flt, clauses, params)
    sql = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return sql, params


def _people(flt: TaskFilter, clauses: list[str], params: list[Any]) -> None:
    for column, name in (("t.leader", flt.leader), ("t.responsible", flt.responsible)):
        if name and name.strip():
            clauses.append(_name_in(column))
            params.append(_name_pattern(name))
    for tag in flt.tags:
        clauses.append("EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value = ?)")
        params.append(tag)


def _subtree(plan_clause: str) -> str:
    """The (plan, key) of a unit and every unit below it in the parent tree, within each plan."""
    return f"""WITH RECURSIVE sub(plan, key) AS (
                SELECT plan, key FROM units WHERE key = ? {plan_clause}
                UNION
                SELECT u.plan, u.key FROM units u JOIN sub
                    ON u.plan = sub.plan AND u.parent = sub.key
            ) SELECT plan, key FROM sub"""


def _supported(plan_clause: str) -> str:
    """A task one of whose supporting units (配合单位) is in the subtree."""
    return (
        "(t.support != '[]' AND EXISTS (SELECT 1 FROM json_each(t.support) j,"
        f" ({_subtree(plan_clause)}) s WHERE s.plan = t.plan AND s.key = j.value))"
    )


def _owner(flt: TaskFilter, clauses: list[str], params: list[Any]) -> None:
    if flt.owner:
        # The owner and every unit below it in the parent tree, within each plan.
        plan_clause = "AND plan = ?" if flt.plan else ""
        clauses.append(f"(t.plan, t.owner) IN ({_subtree(plan_clause)})")
        params.append(flt.owner)
        if flt.plan:
            params.append(flt.plan)
        if flt.support:
            clauses[-1] = f"({clauses[-1]} OR {_supported(plan_clause)})"
            params.append(flt.owner)
            if flt.plan:
                params.append(flt.plan)
    if flt.kind is not None:
        clauses.append("(t.plan, t.owner) IN (SELECT plan, key FROM units WHERE kind = ?)")
        params.append(flt.kind)


def _due(due: str | date | None, today: date, clauses: list[str], params: list[Any]) -> None:
    if due == "today":
        clauses.append("t.due = ?")
        params.append(today.isoformat())
    elif due == "week":
        clauses.append("t.due BETWEEN ? AND ?")
        params.extend([today.isoformat(), week_end(today).isoformat()])
    elif due == "overdue":
        # "+": not by the status index, whose matches (most of a plan, past mid-year) would all
        # be read and sorted to find the first page; by due, the first page ends the walk
        clauses.append(f"t.due < ? AND +t.status IN {in_list(OPEN)}")
        params.append(today.isoformat())
    elif due == DUE_NOW:
        clauses.append(f"(t.due = ? OR (t.due < ? AND +t.status IN {in_list(OPEN)}))")
        params.extend([today.isoformat()] * 2)
    elif isinstance(due, date):
        clauses.append("t.due <= ?")
        params.append(due.isoformat())


def _search(flt: TaskFilter, clauses: list[str], params: list[Any]) -> None:
    """Every word in the task's text (``SEARCHED``) or in one of its standing notes."""
    words = search_words(flt.search)
    for word in words:
        pattern = like(word)
        texts = " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in SEARCHED)
        # IN, not a correlated EXISTS: the few noted tasks are found once, not per row.
        clauses.append(f"({texts} OR t.id IN ({NOTED}))")
        params.extend([pattern] * (len(SEARCHED) + 1))
    if words and flt.search_ids is not None:
        noted = " UNION ".join(NOTED for _ in words)
        clauses.append(f"t.id IN (SELECT value FROM json_each(?) UNION {noted})")
        params.extend([json.dumps(flt.search_ids), *(like(w) for w in words)])


# -- unknown keys ---------------------------------------------------------------------------


def check_keys(db: Store, flt: TaskFilter) -> None:
    """``BadInput`` (exit 2) for a ``--plan``, ``--campaign``, ``--owner`` or ``--problem``
    that the database does not know, with the nearest known key suggested (cli-v2.md)."""
    conn = db.conn
    scope, args = (" WHERE plan = ?", [flt.plan]) if flt.plan else ("", [])
    checks: tuple[tuple[str, str | None, str, list[Any]], ...] = (
        ("plan", flt.plan, "SELECT id FROM plans", []),
        ("campaign", flt.campaign, "SELECT key FROM campaigns" + scope, args),
        ("owner", flt.owner, "SELECT key FROM units" + scope, args),
        ("problem", flt.problem, "SELECT key FROM problems" + scope, args),
    )
    for option, value, sql, sql_args in checks:
        if not value:
            continue
        known = sorted({str(r[0]) for r in conn.execute(sql, sql_args)})
        if value in known:
            continue
        hint = nearest(value, known)
        key = "store.unknown_key_hint" if hint else "store.unknown_key_none"
        raise BadInput(key, option=f"--{option}", value=value[:80], suggestion=hint or "")


def nearest(word: str, known: list[str]) -> str | None:
    """The known key most like ``word`` (``None`` when nothing is known)."""
    import difflib  # only on this error path

    if not known:
        return None
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.0)
    return close[0] if close else known[0]
