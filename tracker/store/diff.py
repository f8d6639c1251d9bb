"""The diff of an expansion against the stored rows of its plan: matched by uid, template first.

A reload's instances mostly equal the stored rows. Two hashes keep it from comparing them field
by field. Per row, ``fingerprint`` (the plan fields) is stored in ``tasks.fingerprint``. Per
task template, the plan engine's ``TemplateBlock.fingerprint`` (everything the template's
instances are made from) is stored in ``task_templates`` with the position of its first
instance. A template whose fingerprint, row count and rows are as stored (none withdrawn) is
left alone: its instances are not even made, and if templates before it grew or shrank its rows
move with one ``UPDATE … position = position + ?``. Every other template (changed, new, or
without a stored fingerprint, as after an upgrade) and every stored template gone from the plan
is compared row by row, exactly as an expansion without blocks is as a whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import blake2b as _blake2b
from marshal import dumps as _marshal
from typing import Any, TypeVar

from tracker.plan.expand import paused_gc
from tracker.plan.model import Expansion, Instance, LazyExpansion, TemplateBlock

# Plan-field columns in insert/update order (after uid); ``due`` is written separately because
# a postponed instance keeps its own deadline.
PLAN_COLUMNS = (
    "plan", "campaign", "task_key", "title", "owner", "support", "leader", "start",
    "planned_due", "period", "target", "unit", "priority", "tags", "notes", "after",
)  # fmt: skip

T = TypeVar("T")
Key = tuple[str, str]  # (campaign, task_key): one task template of a plan
HASH_SIZE = 12  # bytes of ``fingerprint``
OLD_HASH_SIZE = 10  # bytes of ``old_fingerprint``


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
    """A short hash of an instance's plan fields, stored with its row.

    A reload compares the rows of a changed template by this hash first, so it is built to be
    cheap: the raw fields (dates as ordinals) serialised with ``marshal`` format 2, which writes
    no back-references, so equal values give equal bytes. The bytes are only hashed, never read
    back. The position is left out: a row that only moves is not a changed row.
    """
    return _blake2b(_marshal(_raw(inst), 2), digest_size=HASH_SIZE).digest()


def old_fingerprint(inst: Instance, position: int) -> bytes:
    """The hash that loads before migration m006 stored: the plan fields and the position.

    Its size tells it apart, so a database loaded by an older tracker is recognised row by row
    with one hash each and is not rewritten for the format alone.
    """
    return _blake2b(_marshal((*_raw(inst), position), 2), digest_size=OLD_HASH_SIZE).digest()


def _raw(inst: Instance) -> tuple[Any, ...]:
    return (
        inst.plan, inst.campaign, inst.task_key, inst.title, inst.owner, inst.support,
        inst.leader, inst.start.toordinal(), inst.due.toordinal(), inst.period, inst.target,
        inst.unit, inst.priority, inst.tags, inst.notes, inst.after,
    )  # fmt: skip


@dataclass(slots=True)
class Diff:
    """What a load writes, and what its summary reports."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    #: (position, fingerprint, id): rows whose plan fields are unchanged but position is not
    positions: list[tuple[int, bytes, int]] = field(default_factory=list)
    #: (delta, plan, campaign, task_key): unchanged templates whose rows all move by ``delta``
    shifts: list[tuple[int, str, str, str]] = field(default_factory=list)
    restores: list[int] = field(default_factory=list)
    withdraws: list[int] = field(default_factory=list)
    deletes: list[tuple[int]] = field(default_factory=list)
    #: (plan, campaign, task_key, fingerprint, position) to store for the templates that changed
    marks: list[tuple[str, str, str, bytes, int]] = field(default_factory=list)
    #: templates of the plan whose stored marks are to go; None: all of them (no blocks known)
    unmarks: list[tuple[str, str, str]] | None = field(default_factory=list)
    changed: int = 0
    withdrawn_uids: list[str] = field(default_factory=list)
    restored_uids: list[str] = field(default_factory=list)
    removed_uids: list[str] = field(default_factory=list)


def instance_count(expansion: Expansion | LazyExpansion) -> int:
    """How many instances ``expansion`` has (a lazy one has not made them)."""
    if isinstance(expansion, LazyExpansion):
        return expansion.count
    return len(expansion.instances)


def compute_diff(conn: sqlite3.Connection, expansion: Expansion | LazyExpansion, now: str) -> Diff:
    """Match ``expansion`` against the stored rows of its plan by uid (see the module doc)."""
    plan_id = expansion.plan.id
    d = Diff()
    # ``+plan``: found through the status index (few rows), not by reading the whole plan.
    withdrawn: dict[str, tuple[int, Key]] = {
        uid: (task_id, (campaign, task_key))
        for uid, task_id, campaign, task_key in conn.execute(
            "SELECT uid, id, campaign, task_key FROM tasks "
            "WHERE status = 'withdrawn' AND +plan = ?",
            (plan_id,),
        )
    }
    blocks = expansion.blocks
    stored: dict[str, tuple[int, bytes, int]]
    groups: Iterable[list[Instance]]
    if blocks is None:
        assert isinstance(expansion, Expansion)
        stored = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT uid, id, fingerprint, position FROM tasks WHERE plan = ?", (plan_id,)
            )
        }
        groups = [expansion.instances]
        d.unmarks = None
    else:
        kept = Counter(key for _, key in withdrawn.values())
        full = _plan_templates(conn, plan_id, blocks, kept, d)
        compared = set(full)
        withdrawn = {uid: w for uid, w in withdrawn.items() if w[1] in compared}
        stored = {}
        for campaign, task_key in full:
            stored.update(
                (r[0], r[1:])
                for r in conn.execute(
                    "SELECT uid, id, fingerprint, position FROM tasks "
                    "WHERE plan = ? AND campaign = ? AND task_key = ?",
                    (plan_id, campaign, task_key),
                )
            )
        by_key = {(b.campaign, b.task_key): b for b in blocks}
        groups = (by_key[k].instances() for k in full if k in by_key)
    with paused_gc():
        differing = _match(groups, stored, d, now)
    changed_uids = _compare(conn, differing, d, now)
    for uid in sorted(withdrawn):
        if uid not in stored:  # in the plan again
            d.restores.append(withdrawn[uid][0])
            d.restored_uids.append(uid)
    d.changed = len(changed_uids - withdrawn.keys())
    # In uid order, like the summary's lists: the withdraw events follow this order.
    leftovers = sorted(uid for uid in stored if uid not in withdrawn)
    for part in _chunks(leftovers):
        for uid, task_id, touched in conn.execute(
            f"SELECT uid, id, touched FROM tasks WHERE uid IN ({', '.join('?' * len(part))})",
            part,
        ):
            if touched:
                d.withdraws.append(task_id)
                d.withdrawn_uids.append(uid)
            else:
                d.deletes.append((task_id,))
                d.removed_uids.append(uid)
    d.withdrawn_uids.sort()
    d.removed_uids.sort()
    return d


def _plan_templates(
    conn: sqlite3.Connection,
    plan_id: str,
    blocks: tuple[TemplateBlock, ...],
    withdrawn: Counter[Key],
    d: Diff,
) -> list[Key]:
    """The templates to compare row by row (changed ones, then stored ones gone from the plan).

    Fills ``d.shifts`` for the unchanged templates that moved and ``d.marks``/``d.unmarks``.
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
    marks: dict[Key, tuple[bytes, int]] = {
        (c, t): (fp, pos)
        for c, t, fp, pos in conn.execute(
            "SELECT campaign, task_key, fingerprint, position FROM task_templates WHERE plan = ?",
            (plan_id,),
        )
    }
    full: list[Key] = []
    for b in blocks:
        key = (b.campaign, b.task_key)
        mark = marks.pop(key, None)
        if mark != (b.fingerprint, b.start):
            d.marks.append((plan_id, b.campaign, b.task_key, b.fingerprint, b.start))
        same = mark is not None and mark[0] == b.fingerprint
        if not same or counts.get(key, 0) - withdrawn[key] != b.count:
            full.append(key)
        elif mark is not None and mark[1] != b.start:
            d.shifts.append((b.start - mark[1], plan_id, b.campaign, b.task_key))
    d.unmarks = [(plan_id, c, t) for c, t in marks]
    planned = {(b.campaign, b.task_key) for b in blocks}
    full += [key for key in counts if key not in planned]
    return full


def _match(
    groups: Iterable[list[Instance]], stored: dict[str, tuple[int, bytes, int]], d: Diff, now: str
) -> list[tuple[Instance, bytes, int]]:
    """Pop each instance's row from ``stored``: new ones are inserted, moved ones repositioned;
    returns those whose hash differs, with their row id."""
    differing: list[tuple[Instance, bytes, int]] = []
    pop = stored.pop
    for instances in groups:
        for inst in instances:
            old = pop(inst.uid, None)
            if old is None:
                fields = plan_fields(inst)
                fp = fingerprint(inst)
                d.inserts.append((inst.uid, *fields, fields[8], inst.position, fp, now, now))
                continue
            task_id, old_fp, old_pos = old
            if len(old_fp) == OLD_HASH_SIZE:
                same = old_fp == old_fingerprint(inst, old_pos)
                if same and old_pos == inst.position:
                    continue  # kept as it is, old hash and all
                fp = fingerprint(inst)
            else:
                fp = fingerprint(inst)
                same = old_fp == fp
            if not same:
                differing.append((inst, fp, task_id))
            elif old_pos != inst.position:
                d.positions.append((inst.position, fp, task_id))
    return differing


def _compare(
    conn: sqlite3.Connection, differing: list[tuple[Instance, bytes, int]], d: Diff, now: str
) -> set[str]:
    """Read the rows whose hash differs in full; returns the uids whose plan fields changed."""
    changed: set[str] = set()
    cols = ", ".join(PLAN_COLUMNS)
    for chunk in _chunks(differing):
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                f"SELECT id, {cols} FROM tasks WHERE id IN ({', '.join('?' * len(chunk))})",
                [task_id for _, _, task_id in chunk],
            )
        }
        for inst, fp, task_id in chunk:
            fields = plan_fields(inst)
            if rows[task_id] != fields:
                changed.add(inst.uid)
                d.updates.append((*fields, fields[8], inst.position, fp, now, task_id))
            else:  # only the hash's encoding differs
                d.positions.append((inst.position, fp, task_id))
    return changed


def _chunks(items: list[T], size: int = 500) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
