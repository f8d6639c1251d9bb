"""Commands of a county's host and the province: ``rollup`` and ``restore-check``.

Parsing and printing only: the roll-up is ``tracker.report.rollup``, the restore is
``tracker.replica`` and the checks of a restored copy are ``tracker.store.consistency``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import typer

from tracker.cli import app, get_context
from tracker.cli.reports import (
    FORMAT,
    OUTPUT,
    REPORT_FORMATS,
    _check_format,
    _emit,
    check_suffix,
)
from tracker.context import Context


@app.command("rollup")
def rollup_cmd(
    ctx: typer.Context,
    dbs: list[str] = typer.Argument(
        ..., metavar="DB...", help="County databases (or restored replicas)."
    ),
    week: str | None = typer.Option(None, "--week", help="ISO week, e.g. 2020-W15."),
    fmt_opt: str | None = FORMAT,
    output: Path | None = OUTPUT,
) -> None:
    """The province's view: one weekly report across many county databases, read-only."""
    from tracker.report.render_rollup import render
    from tracker.report.rollup import compute_rollup

    c = get_context(ctx)
    fmt = _check_format(fmt_opt, REPORT_FORMATS, output, "text")
    check_suffix(fmt_opt, REPORT_FORMATS, output)
    rollup = compute_rollup(dbs, today=c.today, week=week, lang=c.lang)
    to_tty = output is None and sys.stdout.isatty()
    width = max(60, min(160, shutil.get_terminal_size((100, 24)).columns))
    _emit(c, render(rollup, fmt, c.lang, width=width, color=to_tty), fmt, output)
    _say_skipped(c, rollup.skipped)
    if rollup.skipped:
        raise typer.Exit(1)


def _say_skipped(c: Context, skipped: list[tuple[str, str]]) -> None:
    from tracker.present.safe import terminal

    for db, reason in skipped:
        typer.echo(terminal(c.t("host.skipped", db=db, reason=reason)), err=True)


@app.command("restore-check")
def restore_check_cmd(
    ctx: typer.Context,
    replica: str = typer.Argument(..., help="A Litestream replica URL or directory."),
    config: Path | None = typer.Option(
        None, "--config", help="A litestream.yml (REPLICA may then be the database's path)."
    ),
) -> None:
    """The restore drill: restore a replica into a temporary file and check it."""
    from tracker.replica import find_litestream, restore

    c = get_context(ctx)
    binary = find_litestream()
    if binary is None:
        typer.echo(c.t("host.no_litestream"), err=True)
        raise typer.Exit(2)
    with tempfile.TemporaryDirectory(prefix="tracker-restore-") as tmp:
        out = Path(tmp) / "restored.db"
        ok, last = restore(binary, replica, out, config)
        if not ok:
            typer.echo(_line(c, "restore", False, last))
            raise typer.Exit(1)
        restored = c.t("host.restored", replica=replica, size=out.stat().st_size)
        typer.echo(_safe(restored))
        passed = _checks(c, out)
    raise typer.Exit(0 if passed else 1)


def _safe(text: str) -> str:
    from tracker.present.safe import terminal

    return terminal(text)


def _line(c: Context, name: str, ok: bool, detail: str) -> str:
    mark = c.t("host.check.ok" if ok else "host.check.fail")
    label = c.t(f"host.check.{name}") if name != "restore" else name
    return _safe(c.t("host.check.line", mark=mark, name=label, detail=detail))


def _checks(c: Context, path: Path) -> bool:
    """One line per check of the restored copy; whether every one passed."""
    from tracker.report.rollup import skip_reason
    from tracker.store.consistency import check_all
    from tracker.store.readonly import Unreadable, open_readonly

    try:
        ro = open_readonly(path)
    except Unreadable as e:
        typer.echo(_line(c, "open", False, skip_reason(e, c.lang)))
        return False
    try:
        checks = check_all(ro.store)
    finally:
        ro.store.close()
    for ch in checks:
        typer.echo(_line(c, ch.name, ch.ok, ch.detail))
    return all(ch.ok for ch in checks)
