"""Commands: backup."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli import app, get_context, open_store


@app.command()
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Where to write the copy."),
    force: bool = typer.Option(False, "--force", help="Replace an existing copy."),
) -> None:
    """Make a consistent copy of the database, even while others write."""
    from tracker.errors import BadInput
    from tracker.store.backup import backup_to

    c = get_context(ctx)
    db = open_store(c, create=False)  # backing up nothing must not create a database
    if file.is_file() and not force:  # yesterday's copy is worth keeping: ask first
        raise BadInput("store.backup_exists", path=str(file))
    dest = backup_to(db, file)
    typer.echo(c.t("store.backup_done", path=str(dest)))
