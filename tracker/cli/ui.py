"""Commands ``tui`` and ``serve``: the Textual interface, in a terminal or a browser.

textual (and textual-serve) are imported inside the commands, so ``tracker --help`` and
``tracker list`` never pay for them.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import typer

from tracker.cli import app, get_context, open_store
from tracker.context import Context


def _check_db(context: Context) -> None:
    """Open (and migrate) the database first, so a bad path fails as one CLI line."""
    open_store(context).conn.close()


@app.command("tui")
def tui(ctx: typer.Context) -> None:
    """The Textual interface: see, narrow, act on and inspect task instances."""
    context = get_context(ctx)
    _check_db(context)
    from tracker.tui.app import TrackerApp

    TrackerApp(context).run()


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: str = typer.Option("localhost", "--host", help="Address to bind (default localhost)."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
    public_url: str | None = typer.Option(
        None, "--public-url", help="The URL browsers reach the server at, behind a proxy."
    ),
) -> None:
    """Serve `tracker tui` to browsers through textual-serve (one app per visitor)."""
    context = get_context(ctx)
    _check_db(context)
    from textual_serve.server import Server

    argv = [sys.executable, "-m", "tracker", "--db", str(Path(context.db_path).resolve())]
    argv += ["--user", context.user, "--lang", context.lang]
    explicit_today = ctx.find_root().params.get("today")
    if explicit_today:  # a replayed day stays replayed; otherwise each visit uses the real date
        argv += ["--today", context.today.isoformat()]
    argv.append("tui")
    Server(shlex.join(argv), host=host, port=port, title="tracker", public_url=public_url).serve()
