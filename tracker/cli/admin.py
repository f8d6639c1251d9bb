"""Commands: backup."""

from __future__ import annotations

from pathlib import Path

import typer

from tracker.cli import app, get_context


@app.command()
def backup(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Where to write the copy."),
) -> None:
    """Make a consistent copy of the database, even while others write."""
    from tracker.store.backup import backup_to
    from tracker.store.db import open_db

    c = get_context(ctx)
    db = open_db(c.db_path, create=False)  # backing up nothing must not create a database
    dest = backup_to(db, file)
    typer.echo(c.t("store.backup_done", path=str(dest)))
