"""Task templates → dated instances: recurrence × fan-out, due shifting, stable uids.

The work per template (occurrences, shifted dues, period labels) is done once; the per-owner
loop only builds ``Instance`` records, so half a million instances expand in about a second.
Each template becomes a ``TemplateBlock`` first (counted and fingerprinted from its
occurrences): a reload makes the instances of changed templates only.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import partial
from hashlib import blake2b
from marshal import dumps as _marshal
from typing import Any

import tracker
from tracker.plan.calendar import WorkCalendar, month_end
from tracker.plan.fields import Reporter
from tracker.plan.labels import period_text
from tracker.plan.model import (
    Expansion,
    Instance,
    LazyExpansion,
    MovedDate,
    Plan,
    PlanStats,
    TemplateBlock,
)
from tracker.plan.tasks import Template

#: Hard ceiling on the instances of one plan: a plan beyond it is surely a mistake, and the
#: ceiling keeps a typo (``every = "day"`` × 5,000 units) from eating the machine's memory.
MAX_INSTANCES = 2_000_000

# (nominal day, period label or None, the instance's own start, its due after shifting)
Occurrence = tuple[date, str | None, date, date]


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def nominal_days(tp: Template, cal: WorkCalendar) -> list[tuple[date, str | None, date]]:
    """The template's nominal days with their period labels and period starts."""
    start, due = tp.start, tp.due
    if tp.dates is not None:
        return [(d, d.isoformat(), start) for d in tp.dates]
    every = tp.every
    if every is None:
        return [(due, None, start)]
    out: list[tuple[date, str | None, date]] = []
    one = timedelta(days=1)
    if every == "day" or every == "workday":
        days = cal.workdays_between(start, due) if every == "workday" else None
        if days is None:
            days = [start + one * i for i in range((due - start).days + 1)]
        return [(d, d.isoformat(), d) for d in days]
    if every in ("week", "2 weeks"):
        assert isinstance(tp.on, int)
        step = timedelta(days=7 if every == "week" else 14)
        back = timedelta(days=0 if every == "week" else 7)
        d = start + timedelta(days=(tp.on - start.weekday()) % 7)
        while d <= due:
            monday = d - timedelta(days=d.weekday()) - back
            out.append((d, _iso_week(d), max(start, monday)))
            d += step
        return out
    months = range(start.year * 12 + start.month - 1, due.year * 12 + due.month)
    for index in months:
        year, m0 = divmod(index, 12)
        month = m0 + 1
        if every == "quarter" and month % 3:
            continue
        nominal = _day_of_month(tp.on, year, month, cal)
        if nominal is None or not start <= nominal <= due:
            continue
        if every == "month":
            label, first = f"{year}-{month:02d}", date(year, month, 1)
        else:
            label, first = f"{year}-Q{month // 3}", date(year, month - 2, 1)
        out.append((nominal, label, max(start, first)))
    return out


def _day_of_month(
    on: int | str | tuple[int, int] | None, year: int, month: int, cal: WorkCalendar
) -> date | None:
    """The nominal day of ``on`` in ``year-month``: day N (clamped), the last working day, or
    the n-th (``-1``: last) weekday of the month."""
    if on == "last":
        return cal.last_workday_of_month(year, month)
    if isinstance(on, tuple):
        n, weekday = on
        if n > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        last = month_end(year, month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    assert isinstance(on, int)
    return min(date(year, month, 1) + timedelta(days=on - 1), month_end(year, month))


def previous_label(every: str, nominal: date, cal: WorkCalendar) -> str:
    """The label of the period before the one ``nominal`` falls in (``covers = "previous"``)."""
    if every == "week":
        return _iso_week(nominal - timedelta(days=7))
    if every == "2 weeks":
        return _iso_week(nominal - timedelta(days=14))
    if every == "month":
        year, month = divmod(nominal.year * 12 + nominal.month - 2, 12)
        return f"{year}-{month + 1:02d}"
    if every == "quarter":
        q = (nominal.year * 12 + nominal.month - 1) // 3 - 1
        return f"{q // 4}-Q{q % 4 + 1}"
    if every == "workday":
        return (cal.prev_workday(nominal) or nominal - timedelta(days=1)).isoformat()
    return (nominal - timedelta(days=1)).isoformat()


def occurrences(tp: Template, cal: WorkCalendar, shift: str) -> list[Occurrence]:
    """Nominal days with their dues moved by ``shift`` (the task's own ``due_shift`` if it has
    one), never out of the task's window; periods labelled as ``covers`` says."""
    camp_end = tp.campaign.end
    recurring = tp.every is not None
    shift = tp.due_shift or shift
    out: list[Occurrence] = []
    for nominal, label, first in nominal_days(tp, cal):
        period = label
        if tp.covers == "previous" and tp.every is not None:
            period = previous_label(tp.every, nominal, cal)
        if recurring:
            hi = tp.due
        else:
            limit = tp.due if tp.dates is not None else camp_end
            hi = limit if nominal <= limit else date.max
        due = cal.shift(nominal, shift, tp.start, hi)
        out.append((nominal, period, min(first, due), due))
    return out


#: Bump when the instances made from the same template inputs change (``_build``): a stored
#: template fingerprint made by other code must not match.
BUILD_FORMAT = 1


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cycle collector while hundreds of thousands of instances are made.

    Instances hold no reference cycles: the collector's passes over them find nothing and cost
    a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def template_fingerprint(plan: Plan, tp: Template, occs: list[Occurrence]) -> bytes:
    """A hash of everything ``_build`` makes ``tp``'s instances from, positions aside.

    The occurrences are hashed as computed (own start, due after shifting), so a change of the
    calendar, its overrides, the holidays data or the plan's ``due_shift`` shows up exactly in
    the templates whose dates it moves; owners come with the unit name and leader where a
    ``{unit}`` title or the leader fallback uses them.
    """
    units = plan.units
    named = "{unit}" in tp.title
    owners = tuple(
        (o, units[o].name if named else None, units[o].leader if tp.leader is None else None)
        for o in tp.owners
    )
    raw: tuple[Any, ...] = (
        BUILD_FORMAT, tracker.__version__, plan.id, tp.campaign.key, tp.key, tp.title, owners,
        tp.fan_out, tp.every is not None or tp.dates is not None, tp.support, tp.leader,
        tp.target, tp.unit, tp.priority, tp.tags, tp.notes, tp.after,
        tuple((period, first.toordinal(), due.toordinal()) for _, period, first, due in occs),
    )  # fmt: skip
    extra = _v2_inputs(tp)
    if extra is not None:  # a version 1 template keeps the fingerprint it always had
        raw = (*raw, extra)
    style = label_style(plan, tp)
    if style is not None:  # {period_name} reads by the plan's language and year
        raw = (*raw, style)
    return blake2b(_marshal(raw, 2), digest_size=16).digest()


def label_style(plan: Plan, tp: Template) -> tuple[str, str, int] | None:
    """What ``{period_name}`` in ``tp``'s title reads by (None: the title has none)."""
    return ("period-name", plan.lang or "", plan.year) if NAME in tp.title else None


def _v2_inputs(tp: Template) -> tuple[Any, ...] | None:
    """What the version 2 fields add to a template's instances; None when none is used."""
    extra = (
        tp.problem, tp.responsible, tp.measure,
        tuple((d.toordinal(), p) for d, p in tp.milestones),
        tuple(sorted(tp.targets.items())),
    )  # fmt: skip
    return None if extra == (None, None, None, (), ()) else extra


def plan_blocks(
    plan: Plan, templates: list[Template], cal: WorkCalendar, rep: Reporter
) -> tuple[list[TemplateBlock], set[int], PlanStats] | None:
    """Every template's block in the deterministic order (campaign, task, owner, date), the
    years of all due dates and the counts ``check`` prints; None if the plan expands to too
    many instances. Makes no instance. ``skip`` leaves its periods out here.
    """
    # Count first: a plan over the limit is refused before any instance exists, so a typo
    # costs a second, not the machine's memory.
    total = skipped = skipped_instances = 0
    all_occs: list[list[Occurrence]] = []
    for tp in templates:
        occs = occurrences(tp, cal, plan.due_shift)
        if tp.skip:
            kept = _skip(tp, occs, rep)
            skipped += len(occs) - len(kept)
            skipped_instances += (len(occs) - len(kept)) * len(tp.owners)
            occs = kept
        total += len(occs) * len(tp.owners)
        if total > MAX_INSTANCES:
            rep.error(tp.loc, (), "plan.too_many", limit=f"{MAX_INSTANCES:,}")
            return None
        all_occs.append(occs)
    blocks: list[TemplateBlock] = []
    years: set[int] = set()
    start = 0
    for tp, occs in zip(templates, all_occs, strict=True):
        _warn_window(tp, occs, rep)
        count = len(occs) * len(tp.owners)
        years.update(o[3].year for o in occs)
        make = partial(_build, plan, tp, occs, start)
        fp = template_fingerprint(plan, tp, occs)
        blocks.append(TemplateBlock(tp.campaign.key, tp.key, start, count, fp, make))
        start += count
    indicators = sum(1 for tp in templates if tp.target is not None)
    return blocks, years, PlanStats(indicators, skipped, skipped_instances)


def _skip(tp: Template, occs: list[Occurrence], rep: Reporter) -> list[Occurrence]:
    """``occs`` without the periods ``skip`` lists; a label matching none is a warning."""
    wanted = set(tp.skip)
    kept = [o for o in occs if o[1] not in wanted]
    found = {o[1] for o in occs}
    example = occs[0][1] if occs and occs[0][1] else "2020-W41"  # the task's own label form
    for label in tp.skip:
        if label not in found:
            rep.warn(tp.loc, ("skip",), "plan.w_skip_unmatched", label=label, example=example)
    return kept


def expand(lazy: LazyExpansion) -> Expansion:
    """Make every instance of ``lazy`` (and list the due dates the calendar moved)."""
    instances: list[Instance] = []
    moved: list[MovedDate] = []
    with paused_gc():
        for block in lazy.blocks:
            instances += block.make(moved)
    expansion = Expansion(
        plan=lazy.plan,
        instances=instances,
        warnings=lazy.warnings,
        moved=moved,
        stats=lazy.stats,
    )
    expansion.blocks = lazy.blocks
    return expansion


def _warn_window(tp: Template, occs: list[Occurrence], rep: Reporter) -> None:
    where_key = "dates" if tp.dates is not None else "due"
    if not occs:
        rep.warn(tp.loc, ("every",), "plan.w_no_occurrence", start=tp.start, due=tp.due)
        return
    last = max(o[3] for o in occs)
    camp = tp.campaign
    if last > camp.end:
        rep.warn(tp.loc, (where_key,), "plan.w_past_end", due=last, campaign=camp.key, end=camp.end)


def _set_v2(inst: Instance, tp: Template) -> None:
    inst.problem, inst.responsible, inst.measure = tp.problem, tp.responsible, tp.measure
    # a due date moved earlier by due_shift may pass a milestone: it lies within no window then
    inst.milestones = tuple(m for m in tp.milestones if inst.start < m[0] < inst.due)


#: The placeholder of a period as a reader says it (``{period}`` is the ISO label itself).
NAME = "{period_name}"


def _titled(title: str, period: str | None, name: str) -> str:
    """``{period_name}`` and ``{period}`` replaced (the longer one first: it holds the other)."""
    return title.replace(NAME, name).replace("{period}", period or "")


def _build(
    plan: Plan,
    tp: Template,
    occs: list[Occurrence],
    start: int,
    moved: list[MovedDate] | None,
) -> list[Instance]:
    plan_id, units = plan.id, plan.units
    # ``{period_name}``'s text, once per occurrence (第16周 in a zh plan; the uid keeps the label)
    named = NAME in tp.title
    texts = [period_text(o[1], plan.lang, plan.year) if named else "" for o in occs]
    out: list[Instance] = []
    base = f"{plan_id}/{tp.campaign.key}/{tp.key}"
    recurring = tp.every is not None or tp.dates is not None
    has_unit, has_period = "{unit}" in tp.title, "{period" in tp.title
    support_set = set(tp.support)
    ckey, tkey, targets = tp.campaign.key, tp.key, tp.targets
    target_unit, priority, tags, notes, after = tp.unit, tp.priority, tp.tags, tp.notes, tp.after
    # the version 2 fields are set after construction, and only where a template has them:
    # keyword arguments cost the hot loop of a version 1 plan 8 %
    v2 = _v2_inputs(tp) is not None
    file = tp.loc.src.name
    moved_line = tp.loc.line("dates" if tp.dates is not None else "every" if tp.every else "due")
    for owner in tp.owners:
        owner_unit = units[owner]
        title = tp.title.replace("{unit}", owner_unit.name) if has_unit else tp.title
        leader = tp.leader if tp.leader is not None else owner_unit.leader
        support = tuple(s for s in tp.support if s != owner) if owner in support_set else tp.support
        prefix = f"{base}/{owner}" if tp.fan_out else base
        target = targets.get(owner, tp.target) if targets else tp.target
        for (nominal, period, first, due), text in zip(occs, texts, strict=True):
            uid = f"{prefix}/{period}" if recurring else prefix
            out.append(
                Instance(
                    uid=uid,
                    plan=plan_id,
                    campaign=ckey,
                    task_key=tkey,
                    title=_titled(title, period, text) if has_period else title,
                    owner=owner,
                    start=first,
                    due=due,
                    support=support,
                    leader=leader,
                    period=period,
                    target=target,
                    unit=target_unit,
                    priority=priority,
                    tags=tags,
                    notes=notes,
                    after=after,
                    position=start + len(out),
                )
            )
            if v2:
                _set_v2(out[-1], tp)
            if moved is not None and due != nominal:
                moved.append(MovedDate(uid, nominal, due, file, moved_line))
    return out
