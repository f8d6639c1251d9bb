"""Load and reload a plan's expansion: the diff by uid (plan-format.md, Identity).

Matching is by uid (``tracker.store.diff``; templates whose fingerprint is unchanged are not
even expanded). Plan fields of matched rows are updated only when they changed, so a reload
with no change reads little and writes almost nothing; state fields (status, progress,
postponed due, notes, history) are never touched. Rows gone from the plan are deleted when
nobody touched them (AUTOINCREMENT: their ids are never reused) and kept as ``withdrawn``
otherwise. Everything happens in one ``BEGIN IMMEDIATE`` transaction; ``dry_run`` computes the
same summary and writes nothing. A load that withdraws or removes anything first copies the
database to ``<db>.backups/`` and names the copy.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tracker.context import Context
from tracker.domain import Action, Status
from tracker.domain.people import Act
from tracker.errors import BadInput
from tracker.plan.model import Expansion, LazyExpansion, Plan
from tracker.store import people
from tracker.store.actions import log_event
from tracker.store.backup import backup_committed
from tracker.store.db import Store, immediate
from tracker.store.diff import (
    PLAN_COLUMNS,
    Diff,
    compute_diff,
    fingerprint,
    instance_count,
    plan_fields,
)
from tracker.store.query import get_task
from tracker.store.reminders import has_plan_calendar, write_plan_calendar

__all__ = [
    "PLAN_COLUMNS",
    "LoadSummary",
    "fingerprint",
    "load_expansion",
    "plan_fields",
    "unchanged_load",
]

BULK_INSERT = 20_000  # from this many new rows (and more than are stored), rebuild indexes
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
    (count,) = db.conn.execute(
        "SELECT COUNT(*) FROM tasks WHERE plan = ? AND status != 'withdrawn'", (row[0],)
    ).fetchone()
    return LoadSummary(
        plan=row[0],
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
    templates' instances are made.

    ``digest`` (``tracker.plan.digest.source_digest``) is stored with the plan so that the next
    load of the same files can be answered by ``unchanged_load``.
    """
    plan = expansion.plan
    summary = LoadSummary(plan=plan.id, instances=instance_count(expansion), dry_run=dry_run)
    now = ctx.now().isoformat(timespec="seconds")
    conn = db.conn
    if dry_run:
        if conn.in_transaction:  # the caller's transaction already gives a consistent read
            _diff(db, expansion, summary, now)
            return summary
        conn.execute("BEGIN")  # a consistent read; nothing is written
        try:
            _diff(db, expansion, summary, now)
        finally:
            conn.execute("ROLLBACK")
        return summary
    may_load(db, ctx)
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        _apply(db, expansion, ctx, summary, now, digest)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    return summary


def _apply(
    db: Store,
    expansion: Expansion | LazyExpansion,
    ctx: Context,
    summary: LoadSummary,
    now: str,
    digest: str | None,
) -> None:
    plan = expansion.plan
    with immediate(db):
        diff = _diff(db, expansion, summary, now)
        if diff.withdraws or diff.deletes:
            # a failed backup fails the load (nothing is written)
            copy = backup_committed(db, "load")
            summary.backup = None if copy is None else str(copy)
        _write_reference(db, plan, now, digest)
        _write_tasks(db, plan.id, diff)
        if diff.withdraws or diff.restores:
            batch = int(
                db.conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM events").fetchone()[0]
            )
            for task_id in diff.withdraws:
                _set_withdrawn(db, ctx, batch, task_id, withdraw=True)
            for task_id in diff.restores:
                _set_withdrawn(db, ctx, batch, task_id, withdraw=False)
        _prune_reference(db, plan)


def _diff(db: Store, expansion: Expansion | LazyExpansion, summary: LoadSummary, now: str) -> Diff:
    """Compare the expansion with the stored rows (``tracker.store.diff``); fill ``summary``."""
    d = compute_diff(db.conn, expansion, now)
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


def _write_tasks(db: Store, plan_id: str, d: Diff) -> None:
    conn: sqlite3.Connection = db.conn
    inserts, updates, positions, to_delete = d.inserts, d.updates, d.positions, d.deletes
    cols = ", ".join(PLAN_COLUMNS)
    if inserts:
        # A bulk insert (a first load) is much faster into a table without its secondary
        # indexes, rebuilt afterwards by one sort each, than maintained row by row in random
        # order. Inside the transaction: other readers keep seeing the old, indexed table.
        rebuild: list[str] = []
        if len(inserts) >= BULK_INSERT and len(inserts) >= _row_count(conn):
            rebuild = [
                row[0]
                for row in conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' "
                    "AND sql IS NOT NULL"
                )
            ]
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tasks' "
                "AND sql IS NOT NULL"
            ).fetchall():
                conn.execute(f'DROP INDEX "{name}"')
        try:
            conn.executemany(
                f"INSERT INTO tasks (uid, {cols}, due, position, fingerprint, created_at, "
                f"updated_at) VALUES ({', '.join('?' * (len(PLAN_COLUMNS) + 6))})",
                inserts,
            )
        except sqlite3.IntegrityError as e:  # the plan engine expanded one uid twice
            uids = [row[0] for row in inserts]
            dup = next((u for u in uids if uids.count(u) > 1), str(e))
            raise BadInput("store.duplicate_uid", uid=dup) from e
        for sql in rebuild:
            conn.execute(sql)
    if updates:
        sets = ", ".join(f"{c} = ?" for c in PLAN_COLUMNS)
        # A postponed instance keeps its deadline; only its planned_due follows the plan.
        conn.executemany(
            f"UPDATE tasks SET {sets}, due = CASE WHEN postponed > 0 THEN due ELSE ? END, "
            "position = ?, fingerprint = ?, updated_at = ? WHERE id = ?",
            updates,
        )
    if positions:
        conn.executemany("UPDATE tasks SET position = ?, fingerprint = ? WHERE id = ?", positions)
    if d.shifts:  # unchanged templates after one that grew or shrank; withdrawn rows stay put
        conn.executemany(
            "UPDATE tasks SET position = position + ? "
            "WHERE plan = ? AND campaign = ? AND task_key = ? AND status != 'withdrawn'",
            d.shifts,
        )
    if to_delete:
        conn.executemany("DELETE FROM tasks WHERE id = ?", to_delete)
    _write_marks(conn, plan_id, d)


def _write_marks(conn: sqlite3.Connection, plan_id: str, d: Diff) -> None:
    """Store the fingerprints of the templates just loaded (``tracker.store.diff``)."""
    if d.unmarks is None:  # loaded without blocks: no template is known to be as loaded
        conn.execute("DELETE FROM task_templates WHERE plan = ?", (plan_id,))
    else:
        conn.executemany(
            "DELETE FROM task_templates WHERE plan = ? AND campaign = ? AND task_key = ?",
            d.unmarks,
        )
    conn.executemany(
        "INSERT INTO task_templates (plan, campaign, task_key, fingerprint, position) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(plan, campaign, task_key) DO UPDATE SET "
        "fingerprint = excluded.fingerprint, position = excluded.position",
        d.marks,
    )


def _row_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])


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
    """Upsert the plan, its units and campaigns (reference data for names and the owner tree)."""
    conn = db.conn
    conn.execute(
        "INSERT INTO plans (id, title, year, calendar, due_shift, lang, source, loaded_at, "
        "source_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "title = excluded.title, year = excluded.year, calendar = excluded.calendar, "
        "due_shift = excluded.due_shift, lang = excluded.lang, source = excluded.source, "
        "loaded_at = excluded.loaded_at, source_digest = excluded.source_digest",
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
        ),
    )
    conn.executemany(
        "INSERT INTO units (plan, key, name, leader, parent, position) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(plan, key) DO UPDATE SET name = excluded.name, leader = excluded.leader, "
        "parent = excluded.parent, position = excluded.position",
        [
            (plan.id, u.key, u.name, u.leader, u.parent, i)
            for i, u in enumerate(plan.units.values())
        ],
    )
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


def _prune_reference(db: Store, plan: Plan) -> None:
    """Drop units and campaigns gone from the plan unless a kept (withdrawn) task names them."""
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
