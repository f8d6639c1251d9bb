"""Merge the files of a plan and validate its header, calendar, units, groups and campaigns.

Every problem is reported through a ``Reporter`` with the offending key's line; validation goes
on after an error (using a safe default) so that a single run lists all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tracker.plan.calendar import CALENDARS, WorkCalendar
from tracker.plan.dates import DateContext, DateError, DateExpr, parse_date, resolve
from tracker.plan.fields import PLAN_ID, PLAN_ID_TEXT, UNIT_KEY, UNIT_KEY_TEXT, Loc, Reporter, Table
from tracker.plan.model import Campaign, Unit
from tracker.plan.source import SourceFile

TOP_KEYS = ("plan", "units", "groups", "calendar", "campaign", "problem")
PLAN_KEYS = ("id", "title", "year", "calendar", "due_shift", "lang")
UNIT_KEYS = ("name", "leader", "parent", "kind", "rank", "contact")
CALENDAR_KEYS = ("holidays", "workdays")
CAMPAIGN_KEYS = ("key", "name", "start", "end", "notes", "task")
DUE_SHIFTS = ("before", "after", "keep")
LANGS = ("zh", "en")
YEAR_MIN, YEAR_MAX = 1900, 2200
#: Dates may lie this many years around the plan's year; further is surely a typo.
YEAR_SPAN = 10


@dataclass(slots=True)
class Merged:
    """The tables of every file of the plan, each with where it was written."""

    plan: tuple[dict[str, Any], Loc] | None = None
    units: list[tuple[str, Any, Loc]] = field(default_factory=list)
    groups: list[tuple[str, Any, Loc]] = field(default_factory=list)
    calendar: list[tuple[str, Any, Loc]] = field(default_factory=list)
    campaigns: list[tuple[dict[str, Any], Loc]] = field(default_factory=list)
    problems: list[tuple[dict[str, Any], Loc]] = field(default_factory=list)


def _other(loc: Loc, *sub: str | int) -> str:
    return f"{loc.src.name}:{loc.line(*sub)}"


def merge(sources: list[SourceFile], rep: Reporter) -> Merged:
    """Combine the files: ``[plan]`` once, tables merged key by key, campaigns concatenated."""
    out = Merged()
    seen: dict[tuple[str, str], Loc] = {}
    for src in sources:
        top = Table(src.data, Loc(src, (), "(top level)"), rep)
        top.check_keys(TOP_KEYS)
        if "plan" in src.data:
            loc = Loc(src, ("plan",), "[plan]")
            value = top.table("plan")
            if out.plan is not None:
                rep.error(loc, (), "plan.plan_twice", other=_other(out.plan[1]))
            elif value is not None:
                out.plan = (value, loc)
        for section, bucket in (
            ("units", out.units),
            ("groups", out.groups),
            ("calendar", out.calendar),
        ):
            table = top.table(section)
            if table is None:
                continue
            for key, value in table.items():
                where = f"[{section}.{key}]" if section == "units" else f"[{section}]"
                loc = Loc(src, (section, key), where)
                first = seen.get((section, key))
                if first is not None:
                    rep.error(loc, (), "plan.key_twice", field=key, other=_other(first))
                    continue
                seen[(section, key)] = loc
                bucket.append((key, value, loc))
        for name, bucket_ in (("campaign", out.campaigns), ("problem", out.problems)):
            if name not in src.data:
                continue
            found = src.data[name]
            if not isinstance(found, list) or not all(isinstance(c, dict) for c in found):
                rep.error(top.loc, (name,), "plan.type.aot", field=name)
                continue
            for i, c in enumerate(found):
                bucket_.append((c, Loc(src, (name, i), f"[[{name}]] #{i + 1}")))
    return out


@dataclass(slots=True)
class Header:
    """The validated ``[plan]`` table (``None`` fields were missing or wrong)."""

    id: str | None
    title: str | None
    year: int | None
    calendar: str
    due_shift: str
    lang: str | None
    loc: Loc

    @property
    def lo(self) -> date:
        """The earliest date the plan may mention."""
        return date(self.year - YEAR_SPAN, 1, 1) if self.year else date(1, 1, 1)

    @property
    def hi(self) -> date:
        """The latest date the plan may mention."""
        return date(self.year + YEAR_SPAN, 12, 31) if self.year else date(9999, 12, 31)


def header(data: dict[str, Any], loc: Loc, rep: Reporter) -> Header:
    """Validate ``[plan]``."""
    t = Table(data, loc, rep)
    t.check_keys(PLAN_KEYS)
    plan_id = t.ident("id", PLAN_ID, PLAN_ID_TEXT, required=True)
    title = t.string("title", required=True)
    year = t.integer("year", required=True)
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        rep.error(loc, ("year",), "plan.year_range", value=year, lo=YEAR_MIN, hi=YEAR_MAX)
        year = None
    cal = t.choice("calendar", CALENDARS, "cn")
    shift = t.choice("due_shift", DUE_SHIFTS, "before")
    lang = t.choice("lang", LANGS, "") or None
    return Header(plan_id, title, year, cal, shift, lang, loc)


def calendar_overrides(
    entries: list[tuple[str, Any, Loc]], head: Header, rep: Reporter
) -> tuple[set[date], set[date], dict[int, Loc]]:
    """``[calendar]``: extra days off and extra working days, and which years they cover."""
    found: dict[str, set[date]] = {"holidays": set(), "workdays": set()}
    years: dict[int, Loc] = {}
    plain = WorkCalendar("none")
    for key, value, loc in entries:
        t = Table({key: value}, loc, rep)
        t.check_keys(CALENDAR_KEYS)
        if key not in CALENDAR_KEYS:
            continue
        raw = t.dates(key)
        for item in raw or ():
            d = full_date(item, key, loc, head, plain, rep)
            if d is not None:
                found[key].add(d)
                years.setdefault(d.year, loc)
    for d in sorted(found["holidays"] & found["workdays"]):
        loc = next(loc for key, _, loc in entries if key == "workdays")
        rep.error(loc, (), "plan.calendar_both", date=d.isoformat())
    return found["holidays"], found["workdays"], years


def full_date(
    raw: Any, key: str, loc: Loc, head: Header, cal: WorkCalendar, rep: Reporter
) -> date | None:
    """A date written in full (no anchor, no month-day, no offset)."""
    try:
        expr = parse_date(raw)
        if expr.kind != "date" or expr.offsets:
            raise DateError("plan.date_bad", value=str(raw))
        return resolve(expr, DateContext(None, None, None, head.lo, head.hi, cal))
    except DateError as e:
        rep.error(loc, (key,), e.key, field=key, **e.params)
        return None


def units(entries: list[tuple[str, Any, Loc]], rep: Reporter) -> dict[str, Unit]:
    """``[units.KEY]`` tables, then their ``parent`` links (known, no cycles)."""
    out: dict[str, Unit] = {}
    locs: dict[str, Loc] = {}
    for key, value, loc in entries:
        if not UNIT_KEY.fullmatch(key):
            rep.error(loc, (), "plan.bad_id", field=key, value=key, pattern=UNIT_KEY_TEXT)
        if not isinstance(value, dict):
            rep.error(loc, (), "plan.type.table", field=key)
            continue
        t = Table(value, loc, rep)
        t.check_keys(UNIT_KEYS)
        name = t.string("name", required=True)
        rank = t.boolean("rank")
        out[key] = Unit(
            key=key,
            name=name or key,
            leader=t.names("leader"),
            parent=t.string("parent"),
            kind=t.string("kind", nonempty=True) or "",
            rank=True if rank is None else rank,
            contact=t.names("contact"),
        )
        locs[key] = loc
    for key, unit in out.items():
        if unit.parent is not None and unit.parent not in out:
            rep.error(locs[key], ("parent",), "plan.unit_unknown", field="parent", unit=unit.parent)
    _parent_cycles(out, locs, rep)
    return _inherit_kinds(out)


def _inherit_kinds(all_units: dict[str, Unit]) -> dict[str, Unit]:
    """A unit without ``kind`` takes its parent's (up the tree); a root without one has ``""``."""
    out: dict[str, Unit] = {}
    for key, unit in all_units.items():
        kind, seen, node = unit.kind, {key}, unit.parent
        while not kind and node is not None and node in all_units and node not in seen:
            seen.add(node)  # a cycle (reported above) stops the walk
            kind, node = all_units[node].kind, all_units[node].parent
        out[key] = unit if kind == unit.kind else replace(unit, kind=kind)
    return out


def _parent_cycles(all_units: dict[str, Unit], locs: dict[str, Loc], rep: Reporter) -> None:
    done: set[str] = set()
    for start in all_units:
        path: list[str] = []
        on_path: set[str] = set()
        key: str | None = start
        while key is not None and key in all_units and key not in done:
            if key in on_path:
                cycle = path[path.index(key) :]
                first = min(cycle)
                i = cycle.index(first)
                ring = [*cycle[i:], *cycle[:i], first]
                rep.error(locs[first], ("parent",), "plan.parent_cycle", cycle=" → ".join(ring))
                break
            path.append(key)
            on_path.add(key)
            key = all_units[key].parent
        done.update(path)


def groups(
    entries: list[tuple[str, Any, Loc]], all_units: dict[str, Unit], rep: Reporter
) -> tuple[dict[str, tuple[str, ...]], dict[str, Loc]]:
    """``[groups]``: named lists of known unit keys."""
    out: dict[str, tuple[str, ...]] = {}
    locs: dict[str, Loc] = {}
    for name, value, loc in entries:
        if not UNIT_KEY.fullmatch(name):
            rep.error(loc, (name,), "plan.bad_id", field=name, value=name, pattern=UNIT_KEY_TEXT)
        if name in all_units:
            rep.error(loc, (name,), "plan.group_is_unit", field=name)
        t = Table({name: value}, loc, rep)
        members = t.strings(name)
        if members is None:
            continue
        out[name] = tuple(check_members(members, name, loc, all_units, rep))
        locs[name] = loc
    return out, locs


def check_members(
    members: list[str], key: str, loc: Loc, all_units: dict[str, Unit], rep: Reporter
) -> list[str]:
    """Known, distinct unit keys from ``members`` (each problem reported)."""
    seen: set[str] = set()
    out: list[str] = []
    for m in members:
        if m not in all_units:
            rep.error(loc, (key,), "plan.unit_unknown", field=key, unit=m)
        elif m in seen:
            rep.error(loc, (key,), "plan.dup_member", field=key, unit=m)
        else:
            seen.add(m)
            out.append(m)
    return out


@dataclass(slots=True)
class CampaignSpec:
    """A validated ``[[campaign]]`` header with its raw tasks."""

    campaign: Campaign | None
    key: str | None
    loc: Loc
    tasks: list[tuple[dict[str, Any], Loc]]


def campaign(
    data: dict[str, Any], loc: Loc, head: Header, cal: WorkCalendar, rep: Reporter
) -> CampaignSpec:
    """One ``[[campaign]]``: key, name, dated window, notes, and its task tables."""
    t = Table(data, loc, rep)
    key = t.ident("key", UNIT_KEY, UNIT_KEY_TEXT, required=True)
    if key is not None:
        loc = Loc(loc.src, loc.path, f"[[campaign]] '{key}'")
        t.loc = loc
    t.check_keys(CAMPAIGN_KEYS)
    name = t.string("name", required=True)
    notes = t.string("notes", multiline=True)
    md_from = date(head.year, 1, 1) if head.year else None
    start = _date_field(t, "start", DateContext(None, None, md_from, head.lo, head.hi, cal))
    end = None
    if start is not None:
        end = _date_field(t, "end", DateContext(start, None, start, head.lo, head.hi, cal))
    elif "end" not in data:
        rep.error(loc, (), "plan.missing_key", field="end")
    if start is not None and end is not None and end < start:
        rep.error(loc, ("end",), "plan.end_before_start", end=end, start=start)
        end = None
    tasks: list[tuple[dict[str, Any], Loc]] = []
    raw_tasks = data.get("task", [])
    if not isinstance(raw_tasks, list) or not all(isinstance(x, dict) for x in raw_tasks):
        rep.error(loc, ("task",), "plan.type.aot", field="campaign.task")
    else:
        for i, task in enumerate(raw_tasks):
            tasks.append((task, Loc(loc.src, (*loc.path, "task", i), f"{loc.where} task #{i + 1}")))
    made = None
    if key is not None and name is not None and start is not None and end is not None:
        made = Campaign(key=key, name=name, start=start, end=end, notes=notes)
    return CampaignSpec(made, key, loc, tasks)


def _date_field(t: Table, key: str, ctx: DateContext, *, required: bool = True) -> date | None:
    if key not in t.data:
        if required:
            t.rep.error(t.loc, (), "plan.missing_key", field=key)
        return None
    return date_value(t.data[key], key, t.loc, ctx, t.rep)


def date_value(raw: Any, key: str, loc: Loc, ctx: DateContext, rep: Reporter) -> date | None:
    """Parse and resolve one date, reporting a failure at ``key``'s line."""
    try:
        expr: DateExpr = parse_date(raw)
        return resolve(expr, ctx)
    except DateError as e:
        rep.error(loc, (key,), e.key, field=key, **e.params)
        return None
