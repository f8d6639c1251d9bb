"""Command: ``tracker add`` — a 交办 item outside the plan file (cli-v2.md).

A 督查 finding or a leader's instruction with a deadline, kept across reloads. The rules (which
plan and campaign, the due date's shift, the uid) are the store's (``tracker.store.adhoc``).
"""

from __future__ import annotations

import typer

from tracker.cli import app, get_context, open_store


@app.command("add")
def add_cmd(
    ctx: typer.Context,
    title: str = typer.Option(..., "--title", help="What is to be done."),
    owner: str = typer.Option(..., "--owner", help="The unit that owns it (牵头单位)."),
    due: str = typer.Option(..., "--due", help="The deadline (2020-05-15)."),
    plan: str | None = typer.Option(None, "--plan", help="The plan (default: the only one)."),
    campaign: str | None = typer.Option(
        None, "--campaign", help="The campaign (default: the one whose window holds --due)."
    ),
    start: str | None = typer.Option(None, "--start", help="When work may begin (default: today)."),
    problem: str | None = typer.Option(None, "--problem", help="The problem (整改问题) it serves."),
    responsible: str | None = typer.Option(None, "--responsible", help="The person (责任人)."),
    leader: str | None = typer.Option(
        None, "--leader", help="The leader (default: the owner unit's)."
    ),
    target: float | None = typer.Option(None, "--target", help="A quantity to reach."),
    unit: str | None = typer.Option(None, "--unit", help="The target's unit of measure."),
    priority: str = typer.Option("normal", "--priority", help="high | normal | low."),
    tag: list[str] | None = typer.Option(None, "--tag", help="A tag (repeatable)."),
    note: str | None = typer.Option(None, "--note", help="A note recorded with it."),
    as_json: bool = typer.Option(False, "--json", help="Print the new task as JSON."),
) -> None:
    """Add a 交办 item outside the plan file; reloads keep it."""
    from tracker.context import parse_iso_date
    from tracker.present.safe import terminal
    from tracker.store.adhoc import AddRequest, add
    from tracker.store.query import task_json

    c = get_context(ctx)
    req = AddRequest(
        title=title, owner=owner, due=parse_iso_date(due), plan=plan, campaign=campaign,
        start=parse_iso_date(start) if start else None, problem=problem, responsible=responsible,
        leader=leader, target=target, unit=unit, priority=priority, tags=tuple(tag or ()),
        note=note,
    )  # fmt: skip
    task = add(open_store(c), c, req)
    if as_json:
        from tracker.jsontext import dumps

        typer.echo(dumps(task_json(task, c.today)))
        return
    line = c.t(
        "store.added", id=task.id, uid=task.uid, title=task.title,
        owner=task.owner_name or task.owner, due=task.due,
    )  # fmt: skip
    typer.echo(terminal(line))
