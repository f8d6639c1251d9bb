"""Commands: ``report weekly`` (周报), ``export`` and ``import`` (the 台账 ledger).

Parsing and printing only; the figures and the ledger rules live in ``tracker.report``.
Renderers (rich, openpyxl) are imported inside the commands that need them.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

import typer

from tracker.cli import app, filters, get_context, open_store
from tracker.context import Context

REPORT_FORMATS = ("text", "md", "html", "xlsx", "json")
LEDGER_FORMATS = ("csv", "xlsx", "json")
BINARY = ("xlsx",)

report_app = typer.Typer(
    name="report",
    help="Progress reports: the weekly (周报), monthly (月报) and quarterly (季报) summaries.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(report_app, name="report")


def _db(c: Context) -> Any:
    return open_store(c, create=False)


#: ``-o FILE`` without ``--format``: the format its extension names (cli-v2.md).
EXTENSIONS = {
    ".txt": "text",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".json": "json",
    ".csv": "csv",
    ".ics": "ics",
}


#: What reads as a file type (``.pdf``, ``.docx``), not as part of a name (``周报.2020-W16``).
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")


def _check_format(
    value: str | None, choices: tuple[str, ...], output: Path | None, default: str
) -> str:
    """The output format: ``--format``, else the extension of ``-o FILE``, else ``default``.

    An extension that names another format than ``--format``, or one this command cannot
    write (``report -o x.csv``), is bad input (exit 2); so is one that names no format of
    ours (``-o x.pdf``), told by ``check_suffix`` once the acting person is known."""
    from tracker.errors import BadInput

    fmt = None
    if value is not None:
        fmt = value.strip().lower()
        if fmt not in choices:
            raise BadInput("report.bad_format", value=value, choices=", ".join(choices))
    named = None
    if output is not None and str(output) != "-":
        named = EXTENSIONS.get(output.suffix.lower())
    if named is not None and named not in choices:
        raise BadInput("safety.ext_cannot", path=str(output), choices=", ".join(choices))
    if named is not None and fmt is not None and named != fmt:
        raise BadInput("safety.ext_contradicts", path=str(output), format=fmt)
    if output is not None and str(output) != "-":
        from tracker.fileio import resolve_target

        resolve_target(output)  # a device, a FIFO or a directory: refused before any work
    return fmt or named or default


def check_suffix(value: str | None, choices: tuple[str, ...], output: Path | None) -> None:
    """``-o x.pdf`` without ``--format``: an extension no command writes is bad input (exit 2).
    Called after the database is open, so that a person not in the roster hears that first;
    with ``--format``, a suffix naming none of our formats (``weekly.log``) is the user's name."""
    from tracker.errors import BadInput

    if value is not None or output is None or str(output) == "-":
        return
    if output.suffix.lower() not in EXTENSIONS and _EXTENSION.fullmatch(output.suffix):
        raise BadInput("safety.ext_cannot", path=str(output), choices=", ".join(choices))


def _emit(c: Context, data: str | bytes, fmt: str, output: Path | None) -> None:
    """Write to ``output`` (through a temporary file renamed into place: never half-written,
    never over a device or a FIFO), or to stdout for a text format; binary formats need ``-o``."""
    from tracker.errors import BadInput
    from tracker.fileio import write_atomic

    if output is None or str(output) == "-":
        if fmt in BINARY:
            raise BadInput("report.binary_needs_output", format=fmt)
        if isinstance(data, bytes):  # UTF-8 text (the JSON report): written as it is
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
        return
    write_atomic(output, data)
    typer.echo(c.t("report.written", path=str(output)), err=True)


def _plans_lang(db: Any, plan: str | None) -> str | None:
    """The language the plans (or ``plan``) are written in, when they agree on one."""
    from tracker.store.figures import plans

    langs = {p.lang for p in plans(db) if plan is None or p.id == plan}
    return langs.pop() if len(langs) == 1 else None


def _report_lang(ctx: typer.Context, c: Context, plan_lang: str | None) -> str:
    """``--lang``/``TRACKER_LANG`` when given; else the plan's ``lang``; else the default."""
    root = ctx.find_root()
    source = root.get_parameter_source("lang")
    explicit = source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")
    if not explicit and plan_lang in ("zh", "en"):
        return str(plan_lang)
    return c.lang


FORMAT_HELP = "text | md | html | xlsx | json (default: by -o's extension, else text)."
PLAN_HELP = "The plan id (default: every plan, each a section, with the totals)."
# the options the weekly, monthly and quarterly reports share
FORMAT = typer.Option(None, "--format", "-f", help=FORMAT_HELP)
OUTPUT = typer.Option(None, "--output", "-o", help="Write to this file.")
PLAN = typer.Option(None, "--plan", help=PLAN_HELP)
LIMIT = typer.Option(50, "--limit", min=0, help="Rows per list in text/md/html (0: all).")
TO = typer.Option(None, "--to", help="wecom | dingtalk: post page one to the group robot instead.")
DRY_RUN = typer.Option(False, "--dry-run", help="With --to: print it, send nothing.")


@report_app.command("weekly")
def weekly_cmd(
    ctx: typer.Context,
    week: str | None = typer.Option(None, "--week", help="ISO week, e.g. 2020-W15."),
    fmt_opt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    plan: str | None = PLAN,
    limit: int = LIMIT,
    to: str | None = TO,
    dry_run: bool = DRY_RUN,
) -> None:
    """The weekly progress summary (周报); default week: the one containing today."""
    _report(ctx, "week", week, fmt_opt, output, plan, limit, to, dry_run)


@report_app.command("monthly")
def monthly_cmd(
    ctx: typer.Context,
    month: str | None = typer.Option(None, "--month", help="A month, e.g. 2020-04."),
    fmt_opt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    plan: str | None = PLAN,
    limit: int = LIMIT,
    to: str | None = TO,
    dry_run: bool = DRY_RUN,
) -> None:
    """The monthly report (月报): the weekly report over a month; default: this month."""
    _report(ctx, "month", month, fmt_opt, output, plan, limit, to, dry_run)


@report_app.command("quarterly")
def quarterly_cmd(
    ctx: typer.Context,
    quarter: str | None = typer.Option(None, "--quarter", help="A quarter, e.g. 2020-Q2."),
    fmt_opt: str | None = FORMAT,
    output: Path | None = OUTPUT,
    plan: str | None = PLAN,
    limit: int = LIMIT,
    to: str | None = TO,
    dry_run: bool = DRY_RUN,
) -> None:
    """The quarterly report (季报): the weekly report over a quarter; default: this quarter."""
    _report(ctx, "quarter", quarter, fmt_opt, output, plan, limit, to, dry_run)


def _period(kind: str, value: str | None, today: Any) -> Any:
    """The period named by ``--week``, ``--month`` or ``--quarter`` (``BadInput`` if bad)."""
    from tracker.report import periods
    from tracker.report.weekly import week_period

    if kind == "month":
        return periods.month_period(value, today)
    if kind == "quarter":
        return periods.quarter_period(value, today)
    return week_period(value, today)


def _report(
    ctx: typer.Context,
    kind: str,
    value: str | None,
    fmt_opt: str | None,
    output: Path | None,
    plan: str | None,
    limit: int,
    to: str | None,
    dry_run: bool,
) -> None:
    """A report over a week, a month or a quarter; every plan together when there are
    several and no ``--plan`` (``report/multi.py``)."""
    from tracker.report.weekly import choose_plan, compute_report
    from tracker.store.figures import plans as store_plans

    c = get_context(ctx)
    fmt = _check_format(fmt_opt, REPORT_FORMATS, output, "text")
    hook = _robot(c, to, dry_run, fmt_opt, output)
    period = _period(kind, value, c.today)
    db = _db(c)
    check_suffix(fmt_opt, REPORT_FORMATS, output)
    cut = None if fmt in ("json", "xlsx") or limit == 0 else limit
    to_tty = output is None and sys.stdout.isatty()
    width = max(60, min(160, shutil.get_terminal_size((100, 24)).columns))
    if plan is None and to is None and len(store_plans(db)) > 1:
        # several plans: each a section, and the totals (imported only then: it draws tables)
        from tracker.report.multi import compute_multi, render_multi

        lang = _report_lang(ctx, c, _plans_lang(db, None))
        both = compute_multi(db, today=c.today, period=period, lang=lang, limit=cut)
        _emit(c, render_multi(both, fmt, lang, width=width, color=to_tty), fmt, output)
        return
    plan_id, _, plan_lang = choose_plan(db, plan)
    lang = _report_lang(ctx, c, plan_lang)
    report = compute_report(db, today=c.today, period=period, plan=plan_id, lang=lang, limit=cut)
    if to is not None:
        _post_report(c, db, report, lang, hook, to, dry_run)
        return
    _emit(c, _render(report, fmt, lang, width, to_tty), fmt, output)


def _render(report: Any, fmt: str, lang: str, width: int, color: bool) -> str | bytes:
    """One plan's report in ``fmt``."""
    if fmt == "json":
        from tracker.report.render_json import render_json

        return render_json(report)
    if fmt == "md":
        from tracker.report.render_md import render_md

        return render_md(report, lang)
    if fmt == "html":
        from tracker.report.render_html import render_html

        return render_html(report, lang)
    if fmt == "xlsx":
        from tracker.report.render_xlsx import render_xlsx

        return render_xlsx(report, lang)
    from tracker.report.render_text import render_text

    return render_text(report, lang, width=width, color=color)


def _robot(c: Context, to: str | None, dry_run: bool, fmt: str | None, output: Path | None) -> Any:
    """``--to``'s webhook, checked before any work (``BadInput`` for a bad channel, a missing
    or malformed URL, or ``--to`` with ``-o``/``--format``)."""
    if to is None:
        return None
    from tracker.cli.notify import check_to, robot_hook
    from tracker.errors import BadInput

    channel = check_to(to)
    if channel == "stdout":
        raise BadInput("notify.bad_to", choices="wecom, dingtalk", value=to)
    if fmt is not None or output is not None:
        raise BadInput("notify.to_with_file")
    return robot_hook(c, channel, dry_run)


def _post_report(
    c: Context, db: Any, report: Any, lang: str, hook: Any, to: str, dry_run: bool
) -> None:
    """Page one of the report as one message to the robot; exit 1 when it failed."""
    from tracker.cli.notify import post
    from tracker.notify.send import FAILED
    from tracker.notify.weekly import page_one

    channel = to.strip().lower()
    msg = page_one(report, lang, channel)
    outcomes = post(c, db, hook, channel, [msg], dry_run=dry_run)
    if any(o.state == FAILED for o in outcomes):
        raise typer.Exit(1)


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt_opt: str | None = typer.Option(
        None, "--format", "-f", help="csv | xlsx | json (default: by -o's extension, else csv)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    plan: str | None = filters.PLAN,
    campaign: str | None = filters.CAMPAIGN,
    owner: str | None = filters.OWNER,
    status: list[str] | None = filters.STATUS,
    due: str | None = filters.DUE,
    search: str | None = filters.SEARCH,
    all_: bool = filters.ALL,
    problem: str | None = filters.PROBLEM,
    leader: str | None = filters.LEADER,
    responsible: str | None = filters.RESPONSIBLE,
    tag: list[str] | None = filters.TAG,
    kind: str | None = filters.KIND,
) -> None:
    """The task ledger (台账), filtered like `tracker list`."""
    from tracker.report.ledger import export_ledger

    c = get_context(ctx)
    fmt = _check_format(fmt_opt, LEDGER_FORMATS, output, "csv")
    flt = filters.task_filter(
        plan=plan, campaign=campaign, owner=owner, status=status, due=due, search=search,
        all_=all_, problem=problem, leader=leader, responsible=responsible, tag=tag, kind=kind,
    )  # fmt: skip
    db = _db(c)
    check_suffix(fmt_opt, LEDGER_FORMATS, output)
    data = export_ledger(
        db, filters.checked(db, flt), c.today, _report_lang(ctx, c, _plans_lang(db, plan)), fmt
    )
    if fmt == "csv" and output is not None and str(output) != "-" and isinstance(data, str):
        data = "\ufeff" + data  # a BOM, so that Excel opens the Chinese text as UTF-8
    _emit(c, data, fmt, output)


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="An exported ledger (.csv or .xlsx), edited."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and show; write nothing."),
    force: bool = typer.Option(
        False,
        "--force",
        help="A ledger without rev: apply every cell that differs from the database now.",
    ),
) -> None:
    """Read an edited ledger back: only the cells edited since the export; all rows or none."""
    from tracker.report.ledger_import import import_ledger

    c = get_context(ctx)
    from tracker.present.safe import terminal

    result = import_ledger(_db(c), c, path, dry_run=dry_run, force=force)
    for line in result.lines(c.lang):
        typer.echo(terminal(line))  # the ledger's notes, shown: control characters visible
