"""The diff of a plan's rows against the stored rows of its plan: matched by uid, template first.

A reload's instances mostly equal the stored rows. Two hashes keep it from comparing them field
by field. Per row, ``fingerprint`` (the plan fields) is stored in ``tasks.fingerprint``. Per
task template, the plan engine's ``TemplateBlock.fingerprint`` (everything the template's
instances are made from) is stored in ``task_templates`` with the position of its first
instance. A template whose fingerprint, row count and rows are as stored (none withdrawn) is
left alone: its instances are not even made, and if templates before it grew or shrank its rows
move with one ``UPDATE … position = position + ?``. Every other template (changed, new, or
without a stored fingerprint, as after an upgrade) and every stored template gone from the plan
is compared row by row, exactly as an expansion without blocks is as a whole. ``tracker add``
items (``adhoc = 1``) belong to no template: no load compares, removes or withdraws them.

Two steps, so that no plan code runs inside the load's write transaction: ``make_rows`` reads
which templates need comparing and has the plan engine make their instances, turned into
``TaskRow`` s at once (before the transaction); ``compute_diff`` (under the write lock) decides
again and matches rows only. Should another load have changed that decision in between,
``compute_diff`` raises ``Stale`` naming the templates it lacks, the caller rolls back, makes
those with ``add_rows`` and tries again: each try has more templates made, so it ends.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from tracker.domain import Status
from tracker.plan.expand import paused_gc
from tracker.plan.model import Expansion, LazyExpansion, TemplateBlock
from tracker.store.rows import (
    OLD_HASH_SIZE,
    SELECT_PLAN_FIELDS,
    TaskRow,
    old_fingerprint,
    plan_values,
    task_row,
)

__all__ = [
    "Diff",
    "MadeRows",
    "Stale",
    "add_rows",
    "compute_diff",
    "first_load_diff",
    "instance_count",
    "make_rows",
    "old_fingerprint",  # the hash format recognised here (``_compare``), defined with the rows
    "select_templates",
]

T = TypeVar("T")
Key = tuple[str, str]  # (campaign, task_key): one task template of a plan


class StoredRow(NamedTuple):
    """What the diff reads of a stored row first (``SELECT id, fingerprint, position``)."""

    id: int
    fingerprint: bytes
    position: int


class WithdrawnRow(NamedTuple):
    """A withdrawn row of the plan: its id and its template."""

    id: int
    template: Key


class Move(NamedTuple):
    """A row whose plan fields are unchanged but whose position (or hash format) is not."""

    position: int
    fingerprint: bytes
    id: int


class Shift(NamedTuple):
    """An unchanged template whose rows all move by ``delta``."""

    delta: int
    plan: str
    campaign: str
    task_key: str


class StoredMark(NamedTuple):
    """What ``task_templates`` holds of a template."""

    fingerprint: bytes
    position: int


class Mark(NamedTuple):
    """A ``task_templates`` row: a template's fingerprint and first position as loaded."""

    plan: str
    campaign: str
    task_key: str
    fingerprint: bytes
    position: int


@dataclass(slots=True)
class Diff:
    """What a load writes, and what its summary reports."""

    inserts: list[TaskRow] = field(default_factory=list)
    #: (the new row, the id of the stored row it replaces)
    updates: list[tuple[TaskRow, int]] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    restores: list[int] = field(default_factory=list)
    withdraws: list[int] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)
    #: the templates whose stored mark changes
    marks: list[Mark] = field(default_factory=list)
    #: templates of the plan whose stored marks are to go; None: all of them (no blocks known)
    unmarks: list[Key] | None = field(default_factory=list)
    changed: int = 0
    withdrawn_uids: list[str] = field(default_factory=list)
    restored_uids: list[str] = field(default_factory=list)
    removed_uids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Selection:
    """Which templates a load compares row by row, and what it stores about the others."""

    compare: list[Key]
    shifts: list[Shift]
    marks: list[Mark]
    unmarks: list[Key]


@dataclass(slots=True)
class MadeRows:
    """The rows of the instances a load compares, made before its write transaction.

    ``whole``: every row of an expansion without blocks; else ``by_template``, for the
    templates to compare.
    """

    whole: list[TaskRow] | None = None
    by_template: dict[Key, list[TaskRow]] = field(default_factory=dict)


class Stale(Exception):
    """The templates to compare changed since the rows were made (another load came first)."""

    def __init__(self, missing: list[Key]) -> None:
        super().__init__(missing)
        self.missing = missing


def instance_count(expansion: Expansion | LazyExpansion) -> int:
    """How many instances ``expansion`` has (a lazy one has not made them)."""
    if isinstance(expansion, LazyExpansion):
        return expansion.count
    return len(expansion.instances)


def make_rows(conn: sqlite3.Connection, expansion: Expansion | LazyExpansion, now: str) -> MadeRows:
    """The rows ``compute_diff`` will need, as the database stands now (no transaction needed:
    ``compute_diff`` checks the decision again under the write lock)."""
    if expansion.blocks is None:
        assert isinstance(expansion, Expansion)
        with paused_gc():
            return MadeRows(whole=[task_row(inst, now) for inst in expansion.instances])
    plan_id = expansion.plan.id
    kept = Counter(w.template for w in _withdrawn(conn, plan_id).values())
    wanted = select_templates(conn, plan_id, expansion.blocks, kept).compare
    made = MadeRows()
    add_rows(made, expansion.blocks, wanted, now)
    return made


def add_rows(made: MadeRows, blocks: Iterable[TemplateBlock], keys: list[Key], now: str) -> None:
    """Make the instances of the templates ``keys`` (those in ``blocks``) and their rows."""
    wanted = set(keys)
    with paused_gc():
        for b in blocks:
            key = (b.campaign, b.task_key)
            if key in wanted and key not in made.by_template:
                made.by_template[key] = [task_row(inst, now) for inst in b.instances()]


def compute_diff(
    conn: sqlite3.Connection, expansion: Expansion | LazyExpansion, made: MadeRows
) -> Diff:
    """Match ``made`` against the stored rows of the plan by uid (see the module doc).

    Raises ``Stale`` if a template to compare has no rows in ``made``.
    """
    plan_id = expansion.plan.id
    d = Diff()
    withdrawn = _withdrawn(conn, plan_id)
    blocks = expansion.blocks
    stored: dict[str, StoredRow]
    groups: Iterable[list[TaskRow]]
    if blocks is None:
        assert made.whole is not None
        stored = _stored(conn, "plan = ? AND adhoc = 0", (plan_id,))
        groups = [made.whole]
        d.unmarks = None
    else:
        kept = Counter(w.template for w in withdrawn.values())
        sel = select_templates(conn, plan_id, blocks, kept)
        planned = {(b.campaign, b.task_key) for b in blocks}
        missing = [k for k in sel.compare if k in planned and k not in made.by_template]
        if missing:
            raise Stale(missing)
        d.shifts, d.marks, d.unmarks = sel.shifts, sel.marks, sel.unmarks
        compared = set(sel.compare)
        withdrawn = {uid: w for uid, w in withdrawn.items() if w.template in compared}
        stored = {}
        for campaign, task_key in sel.compare:
            where = "plan = ? AND campaign = ? AND task_key = ?"
            stored.update(_stored(conn, where, (plan_id, campaign, task_key)))
        groups = [made.by_template[k] for k in sel.compare if k in planned]
    differing = _match(groups, stored, d)
    changed_uids = _compare(conn, differing, d)
    for uid in sorted(withdrawn):
        if uid not in stored:  # in the plan again
            d.restores.append(withdrawn[uid].id)
            d.restored_uids.append(uid)
    d.changed = len(changed_uids - withdrawn.keys())
    _leftovers(conn, sorted(uid for uid in stored if uid not in withdrawn), d)
    return d


def first_load_diff(conn: sqlite3.Connection, expansion: Expansion | LazyExpansion) -> Diff:
    """The diff of a plan with no stored row, its rows streamed (``tracker.store.stream``):
    every instance is inserted, in the order ``compute_diff`` would insert them; what is left
    to decide is the templates' marks."""
    assert expansion.blocks is not None
    sel = select_templates(conn, expansion.plan.id, expansion.blocks, Counter())
    return Diff(shifts=sel.shifts, marks=sel.marks, unmarks=sel.unmarks)


def _withdrawn(conn: sqlite3.Connection, plan_id: str) -> dict[str, WithdrawnRow]:
    """The plan's withdrawn rows, by uid."""
    # ``+plan``: found through the status index (few rows), not by reading the whole plan.
    return {
        uid: WithdrawnRow(task_id, (campaign, task_key))
        for uid, task_id, campaign, task_key in conn.execute(
            "SELECT uid, id, campaign, task_key FROM tasks"
            " WHERE status = ? AND +plan = ? AND adhoc = 0",
            (Status.WITHDRAWN, plan_id),
        )
    }


def _stored(conn: sqlite3.Connection, where: str, params: tuple[str, ...]) -> dict[str, StoredRow]:
    return {
        uid: StoredRow(task_id, fp, position)
        for uid, task_id, fp, position in conn.execute(
            f"SELECT uid, id, fingerprint, position FROM tasks WHERE {where}", params
        )
    }


def _leftovers(conn: sqlite3.Connection, uids: list[str], d: Diff) -> None:
    """Stored rows gone from the plan, in uid order (the withdraw events follow this order):
    withdrawn if anyone touched them, else deleted."""
    for part in _chunks(uids):
        for uid, task_id, touched in conn.execute(
            f"SELECT uid, id, touched FROM tasks WHERE uid IN ({', '.join('?' * len(part))})",
            part,
        ):
            if touched:
                d.withdraws.append(task_id)
                d.withdrawn_uids.append(uid)
            else:
                d.deletes.append(task_id)
                d.removed_uids.append(uid)
    d.withdrawn_uids.sort()
    d.removed_uids.sort()


def select_templates(
    conn: sqlite3.Connection,
    plan_id: str,
    blocks: tuple[TemplateBlock, ...],
    withdrawn: Counter[Key],
) -> Selection:
    """The templates to compare row by row (changed ones, then stored ones gone from the plan),
    the unchanged templates that moved, and the marks to store or drop.

    A template is unchanged when its fingerprint is the one stored by the last load and it has
    as many rows besides withdrawn ones as instances: then its rows are its instances. (Only a
    load withdraws or restores, and the load that stored the fingerprint compared the template
    row by row: its withdrawn rows are none of these instances.) The counts come from the
    covering (plan, campaign, task_key) index, so rows added, deleted, withdrawn or restored
    behind the loader's back make the template compared row by row again.
    """
    counts: dict[Key, int] = {
        (c, t): n
        for c, t, n in conn.execute(
            "SELECT campaign, task_key, COUNT(*) FROM tasks WHERE plan = ? "
            "GROUP BY campaign, task_key",
            (plan_id,),
        )
    }
    for key in adhoc_keys(conn, plan_id):  # ``tracker add`` items: never the plan's to touch
        counts.pop(key, None)
    stored_marks: dict[Key, StoredMark] = {
        (c, t): StoredMark(fp, pos)
        for c, t, fp, pos in conn.execute(
            "SELECT campaign, task_key, fingerprint, position FROM task_templates WHERE plan = ?",
            (plan_id,),
        )
    }
    sel = Selection(compare=[], shifts=[], marks=[], unmarks=[])
    for b in blocks:
        key = (b.campaign, b.task_key)
        mark = stored_marks.pop(key, None)
        if mark != StoredMark(b.fingerprint, b.start):
            sel.marks.append(Mark(plan_id, b.campaign, b.task_key, b.fingerprint, b.start))
        same = mark is not None and mark.fingerprint == b.fingerprint
        if not same or counts.get(key, 0) - withdrawn[key] != b.count:
            sel.compare.append(key)
        elif mark is not None and mark.position != b.start:
            sel.shifts.append(Shift(b.start - mark.position, plan_id, b.campaign, b.task_key))
    sel.unmarks = list(stored_marks)
    planned = {(b.campaign, b.task_key) for b in blocks}
    sel.compare += [key for key in counts if key not in planned]
    return sel


def adhoc_keys(conn: sqlite3.Connection, plan_id: str) -> list[Key]:
    """The (campaign, task_key) of the plan's ``tracker add`` items (the partial index
    ``tasks_adhoc`` holds only them)."""
    return [
        (c, t)
        for c, t in conn.execute(
            "SELECT campaign, task_key FROM tasks INDEXED BY tasks_adhoc"
            " WHERE plan = ? AND adhoc = 1",
            (plan_id,),
        )
    ]


def _match(
    groups: Iterable[list[TaskRow]], stored: dict[str, StoredRow], d: Diff
) -> list[tuple[TaskRow, StoredRow]]:
    """Pop each row's stored row from ``stored``: new ones are inserted, moved ones
    repositioned; returns those whose hash differs, with their stored row."""
    differing: list[tuple[TaskRow, StoredRow]] = []
    pop = stored.pop
    for rows in groups:
        for row in rows:
            old = pop(row.uid, None)
            if old is None:
                d.inserts.append(row)
            elif old.fingerprint != row.fingerprint:  # changed, or hashed by an older tracker
                differing.append((row, old))
            elif old.position != row.position:
                d.moves.append(Move(row.position, row.fingerprint, old.id))
    return differing


def _compare(
    conn: sqlite3.Connection, differing: list[tuple[TaskRow, StoredRow]], d: Diff
) -> set[str]:
    """Read the rows whose hash differs in full; returns the uids whose plan fields changed."""
    changed: set[str] = set()
    for chunk in _chunks(differing):
        ids = [old.id for _, old in chunk]
        stored = {
            task_id: tuple(values)
            for task_id, *values in conn.execute(
                f"{SELECT_PLAN_FIELDS} WHERE id IN ({', '.join('?' * len(ids))})", ids
            )
        }
        for row, old in chunk:
            if stored[old.id] != plan_values(row):
                changed.add(row.uid)
                d.updates.append((row, old.id))
            elif len(old.fingerprint) == OLD_HASH_SIZE and old.position == row.position:
                continue  # as an older tracker stored it: not rewritten for the hash format
            else:  # only the position or the hash's encoding differs
                d.moves.append(Move(row.position, row.fingerprint, old.id))
    return changed


def _chunks(items: list[T], size: int = 500) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
