"""Load and reload a plan's expansion: the diff by uid (plan-format.md, Identity).

Matching is by uid (``tracker.store.diff``; templates whose fingerprint is unchanged are not
even expanded). Plan fields of matched rows are updated only when they changed, so a reload
with no change reads little and writes almost nothing; state fields (status, progress,
postponed due, notes, history) are never touched. Rows gone from the plan are deleted when
nobody touched them (AUTOINCREMENT: their ids are never reused) and kept as ``withdrawn``
otherwise. The instances to compare are made, as rows, before the write transaction opens;
everything is then written in one ``BEGIN IMMEDIATE`` transaction. ``dry_run`` computes the
same summary and writes nothing. A load that withdraws or removes anything first copies the
database to ``<db>.backups/`` and names the copy.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from tracker.context import Context
from tracker.domain import Action, Status
from tracker.domain.people import Act
from tracker.plan.model import Expansion, LazyExpansion, Plan
from tracker.store import people
from tracker.store.backup import backup_committed
from tracker.store.bulk import (
    bulk_first_load,
    first_load_stream,
    insert,
    insert_stream,
    is_bulk,
    secondary_indexes_dropped,
)
from tracker.store.db import Store, immediate
from tracker.store.diff import (
    Diff,
    MadeRows,
    Stale,
    add_rows,
    compute_diff,
    first_load_diff,
    instance_count,
    make_rows,
)
from tracker.store.query import get_task
from tracker.store.reminders import has_plan_calendar, write_plan_calendar
from tracker.store.rows import (
    PLAN_COLUMNS,
    UPDATE_TASK,
    TaskRow,
    fingerprint,
    task_row,
    update_params,
)
from tracker.store.stream import RowStream, StreamFailed
from tracker.store.writes import log_event

__all__ = [
    "PLAN_COLUMNS",
    "LoadSummary",
    "TaskRow",
    "fingerprint",
    "load_expansion",
    "task_row",
    "unchanged_load",
]

LOAD_CACHE_KIB = 262_144  # page cache for the load's connection: the uid index stays in memory


@dataclass(slots=True)
class LoadSummary:
    """What a load did (or, with ``dry_run``, would do)."""

    plan: str
    instances: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    withdrawn: int = 0
    restored: int = 0
    withdrawn_uids: list[str] = field(default_factory=list)
    restored_uids: list[str] = field(default_factory=list)
    removed_uids: list[str] = field(default_factory=list)
    dry_run: bool = False
    #: the automatic backup taken before a load that withdraws or removes instances
    backup: str | None = None
    #: the plan files are byte-identical to the last load's: nothing was expanded or compared
    source_unchanged: bool = False

    def as_json(self) -> dict[str, Any]:
        """The summary as printed by ``tracker load --json``."""
        return {
            "plan": self.plan,
            "instances": self.instances,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "withdrawn": self.withdrawn,
            "restored": self.restored,
            "withdrawn_uids": self.withdrawn_uids,
            "restored_uids": self.restored_uids,
            "dry_run": self.dry_run,
            "backup": self.backup,
            "source_unchanged": self.source_unchanged,
        }


def may_load(db: Store, ctx: Context) -> None:
    """Only a planner or an admin loads a plan into a managed database (people.md)."""
    people.authorize_global(db, ctx, Act.LOAD)


def unchanged_load(
    db: Store, digest: str, *, dry_run: bool = False, ctx: Context | None = None
) -> LoadSummary | None:
    """The summary of reloading files whose digest matches a loaded plan's, else ``None``.

    Same bytes, same code and same calendar data expand to the same instances, so such a reload
    adds, changes, removes, withdraws and restores nothing; only the count is read. With
    ``ctx``, a real (not dry) reload is first checked against the acting person's role.
    """
    if ctx is not None and not dry_run:
        may_load(db, ctx)
    row = db.conn.execute("SELECT id FROM plans WHERE source_digest = ?", (digest,)).fetchone()
    if row is None or not has_plan_calendar(db, row[0]):
        # loaded before m010: its [calendar] overrides were never kept, so load it once more
        return None
    (plan_id,) = row
    (count,) = db.conn.execute(
        "SELECT COUNT(*) FROM tasks WHERE plan = ? AND status != ? AND adhoc = 0",
        (plan_id, Status.WITHDRAWN),
    ).fetchone()
    return LoadSummary(
        plan=plan_id,
        instances=int(count),
        unchanged=int(count),
        dry_run=dry_run,
        source_unchanged=True,
    )


def load_expansion(
    db: Store,
    expansion: Expansion | LazyExpansion,
    ctx: Context,
    *,
    dry_run: bool = False,
    digest: str | None = None,
) -> LoadSummary:
    """Load or reload ``expansion`` into ``db`` in one transaction (none at all if ``dry_run``).

    A ``LazyExpansion`` (``read_plan_lazy``) is what ``tracker load`` passes: only the changed
    templates' instances are made, and before the transaction opens (``diff.make_rows``).

    ``digest`` (``tracker.plan.digest.source_digest``) is stored with the plan so that the next
    load of the same files can be answered by ``unchanged_load``.
    """
    plan = expansion.plan
    summary = LoadSummary(plan=plan.id, instances=instance_count(expansion), dry_run=dry_run)
    now = ctx.now().isoformat(timespec="seconds")
    conn = db.conn
    if not dry_run:
        may_load(db, ctx)
    stream = None if dry_run else first_load_stream(conn, expansion, now)
    made = MadeRows() if stream is not None else make_rows(conn, expansion, now)
    try:
        while True:
            try:
                if dry_run:
                    _dry_run(db, expansion, made, summary)
                else:
                    _apply(db, expansion, made, ctx, summary, now, digest, stream)
                return summary
            except Stale as e:  # another load changed the plan's templates meanwhile
                add_rows(made, expansion.blocks or (), e.missing, now)
            except StreamFailed:  # rolled back: the rows are made here instead
                assert stream is not None
                stream.close()
                stream = None
                made = make_rows(conn, expansion, now)
    finally:
        if stream is not None:
            stream.close()


def _dry_run(
    db: Store, expansion: Expansion | LazyExpansion, made: MadeRows, summary: LoadSummary
) -> None:
    conn = db.conn
    if conn.in_transaction:  # the caller's transaction already gives a consistent read
        _diff(db, expansion, made, summary)
        return
    conn.execute("BEGIN")  # a consistent read; nothing is written
    try:
        _diff(db, expansion, made, summary)
    finally:
        conn.execute("ROLLBACK")


def _apply(
    db: Store,
    expansion: Expansion | LazyExpansion,
    made: MadeRows,
    ctx: Context,
    summary: LoadSummary,
    now: str,
    digest: str | None,
    stream: RowStream | None = None,
) -> None:
    plan = expansion.plan
    conn = db.conn
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        with immediate(db):
            if stream is None:
                diff = _diff(db, expansion, made, summary)
            elif bulk_first_load(conn, plan.id, summary.instances):
                diff = first_load_diff(conn, expansion)
            else:  # another load came first: this is no first load any more
                raise StreamFailed("the plan has rows")
            if diff.withdraws or diff.deletes:
                # a failed backup fails the load (nothing is written)
                copy = backup_committed(db, "load")
                summary.backup = None if copy is None else str(copy)
            _write_reference(db, plan, now, digest)
            _write_tasks(conn, plan.id, diff, stream)
            if stream is not None:
                if stream.count != summary.instances:
                    raise StreamFailed(f"{stream.count} rows of {summary.instances}")
                summary.added = stream.count
            if diff.withdraws or diff.restores:
                batch = int(
                    conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM events").fetchone()[0]
                )
                for task_id in diff.withdraws:
                    _set_withdrawn(db, ctx, batch, task_id, withdraw=True)
                for task_id in diff.restores:
                    _set_withdrawn(db, ctx, batch, task_id, withdraw=False)
            _prune_reference(db, plan)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def _diff(
    db: Store, expansion: Expansion | LazyExpansion, made: MadeRows, summary: LoadSummary
) -> Diff:
    """Compare the rows made with the stored ones (``tracker.store.diff``); fill ``summary``."""
    d = compute_diff(db.conn, expansion, made)
    summary.added = len(d.inserts)
    summary.changed = d.changed
    summary.removed = len(d.deletes)
    summary.withdrawn = len(d.withdraws)
    summary.restored = len(d.restores)
    summary.unchanged = summary.instances - summary.added - summary.changed - summary.restored
    summary.withdrawn_uids = d.withdrawn_uids
    summary.restored_uids = d.restored_uids
    summary.removed_uids = d.removed_uids
    return d


def _write_tasks(
    conn: sqlite3.Connection, plan_id: str, d: Diff, stream: RowStream | None = None
) -> None:
    if stream is not None:
        with secondary_indexes_dropped(conn):
            insert_stream(conn, stream)
    if d.inserts:
        with secondary_indexes_dropped(conn) if is_bulk(conn, len(d.inserts)) else nullcontext():
            insert(conn, d.inserts)
    if d.updates:
        conn.executemany(UPDATE_TASK, [update_params(row, task_id) for row, task_id in d.updates])
    if d.moves:  # (position, fingerprint, id)
        conn.executemany("UPDATE tasks SET position = ?, fingerprint = ? WHERE id = ?", d.moves)
    if d.shifts:  # unchanged templates after one that grew or shrank; withdrawn rows stay put
        conn.executemany(
            "UPDATE tasks SET position = position + :delta WHERE plan = :plan "
            "AND campaign = :campaign AND task_key = :task_key AND status != :withdrawn",
            [s._asdict() | {"withdrawn": Status.WITHDRAWN} for s in d.shifts],
        )
    if d.deletes:
        conn.executemany("DELETE FROM tasks WHERE id = ?", [(task_id,) for task_id in d.deletes])
    _write_marks(conn, plan_id, d)


def _write_marks(conn: sqlite3.Connection, plan_id: str, d: Diff) -> None:
    """Store the fingerprints of the templates just loaded (``tracker.store.diff``)."""
    if d.unmarks is None:  # loaded without blocks: no template is known to be as loaded
        conn.execute("DELETE FROM task_templates WHERE plan = ?", (plan_id,))
    else:
        conn.executemany(
            "DELETE FROM task_templates WHERE plan = ? AND campaign = ? AND task_key = ?",
            [(plan_id, campaign, task_key) for campaign, task_key in d.unmarks],
        )
    conn.executemany(
        "INSERT INTO task_templates (plan, campaign, task_key, fingerprint, position) "
        "VALUES (:plan, :campaign, :task_key, :fingerprint, :position) "
        "ON CONFLICT(plan, campaign, task_key) DO UPDATE SET "
        "fingerprint = excluded.fingerprint, position = excluded.position",
        [m._asdict() for m in d.marks],
    )


def _set_withdrawn(db: Store, ctx: Context, batch: int, task_id: int, *, withdraw: bool) -> None:
    """Withdraw a touched instance gone from the plan, or restore one that came back."""
    row = get_task(db, str(task_id))
    before = row.state
    if withdraw:
        after = before.with_(status=Status.WITHDRAWN)
        db.conn.execute(
            "UPDATE tasks SET status = ?, withdrawn_status = ?, updated_at = ? WHERE id = ?",
            (Status.WITHDRAWN, row.status, ctx.now().isoformat(timespec="seconds"), task_id),
        )
    else:
        after = before.with_(status=row.withdrawn_status or Status.TODO)
        db.conn.execute(
            "UPDATE tasks SET status = ?, withdrawn_status = NULL, updated_at = ? WHERE id = ?",
            (after.status, ctx.now().isoformat(timespec="seconds"), task_id),
        )
    log_event(
        db.conn, batch=batch, task_id=task_id, ctx=ctx,
        action=Action.WITHDRAW if withdraw else Action.RESTORE, before=before, after=after,
    )  # fmt: skip


def _write_reference(db: Store, plan: Plan, now: str, digest: str | None) -> None:
    """Upsert the plan, its units and campaigns (reference data for names and the owner tree).

    ``plans.due_shift`` and the calendar with its overrides are what ``tracker add`` shifts an
    ad-hoc item's due date by, and what a task's 序时进度 counts working days with.
    """
    conn = db.conn
    conn.execute(
        "INSERT INTO plans (id, title, year, calendar, due_shift, lang, source, loaded_at, "
        "source_digest, workday_flags) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "title = excluded.title, year = excluded.year, calendar = excluded.calendar, "
        "due_shift = excluded.due_shift, lang = excluded.lang, source = excluded.source, "
        "loaded_at = excluded.loaded_at, source_digest = excluded.source_digest, "
        "workday_flags = excluded.workday_flags",
        (
            plan.id,
            plan.title,
            plan.year,
            plan.calendar,
            plan.due_shift,
            plan.lang,
            "\n".join(str(p) for p in plan.sources) or None,
            now,
            digest,
            json.dumps(workday_flags(plan)),
        ),
    )
    conn.executemany(
        "INSERT INTO units (plan, key, name, leader, parent, position, kind, rank, contact) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(plan, key) DO UPDATE SET name = excluded.name, leader = excluded.leader, "
        "parent = excluded.parent, position = excluded.position, kind = excluded.kind, "
        "rank = excluded.rank, contact = excluded.contact",
        [
            (plan.id, u.key, u.name, u.leader, u.parent, i, u.kind, int(u.rank), u.contact)
            for i, u in enumerate(plan.units.values())
        ],
    )
    _write_problems(conn, plan)
    conn.executemany(
        'INSERT INTO campaigns (plan, key, name, start, "end", notes, position) '
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(plan, key) DO UPDATE SET "
        'name = excluded.name, start = excluded.start, "end" = excluded."end", '
        "notes = excluded.notes, position = excluded.position",
        [
            (plan.id, c.key, c.name, c.start.isoformat(), c.end.isoformat(), c.notes, i)
            for i, c in enumerate(plan.campaigns)
        ],
    )
    write_plan_calendar(conn, plan)


def _write_problems(conn: sqlite3.Connection, plan: Plan) -> None:
    """Upsert the plan's ``[[problem]]`` tables (plan format v2)."""
    conn.executemany(
        "INSERT INTO problems (plan, key, title, source, leader, position) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(plan, key) DO UPDATE SET "
        "title = excluded.title, source = excluded.source, leader = excluded.leader, "
        "position = excluded.position",
        [
            (plan.id, p.key, p.title, p.source, p.leader, i)
            for i, p in enumerate(plan.problems.values())
        ],
    )


def workday_flags(plan: Plan) -> dict[str, str]:
    """The plan's working days of the years its campaigns span, and one on either side (for
    ``store.calendars``: counting them then needs no holidays data)."""
    from tracker.plan.calendar import WorkCalendar

    cal = WorkCalendar.for_plan(plan)
    years = {plan.year} | {y for c in plan.campaigns for y in (c.start.year, c.end.year)}
    return {str(y): cal.year_flags(y) for y in range(min(years) - 1, max(years) + 2)}


def _prune_reference(db: Store, plan: Plan) -> None:
    """Drop units, campaigns and problems gone from the plan unless a kept task (withdrawn,
    or an ``add`` item) names them."""
    conn = db.conn
    units = set(plan.units)
    for (key,) in conn.execute("SELECT key FROM units WHERE plan = ?", (plan.id,)).fetchall():
        if (
            key not in units
            and not conn.execute(
                "SELECT 1 FROM tasks WHERE owner = ? AND plan = ? LIMIT 1", (key, plan.id)
            ).fetchone()
        ):
            conn.execute("DELETE FROM units WHERE plan = ? AND key = ?", (plan.id, key))
    campaigns = {c.key for c in plan.campaigns}
    for (key,) in conn.execute("SELECT key FROM campaigns WHERE plan = ?", (plan.id,)).fetchall():
        if (
            key not in campaigns
            and not conn.execute(
                "SELECT 1 FROM tasks WHERE plan = ? AND campaign = ? LIMIT 1", (plan.id, key)
            ).fetchone()
        ):
            conn.execute("DELETE FROM campaigns WHERE plan = ? AND key = ?", (plan.id, key))
    problems = set(plan.problems)
    for (key,) in conn.execute("SELECT key FROM problems WHERE plan = ?", (plan.id,)).fetchall():
        if (
            key not in problems
            and not conn.execute(
                "SELECT 1 FROM tasks WHERE plan = ? AND problem = ? LIMIT 1", (plan.id, key)
            ).fetchone()
        ):
            conn.execute("DELETE FROM problems WHERE plan = ? AND key = ?", (plan.id, key))
