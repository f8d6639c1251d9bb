"""Plan engine: TOML → validated ``Plan`` → expanded ``Instance`` list. Pure: no DB, no UI.

Public entry point::

    read_plan(path: Path) -> Expansion      # raises PlanError with every error found
    read_plan_lazy(path: Path) -> LazyExpansion   # the same, instances made per template later

``PlanError.diagnostics`` lists ``Diagnostic`` records (``FILE:LINE: message``); the exit
status for a bad plan is 2. ``WorkCalendar`` (``tracker.plan.calendar``) answers working-day
questions for the other layers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker.errors import PlanError
from tracker.plan.calendar import WorkCalendar, official_workdays
from tracker.plan.expand import MAX_INSTANCES, expand, plan_blocks
from tracker.plan.fields import Loc, Reporter
from tracker.plan.model import Campaign, Diagnostic, Expansion, LazyExpansion, Plan
from tracker.plan.problems import problems
from tracker.plan.source import SourceFile, plan_files, read_source
from tracker.plan.tasks import TaskContext, Template, link_after, task
from tracker.plan.validate import Header, calendar_overrides, campaign, groups, header, merge, units

__all__ = ["MAX_INSTANCES", "WorkCalendar", "read_plan", "read_plan_lazy"]


def _sources(path: Path, rep: Reporter) -> list[SourceFile]:
    """The parsed files of ``path`` (a file, or every ``*.toml`` directly in a directory)."""
    errors: list[Diagnostic] = rep.errors
    if path.is_dir():
        try:
            files = plan_files(path)
        except OSError as e:
            errors.append(
                Diagnostic(
                    str(path), 1, "plan.file_unreadable", {"path": str(path), "reason": str(e)}
                )
            )
            return []
        if not files:
            errors.append(Diagnostic(str(path), 1, "plan.dir_empty", {"path": str(path)}))
            return []
    else:
        files = plan_files(path)
    out: list[SourceFile] = []
    for f in files:
        src = read_source(f, str(f), errors)
        if src is None:
            continue
        if not src.data:
            if len(files) == 1:
                errors.append(Diagnostic(src.name, 1, "plan.empty_file"))
            else:
                rep.warnings.append(Diagnostic(src.name, 1, "plan.empty_file", severity="warning"))
            continue
        out.append(src)
    if not out and len(files) > 1 and not errors:
        # every file was empty (warnings only): there is no plan to read at all
        errors.append(Diagnostic(str(path), 1, "plan.dir_all_empty", {"path": str(path)}))
    return out


def _fail(rep: Reporter, order: dict[str, int]) -> PlanError:
    diags = sorted(rep.errors, key=lambda d: (order.get(d.file, len(order)), d.line))
    return PlanError(diags)


def read_plan(path: Path | str) -> Expansion:
    """Read, validate and expand the plan at ``path``; ``PlanError`` lists every error found."""
    return expand(read_plan_lazy(path))


def read_plan_lazy(path: Path | str) -> LazyExpansion:
    """Read and validate the plan at ``path`` like ``read_plan``, without making its instances.

    Every error and warning is found here (the instances are counted and dated per template);
    ``TemplateBlock.instances()`` makes them on demand.
    """
    path = Path(path)
    rep = Reporter()
    sources = _sources(path, rep)
    order = {s.name: i for i, s in enumerate(sources)}
    if rep.errors:
        raise _fail(rep, order)
    merged = merge(sources, rep)
    if merged.plan is None:
        rep.error(Loc(sources[0], (), "[plan]"), (), "plan.no_plan")
        head = Header(None, None, None, "cn", "before", None, Loc(sources[0], (), "[plan]"))
    else:
        head = header(*merged.plan, rep)
    extra_off, extra_work, override_years = calendar_overrides(merged.calendar, head, rep)
    cal = WorkCalendar(head.calendar, extra_off, extra_work)
    all_units = units(merged.units, rep)
    all_groups, _ = groups(merged.groups, all_units, rep)
    all_problems = problems(merged.problems, rep)
    tc = TaskContext(head, all_units, all_groups, cal, rep, all_problems)

    campaigns, templates, raw_after = _campaigns(merged.campaigns, head, cal, tc)
    link_after(templates, raw_after, rep)
    if rep.errors:
        raise _fail(rep, order)

    assert head.id is not None and head.title is not None and head.year is not None
    plan = Plan(
        id=head.id,
        title=head.title,
        year=head.year,
        calendar=head.calendar,
        due_shift=head.due_shift,
        lang=head.lang,
        units=all_units,
        groups=all_groups,
        campaigns=tuple(campaigns),
        problems=all_problems,
        sources=tuple(Path(s.name) for s in sources),
        holidays=tuple(sorted(extra_off)),
        workdays=tuple(sorted(extra_work)),
    )
    result = plan_blocks(plan, templates, cal, rep)
    if result is None or rep.errors:
        raise _fail(rep, order)
    blocks, due_years, stats = result
    if head.calendar == "cn":
        _warn_schedule(plan, due_years, head, set(override_years), rep)
    return LazyExpansion(plan=plan, blocks=tuple(blocks), warnings=rep.warnings, stats=stats)


def _campaigns(
    found: list[tuple[dict[str, Any], Loc]], head: Header, cal: WorkCalendar, tc: TaskContext
) -> tuple[list[Campaign], list[Template], dict[tuple[str, str], tuple[list[str], Loc]]]:
    """Every campaign and its task templates (with their raw ``after`` references), each key
    checked for duplicates at its line."""
    rep = tc.rep
    campaigns: list[Campaign] = []
    templates: list[Template] = []
    raw_after: dict[tuple[str, str], tuple[list[str], Loc]] = {}
    seen_campaigns: dict[str, Loc] = {}
    for data, loc in found:
        spec = campaign(data, loc, head, cal, rep)
        duplicate = False
        if spec.key is not None:
            first = seen_campaigns.get(spec.key)
            if first is not None:
                duplicate = True
                other = f"{first.src.name}:{first.line('key')}"
                rep.error(spec.loc, ("key",), "plan.dup_key", value=spec.key, other=other)
            else:
                seen_campaigns[spec.key] = spec.loc
        if spec.campaign is not None and not duplicate:
            campaigns.append(spec.campaign)
        seen_tasks: dict[str, Loc] = {}
        for tdata, tloc in spec.tasks:
            key, template, after, tloc = task(tdata, tloc, spec.campaign, spec.key or "?", tc)
            if key is None or spec.key is None or duplicate:
                continue
            first = seen_tasks.get(key)
            if first is not None:
                other = f"{first.src.name}:{first.line('key')}"
                rep.error(tloc, ("key",), "plan.dup_key", value=key, other=other)
                continue
            seen_tasks[key] = tloc
            raw_after[(spec.key, key)] = (after, tloc)
            if template is not None:
                templates.append(template)
    return campaigns, templates, raw_after


def _warn_schedule(
    plan: Plan, due_years: set[int], head: Header, covered: set[int], rep: Reporter
) -> None:
    """Warn for each year the plan touches whose official 调休 days are unknown."""
    years = set(due_years)
    for c in plan.campaigns:
        years.update(range(c.start.year, c.end.year + 1))
    for year in sorted(years):
        if year not in covered and not official_workdays(year):
            rep.warn(head.loc, ("calendar",), "plan.w_no_schedule", year=year)
