"""``[[campaign.task]]`` tables → validated task templates, and their ``after`` graph.

A template is everything expansion needs, resolved once: owners (one, or the fan-out members),
its window, its recurrence, the texts. Expansion then only multiplies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.domain.task import PRIORITIES
from tracker.plan import extras
from tracker.plan.calendar import WorkCalendar
from tracker.plan.dates import DateContext
from tracker.plan.fields import UNIT_KEY, UNIT_KEY_TEXT, Loc, Reporter, Table
from tracker.plan.model import Campaign, Problem, Unit
from tracker.plan.validate import DUE_SHIFTS, Header, check_members, date_value

TASK_KEYS = (
    "key",
    "title",
    "owner",
    "each",
    "support",
    "leader",
    "start",
    "due",
    "every",
    "on",
    "dates",
    "target",
    "unit",
    "after",
    "tags",
    "priority",
    "notes",
    # plan format v2
    "problem",
    "responsible",
    "except",
    "targets",
    "measure",
    "milestones",
    "due_shift",
    "skip",
    "covers",
)
EVERY = ("day", "workday", "week", "2 weeks", "month", "quarter")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(slots=True)
class Template:
    """One validated task template of a campaign."""

    campaign: Campaign
    key: str
    title: str
    owners: tuple[str, ...]
    fan_out: bool
    support: tuple[str, ...]
    leader: str | None
    start: date
    due: date
    due_given: bool
    every: str | None
    # weekday index 0..6, day 1..31, "last", or (n, weekday): the n-th (-1: last) weekday
    on: int | str | tuple[int, int] | None
    dates: tuple[date, ...] | None
    target: float | None
    unit: str | None
    after: tuple[str, ...]
    tags: tuple[str, ...]
    priority: str
    notes: str | None
    loc: Loc
    # -- plan format v2
    problem: str | None = None
    responsible: str | None = None
    targets: dict[str, float] = field(default_factory=dict)
    measure: str | None = None
    milestones: tuple[tuple[date, float], ...] = ()
    due_shift: str | None = None  # None: the plan's
    skip: tuple[str, ...] = ()
    covers: str = "same"


@dataclass(slots=True)
class TaskContext:
    """What every task of one plan is validated against."""

    head: Header
    units: dict[str, Unit]
    groups: dict[str, tuple[str, ...]]
    calendar: WorkCalendar
    rep: Reporter
    problems: dict[str, Problem] = field(default_factory=dict)


def task(
    data: dict[str, Any], loc: Loc, camp: Campaign | None, ckey: str, tc: TaskContext
) -> tuple[str | None, Template | None, list[str], Loc]:
    """Validate one task; returns its key, its template (None on error) and raw ``after`` refs."""
    rep = tc.rep
    n_errors = len(rep.errors)
    t = Table(data, loc, rep)
    key = t.ident("key", UNIT_KEY, UNIT_KEY_TEXT, required=True)
    if key is not None:
        loc = Loc(loc.src, loc.path, f"[[campaign.task]] '{ckey}.{key}'")
        t.loc = loc
        if extras.ADHOC_KEY.fullmatch(key):
            rep.error(loc, ("key",), "plan.adhoc_key", value=key)
    t.check_keys(TASK_KEYS)
    fields_ = _fields(t, tc)
    after = t.strings("after") or []
    raw_dates = _raw_dates(t, fields_["every"] is not None)
    if camp is None:
        return key, None, after, loc
    start, due, dates = _window(data, loc, camp, raw_dates, tc)
    fields_ |= _dated(t, camp, start, due, fields_, tc)
    title, owners = fields_["title"], fields_["owners"]
    if len(rep.errors) > n_errors or key is None or title is None or not owners:
        return key, None, after, loc
    if start < camp.start:
        rep.warn(loc, ("start",), "plan.w_start_before", start=start, campaign=camp.key,
                 cstart=camp.start)  # fmt: skip
    if fields_["every"] is None and dates is None and "{period" in title:
        rep.warn(loc, ("title",), "plan.w_period_unused")
    template = Template(
        campaign=camp, key=key, start=start, due=due, due_given="due" in data, dates=dates,
        after=(), loc=loc, **fields_,
    )  # fmt: skip
    return key, template, after, loc


def _fields(t: Table, tc: TaskContext) -> dict[str, Any]:
    """The task's fields that need no date: who, what, how often, how much."""
    rep, data = tc.rep, t.data
    owners, fan_out = _owners(t, tc)
    owners = extras.except_(t, owners, fan_out)
    every, on = _recurrence(t)
    target = t.positive("target")
    unit = t.string("unit")
    if unit is not None and target is None and "target" not in data:
        rep.warn(t.loc, ("unit",), "plan.w_unit_without_target")
    return {
        "title": t.string("title", required=True),
        "owners": owners,
        "fan_out": fan_out,
        "support": _support(t, tc),
        "leader": t.names("leader"),
        "every": every,
        "on": on,
        "target": target,
        "unit": unit,
        "tags": tuple(t.strings("tags") or ()),
        "priority": t.choice("priority", PRIORITIES, "normal"),
        "notes": t.string("notes", multiline=True),
        "problem": extras.problem(t, tc.problems),
        "responsible": t.names("responsible"),
        "targets": extras.targets(t, owners, fan_out, target),
        "measure": extras.measure(t, target, unit),
        "due_shift": t.choice_or_none("due_shift", DUE_SHIFTS),
        "covers": extras.covers(t, every),
    }


def _dated(
    t: Table, camp: Campaign, start: date, due: date, fields_: dict[str, Any], tc: TaskContext
) -> dict[str, Any]:
    """The task's fields dated within its window: ``milestones`` and ``skip``."""
    head = tc.head
    ctx = DateContext(start, camp.end, camp.start, head.lo, head.hi, tc.calendar)
    has_dates = "dates" in t.data
    recurring = fields_["every"] is not None or has_dates
    win = extras.Window(start, due, recurring, ctx)
    has_target = fields_["target"] is not None or "target" in t.data
    return {
        "milestones": extras.milestones(t, win, has_target),
        "skip": extras.skip_labels(t, fields_["every"], has_dates, ctx),
    }


def _raw_dates(t: Table, recurring: bool) -> list[Any] | None:
    """``dates`` as written: not with ``every``, and not an empty list."""
    raw = t.dates("dates")
    if raw is not None and recurring:
        t.rep.error(t.loc, ("dates",), "plan.every_and_dates")
    if raw is not None and not raw and "dates" in t.data:
        t.rep.error(t.loc, ("dates",), "plan.dates_empty")
    return raw


def _window(
    data: dict[str, Any],
    loc: Loc,
    camp: Campaign,
    raw_dates: list[Any] | None,
    tc: TaskContext,
) -> tuple[date, date, tuple[date, ...] | None]:
    """A task's ``start``, ``due`` and ``dates`` resolved against its campaign's window."""
    head, cal, rep = tc.head, tc.calendar, tc.rep
    start = camp.start
    if "start" in data:
        ctx = DateContext(camp.start, camp.end, camp.start, head.lo, head.hi, cal)
        start = date_value(data["start"], "start", loc, ctx, rep) or camp.start
    ctx = DateContext(start, camp.end, camp.start, head.lo, head.hi, cal)
    due = camp.end
    if "due" in data:
        due = date_value(data["due"], "due", loc, ctx, rep) or camp.end
    if due < start:
        where = "due" if "due" in data else "start"
        rep.error(loc, (where,), "plan.due_before_start", due=due, start=start)
    dates = None
    if raw_dates:
        dates = _dates(raw_dates, loc, ctx, start, due, "due" in data, rep)
    return start, due, dates


def _owners(t: Table, tc: TaskContext) -> tuple[tuple[str, ...], bool]:
    rep, loc = tc.rep, t.loc
    has_owner, has_each = t.has("owner"), t.has("each")
    if has_owner == has_each:
        rep.error(loc, ("owner",) if has_owner else (), "plan.owner_and_each")
        return (), False
    if has_owner:
        owner = t.string("owner")
        if owner is None:
            return (), False
        if owner not in tc.units:
            rep.error(loc, ("owner",), "plan.unit_unknown", field="owner", unit=owner)
            return (), False
        return (owner,), False
    each = t.data["each"]
    if isinstance(each, str):
        members = tc.groups.get(each)
        if members is None:
            if each in tc.units:  # a single unit named where a group is expected
                return (each,), True
            rep.error(loc, ("each",), "plan.group_unknown", group=each)
            return (), True
        if not members:
            rep.error(loc, ("each",), "plan.group_empty", group=each)
            return (), True
        return members, True
    if isinstance(each, list) and all(isinstance(m, str) for m in each):
        if not each:
            rep.error(loc, ("each",), "plan.group_empty", group="[]")
            return (), True
        n = len(rep.errors)
        members_l = check_members(list(each), "each", loc, tc.units, rep)
        return (tuple(members_l) if len(rep.errors) == n else ()), True
    rep.error(loc, ("each",), "plan.type.units", field="each")
    return (), True


def _support(t: Table, tc: TaskContext) -> tuple[str, ...]:
    """Supporting units; a group name stands for its members (an extension)."""
    names = t.strings("support")
    if not names:
        return ()
    out: list[str] = []
    for name in names:
        if name in tc.units:
            members: tuple[str, ...] = (name,)
        elif name in tc.groups:
            members = tc.groups[name]
        else:
            tc.rep.error(t.loc, ("support",), "plan.unit_unknown", field="support", unit=name)
            continue
        out.extend(m for m in members if m not in out)
    return tuple(out)


def _recurrence(t: Table) -> tuple[str | None, int | str | tuple[int, int] | None]:
    rep, loc = t.rep, t.loc
    every = t.string("every")
    if every is not None and every not in EVERY:
        rep.error(
            loc, ("every",), "plan.bad_choice", field="every", value=every, choices=", ".join(EVERY)
        )
        return None, None
    if "on" not in t.data:
        if every in ("week", "2 weeks"):
            return every, WEEKDAYS.index("fri")
        return every, "last" if every in ("month", "quarter") else None
    raw = t.data["on"]
    if every is None:
        if "every" not in t.data:
            rep.error(loc, ("on",), "plan.on_without_every")
        return None, None
    if every in ("week", "2 weeks"):
        if isinstance(raw, str) and raw.lower() in WEEKDAYS:
            return every, WEEKDAYS.index(raw.lower())
        expected = '"mon".."sun"'
    elif every in ("month", "quarter"):
        if raw == "last":
            return every, "last"
        if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 31:
            return every, raw
        nth = extras.nth_day(raw)
        if nth is not None:
            return every, nth
        expected = '1..31 | "last" | "N DAY" (N: 1..4 or last, DAY: mon..sun)'
    else:
        expected = "-"
    shown = f'"{raw}"' if isinstance(raw, str) else str(raw)
    rep.error(loc, ("on",), "plan.on_bad", value=shown, every=every, expected=expected)
    return every, None


def _dates(
    raw: list[Any],
    loc: Loc,
    ctx: DateContext,
    start: date,
    due: date,
    due_given: bool,
    rep: Reporter,
) -> tuple[date, ...]:
    out: list[date] = []
    for item in raw:
        d = date_value(item, "dates", loc, ctx, rep)
        if d is None:
            continue
        if d in out:
            rep.error(loc, ("dates",), "plan.dates_dup", date=d)
        elif d < start:
            rep.error(loc, ("dates",), "plan.dates_before_start", date=d, start=start)
        elif due_given and d > due:
            rep.error(loc, ("dates",), "plan.dates_after_due", date=d, due=due)
        else:
            out.append(d)
    return tuple(sorted(out))


def link_after(
    templates: list[Template],
    raw_after: dict[tuple[str, str], tuple[list[str], Loc]],
    rep: Reporter,
) -> None:
    """Resolve ``after`` references to ``CAMPAIGN/TASK`` and reject cycles."""
    known = {(tp.campaign.key, tp.key) for tp in templates}
    known |= set(raw_after)
    edges: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for (ckey, tkey), (refs, loc) in raw_after.items():
        resolved: list[tuple[str, str]] = []
        for ref in refs:
            parts = ref.split(".")
            target = (ckey, parts[0]) if len(parts) == 1 else (parts[0], parts[1])
            if len(parts) > 2 or target not in known:
                rep.error(loc, ("after",), "plan.after_unknown", ref=ref)
                continue
            if target not in resolved:
                resolved.append(target)
        edges[(ckey, tkey)] = resolved
    for tp in templates:
        tp.after = tuple(f"{c}/{k}" for c, k in edges.get((tp.campaign.key, tp.key), ()))
    _after_cycles(edges, raw_after, rep)


def _after_cycles(
    edges: dict[tuple[str, str], list[tuple[str, str]]],
    raw_after: dict[tuple[str, str], tuple[list[str], Loc]],
    rep: Reporter,
) -> None:
    state: dict[tuple[str, str], int] = {}  # 1 on the stack, 2 finished
    for root in edges:
        if state.get(root):
            continue
        stack: list[tuple[tuple[str, str], int]] = [(root, 0)]
        path: list[tuple[str, str]] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            succ = edges.get(node, [])
            if i >= len(succ):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, i + 1)
            nxt = succ[i]
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                ring = " → ".join(f"{c}.{k}" for c, k in [*cycle, nxt])
                rep.error(raw_after[nxt][1], ("after",), "plan.after_cycle", cycle=ring)
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, 0))
                path.append(nxt)
