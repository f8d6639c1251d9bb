"""Load and reload a plan's expansion: the diff by uid (plan-format.md, Identity).

Matching is by uid. Plan fields of matched rows are updated only when their fingerprint (a hash
of every plan field) changed, so a reload with no change reads the table once and writes almost
nothing; state fields (status, progress, postponed due, notes, history) are never touched. Rows
gone from the plan are deleted when nobody touched them (AUTOINCREMENT: their ids are never
reused) and kept as ``withdrawn`` otherwise. Everything happens in one ``BEGIN IMMEDIATE``
transaction; ``dry_run`` computes the same summary and writes nothing. A load that withdraws or
removes anything first copies the database to ``<db>.backups/`` and names the copy.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import blake2b as _blake2b
from marshal import dumps as _marshal
from typing import Any, TypeVar

from tracker.context import Context
from tracker.errors import BadInput
from tracker.plan.model import Expansion, Instance, Plan
from tracker.store.actions import log_event, snapshot
from tracker.store.backup import automatic_backup, database_file
from tracker.store.db import Store, fetch_dicts, immediate

# Plan-field columns in insert/update order (after uid); ``due`` is written separately because
# a postponed instance keeps its own deadline.
PLAN_COLUMNS = (
    "plan", "campaign", "task_key", "title", "owner", "support", "leader", "start",
    "planned_due", "period", "target", "unit", "priority", "tags", "notes", "after",
)  # fmt: skip


T = TypeVar("T")

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


def _json_list(values: tuple[str, ...]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


def plan_fields(inst: Instance) -> tuple[Any, ...]:
    """The plan-field values of ``inst`` in ``PLAN_COLUMNS`` order, as stored."""
    return (
        inst.plan,
        inst.campaign,
        inst.task_key,
        inst.title,
        inst.owner,
        _json_list(inst.support),
        inst.leader,
        inst.start.isoformat(),
        inst.due.isoformat(),
        inst.period,
        None if inst.target is None else float(inst.target),
        inst.unit,
        inst.priority,
        _json_list(inst.tags),
        inst.notes,
        _json_list(inst.after),
    )


def fingerprint(inst: Instance) -> bytes:
    """A short hash of an instance's plan fields and position, stored with its row.

    A reload only looks closer at rows whose hash differs, so this runs for every instance of
    every reload and is built to be cheap: the raw fields (dates as ordinals) serialised with
    ``marshal`` format 2, which writes no back-references, so equal values give equal bytes. The
    bytes are only hashed, never read back.
    """
    raw = (
        inst.plan, inst.campaign, inst.task_key, inst.title, inst.owner, inst.support,
        inst.leader, inst.start.toordinal(), inst.due.toordinal(), inst.period, inst.target,
        inst.unit, inst.priority, inst.tags, inst.notes, inst.after, inst.position,
    )  # fmt: skip
    return _blake2b(_marshal(raw, 2), digest_size=10).digest()


@dataclass(slots=True)
class _Diff:
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    positions: list[tuple[int, bytes, int]] = field(default_factory=list)
    restores: list[int] = field(default_factory=list)
    withdraws: list[int] = field(default_factory=list)
    deletes: list[tuple[int]] = field(default_factory=list)


def unchanged_load(db: Store, digest: str, *, dry_run: bool = False) -> LoadSummary | None:
    """The summary of reloading files whose digest matches a loaded plan's, else ``None``.

    Same bytes, same code and same calendar data expand to the same instances, so such a reload
    adds, changes, removes, withdraws and restores nothing; only the count is read.
    """
    row = db.conn.execute("SELECT id FROM plans WHERE source_digest = ?", (digest,)).fetchone()
    if row is None:
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
    expansion: Expansion,
    ctx: Context,
    *,
    dry_run: bool = False,
    digest: str | None = None,
) -> LoadSummary:
    """Load or reload ``expansion`` into ``db`` in one transaction (none at all if ``dry_run``).

    ``digest`` (``tracker.plan.digest.source_digest``) is stored with the plan so that the next
    load of the same files can be answered by ``unchanged_load``.
    """
    plan = expansion.plan
    summary = LoadSummary(plan=plan.id, instances=len(expansion.instances), dry_run=dry_run)
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
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        _apply(db, expansion, ctx, summary, now, digest)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
    return summary


def _apply(
    db: Store,
    expansion: Expansion,
    ctx: Context,
    summary: LoadSummary,
    now: str,
    digest: str | None,
) -> None:
    plan = expansion.plan
    with immediate(db):
        diff = _diff(db, expansion, summary, now)
        if diff.withdraws or diff.deletes:
            summary.backup = _backup_before(db)
        _write_reference(db, plan, now, digest)
        _write_tasks(db, diff)
        if diff.withdraws or diff.restores:
            batch = int(
                db.conn.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM events").fetchone()[0]
            )
            for task_id in diff.withdraws:
                _set_withdrawn(db, ctx, batch, task_id, withdraw=True)
            for task_id in diff.restores:
                _set_withdrawn(db, ctx, batch, task_id, withdraw=False)
        _prune_reference(db, plan)


def _backup_before(db: Store) -> str | None:
    """Copy the database as it stands before this load, which withdraws or removes rows.

    Called under the load's write lock, before anything is written: a second connection reads
    the last committed state, which nobody can change until this load commits or rolls back.
    A failed backup fails the load (nothing is written).
    """
    path = database_file(db)
    if path is None:  # an in-memory database: nowhere to put a copy
        return None
    reader = Store(sqlite3.connect(str(path)))
    try:
        return str(automatic_backup(reader, path, "load", datetime.now()))
    finally:
        reader.conn.close()


def _diff(db: Store, expansion: Expansion, summary: LoadSummary, now: str) -> _Diff:
    """Match the expansion against the stored rows of its plan by uid; fill ``summary``.

    The common case (most rows unchanged) reads only uid and fingerprint of every row; rows
    whose fingerprint differs and rows gone from the plan are then read in full.
    """
    conn = db.conn
    plan_id = expansion.plan.id
    stored: dict[str, bytes] = dict(
        conn.execute("SELECT uid, fingerprint FROM tasks WHERE plan = ?", (plan_id,)).fetchall()
    )
    withdrawn = {
        r[0]
        for r in conn.execute(
            "SELECT uid FROM tasks WHERE status = 'withdrawn' AND plan = ?", (plan_id,)
        )
    }
    d = _Diff()
    differing: list[tuple[Instance, bytes]] = []
    pop = stored.pop
    missing = b""
    for inst in expansion.instances:
        fp = fingerprint(inst)
        old = pop(inst.uid, missing)
        if old is missing:
            fields = plan_fields(inst)
            d.inserts.append((inst.uid, *fields, fields[8], inst.position, fp, now, now))
        elif old != fp:
            differing.append((inst, fp))
    changed_uids: set[str] = set()
    cols = ", ".join(PLAN_COLUMNS)
    for chunk in _chunks(differing):
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                f"SELECT uid, id, {cols} FROM tasks WHERE uid IN ({', '.join('?' * len(chunk))})",
                [inst.uid for inst, _fp in chunk],
            )
        }
        for inst, fp in chunk:
            task_id, *old_fields = rows[inst.uid]
            fields = plan_fields(inst)
            if tuple(old_fields) != fields:
                changed_uids.add(inst.uid)
                d.updates.append((*fields, fields[8], inst.position, fp, now, task_id))
            else:  # only the position (or the hash's encoding) differs
                d.positions.append((inst.position, fp, task_id))
    for uid in sorted(withdrawn):
        if uid not in stored:  # in the plan again
            d.restores.append(_task_id(conn, uid))
            summary.restored_uids.append(uid)
    summary.changed = len(changed_uids - withdrawn)
    leftovers = [uid for uid in stored if uid not in withdrawn]
    for part in _chunks(leftovers):
        for uid, task_id, touched in conn.execute(
            f"SELECT uid, id, touched FROM tasks WHERE uid IN ({', '.join('?' * len(part))})",
            part,
        ):
            if touched:
                d.withdraws.append(task_id)
                summary.withdrawn_uids.append(uid)
            else:
                d.deletes.append((task_id,))
                summary.removed_uids.append(uid)
    summary.added = len(d.inserts)
    summary.removed = len(d.deletes)
    summary.withdrawn = len(d.withdraws)
    summary.restored = len(d.restores)
    summary.unchanged = summary.instances - summary.added - summary.changed - summary.restored
    summary.withdrawn_uids.sort()
    summary.removed_uids.sort()
    return d


def _chunks(items: list[T], size: int = 500) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _task_id(conn: sqlite3.Connection, uid: str) -> int:
    return int(conn.execute("SELECT id FROM tasks WHERE uid = ?", (uid,)).fetchone()[0])


def _write_tasks(db: Store, d: _Diff) -> None:
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
    if to_delete:
        conn.executemany("DELETE FROM tasks WHERE id = ?", to_delete)


def _row_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])


def _set_withdrawn(db: Store, ctx: Context, batch: int, task_id: int, *, withdraw: bool) -> None:
    """Withdraw a touched instance gone from the plan, or restore one that came back."""
    row = fetch_dicts(db, "SELECT * FROM tasks WHERE id = ?", [task_id])[0]
    before = snapshot(row)
    if withdraw:
        after = dict(before, status="withdrawn")
        db.conn.execute(
            "UPDATE tasks SET status = 'withdrawn', withdrawn_status = ?, updated_at = ? "
            "WHERE id = ?",
            (row["status"], ctx.now().isoformat(timespec="seconds"), task_id),
        )
    else:
        after = dict(before, status=row["withdrawn_status"] or "todo")
        db.conn.execute(
            "UPDATE tasks SET status = ?, withdrawn_status = NULL, updated_at = ? WHERE id = ?",
            (after["status"], ctx.now().isoformat(timespec="seconds"), task_id),
        )
    log_event(
        db.conn, batch=batch, task_id=task_id, ctx=ctx,
        action="withdraw" if withdraw else "restore", before=before, after=after,
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
