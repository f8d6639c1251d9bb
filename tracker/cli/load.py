"""Command: load (and reload) a plan into the database."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli import app, get_context, open_store


@app.command("load")
def load_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="A plan .toml file or a directory of them."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Validate, expand and load (or reload) a plan."""
    from tracker.errors import BadInput
    from tracker.plan import read_plan_lazy
    from tracker.plan.digest import source_digest
    from tracker.store.db import open_db
    from tracker.store.load import load_expansion, unchanged_load

    c = get_context(ctx)
    if not path.exists():
        raise BadInput("store.load_missing", path=str(path))
    digest = source_digest(path)
    db = open_store(c) if c.db_path.exists() else None
    summary = None
    if db is not None and digest is not None:
        summary = unchanged_load(db, digest, dry_run=dry_run, ctx=c)
    if summary is None:
        # Instances are made per template, only for those the load has to compare.
        expansion = read_plan_lazy(path)  # a bad plan stops here: no database is created
        for warning in expansion.warnings:
            typer.echo(warning.render(c.lang), err=True)
        if db is None:
            # A dry run against a database that does not exist yet must not create it.
            db = open_db(":memory:" if dry_run else c.db_path)
        summary = load_expansion(db, expansion, c, dry_run=dry_run, digest=digest)
    if as_json:
        from tracker.jsontext import dumps

        typer.echo(dumps(summary.as_json()))
        return
    key = "store.load.dry_run" if dry_run else "store.load.done"
    typer.echo(c.t(key, plan=summary.plan, n=summary.instances))
    typer.echo(
        c.t(
            "store.load.counts",
            added=summary.added,
            changed=summary.changed,
            removed=summary.removed,
            withdrawn=summary.withdrawn,
            restored=summary.restored,
            unchanged=summary.unchanged,
        )
    )
    if summary.source_unchanged:
        typer.echo(c.t("store.load.source_unchanged"))
    if summary.backup:
        typer.echo(c.t("store.load.backup", path=summary.backup))
    for uid in summary.withdrawn_uids:
        typer.echo(c.t("store.load.withdrawn_uid", uid=uid))
    for uid in summary.restored_uids:
        typer.echo(c.t("store.load.restored_uid", uid=uid))
