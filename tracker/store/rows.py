"""The ``tasks`` row a load writes for an instance, and the SQL that writes it, by column name.

``TaskRow``'s fields are the ``tasks`` columns a load fills, in the order of ``INSERT_TASK``'s
column list; ``PLAN_COLUMNS`` (the plan fields: what a reload updates) and the statements are
derived from those names, so a column is named once. ``task_row`` is the one place where an
``Instance`` (the plan engine's output) becomes a row: the rest of the store never sees one.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from hashlib import blake2b as _blake2b
from marshal import dumps as _marshal
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from tracker.plan.model import Instance

HASH_SIZE = 12  # bytes of ``fingerprint``
OLD_HASH_SIZE = 10  # bytes of ``old_fingerprint``


class TaskRow(NamedTuple):
    """One instance as stored in ``tasks`` by a load (``id`` and the state fields aside)."""

    uid: str
    # -- plan fields (PLAN_COLUMNS): from the plan, updated by a reload
    plan: str
    campaign: str
    task_key: str
    title: str
    owner: str
    support: str  # JSON list of unit keys
    leader: str | None
    start: str  # ISO date
    planned_due: str  # ISO date: the plan's deadline, after due_shift
    period: str | None
    target: float | None
    unit: str | None
    priority: str
    tags: str  # JSON list
    notes: str | None
    after: str  # JSON list of CAMPAIGN_KEY/TASK_KEY references
    problem: str | None  # plan format v2 (m011)
    responsible: str | None
    measure: str | None
    milestones: str | None  # JSON [[ISO date, percent], …]
    # -- set by the load besides the plan fields
    due: str  # the effective deadline: planned_due when inserted; a postponed row keeps its own
    position: int
    fingerprint: bytes  # ``fingerprint(instance)``: the plan fields' hash
    created_at: str
    updated_at: str


#: Columns of ``TaskRow`` that are not plan fields.
LOAD_COLUMNS = ("uid", "due", "position", "fingerprint", "created_at", "updated_at")
#: The plan-field columns, in ``TaskRow`` order.
PLAN_COLUMNS: tuple[str, ...] = tuple(c for c in TaskRow._fields if c not in LOAD_COLUMNS)

INSERT_TASK = (
    f"INSERT INTO tasks ({', '.join(TaskRow._fields)}) "
    f"VALUES ({', '.join('?' * len(TaskRow._fields))})"
)
#: The columns a streamed first load (``stream.py``) sends for each row: not those that are the
#: same in every row of one load (its plan, its timestamp twice), nor ``due`` (= planned_due).
STREAM_FIELDS: tuple[str, ...] = tuple(
    c for c in TaskRow._fields if c not in ("plan", "due", "created_at", "updated_at")
)
#: ``stream_values(task_values(inst, now))``: the ``STREAM_FIELDS`` of a row, in order.
stream_values = itemgetter(*(TaskRow._fields.index(c) for c in STREAM_FIELDS))


def stream_insert(plan: str, now: str) -> str:
    """The ``INSERT_TASK`` of one load's streamed rows (``STREAM_FIELDS``): the plan and the
    timestamp are written into the statement, ``due`` takes planned_due's parameter."""
    number = {c: f"?{i}" for i, c in enumerate(STREAM_FIELDS, start=1)}
    number["due"] = number["planned_due"]
    for column, text in (("plan", plan), ("created_at", now), ("updated_at", now)):
        number[column] = "'" + text.replace("'", "''") + "'"
    values = ", ".join(number[c] for c in TaskRow._fields)
    return f"INSERT INTO tasks ({', '.join(TaskRow._fields)}) VALUES ({values})"


#: Takes ``update_params(row, task_id)``. A postponed instance keeps its deadline; only its
#: planned_due follows the plan.
UPDATE_TASK = (
    f"UPDATE tasks SET {', '.join(f'{c} = :{c}' for c in PLAN_COLUMNS)}, "
    "due = CASE WHEN postponed > 0 THEN due ELSE :due END, position = :position, "
    "fingerprint = :fingerprint, updated_at = :updated_at WHERE id = :id"
)
#: ``id`` and the plan fields of stored rows: ``WHERE id IN (…)`` is appended.
SELECT_PLAN_FIELDS = f"SELECT id, {', '.join(PLAN_COLUMNS)} FROM tasks"

#: ``plan_values(row)``: the row's plan fields as a tuple, to compare with a stored row's.
plan_values = attrgetter(*PLAN_COLUMNS)


def update_params(row: TaskRow, task_id: int) -> dict[str, Any]:
    """The named parameters of ``UPDATE_TASK`` that rewrite row ``task_id`` as ``row``."""
    return row._asdict() | {"id": task_id}


@lru_cache(maxsize=4096)
def _json_list(values: tuple[str, ...]) -> str:
    # Cached: the lists are a template's (or an owner's), shared by all its instances.
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


_iso = lru_cache(maxsize=4096)(date.isoformat)  # a plan has a few hundred distinct dates
#: ``_new_row(TaskRow, values)``: a ``TaskRow`` from a tuple of all its fields, in order
_new_row = tuple.__new__


def task_row(inst: Instance, now: str) -> TaskRow:
    """The row a load stores for ``inst`` (``now``: the load's timestamp).

    Built positionally, in ``TaskRow``'s field order, by ``tuple.__new__`` itself: keyword
    arguments cost a first load of half a million instances a fifth more, and the generated
    ``TaskRow.__new__`` (a Python function taking 26 arguments) another ~12% of this function.
    """
    return _new_row(TaskRow, task_values(inst, now))


def task_values(inst: Instance, now: str) -> tuple[Any, ...]:
    """``task_row(inst, now)`` as a plain tuple: what ``INSERT_TASK`` binds (the ``sqlite3``
    module binds a tuple subclass's items more slowly) and ``marshal`` can send."""
    planned_due = _iso(inst.due)
    milestones = inst.milestones
    return (
        inst.uid,
        inst.plan,
        inst.campaign,
        inst.task_key,
        inst.title,
        inst.owner,
        _json_list(inst.support),
        inst.leader,
        _iso(inst.start),
        planned_due,
        inst.period,
        None if inst.target is None else float(inst.target),
        inst.unit,
        inst.priority,
        _json_list(inst.tags),
        inst.notes,
        _json_list(inst.after),
        inst.problem,
        inst.responsible,
        inst.measure,
        _milestones(milestones) if milestones else None,
        planned_due,  # due
        inst.position,
        fingerprint(inst),
        now,  # created_at
        now,  # updated_at
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

    Its size (``OLD_HASH_SIZE``) tells it apart: the diff compares such a row field by field
    and leaves its hash alone when nothing changed, so a database loaded by an older tracker is
    not rewritten for the format alone. Nothing computes it any more; it defines the format.
    """
    return _blake2b(_marshal((*_raw(inst), position), 2), digest_size=OLD_HASH_SIZE).digest()


def _raw(inst: Instance) -> tuple[Any, ...]:
    raw = (
        inst.plan, inst.campaign, inst.task_key, inst.title, inst.owner, inst.support,
        inst.leader, inst.start.toordinal(), inst.due.toordinal(), inst.period, inst.target,
        inst.unit, inst.priority, inst.tags, inst.notes, inst.after,
    )  # fmt: skip
    if inst.problem is None and inst.responsible is None and inst.measure is None:
        return raw  # a version 1 instance: the hash it always had (no reload rewrites it)
    points = tuple((d.toordinal(), p) for d, p in inst.milestones)
    return (*raw, inst.problem, inst.responsible, inst.measure, points)


@lru_cache(maxsize=1024)
def _milestones(points: tuple[tuple[date, float], ...]) -> str:
    return json.dumps([[d.isoformat(), p] for d, p in points])
