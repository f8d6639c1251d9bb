"""``tracker add``: 交办 items, tasks created outside the plan file (cli-v2.md).

A 督查 finding or a leader's instruction with a deadline becomes an instance of a plan's
campaign with the uid ``PLAN_ID/CAMPAIGN_KEY/adhoc-N`` (N counting from 1 in each plan) and
``adhoc = 1``: no load ever compares, removes or withdraws it (``store.diff``). Its due date
moves off a day off by the plan's ``due_shift`` and calendar, as a plan task's does. Written
in one transaction with its ``add`` event; ``undo`` withdraws it again (ids are never reused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from tracker.context import Context
from tracker.domain import Action, State
from tracker.domain.bounds import MAX_QUANTITY, quantity_ok
from tracker.domain.indicators import default_measure
from tracker.domain.people import Act
from tracker.domain.task import NAME_SEP, PRIORITIES
from tracker.errors import BadInput
from tracker.present.safe import has_control
from tracker.store import people
from tracker.store.calendars import plan_calendar
from tracker.store.db import Store, immediate
from tracker.store.filters import nearest
from tracker.store.writes import Changed, changed, log_event, next_batch

ADHOC_PREFIX = "adhoc-"
#: Positions of ``add`` items: after every plan instance (a plan holds at most 2,000,000).
ADHOC_POSITION = 1_000_000_000


@dataclass(frozen=True, slots=True)
class AddRequest:
    """What ``tracker add`` was given (cli-v2.md, New commands)."""

    title: str
    owner: str
    due: date
    plan: str | None = None
    campaign: str | None = None
    start: date | None = None
    problem: str | None = None
    responsible: str | None = None
    leader: str | None = None
    target: float | None = None
    unit: str | None = None
    priority: str = "normal"
    tags: tuple[str, ...] = field(default_factory=tuple)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Where:
    plan: str
    due_shift: str
    campaign: str
    start: date
    end: date


def add(db: Store, ctx: Context, req: AddRequest) -> Changed:
    """Create the item in one transaction (``BadInput`` for bad input, ``Refused`` for a
    person who may not add it); returns it as stored."""
    title = _text(req.title, "title", required=True)
    assert title is not None
    with immediate(db):
        where = _campaign(db, _plan(db, req.plan), req.campaign, req.due)
        owner = _known(db, "owner", req.owner, "SELECT key FROM units WHERE plan = ?", where.plan)
        if req.problem is not None:
            _known(
                db, "problem", req.problem, "SELECT key FROM problems WHERE plan = ?", where.plan
            )
        people.authorize(db, ctx, Act.ADD, task_id=None, plan=where.plan, owner=owner)
        start, due = _dates(db, ctx, req, where)
        number = _next_number(db, where.plan)
        task_id = _insert(db, ctx, req, where, title, owner, start, due, number)
        initial = State.initial(due.isoformat())
        log_event(
            db.conn, batch=next_batch(db.conn), task_id=task_id, ctx=ctx, action=Action.ADD,
            before={}, after=initial, note=_text(req.note, "note"),
        )  # fmt: skip
        return changed(db, task_id, initial)


def _text(value: str | None, name: str, *, required: bool = False) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise BadInput("store.add.empty", option=f"--{name}")
        return None
    if has_control(text, allow="\t"):
        raise BadInput("store.add.control", option=f"--{name}")
    return text


def _plan(db: Store, plan: str | None) -> tuple[str, str]:
    """The plan (its id and due_shift): the one given, or the only one loaded."""
    rows = db.conn.execute("SELECT id, due_shift FROM plans ORDER BY id").fetchall()
    if plan is None:
        if len(rows) != 1:
            key = "store.add.no_plan" if not rows else "store.add.which_plan"
            raise BadInput(key, plans=", ".join(r[0] for r in rows))
        return str(rows[0][0]), str(rows[0][1])
    for plan_id, shift in rows:
        if plan_id == plan:
            return str(plan_id), str(shift)
    raise _unknown("plan", plan, [str(r[0]) for r in rows])


def _unknown(option: str, value: str, known: list[str]) -> BadInput:
    hint = nearest(value, known)
    key = "store.unknown_key_hint" if hint else "store.unknown_key_none"
    return BadInput(key, option=f"--{option}", value=value[:80], suggestion=hint or "")


def _known(db: Store, option: str, value: str, sql: str, plan: str) -> str:
    known = [str(r[0]) for r in db.conn.execute(sql, (plan,))]
    if value not in known:
        raise _unknown(option, value, known)
    return value


def _campaign(db: Store, plan: tuple[str, str], campaign: str | None, due: date) -> _Where:
    """The campaign given, or the one whose window holds ``due`` (the later-starting one
    where two do)."""
    plan_id, shift = plan
    rows = db.conn.execute(
        'SELECT key, start, "end" FROM campaigns WHERE plan = ? ORDER BY position, key',
        (plan_id,),
    ).fetchall()
    found = [(str(k), date.fromisoformat(s), date.fromisoformat(e)) for k, s, e in rows]
    if campaign is not None:
        for key, start, end in found:
            if key == campaign:
                return _Where(plan_id, shift, key, start, end)
        raise _unknown("campaign", campaign, [k for k, _, _ in found])
    holding = [c for c in found if c[1] <= due <= c[2]]
    if not holding:
        raise BadInput("store.add.no_campaign", due=due.isoformat(), plan=plan_id)
    key, start, end = max(holding, key=lambda c: c[1])  # max keeps the first of equal starts
    return _Where(plan_id, shift, key, start, end)


def _dates(db: Store, ctx: Context, req: AddRequest, where: _Where) -> tuple[date, date]:
    """The item's start (by default today, within its campaign) and its due date moved off a
    day off by the plan's ``due_shift``, never before the start."""
    due = req.due
    start = req.start or min(max(ctx.today, where.start), due)
    if due < start:
        raise BadInput("store.add.due_before_start", due=due.isoformat(), start=start.isoformat())
    cal = plan_calendar(db, where.plan)
    if cal is not None:
        hi = where.end if due <= where.end else date.max
        due = cal.shift(due, where.due_shift, start, hi)
    return start, due


def _next_number(db: Store, plan: str) -> int:
    """N of the next ``adhoc-N`` of the plan (withdrawn ones count: uids are never reused)."""
    # INDEXED BY: left alone, SQLite reads every row of the plan (tasks_campaign) instead of
    # the partial index of the few add items
    row = db.conn.execute(
        "SELECT MAX(CAST(substr(task_key, ?) AS INTEGER)) FROM tasks INDEXED BY tasks_adhoc"
        " WHERE plan = ? AND adhoc = 1",
        (len(ADHOC_PREFIX) + 1, plan),
    ).fetchone()
    return int(row[0] or 0) + 1


def _insert(
    db: Store,
    ctx: Context,
    req: AddRequest,
    where: _Where,
    title: str,
    owner: str,
    start: date,
    due: date,
    number: int,
) -> int:
    if req.target is not None and not (req.target > 0 and quantity_ok(req.target)):
        raise BadInput(
            "safety.quantity_range", value=str(req.target)[:80], high=f"{MAX_QUANTITY:.0e}"
        )
    if req.unit is not None and req.target is None:
        raise BadInput("store.add.unit_without_target")
    if req.priority not in PRIORITIES:
        raise BadInput("store.add.priority", value=req.priority[:40], choices=", ".join(PRIORITIES))
    tags = tuple(t for t in (_text(t, "tag") for t in req.tags) if t)
    leader = _text(req.leader, "leader")
    if leader is None:
        row = db.conn.execute(
            "SELECT leader FROM units WHERE plan = ? AND key = ?", (where.plan, owner)
        ).fetchone()
        leader = row[0] if row else None
    task_key = f"{ADHOC_PREFIX}{number}"
    now = ctx.now().isoformat(timespec="seconds")
    values = {
        "uid": f"{where.plan}/{where.campaign}/{task_key}",
        "plan": where.plan,
        "campaign": where.campaign,
        "task_key": task_key,
        "title": title,
        "owner": owner,
        "leader": leader,
        "start": start.isoformat(),
        "due": due.isoformat(),
        "planned_due": due.isoformat(),
        "target": req.target,
        "unit": _text(req.unit, "unit"),
        "priority": req.priority,
        "tags": json.dumps(list(tags), ensure_ascii=False),
        "problem": req.problem,
        "responsible": _names(req.responsible),
        "measure": default_measure(req.unit) if req.target is not None else None,
        "position": ADHOC_POSITION + number,
        "adhoc": 1,
        "created_at": now,
        "updated_at": now,
    }
    cols = ", ".join(values)
    marks = ", ".join(f":{c}" for c in values)
    cur = db.conn.execute(f"INSERT INTO tasks ({cols}) VALUES ({marks})", values)
    return int(cur.lastrowid or 0)


def _names(text: str | None) -> str | None:
    """``--responsible`` as given; several names may be separated by ``、`` or commas."""
    value = _text(text, "responsible")
    if value is None:
        return None
    names = [
        n.strip() for n in value.replace(",", NAME_SEP).replace("，", NAME_SEP).split(NAME_SEP)
    ]
    return NAME_SEP.join(dict.fromkeys(n for n in names if n)) or None
