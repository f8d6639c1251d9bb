"""Commands: ``check`` (validate a plan, list warnings and moved dates, count instances).

``load`` lives in its own module. Errors are not printed here: ``read_plan`` raises
``PlanError`` and ``TrackerGroup`` prints one line per diagnostic to stderr with exit status 2.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from tracker.cli import app, get_context


@app.command()
def check(
    ctx: typer.Context,
    path: str = typer.Argument(..., help="A plan file, or a directory of *.toml files."),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="Count the moved due dates instead of listing each."
    ),
) -> None:
    """Validate a plan: print its errors and warnings and how many instances it expands to."""
    from tracker.plan import read_plan

    context = get_context(ctx)
    lang = context.lang
    expansion = read_plan(Path(path))
    plan = expansion.plan
    for w in expansion.warnings:
        typer.echo(w.render(lang))
    if quiet and expansion.moved:
        typer.echo(context.t("check.moved_count", count=len(expansion.moved)))
    elif expansion.moved:
        prefix = context.t("plan.warning_prefix")
        for m in expansion.moved:
            text = context.t("check.moved", uid=m.uid, nominal=m.nominal, due=m.due)
            typer.echo(f"{m.file}:{m.line}: {prefix}{text}")
    counts = Counter(i.campaign for i in expansion.instances)
    typer.echo(context.t("check.plan", id=plan.id, title=plan.title))
    for c in plan.campaigns:
        typer.echo(
            context.t(
                "check.campaign",
                campaign=c.key,
                name=c.name,
                start=c.start,
                end=c.end,
                count=counts.get(c.key, 0),
            )
        )
    typer.echo(context.t("check.total", count=len(expansion.instances)))
    stats = expansion.stats
    if plan.problems or stats.indicators or stats.skipped:
        typer.echo(
            context.t(
                "check.v2",
                problems=len(plan.problems),
                indicators=stats.indicators,
                skipped=stats.skipped,
                instances=stats.skipped_instances,
            )
        )
    warnings = len(expansion.warnings) + len(expansion.moved)
    typer.echo(context.t("check.ok", warnings=warnings))


@app.command()
def init(
    ctx: typer.Context,
    path: Path = typer.Argument(Path("plan.toml"), help="Where to write the starting plan."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write a commented starting plan for a township: four campaigns, villages, reports."""
    from importlib.resources import files

    from tracker.errors import BadInput
    from tracker.fileio import write_atomic

    c = get_context(ctx)
    if path.exists() and not force:
        raise BadInput("plan.init_exists", path=str(path))
    text = files("tracker.plan").joinpath("starters/township.toml").read_text(encoding="utf-8")
    write_atomic(path, text)
    typer.echo(c.t("plan.init_done", path=str(path)))
