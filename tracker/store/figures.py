"""The report's SQL: grouped counts at two moments in one pass, corrected for changed tasks.

The figures are sums, so the figures at a past moment are those of the ``tasks`` table as it
is now, *minus* the current contribution of the tasks changed since that moment, *plus* their
contribution in the state they had then (rebuilt in ``asof.py``). Only the changed tasks are
read twice; everything else is one ``GROUP BY campaign, owner, status`` pass that evaluates the
deadline comparisons for the report's as-of day *and* the previous week's in the same scan.
The report (``tracker.report``) computes from what these read models return; it has no SQL.

An index on ``tasks(plan, campaign, owner, status, due, done_at)`` makes that pass a
covering-index scan in group order (several times faster than reading the table); the queries
are written so that SQLite uses it when the schema has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tracker.domain import DONE_STATES, OPEN, Action, Status, Task
from tracker.domain.status import DONE_MOVES as _DONE_MOVES
from tracker.domain.status import UNCOUNTED
from tracker.store import requests
from tracker.store.asof import build_past, drop_past, task_rows
from tracker.store.db import Store
from tracker.store.query import SELECT, fetch_tasks
from tracker.store.sql import in_list

if TYPE_CHECKING:
    from tracker.store.twin import Pending

DONE_SQL = in_list(DONE_STATES)
# Withdrawn and waived instances count nowhere.
UNCOUNTED_SQL = in_list(UNCOUNTED)
# Actions after which a task may have entered or left done/verified (not note, start, ...).
DONE_MOVES = in_list(_DONE_MOVES)

# One row per (campaign, owner, status): count, then for the as-of day d and the previous
# as-of day dp: due on or before it (due to date), due before it (overdue, if open).
GROUP_SQL = """
SELECT t.campaign, t.owner, {s}.status, count(*),
       sum({s}.due <= :d), sum({s}.due < :d), sum({s}.due <= :dp), sum({s}.due < :dp)
FROM {src} WHERE {where}
GROUP BY t.campaign, t.owner, {s}.status
"""

# Done late (after the due day, or at no recorded time): the few rows that are not on time,
# counted apart so that the big pass above compares no timestamps.
LATE_SQL = (
    """
SELECT t.campaign, t.owner, {s}.status, count(*), sum({s}.due <= :d), sum({s}.due <= :dp)
FROM {src} WHERE {where} AND {s}.status IN """
    + DONE_SQL
    + """
  AND ({s}.done_at IS NULL OR substr({s}.done_at, 1, 10) > {s}.due)
GROUP BY t.campaign, t.owner, {s}.status
"""
)

# The WHERE repeats the partial index ``tasks_targets``'s condition, so that SQLite uses it.
TARGET_SQL = (
    """
SELECT t.campaign, t.task_key, count(*), total(t.target), total({s}.progress)
FROM {src} WHERE {where} AND (t.target IS NOT NULL OR {s}.progress IS NOT NULL)
  AND {s}.status NOT IN """
    + UNCOUNTED_SQL
    + """
GROUP BY t.campaign, t.task_key
"""
)

# Grouped by status first: with one plan, the (status, due) index alone answers it.
DUE_SQL = """
SELECT {s}.status, {s}.due, count(*) FROM {src} WHERE {where} GROUP BY {s}.status, {s}.due
"""

Key = tuple[Any, ...]


def _merge(
    into: dict[Key, list[float]], rows: Iterable[tuple[Any, ...]], width: int, sign: int
) -> None:
    for r in rows:
        key = tuple(r[:width])
        acc = into.setdefault(key, [0.0] * (len(r) - width))
        for i, v in enumerate(r[width:]):
            acc[i] += sign * (v or 0)


class Moments:
    """The temporary past-state tables for the as-of day and the previous as-of day."""

    NOW = "report_asof"
    PREV = "report_prev"

    def __init__(self, db: Store, plan: str, asof: date, prev: date, single: bool) -> None:
        self.db = db
        self.plan = plan
        self.asof = asof
        self.prev = prev
        self.next_day = (asof + timedelta(days=1)).isoformat()
        # With one plan in the database the plan filter is left out where it would stop
        # SQLite from using an index that does not hold the plan.
        self.single = single
        self.args: dict[str, Any] = {"plan": plan, "d": asof.isoformat(), "dp": prev.isoformat()}
        self.queries = self._queries()
        self.ahead = self._read_ahead()
        self.changed_now = build_past(db, self.NOW, plan, self.next_day)
        self.changed_prev = build_past(db, self.PREV, plan, (prev + timedelta(days=1)).isoformat())

    def _queries(self) -> dict[str, tuple[str, dict[str, Any], int]]:
        """The big scans that read ``tasks`` and ``events`` as they are (no temporary table),
        each with its parameters and number of columns."""
        plan_only = "t.plan = :plan"
        due_where = "1" if self.single else plan_only
        done_args = {"next": self.next_day, "plan": self.plan}
        return {
            "group": (GROUP_SQL.format(src="tasks t", s="t", where=plan_only), self.args, 8),
            "late": (LATE_SQL.format(src="tasks t", s="t", where=plan_only), self.args, 6),
            "due": (DUE_SQL.format(src="tasks t", s="t", where=due_where), self.args, 3),
            "done": (self._done_sql(), done_args, 2),
        }

    def _read_ahead(self) -> dict[str, Pending]:
        """With a twin connection (``Store.reading(twin=True)``), start the big scans on it at
        once: the main connection meanwhile rebuilds the past and reads the lists."""
        twin = self.db.twin
        if twin is None:
            return {}
        return {k: twin.submit(*q) for k, q in self.queries.items()}

    def _base(self, key: str) -> list[tuple[Any, ...]]:
        """The rows of the big scan ``key``: from the twin when it was started there."""
        pending = self.ahead.pop(key, None)
        if pending is not None:
            return pending.result()
        sql, args, _ = self.queries[key]
        return self.db.conn.execute(sql, args).fetchall()

    def close(self) -> None:
        drop_past(self.db, self.NOW)
        drop_past(self.db, self.PREV)

    def run(self, sql: str, src: str, s: str, where: str) -> list[tuple[Any, ...]]:
        """``sql`` with its ``{src}`` (the tasks' source), ``{s}`` (whose state) and ``{where}``."""
        text = sql.format(src=src, s=s, where=where)
        return self.db.conn.execute(text, self.args).fetchall()

    def corrected(
        self,
        sql: str,
        width: int,
        table: str,
        changed: int,
        base: list[tuple[Any, ...]] | None = None,
    ) -> dict[Key, list[float]]:
        """``sql`` over all tasks (or its result ``base``), corrected to the state at the
        moment of ``table``."""
        out: dict[Key, list[float]] = {}
        if base is None:
            base = self.run(sql, "tasks t", "t", "t.plan = :plan")
        _merge(out, base, width, 1)
        if changed:
            ids = f"t.id IN (SELECT task_id FROM temp.{table})"
            _merge(out, self.run(sql, "tasks t", "t", ids), width, -1)
            past = f"temp.{table} p CROSS JOIN tasks t ON t.id = p.task_id"  # p drives
            _merge(out, self.run(sql, past, "p", "1"), width, 1)
        return out

    def groups(self) -> tuple[dict[Key, list[float]], ...]:
        """``(now, previous, late now, late previous)``: per (campaign, owner, status) the
        GROUP_SQL and LATE_SQL figures."""
        out = []
        for sql, key in ((GROUP_SQL, "group"), (LATE_SQL, "late")):
            base = self._base(key)  # one pass each
            out.append(self.corrected(sql, 3, self.NOW, self.changed_now, base))
            out.append(self.corrected(sql, 3, self.PREV, self.changed_prev, base))
        return out[0], out[1], out[2], out[3]

    def targets(self) -> dict[Key, list[float]]:
        """Per (campaign, task_key) with a target or progress: count, summed target, progress."""
        return self.corrected(TARGET_SQL, 2, self.NOW, self.changed_now)

    def due_by_date(self) -> dict[str, int]:
        """How many (non-withdrawn) instances are due on each date, as of the moment."""
        out = self.corrected(DUE_SQL, 2, self.NOW, self.changed_now, self._base("due"))
        due: dict[str, int] = {}
        for (status, day), (n,) in out.items():
            if status not in UNCOUNTED and day is not None:
                due[str(day)] = due.get(str(day), 0) + int(n)
        return due

    def done_by_date(self) -> dict[str, int]:
        """Net tasks entering done/verified on each day up to the moment, from the event log.

        Summed up to a day, it is the number of tasks done then: every task starts as todo, and
        each event moves it in (+1) or out (-1) of done, including reopen, undo and withdraw.
        """
        return {str(d): int(n or 0) for d, n in self._base("done")}

    def _done_sql(self) -> str:
        where = "" if self.single else " AND e.task_id IN (SELECT id FROM tasks WHERE plan = :plan)"
        # done always moves a task in; only the rarer actions need the snapshots parsed
        # (json_extract is the expensive part of this query). A reopen leaves done only from
        # done or verified: from waived it moves nothing.
        moved = (
            f"(json_extract(e.after, '$.status') IN {DONE_SQL})"
            f" - (json_extract(e.before, '$.status') IN {DONE_SQL})"
        )
        return f"""SELECT substr(e.at, 1, 10),
                       sum(CASE e.action WHEN '{Action.DONE}' THEN 1
                           ELSE coalesce({moved}, 0) END)
                FROM events e
                WHERE +e.at < :next AND e.action IN {DONE_MOVES}{where}
                GROUP BY 1"""

    def done_between(self, start: date) -> list[Task]:
        """Tasks done (or verified) from ``start`` up to the moment, and still done then."""
        return self.rows(
            # "+": the week's events pick the candidates, not the (large) done status
            "+{s}.status IN " + DONE_SQL + " AND {s}.done_at >= :f AND {s}.done_at < :n"
            " AND t.id IN (SELECT task_id FROM events WHERE at >= :f AND at < :n)",
            f=start.isoformat(),
            n=self.next_day,
        )

    def overdue(self) -> list[Task]:
        """Tasks open at the moment and due before the as-of day."""
        return self.rows(
            "{s}.status IN " + in_list(OPEN) + " AND {s}.due < :d", d=self.asof.isoformat()
        )

    def due_between(self, first: date, last: date) -> list[Task]:
        """Counted tasks due from ``first`` through ``last`` (as of the moment)."""
        return self.rows(
            "{s}.status NOT IN " + UNCOUNTED_SQL + " AND {s}.due BETWEEN :n1 AND :n7",
            n1=first.isoformat(),
            n7=last.isoformat(),
        )

    def blocked(self) -> list[Task]:
        return self.rows("{s}.status = '" + Status.BLOCKED + "'")

    def postponed(self) -> list[Task]:
        """Counted tasks postponed at least once by the moment."""
        return self.rows(
            "{s}.postponed > 0 AND {s}.status NOT IN " + UNCOUNTED_SQL + ""
            " AND t.id IN (SELECT task_id FROM events WHERE action = '" + Action.POSTPONE + "')"
        )

    def rows(self, cond: str, **params: Any) -> list[Task]:
        """The tasks whose state at the moment satisfies ``cond`` (see ``task_rows``)."""
        return task_rows(self.db, self.NOW, self.changed_now, self.plan, cond, params)


@dataclass(frozen=True, slots=True)
class PlanInfo:
    id: str
    title: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    key: str
    name: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class UnitInfo:
    key: str
    name: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class TemplateSample:
    """The first instance of a task template: what names it in a report's list of targets."""

    title: str
    unit: str | None
    position: int
    owner_name: str | None


def plans(db: Store) -> list[PlanInfo]:
    """Every loaded plan, by id."""
    rows = db.conn.execute("SELECT id, title, lang FROM plans ORDER BY id").fetchall()
    return [PlanInfo(*r) for r in rows]


def campaigns(db: Store, plan: str) -> list[CampaignInfo]:
    """A plan's campaigns in plan order."""
    rows = db.conn.execute(
        'SELECT key, name, start, "end" FROM campaigns WHERE plan = ?'
        " ORDER BY position, start, key",
        (plan,),
    ).fetchall()
    return [CampaignInfo(*r) for r in rows]


def units(db: Store, plan: str) -> list[UnitInfo]:
    """A plan's units in plan order."""
    rows = db.conn.execute(
        "SELECT key, name, parent FROM units WHERE plan = ? ORDER BY position, key", (plan,)
    ).fetchall()
    return [UnitInfo(*r) for r in rows]


def template_samples(db: Store, plan: str, campaign: str, task_key: str) -> list[TemplateSample]:
    """The first two instances of a template, in index order (no sort)."""
    rows = db.conn.execute(
        "SELECT t.title, t.unit, t.position, u.name FROM tasks t"
        " LEFT JOIN units u ON u.plan = t.plan AND u.key = t.owner"
        " WHERE t.plan = ? AND t.campaign = ? AND t.task_key = ? LIMIT 2",
        (plan, campaign, task_key),
    ).fetchall()
    return [TemplateSample(*r) for r in rows]


def pending_requests(db: Store, plan: str, next_day: str) -> list[Task]:
    """The plan's tasks with a postponement request open now and filed before the moment."""
    found = {tid: req for tid, req in requests.open_requests(db).items() if req.at < next_day}
    if not found:
        return []
    marks = ",".join("?" * len(found))
    tasks = fetch_tasks(db, SELECT + f" WHERE t.plan = ? AND t.id IN ({marks})", [plan, *found])
    return sorted(tasks, key=lambda t: (t.due, t.id))


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


def who_did(db: Store, ids: list[int], next_day: str) -> dict[int, str]:
    """For each task, the user of its last change into done/verified before the moment."""
    into_done = (
        f"json_extract(after, '$.status') IN {DONE_SQL}"
        f" AND coalesce(json_extract(before, '$.status'), '') NOT IN {DONE_SQL}"
    )
    return _last_event(db, ids, "user", into_done, next_day)


def postpone_reasons(db: Store, ids: list[int], next_day: str) -> dict[int, str]:
    """For each task, the note of its last postponement before the moment."""
    return _last_event(db, ids, "note", f"action = '{Action.POSTPONE}'", next_day)
