"""Commands ``tui`` and ``serve``: the Textual interface, in a terminal or a browser.

textual (and textual-serve) are imported inside the commands, so ``tracker --help`` and
``tracker list`` never pay for them.
"""

from __future__ import annotations

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
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port (0: any free)."),
    public_url: str | None = typer.Option(
        None, "--public-url", help="The URL browsers reach the server at, behind a proxy."
    ),
    trust_header: str | None = typer.Option(
        None,
        "--trust-header",
        metavar="HEADER",
        help="A proxy on this machine signs people in and names them in HEADER"
        " (e.g. X-Remote-User); needs a loopback --host.",
    ),
    max_sessions: int = typer.Option(
        100, "--max-sessions", min=1, metavar="N", help="Visitors served at once (default 100)."
    ),
) -> None:
    """Serve `tracker tui` to browsers: sign-in, one app per visitor (people.md)."""
    context = get_context(ctx)
    _check_db(context)
    from tracker.serve.rules import ServeOptions
    from tracker.serve.run import serve as run_server

    options = ServeOptions(host, port, public_url, trust_header, max_sessions)
    explicit_today = ctx.find_root().params.get("today")
    replay = context.today if explicit_today else None  # else each visit uses the real date

    def announce(url: str) -> None:
        typer.echo(context.t("serve.serving", url=url))

    run_server(context, options, replay=replay, announce=announce)
